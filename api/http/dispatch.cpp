// The v1 route table, and dispatch(): authentication, the endpoint-level
// role check and the handler call.

#include <exception>

#include "api/http/auth.h"
#include "api/http/errors.h"
#include "api/http/handlers.h"
#include "api/http/snapshot_store.h"
#include "api/http/web_session.h"

namespace turnaround::api {

namespace {

constexpr Role kOpsLead = Role::kOpsLead, kExecutive = Role::kExecutive, kOwner = Role::kOwner,
               kAnalyst = Role::kAnalyst, kAdmin = Role::kAdmin, kIngest = Role::kIngest;

std::vector<Route> v1_routes() {
  auto handler = [](std::string method, std::string pattern, std::string op,
                    std::vector<Role> roles, Handler h) {
    Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.operation_id = std::move(op);
    r.kind = RouteKind::kHandler;
    r.roles = std::move(roles);
    r.handler = h;
    r.writes = r.method != "GET";
    return r;
  };
  // A case by id: the token and person (one row), the case row and its
  // history (one index range): small and bounded, so it may run inline.
  auto inline_read = [](Route r) {
    r.inline_read = true;
    return r;
  };
  Route health = handler("GET", "/healthz", "getHealth", {}, &get_healthz);
  health.kind = RouteKind::kPublic;
  health.inline_read = true;  // one indexed row
  Route responses;
  responses.method = "POST";
  responses.pattern = "/v1/responses";
  responses.operation_id = "postResponses";
  responses.kind = RouteKind::kIntake;
  responses.roles = {kIngest};
  responses.intake = RecordKind::kResponse;
  responses.writes = true;
  Route churn = responses;
  churn.pattern = "/v1/churn-events";
  churn.operation_id = "postChurnEvents";
  churn.intake = RecordKind::kChurn;
  const std::vector<Role> workers = {kOpsLead, kExecutive, kOwner};
  const std::vector<Role> readers = {kOpsLead, kExecutive, kAnalyst};  // issues, reports
  const std::vector<Role> everyone = {kOpsLead, kExecutive, kOwner, kAnalyst, kAdmin, kIngest};
  Route sign_in = handler("POST", "/v1/session", "signIn", {}, &post_session);
  sign_in.kind = RouteKind::kPublic;
  return {
      health,
      responses,
      churn,
      handler("GET", "/v1/cases", "listCases", {kOpsLead, kExecutive, kOwner, kAnalyst}, &get_cases),
      inline_read(handler("GET", "/v1/cases/{id}", "getCase", {kOpsLead, kExecutive, kOwner, kAnalyst},
                          &get_case)),
      handler("POST", "/v1/cases/{id}/events", "fireEvent", workers, &post_case_event),
      handler("POST", "/v1/cases/{id}/assign", "assignCase", {kOpsLead}, &post_case_assign),
      handler("POST", "/v1/cases/{id}/claim", "claimCase", workers, &post_case_claim),
      handler("GET", "/v1/me/tasks", "getMyTasks", workers, &get_my_tasks),
      handler("GET", "/v1/people", "listPeople", {kOpsLead, kAnalyst, kAdmin}, &get_people),
      handler("POST", "/v1/people", "putPerson", {kAdmin}, &post_people),
      handler("GET", "/metrics", "getMetrics", {kOpsLead, kAnalyst, kAdmin}, &get_metrics),
      // Top-five issues. The fixed paths come before /v1/issues/{id}.
      handler("POST", "/v1/issues", "openIssue", {kOpsLead}, &post_issue),
      handler("GET", "/v1/issues", "listIssues", readers, &get_issues),
      handler("GET", "/v1/issues/top", "topIssues", readers, &get_top_issues),
      handler("GET", "/v1/issues/candidates", "issueCandidates", readers, &get_issue_candidates),
      handler("GET", "/v1/issues/{id}", "getIssue", readers, &get_issue),
      handler("POST", "/v1/issues/{id}/links", "linkIssueCases", {kOpsLead}, &post_issue_links),
      handler("GET", "/v1/reports/nps", "reportNps", readers, &get_report),
      handler("GET", "/v1/reports/detractors", "reportDetractors", readers, &get_report),
      handler("GET", "/v1/reports/themes", "reportThemes", readers, &get_report),
      handler("GET", "/v1/reports/ranking", "reportRanking", readers, &get_report),
      handler("GET", "/v1/reports/timing", "reportTiming", readers, &get_report),
      handler("GET", "/v1/reports/scorecard", "reportScorecard", readers, &get_report),
      handler("GET", "/v1/reports/saturation", "reportSaturation", readers, &get_report),
      sign_in,
      handler("GET", "/v1/session", "getSession", everyone, &get_session),
      handler("DELETE", "/v1/session", "signOut", everyone, &delete_session),
      handler("GET", "/v1/reviews/{month}/agenda", "getReviewAgenda",
              {kOpsLead, kExecutive, kAnalyst, kAdmin}, &get_review_agenda),
      handler("POST", "/v1/reviews/{month}/reviewed", "markReviewed", {kOpsLead},
              &post_review_reviewed),
  };
}

std::string role_list(const Route& route) {
  std::string out;
  for (Role r : route.roles) out += (out.empty() ? "" : ", ") + std::string(role_name(r));
  return out;
}

// Authentication and the route's roles: sets `actor_id` once the caller is
// known (even if refused), and returns the person or the refusal.
Result<Person> admit(const HttpRequest& request, const Route& route, Services& services,
                     std::string& actor_id) {
  TA_ASSIGN_OR_RETURN(Person actor, authenticate_request(services.store, request,
                                                         services.engine.clock().now()));
  actor_id = actor.id.value;
  if (!permitted(route, actor)) {
    return permission_denied(actor.id.value + " may not call " + route.method + " " +
                             route.pattern + " (roles allowed: " + role_list(route) + ")");
  }
  return actor;
}

}  // namespace

const Router& Router::standard() {
  static const Router router(v1_routes());
  return router;
}

namespace {

Dispatched dispatch_with(const HttpRequest& request, const RouteMatch& match, Services& services) {
  Dispatched out;
  try {
    const Route& route = *match.route;
    Person actor;
    if (route.kind != RouteKind::kPublic) {
      auto admitted = admit(request, route, services, out.actor);
      if (!admitted.ok()) {
        out.response = error_response(admitted.status());
        return out;
      }
      actor = std::move(*admitted);
    }
    if (route.kind == RouteKind::kIntake) {
      auto plan = plan_intake(route.intake, request.body, kMaxIntakeItems);
      out.response = plan.ok() ? intake_response(*plan, ingest_now(services.engine, *plan))
                               : error_response(plan.status());
      return out;
    }
    RequestContext ctx{request, match.params, actor, services};
    out.response = route.handler(ctx);
  } catch (const std::exception& e) {
    out.response = error_response(internal_error(std::string("unexpected error: ") + e.what()));
  }
  return out;
}

}  // namespace

Dispatched dispatch(const HttpRequest& request, const RouteMatch& match, Services& services) {
  if (match.route->writes) return dispatch_with(request, match, services);
  // A read-only request sees one snapshot, through one read transaction.
  SnapshotStore snapshot(services.store);
  const Engine& base = services.engine;
  Engine engine(snapshot, base.clock(), base.company(), base.registry());
  Services reads{engine, snapshot, services.metrics};
  return dispatch_with(request, match, reads);
}

IntakeStart start_intake(const HttpRequest& request, const RouteMatch& match, Services& services,
                         std::size_t max_items) {
  IntakeStart out;
  try {
    auto admitted = admit(request, *match.route, services, out.actor);
    if (!admitted.ok()) {
      out.response = error_response(admitted.status());
      return out;
    }
    auto plan = plan_intake(match.route->intake, request.body, max_items);
    if (!plan.ok()) {
      out.response = error_response(plan.status());
      return out;
    }
    out.plan = std::move(*plan);
  } catch (const std::exception& e) {
    out.response = error_response(internal_error(std::string("unexpected error: ") + e.what()));
  }
  return out;
}

}  // namespace turnaround::api

#pragma once
// The handlers of the HTTP API: pure functions from a parsed request, its
// authenticated actor and the Engine to a response. They do no socket I/O
// (the session does) and block only on the database, so the server runs
// them on its worker pool, and tests call them directly with a constructed
// HttpRequest over an Engine on a MemoryStore.
//
// Endpoint-level permissions are the route table's `roles` (router.h),
// checked by dispatch() before a handler runs; handlers add the row-level
// ones (who sees which case); the Engine adds the case-level ones (who may
// fire which event in which state, CaseMachine::may_act).
//
//   route                           ops_lead exec owner analyst admin ingest
//   GET  /healthz                   (no token)
//   POST /v1/responses, /v1/churn-events                              x
//   GET  /v1/cases, /v1/cases/{id}  all      own+queue  all
//   POST /v1/cases/{id}/events      x        x    x
//   POST /v1/cases/{id}/assign      x
//   POST /v1/cases/{id}/claim       x        x    x
//   GET  /v1/me/tasks               x        x    x
//   GET  /v1/people                 x                   x       x
//   POST /v1/people                                             x
//   GET  /metrics                   x                   x       x
//   POST /v1/issues                 x
//   GET  /v1/issues, /v1/issues/top, /v1/issues/candidates, /v1/issues/{id}
//                                   x        x          x
//   POST /v1/issues/{id}/links      x
//   GET  /v1/reports/...            x        x          x
//
// "own+queue": executives and owners see the cases they own and the
// unowned cases in the queue of one of their roles; asking for others' is
// 403. A person with several roles has the union.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/http/message.h"
#include "api/http/router.h"
#include "api/io/record_fields.h"
#include "engine/engine.h"

namespace turnaround::api {

class Metrics;

// What handlers reach. All references outlive every request.
struct Services {
  Engine& engine;
  Store& store;
  const Metrics* metrics = nullptr;  // GET /metrics; null in tests that do not need it
};

struct RequestContext {
  const HttpRequest& request;
  const RouteParams& params;
  const Person& actor;  // empty id for kPublic routes
  Services& services;
};

// GET /healthz: {"status": "ok", "database": "ok"}, or 503 when a read of
// the database fails.
HttpResponse get_healthz(const RequestContext& ctx);
// GET /metrics (metrics.h).
HttpResponse get_metrics(const RequestContext& ctx);

// GET /v1/cases?state&owner&workflow&segment&queue&open&overdue&limit&cursor
// -> {"cases": [...], "next_cursor": "17" | null}. limit: 1..500, default 100.
HttpResponse get_cases(const RequestContext& ctx);
// GET /v1/cases/{id} -> the case with history and "allowed_events" (for the caller).
HttpResponse get_case(const RequestContext& ctx);
// POST /v1/cases/{id}/events {"event", "data"?, "version"?} -> the case after.
HttpResponse post_case_event(const RequestContext& ctx);
// POST /v1/cases/{id}/assign {"owner", "version"?} -> the case after.
HttpResponse post_case_assign(const RequestContext& ctx);
// POST /v1/cases/{id}/claim {"version"?} (body optional) -> the case after.
HttpResponse post_case_claim(const RequestContext& ctx);
// GET /v1/me/tasks -> {"person", "owned": [open cases], "claimable": [...]}.
HttpResponse get_my_tasks(const RequestContext& ctx);
// GET /v1/people -> {"people": [...]}.
HttpResponse get_people(const RequestContext& ctx);
// POST /v1/people {"id", "name", "roles", "teams"?, "capacity"?, "active"?}
// -> 200 with the person (created or replaced).
HttpResponse post_people(const RequestContext& ctx);

// --- Top-five issues (handlers_issues.cpp; docs/issues.md). Ops leads open
// issues and link cases; executives and analysts read them. The issue's own
// events go through POST /v1/cases/{id}/events.
// POST /v1/issues {"theme", "segment"?, "title"?, "workflow"?} -> 201 the issue.
HttpResponse post_issue(const RequestContext& ctx);
// GET /v1/issues?open -> {"issues": [...]}.
HttpResponse get_issues(const RequestContext& ctx);
// GET /v1/issues/top?limit (default 5) -> {"issues": [...]}: the top-five.
HttpResponse get_top_issues(const RequestContext& ctx);
// GET /v1/issues/candidates -> {"candidates": [...]}.
HttpResponse get_issue_candidates(const RequestContext& ctx);
// GET /v1/issues/{id} -> the issue with its linked cases and history.
HttpResponse get_issue(const RequestContext& ctx);
// POST /v1/issues/{id}/links {"case_id"} or {"all_matching": true}
// -> {"linked": [...], "already": [...]}.
HttpResponse post_issue_links(const RequestContext& ctx);
// GET /v1/reports/KIND (KIND = the last path segment: nps, detractors,
// themes, ranking, timing, scorecard, saturation) with the report's
// parameters as query parameters -> the report's JSON (report_json.h).
// Unknown or repeated parameters and bad values are 400 naming them.
// Readable by ops leads, executives and analysts: aggregates over every
// case, which owners (who see only their own cases) and ingest do not get.
HttpResponse get_report(const RequestContext& ctx);

// --- Intake (POST /v1/responses, POST /v1/churn-events).
//
// The body is one JSON object or an array of them, with the keys of the
// JSON Lines import (api/io/jsonl_reader.h). Each item is accepted or
// rejected on its own ("all or nothing per item"): items that do not parse
// are rejected here; the rest go to the Engine in one call (the server's
// ingest queue batches several requests into one transaction), which
// rejects invalid ones and is idempotent by response_id (a repeat is
// "duplicate").
//
// Response: 200 {"results": [{"index", "outcome", "case_id", "response_id"
// or "customer_id", "error"?}], "summary": {"read", "cases_opened",
// "attached", "recorded", "duplicates", "rejected"}}. A single object that
// is rejected gets 400 with the same body plus "error". A failed commit
// fails the whole request (503 / 500) and stores none of its items.

struct IntakePlan {
  RecordKind kind = RecordKind::kResponse;
  bool single = false;  // the body was one object, not an array
  // One slot per item: set when the item was rejected before the Engine.
  std::vector<std::optional<RowError>> rejected;
  // The items for the Engine; `line` is the item's index in the body.
  std::vector<Numbered<Response>> responses;
  std::vector<Numbered<ChurnEvent>> churn;
  // The ids to echo per item ("response_id" or "customer_id"), "" if none.
  std::vector<std::string> ids;

  std::size_t engine_items() const { return responses.size() + churn.size(); }
};

// Parses an intake body. kInvalidArgument for a body that is not JSON, not
// an object or array, an empty array, or more than max_items items.
Result<IntakePlan> plan_intake(RecordKind kind, std::string_view body, std::size_t max_items);

// The response for `plan` given the Engine's results for its items (in
// plan order), or the status of a failed Engine call.
HttpResponse intake_response(const IntakePlan& plan,
                             const Result<std::vector<IntakeItemResult>>& results);

// The Engine call for a plan's items, in this thread (no batching).
Result<std::vector<IntakeItemResult>> ingest_now(Engine& engine, const IntakePlan& plan);

// --- Dispatch: everything between a matched route and its response.

struct Dispatched {
  HttpResponse response;
  std::string actor;  // the authenticated person's id, "" if none (for logs)
};

// Authenticates (unless kPublic), checks the route's roles, and runs the
// handler; for kIntake routes it plans and ingests at once (ingest_now).
// Exceptions become 500. Safe to call from several threads.
Dispatched dispatch(const HttpRequest& request, const RouteMatch& match, Services& services);

// The first half of an intake request in the server: authentication, roles
// and plan_intake. On success `plan` is set and the response is empty.
struct IntakeStart {
  std::optional<IntakePlan> plan;
  HttpResponse response;  // when !plan
  std::string actor;
};
IntakeStart start_intake(const HttpRequest& request, const RouteMatch& match,
                         Services& services, std::size_t max_items);

// The largest number of items one intake request may carry.
inline constexpr std::size_t kMaxIntakeItems = 10000;

}  // namespace turnaround::api

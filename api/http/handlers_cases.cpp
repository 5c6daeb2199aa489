// GET /v1/cases, GET /v1/cases/{id}, POST /v1/cases/{id}/events|assign|claim,
// GET /v1/me/tasks.

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

#include "api/codec/case_json.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 500;
// At most this many cases in each of the ops lead's lists of /v1/me/tasks.
constexpr std::int64_t kOpsListLimit = 100;

Result<bool> boolean_param(const std::string& name, const std::string& value) {
  if (value.empty() || value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return invalid_argument(name + " must be true or false, not '" + value + "'", {name});
}

// The query of GET /v1/cases as a CaseFilter (limit is the page size; the
// caller fetches one more to know whether there is a next page).
Result<CaseFilter> case_filter(const RequestContext& ctx, bool* with_counts) {
  TA_ASSIGN_OR_RETURN(auto params, parse_query(ctx.request.query()));
  CaseFilter f;
  f.limit = kDefaultLimit;
  std::vector<std::string> unknown;
  bool overdue = false;
  std::string cursor;
  for (const auto& [k, v] : params) {
    if (k == "state") f.state = v;
    else if (k == "q") {
      if (v.size() > 100) return invalid_argument("q (customer search) is longer than 100 characters", {"q"});
      if (!v.empty()) f.customer_search = v;
    } else if (k == "priority") {
      auto p = parse_priority(v);
      if (!p) return invalid_argument("priority must be low, normal, high or urgent, not '" + v + "'", {"priority"});
      f.priority = *p;
    } else if (k == "sort") {
      if (v == "due") f.by_due = true;
      else if (v != "id") return invalid_argument("sort must be id or due, not '" + v + "'", {"sort"});
    } else if (k == "unassigned") { TA_ASSIGN_OR_RETURN(f.unowned_only, boolean_param(k, v)); }
    else if (k == "counts") { TA_ASSIGN_OR_RETURN(*with_counts, boolean_param(k, v)); }
    else if (k == "owner") f.owner = PersonId(v);
    else if (k == "workflow") f.workflow = v;
    else if (k == "segment") f.segment = v;
    else if (k == "queue") f.queue = v;
    else if (k == "open") { TA_ASSIGN_OR_RETURN(f.open_only, boolean_param(k, v)); }
    else if (k == "overdue") { TA_ASSIGN_OR_RETURN(overdue, boolean_param(k, v)); }
    else if (k == "limit") {
      auto n = positive_integer(v);
      if (!n || *n > kMaxLimit) {
        return invalid_argument("limit must be a number from 1 to " + std::to_string(kMaxLimit), {"limit"});
      }
      f.limit = *n;
    } else if (k == "cursor") {
      cursor = v;
    } else {
      unknown.push_back(k);
    }
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
    return invalid_argument("unknown query parameter(s): " + names +
                                " (known: state, owner, workflow, segment, queue, open, overdue, "
                                "q, priority, unassigned, sort, counts, limit, cursor)",
                            unknown);
  }
  if (!cursor.empty()) {
    // By id: "ID"; by due: "DUEKEY:ID" (next_cursor of an earlier page).
    const std::size_t colon = cursor.find(':');
    auto id = positive_integer(colon == std::string::npos ? cursor : cursor.substr(colon + 1));
    std::int64_t due = 0;
    bool due_ok = colon != std::string::npos;
    if (due_ok) {
      const char* b = cursor.data();
      auto [end, ec] = std::from_chars(b, b + colon, due);
      due_ok = ec == std::errc() && end == b + colon;
    }
    if (!id || due_ok != f.by_due) {
      return invalid_argument("cursor must be a next_cursor of an earlier page with the same sort", {"cursor"});
    }
    f.after_id = *id;
    if (f.by_due) f.after_due = due;
  }
  if (overdue) f.overdue_at = ctx.services.engine.clock().now();
  return f;
}

// Executives and owners list only their own cases or their roles' queues.
Status restrict_to_actor(const Person& actor, CaseFilter& f) {
  if (sees_all_cases(actor)) return Status();
  if (f.queue) {
    auto role = parse_role(*f.queue);
    if (!role || !actor.has_role(*role)) {
      return permission_denied(actor.id.value + " may list only the queues of their own roles");
    }
    if (f.owner && *f.owner != actor.id) {
      return permission_denied(actor.id.value + " may list only their own cases");
    }
    return Status();
  }
  if (f.owner && *f.owner != actor.id) {
    return permission_denied(actor.id.value + " may list only their own cases (owner=" +
                             actor.id.value + ") or a queue of their roles");
  }
  f.owner = actor.id;
  return Status();
}

json::array cases_json(const std::vector<Case>& cases, const Services& s, json::storage_ptr sp) {
  json::array out(sp);
  out.reserve(cases.size());
  const Instant now = s.engine.clock().now();
  for (const auto& c : cases) {
    json::object o = case_to_json(c, now, false, sp);
    add_case_summary(o, c, s);
    out.emplace_back(std::move(o));
  }
  return out;
}

// Loads case {id} and checks that the actor may see it.
Result<Case> visible_case(const RequestContext& ctx, bool with_history) {
  TA_ASSIGN_OR_RETURN(CaseId id, case_id_param(ctx));
  TA_ASSIGN_OR_RETURN(Case c, ctx.services.engine.get_case(id, with_history));
  if (!may_see(ctx.actor, c)) {
    return permission_denied(ctx.actor.id.value + " may not see case " + std::to_string(id.value));
  }
  return c;
}

Result<FieldValues> event_data(const WorkflowDefinition& wf, const json::value* data) {
  FieldValues out;
  if (!data || data->is_null()) return out;
  if (!data->is_object()) return invalid_argument("data must be an object of field values", {"data"});
  std::vector<std::string> bad;
  std::string why;
  for (const auto& kv : data->get_object()) {
    const std::string name(kv.key());
    const FieldDef* field = wf.field(name);
    Result<Value> v = field ? value_from_json(*field, kv.value())
                            : Result<Value>(invalid_argument("unknown field '" + name + "' (workflow " +
                                                             wf.name + ")"));
    if (!v.ok()) {
      bad.push_back(name);
      why += (why.empty() ? "" : "; ") + v.status().message();
      continue;
    }
    out[name] = std::move(*v);
  }
  if (!bad.empty()) return invalid_argument(why, bad);
  return out;
}

}  // namespace

HttpResponse get_cases(const RequestContext& ctx) {
  bool with_counts = false;
  auto f = case_filter(ctx, &with_counts);
  if (!f.ok()) return fail(f.status());
  if (Status s = restrict_to_actor(ctx.actor, *f); !s.ok()) return fail(s);
  json::value counts = nullptr;
  if (with_counts) {
    // Per state, for the same filter without its state: the board's columns.
    CaseFilter all = *f;
    all.state.reset();
    auto txn = ctx.services.store.begin(TxnMode::kRead);
    if (!txn.ok()) return fail(txn.status());
    auto by_state = (*txn)->count_cases_by_state(all);
    if (!by_state.ok()) return fail(by_state.status());
    json::object c;
    for (const auto& [state, n] : *by_state) c[state] = n;
    counts = std::move(c);
  }
  const std::int64_t page = f->limit;
  f->limit = page + 1;  // one more tells whether there is a next page
  auto cases = ctx.services.engine.list_cases(*f);
  if (!cases.ok()) return fail(cases.status());
  json::value next = nullptr;
  if (static_cast<std::int64_t>(cases->size()) > page) {
    cases->resize(static_cast<std::size_t>(page));
    const Case& last = cases->back();
    next = json::string(f->by_due ? std::to_string(due_key(last)) + ":" + std::to_string(last.id.value)
                                  : std::to_string(last.id.value));
  }
  unsigned char buffer[32 * 1024];
  json::monotonic_resource arena(buffer, sizeof buffer);
  json::object o(json::storage_ptr{&arena});
  o["cases"] = cases_json(*cases, ctx.services, o.storage());
  o["next_cursor"] = std::move(next);
  if (with_counts) o["counts"] = std::move(counts);
  return json_response(200, o);
}

HttpResponse get_case(const RequestContext& ctx) {
  auto c = visible_case(ctx, true);
  if (!c.ok()) return fail(c.status());
  return case_response(ctx.services, *c, ctx.actor);
}

HttpResponse post_case_event(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"event", "data", "version"}); !s.ok()) return fail(s);
  auto event = body->find("event");
  if (event == body->end() || !event->value().is_string() || event->value().get_string().empty()) {
    return fail(invalid_argument("event must be the name of an event (a string)", {"event"}));
  }
  auto version = version_of(*body);
  if (!version.ok()) return fail(version.status());
  auto id = case_id_param(ctx);
  if (!id.ok()) return fail(id.status());
  Engine& engine = ctx.services.engine;
  auto current = engine.get_case(*id, false);
  if (!current.ok()) return fail(current.status());
  const WorkflowDefinition* wf =
      engine.registry().get(current->workflow, current->workflow_version);
  if (!wf) return fail(internal_error("case runs an unknown workflow version"));
  const json::value* data = body->if_contains("data");
  auto values = event_data(*wf, data);
  if (!values.ok()) return fail(values.status());
  auto after = engine.fire_event(*id, std::string(event->value().get_string()), ctx.actor.id,
                                 *values, *version);
  if (!after.ok()) return fail(after.status());
  return case_response(ctx.services, *after, ctx.actor);
}

HttpResponse post_case_assign(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"owner", "version"}); !s.ok()) return fail(s);
  const json::value* owner = body->if_contains("owner");
  if (!owner || !owner->is_string() || owner->get_string().empty()) {
    return fail(invalid_argument("owner must be a person id (a string)", {"owner"}));
  }
  auto version = version_of(*body);
  if (!version.ok()) return fail(version.status());
  auto id = case_id_param(ctx);
  if (!id.ok()) return fail(id.status());
  auto after = ctx.services.engine.assign(*id, PersonId(std::string(owner->get_string())),
                                          ctx.actor.id, *version);
  if (!after.ok()) return fail(after.status());
  return case_response(ctx.services, *after, ctx.actor);
}

HttpResponse post_case_claim(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, true);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"version"}); !s.ok()) return fail(s);
  auto version = version_of(*body);
  if (!version.ok()) return fail(version.status());
  auto id = case_id_param(ctx);
  if (!id.ok()) return fail(id.status());
  auto after = ctx.services.engine.claim(*id, ctx.actor.id, *version);
  if (!after.ok()) return fail(after.status());
  return case_response(ctx.services, *after, ctx.actor);
}

HttpResponse get_my_tasks(const RequestContext& ctx) {
  if (!ctx.request.query().empty()) {
    return fail(invalid_argument("GET /v1/me/tasks takes no query parameters"));
  }
  Engine& engine = ctx.services.engine;
  const Instant now = engine.clock().now();
  CaseFilter mine;
  mine.owner = ctx.actor.id;
  mine.open_only = true;
  mine.by_due = true;
  auto owned = engine.list_cases(mine);
  if (!owned.ok()) return fail(owned.status());
  std::vector<Case> claimable;
  for (Role r : ctx.actor.roles) {
    CaseFilter queue;
    queue.queue = role_name(r);
    queue.by_due = true;
    auto cases = engine.list_cases(queue);
    if (!cases.ok()) return fail(cases.status());
    claimable.insert(claimable.end(), cases->begin(), cases->end());
  }
  std::stable_sort(claimable.begin(), claimable.end(), [](const Case& a, const Case& b) {
    return std::make_pair(due_key(a), a.id.value) < std::make_pair(due_key(b), b.id.value);
  });
  unsigned char buffer[32 * 1024];
  json::monotonic_resource arena(buffer, sizeof buffer);
  json::object o(json::storage_ptr{&arena});
  o["person"] = person_to_json(ctx.actor);
  o["owned"] = cases_json(*owned, ctx.services, o.storage());
  o["claimable"] = cases_json(claimable, ctx.services, o.storage());
  if (ctx.actor.has_role(Role::kOpsLead)) {
    // The ops lead's desk: work nobody owns, work past its deadline, and
    // the escalated part of it (a deadline missed), each by due date.
    CaseFilter unassigned;
    unassigned.unowned_only = true;
    unassigned.by_due = true;
    unassigned.limit = kOpsListLimit;
    auto u = engine.list_cases(unassigned);
    if (!u.ok()) return fail(u.status());
    CaseFilter overdue;
    overdue.overdue_at = now;
    overdue.by_due = true;
    overdue.limit = kOpsListLimit;
    auto od = engine.list_cases(overdue);
    if (!od.ok()) return fail(od.status());
    std::vector<Case> escalated;
    for (const Case& c : *od) {
      if (due_key(c) == std::numeric_limits<std::int64_t>::min()) escalated.push_back(c);
    }
    o["unassigned"] = cases_json(*u, ctx.services, o.storage());
    o["overdue"] = cases_json(*od, ctx.services, o.storage());
    o["escalated"] = cases_json(escalated, ctx.services, o.storage());
  }
  return json_response(200, o);
}

}  // namespace turnaround::api

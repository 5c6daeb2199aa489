// GET /healthz, GET /metrics, GET and POST /v1/people.

#include <boost/json.hpp>

#include "api/codec/case_json.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"
#include "api/http/metrics.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

// A read of the database that touches a table: the health check.
Status database_check(Store& store) {
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  return txn->next_timer_due().status();
}

StoreGauges read_gauges(Store& store) {
  StoreGauges g;
  auto txn = store.begin(TxnMode::kRead);
  if (!txn.ok()) return g;
  auto states = (*txn)->open_cases_by_state();
  auto pending = (*txn)->pending_timer_count();
  if (!states.ok() || !pending.ok()) return g;
  g.ok = true;
  g.open_cases_by_state = std::move(*states);
  g.timers_pending = *pending;
  return g;
}

// Collects the problems of a POST /v1/people body.
struct Problems {
  std::vector<std::string> fields;
  std::string message;
  void add(const std::string& field, const std::string& why) {
    fields.push_back(field);
    message += (message.empty() ? "" : "; ") + field + ": " + why;
  }
};

Result<Person> person_from_json(const json::object& o) {
  TA_RETURN_IF_ERROR(check_keys(o, {"id", "name", "roles", "teams", "capacity", "active"}));
  Person p;
  Problems bad;
  const json::value* id = o.if_contains("id");
  if (!id || !id->is_string() || !valid_person_id(id->get_string())) {
    bad.add("id", "a person id is required (letters, digits, . _ - @; at most 100 characters)");
  } else {
    p.id = PersonId(std::string(id->get_string()));
  }
  const json::value* name = o.if_contains("name");
  if (!name || !name->is_string() || name->get_string().empty()) {
    bad.add("name", "a non-empty string is required");
  } else {
    p.name = std::string(name->get_string());
  }
  const json::value* roles = o.if_contains("roles");
  if (!roles || !roles->is_array() || roles->get_array().empty()) {
    bad.add("roles", "a non-empty array of role names is required");
  } else {
    for (const auto& r : roles->get_array()) {
      auto role = r.is_string() ? parse_role(r.get_string()) : std::nullopt;
      if (!role) {
        bad.add("roles", "unknown role " + json::serialize(r) +
                             " (ops_lead, executive, owner, analyst, admin, ingest)");
        break;
      }
      p.roles.push_back(*role);
    }
  }
  if (const json::value* teams = o.if_contains("teams"); teams && !teams->is_null()) {
    bool ok = teams->is_array();
    if (ok) {
      for (const auto& t : teams->get_array()) {
        if (!t.is_string()) ok = false;
        else p.teams.emplace_back(t.get_string());
      }
    }
    if (!ok) bad.add("teams", "must be an array of strings");
  }
  if (const json::value* cap = o.if_contains("capacity"); cap && !cap->is_null()) {
    if (!cap->is_int64() || cap->get_int64() < 0 || cap->get_int64() > 1000000) {
      bad.add("capacity", "must be a non-negative integer (0 = unlimited)");
    } else {
      p.capacity = static_cast<int>(cap->get_int64());
    }
  }
  if (const json::value* active = o.if_contains("active"); active && !active->is_null()) {
    if (!active->is_bool()) bad.add("active", "must be true or false");
    else p.active = active->get_bool();
  }
  if (!bad.fields.empty()) return invalid_argument(bad.message, bad.fields);
  return p;
}

}  // namespace

HttpResponse get_healthz(const RequestContext& ctx) {
  json::object o;
  if (Status s = database_check(ctx.services.store); !s.ok()) {
    o["status"] = "unavailable";
    o["database"] = s.message();
    return json_response(503, o);
  }
  o["status"] = "ok";
  o["database"] = "ok";
  o["time"] = format_instant(ctx.services.engine.clock().now());
  return json_response(200, o);
}

HttpResponse get_metrics(const RequestContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  const StoreGauges gauges = read_gauges(ctx.services.store);
  r.body = ctx.services.metrics ? ctx.services.metrics->render(gauges) : Metrics().render(gauges);
  return r;
}

HttpResponse get_people(const RequestContext& ctx) {
  if (!ctx.request.query().empty()) {
    return fail(invalid_argument("GET /v1/people takes no query parameters"));
  }
  auto people = ctx.services.engine.people();
  if (!people.ok()) return fail(people.status());
  json::array arr;
  for (const auto& p : *people) arr.emplace_back(person_to_json(p));
  json::object o;
  o["people"] = std::move(arr);
  return json_response(200, o);
}

HttpResponse post_people(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  auto person = person_from_json(*body);
  if (!person.ok()) return fail(person.status());
  auto txn = ctx.services.store.begin(TxnMode::kWrite);
  if (!txn.ok()) return fail(txn.status());
  if (Status s = (*txn)->upsert_person(*person); !s.ok()) return fail(s);
  if (Status s = (*txn)->commit(); !s.ok()) return fail(s);
  return json_response(200, person_to_json(*person));
}

}  // namespace turnaround::api

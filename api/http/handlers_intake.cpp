// POST /v1/responses and POST /v1/churn-events: planning a body into items
// (parsed with the JSON Lines import's rules, api/io/jsonl_reader.h) and
// turning the Engine's per-item results into the response.

#include <boost/json.hpp>

#include "api/codec/intake_json.h"
#include "api/codec/json_input.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"
#include "api/io/jsonl_reader.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

std::string id_of(const json::object& o, RecordKind kind) {
  const json::value* v = o.if_contains(kind == RecordKind::kResponse ? "response_id" : "customer_id");
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return "";
}

// Plans one item of the body (index `i`).
void plan_item(IntakePlan& plan, RecordBuilder& builder, std::size_t i, const json::value& item) {
  const int index = static_cast<int>(i);
  if (!item.is_object()) {
    plan.rejected[i] = RowError{index, "each item must be a JSON object", {}};
    return;
  }
  const json::object& o = item.get_object();
  plan.ids[i] = id_of(o, plan.kind);
  ParsedRow row;
  map_json_object(o, index, builder, row);
  if (const RowError* e = row.error()) {
    RowError err = *e;
    for (const auto& kv : o) {  // unknown keys are at fault too
      if (!parse_field(plan.kind, kv.key())) err.fields.emplace_back(kv.key());
    }
    plan.rejected[i] = std::move(err);
  } else if (const Response* r = row.response()) {
    plan.responses.push_back({index, *r});
  } else if (const ChurnEvent* c = row.churn()) {
    plan.churn.push_back({index, *c});
  }
}

}  // namespace

Result<IntakePlan> plan_intake(RecordKind kind, std::string_view body, std::size_t max_items) {
  std::string error;
  json::value v = parse_json_input(body, error);
  if (!error.empty()) return invalid_argument(error);
  IntakePlan plan;
  plan.kind = kind;
  json::array items;
  if (v.is_object()) {
    plan.single = true;
    items.emplace_back(std::move(v));
  } else if (v.is_array()) {
    items = std::move(v.get_array());
    if (items.empty()) return invalid_argument("the array of items is empty");
    if (items.size() > max_items) {
      return resource_exhausted("too many items in one request (" + std::to_string(items.size()) +
                                "; at most " + std::to_string(max_items) + ")");
    }
  } else {
    return invalid_argument("the body must be a JSON object or an array of objects");
  }
  plan.rejected.resize(items.size());
  plan.ids.resize(items.size());
  RecordBuilder builder(kind, TimeReader());
  for (std::size_t i = 0; i < items.size(); ++i) plan_item(plan, builder, i, items[i]);
  return plan;
}

Result<std::vector<IntakeItemResult>> ingest_now(Engine& engine, const IntakePlan& plan) {
  if (!plan.responses.empty()) return engine.ingest_responses(plan.responses);
  if (!plan.churn.empty()) return engine.ingest_churn(plan.churn);
  return std::vector<IntakeItemResult>{};
}

HttpResponse intake_response(const IntakePlan& plan,
                             const Result<std::vector<IntakeItemResult>>& results) {
  if (!results.ok()) return fail(results.status());
  const std::size_t n = plan.rejected.size();
  std::vector<const IntakeItemResult*> by_index(n, nullptr);
  for (const auto& r : *results) {
    if (r.line >= 0 && static_cast<std::size_t>(r.line) < n) by_index[static_cast<std::size_t>(r.line)] = &r;
  }
  ImportSummary summary;
  json::array items;
  items.reserve(n);
  Status first_error;
  const char* id_key = plan.kind == RecordKind::kResponse ? "response_id" : "customer_id";
  for (std::size_t i = 0; i < n; ++i) {
    IntakeItemResult r;
    r.line = static_cast<std::int64_t>(i);
    if (plan.rejected[i]) {
      r.outcome = IntakeOutcome::kRejected;
      r.error = invalid_argument(plan.rejected[i]->message, plan.rejected[i]->fields);
    } else if (by_index[i]) {
      r = *by_index[i];
    } else {
      r.outcome = IntakeOutcome::kRejected;
      r.error = internal_error("the engine returned no result for this item");
    }
    summary.add(r);
    json::object o;
    o["index"] = static_cast<std::int64_t>(i);
    o[id_key] = plan.ids[i].empty() ? json::value(nullptr) : json::value(plan.ids[i]);
    o["outcome"] = intake_outcome_name(r.outcome);
    o["case_id"] = r.case_id.valid() ? json::value(r.case_id.value) : json::value(nullptr);
    if (r.outcome == IntakeOutcome::kRejected) {
      o["error"] = error_object(r.error);
      if (first_error.ok()) first_error = r.error;
    }
    items.emplace_back(std::move(o));
  }
  json::object body;
  body["results"] = std::move(items);
  body["summary"] = import_summary_to_json(summary);
  if (plan.single && !first_error.ok()) {
    body["error"] = error_object(first_error);
    return json_response(http_status(first_error.code()), body);
  }
  return json_response(200, body);
}

}  // namespace turnaround::api

// The helpers shared by the handlers_*.cpp files (handler_util.h).

#include "api/http/handler_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

#include "api/codec/case_json.h"
#include "api/codec/issue_json.h"
#include "api/codec/json_input.h"
#include "api/http/errors.h"

namespace turnaround::api {

namespace json = boost::json;

std::optional<std::int64_t> positive_integer(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

HttpResponse fail(const Status& s) { return error_response(s); }

Result<json::object> object_body(std::string_view body, bool allow_empty) {
  std::size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
  if (i == body.size()) {
    if (allow_empty) return json::object();
    return invalid_argument("the request needs a JSON object body");
  }
  std::string error;
  json::value v = parse_json_input(body, error);
  if (!error.empty()) return invalid_argument(error);
  if (!v.is_object()) return invalid_argument("the body must be a JSON object");
  return std::move(v.get_object());
}

Status check_keys(const json::object& o, const std::vector<std::string_view>& known) {
  std::vector<std::string> unknown;
  for (const auto& kv : o) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) unknown.emplace_back(kv.key());
  }
  if (unknown.empty()) return Status();
  std::string names, expected;
  for (const auto& u : unknown) names += (names.empty() ? "'" : ", '") + u + "'";
  for (const auto& k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
  return invalid_argument("unknown field(s) " + names + " (expected: " + expected + ")", unknown);
}

Result<std::optional<std::int64_t>> version_of(const json::object& o) {
  auto it = o.find("version");
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
  if (it->value().is_int64()) return std::optional<std::int64_t>(it->value().get_int64());
  if (it->value().is_uint64() && it->value().get_uint64() < (1ull << 62)) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(it->value().get_uint64()));
  }
  return invalid_argument("version must be an integer (the case's version you last saw)", {"version"});
}

Result<CaseId> case_id_param(const RequestContext& ctx) {
  auto it = ctx.params.find("id");
  const std::string text = it == ctx.params.end() ? "" : it->second;
  auto id = positive_integer(text);
  if (!id) return invalid_argument("case id must be a positive integer, not '" + text + "'", {"id"});
  return CaseId(*id);
}

bool sees_all_cases(const Person& p) {
  return p.has_role(Role::kOpsLead) || p.has_role(Role::kAnalyst);
}

bool may_see(const Person& p, const Case& c) {
  if (sees_all_cases(p)) return true;
  if (!c.owner.empty()) return c.owner == p.id;
  auto role = parse_role(c.queue);
  return role && p.has_role(*role);
}

void add_case_summary(json::object& o, const Case& c, const Services& s) {
  const WorkflowDefinition* wf = s.engine.registry().get(c.workflow, c.workflow_version);
  const StateDef* st = wf ? wf->state(c.state) : nullptr;
  o["workflow_label"] = wf && !wf->label.empty() ? wf->label : c.workflow;
  o["state_label"] = st && !st->label.empty() ? st->label : c.state;
  const std::int64_t key = due_key(c);
  const bool missed = key == std::numeric_limits<std::int64_t>::min();
  std::optional<Instant> due;
  for (const auto& d : c.deadlines) {
    if (!d.done && d.status == DeadlineStatus::kPending && !d.paused_at && (!due || d.due_at < *due)) {
      due = d.due_at;
    }
  }
  if (due && c.is_open()) o["due_at"] = format_instant(*due);
  else o["due_at"] = nullptr;
  o["deadline_missed"] = missed;
  const CompanyConfig& company = s.engine.company();
  o["danger_zone"] = c.score.has_value() && company.danger_zone(*c.score);
  o["heavy_hitter"] = company.heavy_hitter(c.arr);
}

namespace {

json::array event_forms(const Case& c, const std::vector<std::string>& events, const Services& s,
                        json::storage_ptr sp) {
  json::array out(sp);
  const WorkflowDefinition* wf = s.engine.registry().get(c.workflow, c.workflow_version);
  if (!wf) return out;
  for (const auto& event : events) {
    json::object e(sp);
    e["event"] = event;
    std::string label, to;
    std::vector<std::string> required;
    for (const TransitionDef* t : wf->transitions(c.state, event)) {
      if (label.empty()) label = t->label;
      if (to.empty()) to = t->to;
      for (const auto& f : t->requires_fields) {
        if (std::find(required.begin(), required.end(), f) == required.end()) required.push_back(f);
      }
    }
    e["label"] = label.empty() ? event : label;
    e["to"] = to;
    const StateDef* target = wf->state(to);
    e["to_label"] = target && !target->label.empty() ? target->label : to;
    json::array fields(sp);
    for (const auto& name : required) {
      const FieldDef* def = wf->field(name);
      json::object f(sp);
      f["name"] = name;
      f["type"] = def ? field_type_name(def->type) : "text";
      f["label"] = def && !def->label.empty() ? def->label : name;
      f["required"] = true;
      if (def && (def->type == FieldType::kTheme || def->type == FieldType::kThemes)) {
        json::array options(sp);
        for (const auto& theme : s.engine.company().themes) options.emplace_back(json::string(theme, sp));
        f["options"] = std::move(options);
      }
      fields.emplace_back(std::move(f));
    }
    e["fields"] = std::move(fields);
    out.emplace_back(std::move(e));
  }
  return out;
}

}  // namespace

HttpResponse case_response(Services& s, const Case& c, const Person& viewer) {
  std::vector<std::string> allowed;
  if (auto events = s.engine.allowed_events(c, viewer); events.ok()) allowed = std::move(*events);
  // What the web page adds to the case (labels, the next due instant, the
  // comments, a form per allowed event) is a small tree; the case itself is
  // written directly (case_json_text: the same bytes as case_to_json, no
  // tree), and the small tree's members are spliced in before its last brace.
  unsigned char buffer[8 * 1024];
  json::monotonic_resource arena(buffer, sizeof buffer);
  json::object extra{json::storage_ptr(&arena)};
  add_case_summary(extra, c, s);
  json::array responses(extra.storage());
  {
    auto txn = s.store.begin(TxnMode::kRead);
    if (!txn.ok()) return fail(txn.status());
    auto rows = (*txn)->case_responses(c);
    if (!rows.ok()) return fail(rows.status());
    for (const Response& r : *rows) {
      json::object j(extra.storage());
      j["response_id"] = r.response_id.value;
      j["score"] = r.score;
      j["comment"] = r.comment;
      j["responded_at"] = format_instant(r.responded_at);
      responses.emplace_back(std::move(j));
    }
    auto issues = Engine::case_issues(**txn, c.id);
    if (!issues.ok()) return fail(issues.status());
    extra["issues"] = case_issues_to_json(*issues, extra.storage());
  }
  extra["responses_detail"] = std::move(responses);
  extra["events"] = event_forms(c, allowed, s, extra.storage());
  HttpResponse r;
  r.status = 200;
  r.body = case_json_text(c, s.engine.clock().now(), true, &allowed);
  const std::string more = json::serialize(extra);  // {"workflow_label":...}
  r.body.pop_back();                                // the case object's '}'
  r.body += ',';
  r.body.append(more, 1, std::string::npos);        // its members and '}'
  r.body += '\n';
  return r;
}

}  // namespace turnaround::api

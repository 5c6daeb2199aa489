// The helpers shared by the handlers_*.cpp files (handler_util.h).

#include "api/http/handler_util.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "api/codec/case_json.h"
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
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return invalid_argument("invalid JSON: " + ec.message());
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

HttpResponse case_response(Services& s, const Case& c, const Person& viewer) {
  std::vector<std::string> allowed;
  if (auto events = s.engine.allowed_events(c, viewer); events.ok()) allowed = std::move(*events);
  // Written directly (case_json_text), not through a JSON tree: the same
  // bytes as json_response(200, case_to_json(...) + allowed_events).
  HttpResponse r;
  r.status = 200;
  r.body = case_json_text(c, s.engine.clock().now(), true, &allowed);
  r.body += '\n';
  return r;
}

}  // namespace turnaround::api

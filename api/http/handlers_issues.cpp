// Top-five issues: POST /v1/issues, GET /v1/issues, GET /v1/issues/candidates,
// GET /v1/issues/top, GET /v1/issues/{id}, POST /v1/issues/{id}/links.
// The issue's own events go through POST /v1/cases/{id}/events.

#include <boost/json.hpp>

#include "api/codec/issue_json.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

// The optional string `key` of `o`: "" when absent or null.
Result<std::string> optional_string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) {
    return invalid_argument(std::string(key) + " must be a string", {std::string(key)});
  }
  return std::string(v->get_string());
}

Result<CaseId> issue_id_param(const RequestContext& ctx) {
  auto it = ctx.params.find("id");
  const std::string text = it == ctx.params.end() ? "" : it->second;
  auto id = positive_integer(text);
  if (!id) return invalid_argument("issue id must be a positive integer, not '" + text + "'", {"id"});
  return CaseId(*id);
}

HttpResponse issue_list_response(const Result<std::vector<IssueView>>& issues, Instant now) {
  if (!issues.ok()) return fail(issues.status());
  json::object o;
  json::array arr;
  for (const auto& v : *issues) arr.emplace_back(issue_to_json(v, now, false));
  o["issues"] = std::move(arr);
  return json_response(200, o);
}

}  // namespace

HttpResponse post_issue(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"theme", "segment", "title", "workflow"}); !s.ok()) return fail(s);
  OpenIssueRequest req;
  req.actor = ctx.actor.id;
  std::vector<std::pair<std::string_view, std::string*>> fields = {
      {"theme", &req.theme}, {"segment", &req.segment}, {"title", &req.title}, {"workflow", &req.workflow}};
  for (auto& [key, out] : fields) {
    auto v = optional_string(*body, key);
    if (!v.ok()) return fail(v.status());
    *out = std::move(*v);
  }
  if (req.theme.empty()) return fail(invalid_argument("theme is required (a theme of the taxonomy)", {"theme"}));
  auto v = ctx.services.engine.open_issue(req);
  if (!v.ok()) return fail(v.status());
  return json_response(201, issue_to_json(*v, ctx.services.engine.clock().now(), true));
}

HttpResponse get_issues(const RequestContext& ctx) {
  auto params = parse_query(ctx.request.query());
  if (!params.ok()) return fail(params.status());
  bool open_only = false;
  for (const auto& [k, v] : *params) {
    if (k == "open" && (v.empty() || v == "true" || v == "1")) open_only = true;
    else if (k == "open" && (v == "false" || v == "0")) open_only = false;
    else if (k == "open") return fail(invalid_argument("open must be true or false, not '" + v + "'", {"open"}));
    else return fail(invalid_argument("unknown query parameter '" + k + "' (known: open)", {k}));
  }
  Engine& engine = ctx.services.engine;
  return issue_list_response(engine.issues(open_only), engine.clock().now());
}

HttpResponse get_top_issues(const RequestContext& ctx) {
  auto params = parse_query(ctx.request.query());
  if (!params.ok()) return fail(params.status());
  std::size_t limit = 5;
  for (const auto& [k, v] : *params) {
    if (k != "limit") return fail(invalid_argument("unknown query parameter '" + k + "' (known: limit)", {k}));
    auto n = positive_integer(v);
    if (!n || *n > 100) return fail(invalid_argument("limit must be a number from 1 to 100", {"limit"}));
    limit = static_cast<std::size_t>(*n);
  }
  Engine& engine = ctx.services.engine;
  return issue_list_response(engine.top_issues(limit), engine.clock().now());
}

HttpResponse get_issue_candidates(const RequestContext& ctx) {
  if (!ctx.request.query().empty()) {
    return fail(invalid_argument("GET /v1/issues/candidates takes no query parameters"));
  }
  auto cands = ctx.services.engine.issue_candidates();
  if (!cands.ok()) return fail(cands.status());
  json::object o;
  json::array arr;
  for (const auto& c : *cands) arr.emplace_back(candidate_to_json(c));
  o["candidates"] = std::move(arr);
  return json_response(200, o);
}

HttpResponse get_issue(const RequestContext& ctx) {
  auto id = issue_id_param(ctx);
  if (!id.ok()) return fail(id.status());
  auto v = ctx.services.engine.issue(*id, true);
  if (!v.ok()) return fail(v.status());
  return json_response(200, issue_to_json(*v, ctx.services.engine.clock().now(), true));
}

HttpResponse post_issue_links(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"case_id", "all_matching"}); !s.ok()) return fail(s);
  auto id = issue_id_param(ctx);
  if (!id.ok()) return fail(id.status());
  const json::value* one = body->if_contains("case_id");
  const json::value* all = body->if_contains("all_matching");
  bool all_matching = all && all->is_bool() && all->get_bool();
  if (all && !all->is_bool()) {
    return fail(invalid_argument("all_matching must be true or false", {"all_matching"}));
  }
  if ((one != nullptr) == all_matching) {
    return fail(invalid_argument("give exactly one of case_id and \"all_matching\": true",
                                 {"case_id", "all_matching"}));
  }
  std::optional<CaseId> case_id;
  if (one) {
    if (!one->is_int64() || one->get_int64() <= 0) {
      return fail(invalid_argument("case_id must be a positive integer", {"case_id"}));
    }
    case_id = CaseId(one->get_int64());
  }
  auto r = ctx.services.engine.link_to_issue(*id, case_id, ctx.actor.id);
  if (!r.ok()) return fail(r.status());
  return json_response(200, link_result_to_json(*r));
}

}  // namespace turnaround::api

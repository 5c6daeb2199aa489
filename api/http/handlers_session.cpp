// POST /v1/session (sign in), GET /v1/session (who am I, and what the page
// needs to draw its filters), DELETE /v1/session (sign out).

#include <boost/json.hpp>

#include "api/codec/case_json.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"
#include "api/http/web_session.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(json::string(s));
  return out;
}

json::object company_json(const CompanyConfig& company) {
  json::object o;
  o["name"] = company.name;
  o["time_zone"] = company.time_zone;
  std::vector<std::string> segments;
  for (const auto& s : company.segments) segments.push_back(s.name);
  o["segments"] = string_array(segments);
  o["themes"] = string_array(company.themes);
  o["priorities"] = string_array({"low", "normal", "high", "urgent"});
  o["danger_zone_max"] = company.danger_zone_max;
  return o;
}

json::array workflows_json(const WorkflowRegistry& registry) {
  json::array out;
  for (const auto& name : registry.names()) {
    const WorkflowDefinition* wf = registry.latest(name);
    if (!wf) continue;
    json::object w;
    w["name"] = wf->name;
    w["label"] = wf->label.empty() ? wf->name : wf->label;
    w["version"] = wf->version;
    json::array states;
    for (const auto& st : wf->states) {
      json::object s;
      s["name"] = st.name;
      s["label"] = st.label.empty() ? st.name : st.label;
      s["terminal"] = st.terminal;
      states.push_back(std::move(s));
    }
    w["states"] = std::move(states);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

HttpResponse post_session(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"token"}); !s.ok()) return fail(s);
  const json::value* token = body->if_contains("token");
  if (!token || !token->is_string() || token->get_string().empty()) {
    return fail(invalid_argument("token must be an API token (a string)", {"token"}));
  }
  // Login CSRF: a cross-site page must not sign the browser in either.
  if (Status s = check_same_origin(ctx.request); !s.ok()) return fail(s);
  const Instant now = ctx.services.engine.clock().now();
  auto session = start_session(ctx.services.store, std::string_view(token->get_string()), now);
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kUnauthenticated) {
      return fail(unauthenticated("that token is not a live API token of an active person"));
    }
    return fail(session.status());
  }
  json::object o;
  o["person"] = person_to_json(session->person);
  o["expires_at"] = format_instant(session->expires_at);
  HttpResponse res = json_response(200, o);
  res.headers.emplace_back("Set-Cookie", session_cookie(session->secret, kSessionLifetime));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

HttpResponse get_session(const RequestContext& ctx) {
  json::object o;
  o["person"] = person_to_json(ctx.actor);
  const bool bearer = !ctx.request.authorization.empty();
  o["via"] = bearer ? "bearer" : "cookie";
  o["expires_at"] = nullptr;
  if (!bearer) {
    auto session = current_session(ctx.services.store, ctx.request, ctx.services.engine.clock().now());
    if (!session.ok()) return fail(session.status());
    if (*session) o["expires_at"] = format_instant((*session)->expires_at);
  }
  o["now"] = format_instant(ctx.services.engine.clock().now());
  o["company"] = company_json(ctx.services.engine.company());
  o["workflows"] = workflows_json(ctx.services.engine.registry());
  HttpResponse res = json_response(200, o);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

HttpResponse delete_session(const RequestContext& ctx) {
  auto ended = end_session(ctx.services.store, ctx.request);
  if (!ended.ok()) return fail(ended.status());
  if (!*ended) {
    return fail(invalid_argument(
        "no session cookie to sign out; bearer tokens are revoked with `turnaround user token "
        "revoke`"));
  }
  json::object o;
  o["signed_out"] = true;
  HttpResponse res = json_response(200, o);
  res.headers.emplace_back("Set-Cookie", cleared_session_cookie());
  return res;
}

}  // namespace turnaround::api

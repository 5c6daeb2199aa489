// Web sessions without a socket: the Cookie header, the cross-site rules,
// and a session's life on the fake clock (valid for 12 hours, as its
// person with that person's roles, then 401), through dispatch() as the
// server runs it.

#include "api/http/web_session.h"
#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

using api::HttpRequest;

TEST_CASE("WebSession.CookieValue") {
  CHECK(api::cookie_value("ta_session=abc", "ta_session") == "abc");
  CHECK(api::cookie_value("a=1; ta_session=abc ; b=2", "ta_session") == "abc");
  CHECK(api::cookie_value("a=1;ta_session=", "ta_session") == "");
  CHECK(!api::cookie_value("xta_session=abc; ta_sessionx=1", "ta_session"));
  CHECK(!api::cookie_value("", "ta_session"));
  CHECK(!api::cookie_value("ta_session", "ta_session"));
}

TEST_CASE("WebSession.SameOriginRules") {
  HttpRequest r;
  r.method = "POST";
  r.host = "127.0.0.1:8080";
  CHECK(api::check_same_origin(r).code() == StatusCode::kPermissionDenied);  // no header
  r.requested_with = "XMLHttpRequest";
  CHECK(api::check_same_origin(r).code() == StatusCode::kPermissionDenied);  // not ours
  r.requested_with = "turnaround";
  CHECK(api::check_same_origin(r).ok());  // no Origin (same-origin GET-like fetch)
  r.origin = "http://127.0.0.1:8080";
  CHECK(api::check_same_origin(r).ok());
  r.origin = "http://127.0.0.1:9090";
  CHECK(api::check_same_origin(r).code() == StatusCode::kPermissionDenied);
  r.origin = "null";
  CHECK(api::check_same_origin(r).code() == StatusCode::kPermissionDenied);
  r.origin = "";
  r.fetch_site = "cross-site";
  CHECK(api::check_same_origin(r).code() == StatusCode::kPermissionDenied);
  r.fetch_site = "same-origin";
  CHECK(api::check_same_origin(r).ok());
  CHECK(api::state_changing("POST"));
  CHECK(api::state_changing("DELETE"));
  CHECK(!api::state_changing("GET"));
  CHECK(!api::state_changing("HEAD"));
}

TEST_CASE("WebSession.LivesTwelveHoursAsItsPerson") {
  ApiFixture f;
  auto session = api::start_session(f.store, f.tokens.at("ana.analyst"), f.clock.now());
  REQUIRE(session.ok());
  CHECK(session->person.id.value == "ana.analyst");
  CHECK(session->expires_at == f.clock.now() + api::kSessionLifetime);
  CHECK(session->secret != f.tokens.at("ana.analyst"));
  CHECK(api::well_formed_token(session->secret));
  CHECK(api::start_session(f.store, "ta_nonsense", f.clock.now()).status().code() == StatusCode::kUnauthenticated);
  CHECK(api::start_session(f.store, f.tokens.at("gone"), f.clock.now()).status().code() ==
        StatusCode::kUnauthenticated);  // inactive person

  auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.cookie = std::string(api::kSessionCookie) + "=" + session->secret;
    req.requested_with = "turnaround";
    auto m = api::Router::standard().match(method, req.path());
    if (auto* res = std::get_if<api::HttpResponse>(&m)) return *res;
    return api::dispatch(req, std::get<api::RouteMatch>(m), f.services).response;
  };
  CHECK(call("GET", "/v1/cases").status == 200);
  CHECK(call("GET", "/v1/people").status == 200);
  // The analyst's roles, not more: writes are refused by the route table.
  CHECK(call("POST", "/v1/cases/1/claim", "{}").status == 403);
  CHECK(call("GET", "/v1/me/tasks").status == 403);

  f.clock.advance(api::kSessionLifetime - std::chrono::seconds(1));
  CHECK(call("GET", "/v1/cases").status == 200);
  f.clock.advance(std::chrono::seconds(1));
  auto expired = call("GET", "/v1/cases");
  CHECK(expired.status == 401);
  CHECK(ApiFixture::error_code(expired) == "unauthenticated");
}

}  // namespace
}  // namespace turnaround::testing

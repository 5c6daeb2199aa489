// Route matching, 404/405 and query strings (api/http/router.h).
#include "api/http/router.h"

#include <doctest/doctest.h>

#include <set>

namespace turnaround::api {
namespace {

std::string matched(std::string_view method, std::string_view path) {
  auto m = Router::standard().match(method, path);
  if (auto* res = std::get_if<HttpResponse>(&m)) return std::to_string(res->status);
  const RouteMatch& rm = std::get<RouteMatch>(m);
  std::string out = rm.route->method + " " + rm.route->pattern;
  for (const auto& [k, v] : rm.params) out += " " + k + "=" + v;
  return out;
}

TEST_CASE("Router.MatchesPatternsAndCapturesParameters") {
  CHECK(matched("GET", "/healthz") == "GET /healthz");
  CHECK(matched("GET", "/v1/cases") == "GET /v1/cases");
  CHECK(matched("GET", "/v1/cases/17") == "GET /v1/cases/{id} id=17");
  CHECK(matched("POST", "/v1/cases/17/events") == "POST /v1/cases/{id}/events id=17");
  CHECK(matched("POST", "/v1/cases/x/claim") == "POST /v1/cases/{id}/claim id=x");
  CHECK(matched("POST", "/v1/responses") == "POST /v1/responses");
  CHECK(matched("GET", "/v1/me/tasks") == "GET /v1/me/tasks");
}

TEST_CASE("Router.UnknownPathIs404AndWrongMethodIs405") {
  CHECK(matched("GET", "/") == "404");
  CHECK(matched("GET", "/v1/cases/") == "404");
  CHECK(matched("GET", "/v1/cases/1/2") == "404");
  CHECK(matched("GET", "/v1") == "404");
  CHECK(matched("GET", "/v1/cases/17/") == "404");
  CHECK(matched("GET", "//v1/cases") == "404");
  CHECK(matched("GET", "/healthz/") == "404");
  CHECK(matched("GET", "") == "404");
  CHECK(matched("POST", "/v1/cases//claim") == "404");
  CHECK(matched("GET", "/v2/cases") == "404");
  CHECK(matched("GET", "/v1/reviews/2026-11/agenda") == "GET /v1/reviews/{month}/agenda month=2026-11");
  CHECK(matched("GET", "/v1/reviews/2026-11") == "404");
  CHECK(matched("DELETE", "/v1/cases/1") == "405");
  CHECK(matched("GET", "/v1/responses") == "405");
  auto m = Router::standard().match("PUT", "/v1/people");
  auto& res = std::get<HttpResponse>(m);
  CHECK(res.status == 405);
  REQUIRE(res.headers.size() == 1);
  CHECK(res.headers[0].first == "Allow");
  CHECK(res.headers[0].second == "GET, POST");
  CHECK(res.body.find("\"code\":\"method_not_allowed\"") != std::string::npos);
}

TEST_CASE("Router.TableIsWellFormed") {
  std::set<std::string> ops, keys;
  for (const Route& r : Router::standard().routes()) {
    CHECK(ops.insert(r.operation_id).second);
    CHECK(keys.insert(r.method + " " + r.pattern).second);
    if (r.kind == RouteKind::kPublic) CHECK(r.roles.empty());
    else CHECK(!r.roles.empty());
    if (r.kind != RouteKind::kIntake) CHECK(static_cast<bool>(r.handler));
    CHECK(r.writes == (r.method != "GET"));
    if (r.inline_read) CHECK(!r.writes);
  }
  // Only bounded reads may run on the I/O threads: one case, the health check.
  std::set<std::string> inline_reads;
  for (const Route& r : Router::standard().routes()) {
    if (r.inline_read) inline_reads.insert(r.method + " " + r.pattern);
  }
  CHECK(inline_reads == std::set<std::string>{"GET /healthz", "GET /v1/cases/{id}"});
}

TEST_CASE("Router.QueryStrings") {
  auto q = parse_query("state=callback&owner=lena.owner&segment=mid%2Dmarket&x=a+b&flag&&");
  REQUIRE(q.ok());
  REQUIRE(q->size() == 5);
  CHECK((*q)[0] == std::pair<std::string, std::string>("state", "callback"));
  CHECK((*q)[2].second == "mid-market");
  CHECK((*q)[3].second == "a b");
  CHECK((*q)[4] == std::pair<std::string, std::string>("flag", ""));
  CHECK(!parse_query("a=%zz").ok());
  CHECK(!parse_query("a=%2").ok());
  CHECK(parse_query("").ok());
}

}  // namespace
}  // namespace turnaround::api

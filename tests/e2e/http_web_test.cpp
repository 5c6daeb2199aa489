// The web page's server side through the real `turnaround serve` on
// 127.0.0.1: the embedded assets (types, ETag and 304, security headers,
// weight), and the session cookie: sign-in, the cookie's attributes, its
// checks on every request (roles, cross-site rules), sign-out, token
// revocation, and bearer tokens still working beside it.
#include "tests/e2e/http_server.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;

struct Site {
  Cli cli;
  std::map<std::string, std::string> token;
  Site() {
    cli.init();
    for (const char* id : {"jonas.ops", "clara.ceo", "ana.analyst"}) token[id] = token_for(cli, id);
    token["bot"] = add_user_with_token(cli, "bot", {"ingest"});
  }
};

// The cookie "ta_session=..." of a Set-Cookie value (its first part).
std::string cookie_of(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

TEST_CASE("HttpWeb.AssetsAreEmbeddedWithTypesEtagsAndAStrictPolicy") {
  Site s;
  Server server(s.cli);
  HttpClient c(server.port());
  auto index = c.get("/");
  REQUIRE(index.status == 200);
  CHECK(index.headers["content-type"] == "text/html; charset=utf-8");
  CHECK(index.body.find("/assets/app.js") != std::string::npos);
  const std::string csp = index.headers["content-security-policy"];
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(index.headers["x-content-type-options"] == "nosniff");
  CHECK(index.headers["cache-control"] == "no-cache");
  const std::string etag = index.headers["etag"];
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  // Revalidation: the same ETag gives 304 with no body.
  auto again = c.request("GET", "/", "", "", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(c.request("GET", "/", "", "", {{"If-None-Match", "\"other\""}}).status == 200);
  // Each asset with its type; unknown ones 404; only GET.
  std::size_t weight = index.body.size();
  for (const auto& [path, type] : std::vector<std::pair<std::string, std::string>>{
           {"/assets/app.js", "text/javascript; charset=utf-8"},
           {"/assets/api.js", "text/javascript; charset=utf-8"},
           {"/assets/ui.js", "text/javascript; charset=utf-8"},
           {"/assets/state.js", "text/javascript; charset=utf-8"},
           {"/assets/board.js", "text/javascript; charset=utf-8"},
           {"/assets/case.js", "text/javascript; charset=utf-8"},
           {"/assets/work.js", "text/javascript; charset=utf-8"},
           {"/assets/style.css", "text/css; charset=utf-8"},
           {"/assets/icon.svg", "image/svg+xml"}}) {
    auto r = c.get(path);
    INFO(path);
    CHECK(r.status == 200);
    CHECK(r.headers["content-type"] == type);
    CHECK(!r.headers["etag"].empty());
    CHECK(!r.headers["content-security-policy"].empty());
    weight += r.body.size();
  }
  CHECK(weight < 300 * 1024);  // the page's weight before data
  CHECK(c.get("/favicon.ico").headers["content-type"] == "image/svg+xml");
  CHECK(c.get("/assets/nope.js").status == 404);
  CHECK(c.get("/assets/../index.html").status == 404);
  auto post = c.post("/", "");
  CHECK(post.status == 405);
  CHECK(post.headers["allow"] == "GET");
  // The API is untouched: JSON errors, no page.
  CHECK(c.get("/v1/nope").error_code() == "not_found");
}

TEST_CASE("HttpWeb.SessionCookieActsAsItsPersonWithCrossSiteChecks") {
  Site s;
  Server server(s.cli);
  HttpClient c(server.port());
  REQUIRE(c.post("/v1/responses", response_json("E1", "ENT-1", 2, "enterprise", 300000), s.token["bot"]).status == 200);
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  const std::string origin = "http://" + host;
  const std::map<std::string, std::string> page = {
      {"Host", host}, {"Origin", origin}, {"X-Requested-With", "turnaround"}};
  auto with = [](std::map<std::string, std::string> h, const std::string& k, const std::string& v) {
    h[k] = v;
    return h;
  };
  const std::string sign_in = "{\"token\":\"" + s.token["clara.ceo"] + "\"}";

  // Signing in needs the page's header and origin (no login CSRF).
  CHECK(c.request("POST", "/v1/session", sign_in, "", {{"Host", host}}).status == 403);
  CHECK(c.request("POST", "/v1/session", sign_in, "", with(page, "Origin", "http://evil.example")).status == 403);
  auto bad = c.request("POST", "/v1/session", "{\"token\":\"ta_" + std::string(43, 'x') + "\"}", "", page);
  CHECK(bad.status == 401);
  CHECK(bad.headers.count("set-cookie") == 0);
  CHECK(c.request("POST", "/v1/session", "{\"token\":5}", "", page).error_code() == "invalid_argument");

  auto in = c.request("POST", "/v1/session", sign_in, "", page);
  REQUIRE(in.status == 200);
  CHECK(in.json().at("person").at("id") == "clara.ceo");
  const std::string set_cookie = in.headers["set-cookie"];
  CHECK(set_cookie.starts_with("ta_session=ta_"));
  CHECK(set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("; Path=/") != std::string::npos);
  CHECK(set_cookie.find("; Max-Age=43200") != std::string::npos);
  CHECK(set_cookie.find(s.token["clara.ceo"]) == std::string::npos);
  const std::string cookie = cookie_of(set_cookie);
  const auto session = with(page, "Cookie", "theme=dark; " + cookie);

  // Reads with the cookie act as clara.ceo, with her roles and row rules.
  auto me = c.request("GET", "/v1/session", "", "", {{"Cookie", cookie}});
  REQUIRE(me.status == 200);
  CHECK(me.json().at("via") == "cookie");
  CHECK(me.json().at("person").at("id") == "clara.ceo");
  CHECK(me.json().at("expires_at").is_string());
  CHECK(me.json().at("company").at("segments").as_array().size() > 0);
  CHECK(c.request("GET", "/v1/me/tasks", "", "", {{"Cookie", cookie}}).status == 200);
  CHECK(c.request("GET", "/v1/people", "", "", {{"Cookie", cookie}}).status == 403);
  CHECK(c.request("GET", "/v1/cases?owner=jonas.ops", "", "", {{"Cookie", cookie}}).status == 403);

  // Writes with the cookie need the header, no cross-site Origin or Sec-Fetch-Site.
  auto forged = c.request("POST", "/v1/cases/1/claim", "{}", "", {{"Host", host}, {"Cookie", cookie}});
  CHECK(forged.status == 403);
  CHECK(forged.body.find("X-Requested-With") != std::string::npos);
  CHECK(c.request("POST", "/v1/cases/1/claim", "{}", "", with(session, "Origin", "http://evil.example")).status == 403);
  CHECK(c.request("POST", "/v1/cases/1/claim", "{}", "", with(session, "Sec-Fetch-Site", "cross-site")).status == 403);
  CHECK(c.request("POST", "/v1/cases/1/claim", "{}", "", with(session, "Sec-Fetch-Site", "same-site")).status == 403);
  CHECK(c.get("/v1/cases/1", s.token["jonas.ops"]).json().at("owner").is_null());
  auto claimed = c.request("POST", "/v1/cases/1/claim", "{}", "", with(session, "Sec-Fetch-Site", "same-origin"));
  CHECK(claimed.status == 200);
  CHECK(claimed.json().at("owner") == "clara.ceo");

  // An analyst's session reads but may not change anything.
  auto ana = c.request("POST", "/v1/session", "{\"token\":\"" + s.token["ana.analyst"] + "\"}", "", page);
  REQUIRE(ana.status == 200);
  const auto ana_session = with(page, "Cookie", cookie_of(ana.headers["set-cookie"]));
  CHECK(c.request("GET", "/v1/cases/1", "", "", ana_session).status == 200);
  CHECK(c.request("POST", "/v1/cases/1/events", "{\"event\":\"log_call\"}", "", ana_session).status == 403);
  CHECK(c.request("POST", "/v1/cases/1/assign", "{\"owner\":\"clara.ceo\"}", "", ana_session).status == 403);

  // A bearer token wins over a cookie and needs no page header (tools).
  auto bearer = c.request("GET", "/v1/session", "", s.token["jonas.ops"], {{"Cookie", cookie}});
  CHECK(bearer.json().at("person").at("id") == "jonas.ops");
  CHECK(bearer.json().at("via") == "bearer");
  CHECK(c.request("DELETE", "/v1/session", "", s.token["jonas.ops"]).status == 400);

  // Signing out ends the session: the cookie stops working.
  auto out = c.request("DELETE", "/v1/session", "", "", session);
  CHECK(out.status == 200);
  CHECK(out.headers["set-cookie"].find("Max-Age=0") != std::string::npos);
  CHECK(c.request("GET", "/v1/me/tasks", "", "", {{"Cookie", cookie}}).status == 401);
  CHECK(c.request("DELETE", "/v1/session", "", "", session).status == 401);
  // A malformed or unknown cookie is 401, like a bad token.
  CHECK(c.request("GET", "/v1/cases", "", "", {{"Cookie", "ta_session=nonsense"}}).status == 401);
  CHECK(c.request("GET", "/v1/cases", "", "", {{"Cookie", "ta_session=ta_" + std::string(43, 'A')}}).status == 401);

  // Revoking the token a session was made from ends the session too.
  CHECK(c.request("GET", "/v1/cases", "", "", ana_session).status == 200);
  s.cli.ok({"user", "token", "revoke", "ana.analyst", "--db", s.cli.db});
  CHECK(c.request("GET", "/v1/cases", "", "", ana_session).status == 401);

  // Neither the token nor the cookie reaches the log.
  CHECK(server.stop() == 0);
  const std::string log = server.stderr_text();
  CHECK(log.find(cookie.substr(11)) == std::string::npos);
  CHECK(log.find(s.token["clara.ceo"]) == std::string::npos);
}

}  // namespace
}  // namespace turnaround::testing

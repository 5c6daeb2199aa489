// The real `turnaround serve` over HTTP on 127.0.0.1: every endpoint, tokens
// made and revoked by the CLI while the server runs, keep-alive, the role
// matrix, bad input over the wire, and concurrent events on one case.
#include <atomic>
#include <thread>

#include "tests/e2e/http_server.h"
#include "tests/support/http_role_matrix.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

// A database with the example company, tokens for the people the tests use
// and two extra people (an admin, the survey tool).
struct Company {
  Cli cli;
  std::map<std::string, std::string> token;
  Company() {
    cli.init();
    token["bot"] = add_user_with_token(cli, "bot", {"ingest"});
    token["adm"] = add_user_with_token(cli, "adm", {"admin"});
    for (const char* id : {"jonas.ops", "ines.ops", "clara.ceo", "mehmet.cro", "lena.owner", "ana.analyst"}) {
      token[id] = token_for(cli, id);
    }
  }
};

TEST_CASE("Http.HealthAuthAndTokenRevocation") {
  Company co;
  Server server(co.cli);
  HttpClient c(server.port());
  auto health = c.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json().at("database") == "ok");
  CHECK(health.headers["content-type"] == "application/json");
  // No token, a malformed one, an unknown one: 401.
  CHECK(c.get("/v1/cases").status == 401);
  CHECK(c.get("/v1/cases").error_code() == "unauthenticated");
  CHECK(c.get("/v1/cases", "nonsense").status == 401);
  CHECK(c.get("/v1/cases", "ta_" + std::string(43, 'x')).status == 401);
  CHECK(c.request("GET", "/v1/cases", "", "", {{"Authorization", "Basic YTpi"}}).status == 401);
  // A good token works; revoked by the CLI while the server runs, it stops.
  CHECK(c.get("/v1/cases", co.token["ana.analyst"]).status == 200);
  CHECK(co.cli.ok({"user", "revoke-token", "ana.analyst", "--db", co.cli.db}).find("revoked 1") !=
        std::string::npos);
  auto revoked = c.get("/v1/cases", co.token["ana.analyst"]);
  CHECK(revoked.status == 401);
  CHECK(revoked.body.find(co.token["ana.analyst"]) == std::string::npos);
  // A new token for the same person works; `user token revoke` is the other spelling.
  const std::string fresh = token_for(co.cli, "ana.analyst");
  CHECK(c.get("/v1/cases", fresh).status == 200);
  co.cli.ok({"user", "token", "revoke", "ana.analyst", "--db", co.cli.db});
  CHECK(c.get("/v1/cases", fresh).status == 401);
  // Tokens never reach the log.
  CHECK(server.stop() == 0);
  const std::string log = server.stderr_text();
  for (const auto& [id, t] : co.token) CHECK(log.find(t) == std::string::npos);
  CHECK(log.find("\"route\":\"/v1/cases\",\"status\":401") != std::string::npos);
  CHECK(log.find("\"actor\":\"ana.analyst\"") != std::string::npos);
}

TEST_CASE("Http.EveryEndpointOnOneKeepAliveConnection") {
  Company co;
  Server server(co.cli);
  HttpClient c(server.port());
  const int port = c.local_port();
  // Intake: one object, then an array with a duplicate.
  auto one = c.post("/v1/responses", response_json("E1", "ENT-1", 2, "enterprise", 300000), co.token["bot"]);
  REQUIRE(one.status == 200);
  CHECK(one.json().at("results").at(0).at("outcome") == "opened");
  const auto id = one.json().at("results").at(0).at("case_id").as_int64();
  auto many = c.post("/v1/responses",
                     "[" + response_json("E1", "ENT-1", 2, "enterprise", 300000) + "," +
                         response_json("S1", "SMB-1", 5) + "," + response_json("P1", "SMB-2", 10) + "]",
                     co.token["bot"]);
  REQUIRE(many.status == 200);
  CHECK(many.json().at("summary").at("duplicates").as_int64() == 1);
  CHECK(many.json().at("summary").at("cases_opened").as_int64() == 1);
  CHECK(many.json().at("summary").at("recorded").as_int64() == 1);
  // Cases: list, show, claim, fire, assign.
  auto list = c.get("/v1/cases?limit=1", co.token["ines.ops"]);
  REQUIRE(list.status == 200);
  CHECK(list.json().at("cases").as_array().size() == 1);
  CHECK(list.json().at("next_cursor") == "1");
  auto next = c.get("/v1/cases?limit=1&cursor=1", co.token["ines.ops"]);
  CHECK(next.json().at("cases").at(0).at("id").as_int64() == 2);
  CHECK(next.json().at("next_cursor").is_null());
  auto tasks = c.get("/v1/me/tasks", co.token["clara.ceo"]);
  REQUIRE(tasks.status == 200);
  CHECK(tasks.json().at("claimable").at(0).at("id").as_int64() == id);
  auto claimed = c.post("/v1/cases/" + std::to_string(id) + "/claim", "", co.token["clara.ceo"]);
  REQUIRE(claimed.status == 200);
  CHECK(claimed.json().at("owner") == "clara.ceo");
  auto fired = c.post("/v1/cases/" + std::to_string(id) + "/events",
                      R"({"event":"log_call","version":2,"data":{"callback_notes":"Charged twice","themes":["billing"]}})",
                      co.token["clara.ceo"]);
  REQUIRE(fired.status == 200);
  CHECK(fired.json().at("state") == "root_cause");
  auto assigned = c.post("/v1/cases/" + std::to_string(id) + "/assign", R"({"owner":"paul.owner"})",
                         co.token["jonas.ops"]);
  REQUIRE(assigned.status == 200);
  CHECK(assigned.json().at("owner") == "paul.owner");
  auto shown = c.get("/v1/cases/" + std::to_string(id), co.token["ana.analyst"]);
  REQUIRE(shown.status == 200);
  std::vector<std::string> events;
  const json::value shown_json = shown.json();
  for (const auto& h : shown_json.at("history").as_array()) events.emplace_back(h.at("event").as_string());
  CHECK(std::find(events.begin(), events.end(), "claimed") != events.end());
  CHECK(std::find(events.begin(), events.end(), "log_call") != events.end());
  CHECK(std::find(events.begin(), events.end(), "assigned") != events.end());
  // The CLI sees the same case.
  auto cli_view = co.cli.json({"cases", "show", std::to_string(id), "--db", co.cli.db});
  CHECK(cli_view.at("owner") == "paul.owner");
  // Churn, people, metrics.
  auto churn = c.post("/v1/churn-events", R"({"customer_id":"SMB-1","lost_at":"2026-11-01T00:00:00Z","reason":"price","arr":5000})",
                      co.token["bot"]);
  CHECK(churn.status == 200);
  auto person = c.post("/v1/people", R"({"id":"zoe","name":"Zoë","roles":["owner"],"teams":["smb"]})", co.token["adm"]);
  CHECK(person.status == 200);
  auto people = c.get("/v1/people", co.token["adm"]);
  CHECK(people.body.find("\"zoe\"") != std::string::npos);
  auto metrics = c.get("/metrics", co.token["ines.ops"]);
  REQUIRE(metrics.status == 200);
  CHECK(metrics.headers["content-type"].starts_with("text/plain"));
  CHECK(metrics.body.find("turnaround_http_requests_total{method=\"POST\",route=\"/v1/responses\",status=\"200\"} 2") !=
        std::string::npos);
  CHECK(metrics.body.find("turnaround_ingest_batch_items_count") != std::string::npos);
  CHECK(metrics.body.find("turnaround_open_cases{state=") != std::string::npos);
  CHECK(metrics.body.find("turnaround_timers_pending") != std::string::npos);
  // Unknown route and method.
  CHECK(c.get("/v1/nothing", co.token["ines.ops"]).status == 404);
  auto wrong = c.request("DELETE", "/v1/cases/1", "", co.token["ines.ops"]);
  CHECK(wrong.status == 405);
  CHECK(wrong.headers["allow"] == "GET");
  // All of it on one connection.
  CHECK(c.local_port() == port);
  CHECK(server.stop() == 0);
}

TEST_CASE("Http.RoleMatrix") {
  Company co;
  Server server(co.cli);
  HttpClient c(server.port());
  REQUIRE(c.post("/v1/responses", response_json("E1", "ENT-1", 2, "enterprise", 300000), co.token["bot"]).status == 200);
  std::map<std::string, std::string> tokens = co.token;
  tokens["lena.owner"] = co.token["lena.owner"];
  for (const RoleExpectation& e : role_matrix()) {
    for (const auto& [letter, person] : matrix_people()) {
      auto r = c.request(e.method, e.target, e.body, tokens.at(person));
      const bool allowed = std::string(e.allowed).find(letter) != std::string::npos;
      INFO(e.method << " " << e.target << " as " << person << " -> " << r.status << " " << r.body);
      if (allowed) {
        CHECK(r.status != 401);
        CHECK(r.status != 403);
      } else {
        CHECK(r.status == 403);
        CHECK(r.error_code() == "permission_denied");
      }
    }
    if (!public_route(e)) CHECK(c.request(e.method, e.target, e.body).status == 401);
  }
  auto unchanged = c.get("/v1/cases/1", co.token["ines.ops"]);
  CHECK(unchanged.json().at("version").as_int64() == 1);
}

TEST_CASE("Http.BadInputGetsFieldErrorsAndChangesNothing") {
  Company co;
  Server server(co.cli);
  HttpClient c(server.port());
  REQUIRE(c.post("/v1/responses", response_json("E1", "ENT-1", 2, "enterprise", 300000), co.token["bot"]).status == 200);
  REQUIRE(c.post("/v1/cases/1/claim", "", co.token["clara.ceo"]).status == 200);
  const std::string before = c.get("/v1/cases/1", co.token["ines.ops"]).body;
  struct Bad {
    std::string target, body;
    int status;
    std::string code;
    std::vector<std::string> fields;
  };
  auto item = [](const std::string& key, const std::string& value) {
    json::object o = json::parse(response_json("N1", "SMB-1", 4)).as_object();
    if (value.empty()) o.erase(key);
    else o[key] = json::parse(value);
    return json::serialize(o);
  };
  const Bad cases[] = {
      {"/v1/responses", "{\"response_id\": ", 400, "invalid_argument", {}},            // malformed JSON
      {"/v1/responses", item("score", "\"five\""), 400, "invalid_argument", {"score"}},  // wrong type
      {"/v1/responses", item("customer_id", ""), 400, "invalid_argument", {"customer_id"}},  // missing
      {"/v1/responses", item("mood", "\"grim\""), 400, "invalid_argument", {"mood"}},    // unknown field
      {"/v1/responses", item("score", "11"), 400, "invalid_argument", {"score"}},
      {"/v1/responses", item("responded_at", "\"2026-11-01T09:00:00\""), 400, "invalid_argument", {"responded_at"}},
      // A repeated key: Boost.JSON would keep the last one, a promoter's 10.
      {"/v1/responses", item("score", "3").substr(0, item("score", "3").size() - 1) + ",\"score\":10}", 400,
       "invalid_argument", {}},
      {"/v1/cases/1/events", R"({"event":"log_call","event":"record_action"})", 400, "invalid_argument", {}},
      {"/v1/cases/99/events", R"({"event":"log_call"})", 404, "not_found", {}},
      {"/v1/cases/1/events", R"({"event":"record_action"})", 409, "failed_precondition", {}},
      {"/v1/cases/1/events", R"({"event":"log_call","version":1,"data":{"callback_notes":"x","themes":["billing"]}})",
       409, "aborted", {}},
      {"/v1/cases/1/events", R"({"event":"log_call","data":{"callback_notes":"x"}})", 400, "invalid_argument", {"themes"}},
  };
  for (const Bad& b : cases) {
    const std::string who = b.target == "/v1/responses" ? "bot" : "clara.ceo";
    auto r = c.post(b.target, b.body, co.token[who]);
    INFO(b.target << " " << b.body << " -> " << r.status << " " << r.body);
    CHECK(r.status == b.status);
    CHECK(r.error_code() == b.code);
    const json::value body = r.json();
    const auto& e = body.at("error").as_object();
    CHECK((e.contains("fields") ? strings(e.at("fields")) : std::vector<std::string>{}) == b.fields);
    if (b.code == "failed_precondition") {
      auto allowed = strings(e.at("allowed"));
      CHECK(std::find(allowed.begin(), allowed.end(), "log_call") != allowed.end());
    }
  }
  CHECK(c.get("/v1/cases/1", co.token["ines.ops"]).body == before);
  auto cases_now = c.get("/v1/cases", co.token["ines.ops"]).json();
  CHECK(cases_now.at("cases").as_array().size() == 1);  // no response was stored
}

TEST_CASE("Http.ConcurrentEventsOnOneCaseExactlyOneWins") {
  Company co;
  Server server(co.cli);
  {
    HttpClient c(server.port());
    REQUIRE(c.post("/v1/responses", response_json("E1", "ENT-1", 2, "enterprise", 300000), co.token["bot"]).status == 200);
    REQUIRE(c.post("/v1/cases/1/claim", "", co.token["clara.ceo"]).status == 200);
  }
  for (int round = 0; round < 3; ++round) {
    HttpClient probe(server.port());
    const auto version = probe.get("/v1/cases/1", co.token["ines.ops"]).json().at("version").as_int64();
    const std::string event = round % 2 == 0 ? R"("wait_for_customer","data":{"waiting_for":"x"})"
                                             : R"("customer_responded")";
    const std::string body = R"({"event":)" + event + R"(,"version":)" + std::to_string(version) + "}";
    constexpr int kThreads = 8;
    std::vector<int> statuses(kThreads);
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < kThreads; ++i) clients.push_back(std::make_unique<HttpClient>(server.port()));
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        while (!go) std::this_thread::yield();
        statuses[i] = clients[i]->post("/v1/cases/1/events", body, co.token["clara.ceo"]).status;
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    INFO("round " << round);
    CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
    CHECK(std::count(statuses.begin(), statuses.end(), 409) == kThreads - 1);
    CHECK(probe.get("/v1/cases/1", co.token["ines.ops"]).json().at("version").as_int64() == version + 1);
  }
}

}  // namespace
}  // namespace turnaround::testing

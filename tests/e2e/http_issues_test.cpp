// Top-five issues through the real `turnaround serve` on 127.0.0.1: open an
// issue, automatic and explicit links, candidates, the issue's events through
// /v1/cases/{id}/events, close-the-loop tasks for the linked cases, and the
// errors over the wire. (Who may call which route: the role matrix in
// http_api_test.cpp covers the issue routes too.)
#include "tests/e2e/http_server.h"

namespace turnaround::testing {
namespace {

struct IssueCompany {
  Cli cli;
  std::map<std::string, std::string> token;
  IssueCompany() {
    cli.init();
    token["bot"] = add_user_with_token(cli, "bot", {"ingest"});
    for (const char* id : {"jonas.ops", "clara.ceo", "lena.owner", "ana.analyst"}) {
      token[id] = token_for(cli, id);
    }
  }
};

std::string event_json(const std::string& event, const boost::json::object& data) {
  boost::json::object o;
  o["event"] = event;
  o["data"] = data;
  return boost::json::serialize(o);
}

}  // namespace

TEST_CASE("Http.TopFiveIssues") {
  IssueCompany co;
  Server server(co.cli);
  HttpClient c(server.port());
  const std::string ops = co.token["jonas.ops"];
  auto in = c.post("/v1/responses",
                   "[" + response_json("S1", "SMB-1", 5) + "," + response_json("S2", "SMB-2", 3, "smb", 8000) +
                       "," + response_json("M1", "MID-1", 4, "mid-market", 50000) + "]",
                   co.token["bot"]);
  REQUIRE(in.status == 200);
  // Case 1's themes are recorded before the issue exists.
  auto logged = c.post("/v1/cases/1/events",
                       event_json("log_call", {{"callback_notes", "x"}, {"themes", boost::json::array{"billing"}}}), ops);
  REQUIRE(logged.status == 200);

  // Bad input and wrong roles.
  auto bad = c.post("/v1/issues", R"({"theme":"weather"})", ops);
  CHECK(bad.status == 400);
  CHECK(bad.json().at("error").at("fields").at(0) == "theme");
  CHECK(c.post("/v1/issues", R"({"theme":"billing","segment":"mars"})", ops).status == 400);
  CHECK(c.post("/v1/issues", R"({"theme":"billing","colour":"red"})", ops).status == 400);
  CHECK(c.post("/v1/issues", R"({"theme":"billing"})", co.token["clara.ceo"]).status == 403);
  CHECK(c.post("/v1/issues", R"({"theme":"billing"})", co.token["lena.owner"]).status == 403);

  auto opened = c.post("/v1/issues", R"({"theme":"billing","title":"Invoices"})", ops);
  REQUIRE(opened.status == 201);
  const auto id = opened.json().at("id").as_int64();
  const std::string base = "/v1/issues/" + std::to_string(id);
  CHECK(opened.json().at("title") == "Invoices");
  CHECK(opened.json().at("segment").is_null());
  CHECK(opened.json().at("state") == "root_cause");
  auto dup = c.post("/v1/issues", R"({"theme":"billing"})", ops);
  CHECK(dup.status == 409);
  CHECK(dup.error_code() == "already_exists");

  // Case 2 links automatically when its themes are recorded; case 1 explicitly.
  REQUIRE(c.post("/v1/cases/2/events",
                 event_json("log_call", {{"callback_notes", "y"}, {"themes", boost::json::array{"billing"}}}), ops)
              .status == 200);
  auto link1 = c.post(base + "/links", R"({"case_id":1})", ops);
  REQUIRE(link1.status == 200);
  CHECK(link1.json().at("linked").at(0).as_int64() == 1);
  CHECK(c.post(base + "/links", R"({"case_id":1,"all_matching":true})", ops).status == 400);
  CHECK(c.post(base + "/links", R"({"case_id":"x"})", ops).status == 400);
  CHECK(c.post(base + "/links", R"({"case_id":1})", co.token["ana.analyst"]).status == 403);
  CHECK(c.post("/v1/issues/999/links", R"({"case_id":1})", ops).status == 404);
  auto all = c.post(base + "/links", R"({"all_matching":true})", ops);
  REQUIRE(all.status == 200);
  CHECK(all.json().at("linked").as_array().empty());
  CHECK(all.json().at("already").as_array().size() == 2);

  // Readers: executives and analysts.
  for (const char* who : {"clara.ceo", "ana.analyst", "jonas.ops"}) {
    CAPTURE(who);
    auto one = c.get(base, co.token[who]);
    REQUIRE(one.status == 200);
    CHECK(one.json().at("cases").as_array().size() == 2);
    CHECK(one.json().at("linked").at("open").as_int64() == 2);
    auto list = c.get("/v1/issues?open=true", co.token[who]);
    REQUIRE(list.status == 200);
    CHECK(list.json().at("issues").as_array().size() == 1);
  }
  CHECK(c.get(base, co.token["lena.owner"]).status == 403);
  CHECK(c.get("/v1/issues/1", ops).status == 404);  // case 1 is not an issue
  CHECK(c.get("/v1/issues?colour=red", ops).status == 400);
  auto cands = c.get("/v1/issues/candidates", co.token["clara.ceo"]);
  REQUIRE(cands.status == 200);
  CHECK(cands.json().at("candidates").at(0).at("theme") == "billing");
  CHECK(cands.json().at("candidates").at(0).at("cases").as_int64() == 2);
  CHECK(cands.json().at("candidates").at(0).at("arr_at_stake").as_double() == 13000);
  CHECK(cands.json().at("candidates").at(0).at("open_issue").as_int64() == id);
  auto top = c.get("/v1/issues/top?limit=5", co.token["ana.analyst"]);
  REQUIRE(top.status == 200);
  CHECK(top.json().at("issues").at(0).at("id").as_int64() == id);
  CHECK(c.get("/v1/issues/top?limit=0", ops).status == 400);

  // The issue's own events, through the cases endpoint, up to the action.
  const std::string events = "/v1/cases/" + std::to_string(id) + "/events";
  REQUIRE(c.post(events, event_json("record_root_cause", {{"root_cause", "a"}}), ops).status == 200);
  REQUIRE(c.post(events, event_json("record_solutions", {{"solutions", "b"}}), ops).status == 200);
  REQUIRE(c.post(events, event_json("submit_proposal", {{"proposal", "c"}, {"budget_amendment", 0}}), ops).status == 200);
  auto wrong = c.post(events, event_json("confirm_fixed", {{"verification_notes", "?"}}), ops);
  CHECK(wrong.status == 409);
  auto action = c.post(events, event_json("record_action", {{"action_taken", "new invoice template"}}), ops);
  REQUIRE(action.status == 200);
  CHECK(action.json().at("state") == "verify");
  for (int cid : {1, 2}) {
    auto linked_case = c.get("/v1/cases/" + std::to_string(cid), ops);
    REQUIRE(linked_case.status == 200);
    CHECK(linked_case.json().at("state") == "close_the_loop");
    CHECK(linked_case.json().at("data").at("issue_action") == "new invoice template");
    REQUIRE(linked_case.json().at("issues").as_array().size() == 1);
    CHECK(linked_case.json().at("issues").at(0).at("id").as_int64() == id);
    CHECK(linked_case.json().at("issues").at(0).at("title") == "Invoices");
    CHECK(linked_case.json().at("issues").at(0).at("how") == (cid == 1 ? "manual" : "auto"));
  }
  CHECK(c.get("/v1/cases/3", ops).json().at("state") == "callback");
  CHECK(c.get("/v1/cases/3", ops).json().at("issues").as_array().empty());
  auto after = c.get(base, ops);
  CHECK(!after.json().at("verification").at("action_done_at").is_null());
  CHECK(server.stop() == 0);
}

}  // namespace turnaround::testing

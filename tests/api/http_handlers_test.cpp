// The handlers through dispatch() (no socket): every endpoint, the role
// matrix, and bad input, which must get a JSON error with a stable code and
// the fields at fault, and change nothing.
#include "api/http/handlers.h"

#include <doctest/doctest.h>

#include "tests/api/http_test_util.h"
#include "tests/support/http_role_matrix.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;
using api::HttpResponse;

std::string str(const json::value& v) { return v.is_null() ? "" : std::string(v.as_string()); }

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

std::vector<std::string> error_fields(const HttpResponse& r) {
  auto v = ApiFixture::json(r);
  const auto& e = v.at("error").as_object();
  return e.contains("fields") ? strings(e.at("fields")) : std::vector<std::string>{};
}

// Opens an enterprise heavy-hitter case: it waits, unowned, in the
// executives' queue.
CaseId open_enterprise(ApiFixture& f, const std::string& customer) {
  return f.open(customer, 2, "enterprise", 300000);
}

// --- The role matrix (tests/support/http_role_matrix.h).

TEST_CASE("HttpHandlers.RoleMatrix") {
  ApiFixture f;
  const CaseId id = open_enterprise(f, "ENT-1");
  REQUIRE(id.value == 1);
  // Every route of the router is in the table.
  CHECK(role_matrix().size() == api::Router::standard().routes().size());
  for (const RoleExpectation& e : role_matrix()) {
    for (const auto& [letter, person] : matrix_people()) {
      HttpResponse r = f.call(e.method, e.target, e.body, person);
      const bool allowed = std::string(e.allowed).find(letter) != std::string::npos;
      INFO(e.method << " " << e.target << " as " << person << " -> " << r.status << " " << r.body);
      if (allowed) {
        CHECK(r.status != 401);
        CHECK(r.status != 403);
      } else {
        CHECK(r.status == 403);
        CHECK(ApiFixture::error_code(r) == "permission_denied");
      }
    }
    if (!public_route(e)) {
      HttpResponse anonymous = f.call(e.method, e.target, e.body);
      INFO(e.method << " " << e.target << " without a token");
      CHECK(anonymous.status == 401);
      CHECK(ApiFixture::error_code(anonymous) == "unauthenticated");
    }
  }
  // Nothing changed the case.
  CHECK(f.get(id).version == 1);
}

TEST_CASE("HttpHandlers.HealthAndMetrics") {
  ApiFixture f;
  HttpResponse h = f.call("GET", "/healthz");
  CHECK(h.status == 200);
  CHECK(str(ApiFixture::json(h).at("database")) == "ok");
  f.open("SMB-1", 5);
  f.metrics.record_request("GET", "/v1/cases/{id}", 200, 0.002);
  HttpResponse m = f.call("GET", "/metrics", "", "ana.analyst");
  CHECK(m.status == 200);
  CHECK(m.content_type.starts_with("text/plain"));
  CHECK(m.body.find("turnaround_http_requests_total{method=\"GET\",route=\"/v1/cases/{id}\",status=\"200\"} 1") !=
        std::string::npos);
  CHECK(m.body.find("turnaround_open_cases{state=\"callback\"} 1") != std::string::npos);
  CHECK(m.body.find("turnaround_timers_pending ") != std::string::npos);
  CHECK(m.body.find("turnaround_http_request_duration_seconds_bucket{route=\"/v1/cases/{id}\",le=\"0.0025\"} 1") !=
        std::string::npos);
}

// --- Intake.

TEST_CASE("HttpHandlers.IngestOneObjectIsIdempotent") {
  ApiFixture f;
  const std::string body = ApiFixture::response_json("R1", "SMB-1", 4);
  HttpResponse first = f.call("POST", "/v1/responses", body, "bot");
  REQUIRE(first.status == 200);
  auto v = ApiFixture::json(first);
  CHECK(str(v.at("results").at(0).at("outcome")) == "opened");
  CHECK(str(v.at("results").at(0).at("response_id")) == "R1");
  const auto case_id = v.at("results").at(0).at("case_id").as_int64();
  CHECK(v.at("summary").at("cases_opened").as_int64() == 1);
  HttpResponse again = f.call("POST", "/v1/responses", body, "bot");
  CHECK(again.status == 200);
  auto w = ApiFixture::json(again);
  CHECK(str(w.at("results").at(0).at("outcome")) == "duplicate");
  CHECK(w.at("summary").at("duplicates").as_int64() == 1);
  CHECK(f.get(CaseId(case_id)).responses.size() == 1);
}

TEST_CASE("HttpHandlers.IngestArrayIsAllOrNothingPerItem") {
  ApiFixture f;
  const std::string body = "[" + ApiFixture::response_json("R1", "SMB-1", 4) + "," +
                           "{\"response_id\":\"R2\",\"customer_id\":\"SMB-2\",\"score\":11,"
                           "\"responded_at\":\"2026-11-01T09:00:00Z\"}," +
                           "17," + ApiFixture::response_json("R3", "SMB-3", 9) + "]";
  HttpResponse r = f.call("POST", "/v1/responses", body, "bot");
  REQUIRE(r.status == 200);
  auto v = ApiFixture::json(r);
  const auto& results = v.at("results").as_array();
  REQUIRE(results.size() == 4);
  CHECK(str(results[0].at("outcome")) == "opened");
  CHECK(str(results[1].at("outcome")) == "rejected");
  CHECK(str(results[1].at("error").at("code")) == "invalid_argument");
  CHECK(strings(results[1].at("error").at("fields")) == std::vector<std::string>{"score"});
  CHECK(str(results[2].at("outcome")) == "rejected");
  CHECK(str(results[3].at("outcome")) == "recorded");  // a promoter opens no case
  CHECK(v.at("summary").at("rejected").as_int64() == 2);
  CHECK(f.engine->list_cases({})->size() == 1);
}

TEST_CASE("HttpHandlers.IngestBadInput") {
  ApiFixture f;
  struct Bad {
    std::string body;
    std::vector<std::string> fields;  // of the (single) item
  };
  const std::string ok_item = ApiFixture::response_json("R1", "SMB-1", 4);
  auto with = [&](const std::string& key, const std::string& value) {
    json::object o = json::parse(ok_item).as_object();
    if (value.empty()) o.erase(key);
    else o[key] = json::parse(value);
    return json::serialize(o);
  };
  const Bad items[] = {
      {with("score", "11"), {"score"}},
      {with("score", "\"five\""), {"score"}},
      {with("score", ""), {"score"}},  // missing
      {with("arr", "\"lots\""), {"arr"}},
      {with("responded_at", "\"2026-11-01T09:00:00\""), {"responded_at"}},  // no offset
      {with("responded_at", "\"yesterday\""), {"responded_at"}},
      {with("customer_id", ""), {"customer_id"}},
      {with("surprise", "1"), {"surprise"}},  // unknown field
  };
  for (const Bad& b : items) {
    HttpResponse r = f.call("POST", "/v1/responses", b.body, "bot");
    INFO(b.body << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(ApiFixture::error_code(r) == "invalid_argument");
    CHECK(error_fields(r) == b.fields);
  }
  // Bodies that are not items at all.
  for (const std::string body : {"", "{", "[1,", "42", "\"text\"", "[]", "null"}) {
    HttpResponse r = f.call("POST", "/v1/responses", body, "bot");
    INFO("body " << body << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(ApiFixture::error_code(r) == "invalid_argument");
  }
  // Nothing was stored: R1 is still new.
  auto txn = f.store.begin(TxnMode::kWrite);
  REQUIRE(txn.ok());
  CHECK(*(*txn)->insert_response(f.response("R1", "SMB-1", 4), f.clock.now()));
}

TEST_CASE("HttpHandlers.ChurnEvents") {
  ApiFixture f;
  const CaseId open = f.open("SMB-9", 3);
  HttpResponse r = f.call("POST", "/v1/churn-events",
                          R"({"customer_id":"SMB-9","lost_at":"2026-11-01T12:00:00+01:00","reason":"price","arr":5000})",
                          "bot");
  REQUIRE(r.status == 200);
  auto v = ApiFixture::json(r);
  CHECK(str(v.at("results").at(0).at("customer_id")) == "SMB-9");
  CHECK(str(v.at("results").at(0).at("outcome")) == "opened");
  CHECK(f.get(open).state == "customer_lost");
  HttpResponse bad = f.call("POST", "/v1/churn-events", R"({"customer_id":"SMB-9","lost_at":"soon"})", "bot");
  CHECK(bad.status == 400);
  CHECK(error_fields(bad) == std::vector<std::string>{"lost_at"});
}

// --- Cases.

TEST_CASE("HttpHandlers.GetCaseShowsHistoryAndTheCallersEvents") {
  ApiFixture f;
  const CaseId id = open_enterprise(f, "ENT-1");
  HttpResponse r = f.call("GET", "/v1/cases/1", "", "ines.ops");
  REQUIRE(r.status == 200);
  auto v = ApiFixture::json(r);
  CHECK(v.at("id").as_int64() == id.value);
  CHECK(str(v.at("state")) == "callback");
  CHECK(str(v.at("queue")) == "executive");
  CHECK(v.at("history").as_array().size() >= 1);
  CHECK(!strings(v.at("allowed_events")).empty());
  // An analyst sees it but may fire nothing.
  auto a = ApiFixture::json(f.call("GET", "/v1/cases/1", "", "ana.analyst"));
  CHECK(strings(a.at("allowed_events")).empty());
  CHECK(f.call("GET", "/v1/cases/99", "", "ines.ops").status == 404);
  CHECK(ApiFixture::error_code(f.call("GET", "/v1/cases/99", "", "ines.ops")) == "not_found");
  HttpResponse bad = f.call("GET", "/v1/cases/abc", "", "ines.ops");
  CHECK(bad.status == 400);
  CHECK(error_fields(bad) == std::vector<std::string>{"id"});
}

TEST_CASE("HttpHandlers.ClaimFireAssign") {
  ApiFixture f;
  const CaseId id = open_enterprise(f, "ENT-1");
  // An owner may not claim from the executives' queue (the engine says so).
  HttpResponse wrong = f.call("POST", "/v1/cases/1/claim", "", "lena.owner");
  CHECK(wrong.status == 403);
  HttpResponse claimed = f.call("POST", "/v1/cases/1/claim", "{\"version\":1}", "clara.ceo");
  REQUIRE(claimed.status == 200);
  auto c = ApiFixture::json(claimed);
  CHECK(str(c.at("owner")) == "clara.ceo");
  CHECK(c.at("version").as_int64() == 2);
  CHECK(ApiFixture::error_code(f.call("POST", "/v1/cases/1/claim", "", "mehmet.cro")) == "failed_precondition");
  // Log the call.
  HttpResponse fired = f.call(
      "POST", "/v1/cases/1/events",
      R"({"event":"log_call","version":2,"data":{"callback_notes":"Double charged","themes":["billing"]}})",
      "clara.ceo");
  REQUIRE(fired.status == 200);
  auto after = ApiFixture::json(fired);
  CHECK(str(after.at("state")) == "root_cause");
  CHECK(str(after.at("data").at("callback_notes")) == "Double charged");
  CHECK(after.at("version").as_int64() > 2);
  // The ops lead reassigns.
  const auto version = after.at("version").as_int64();
  HttpResponse assigned = f.call("POST", "/v1/cases/1/assign",
                                 "{\"owner\":\"paul.owner\",\"version\":" + std::to_string(version) + "}",
                                 "jonas.ops");
  REQUIRE(assigned.status == 200);
  CHECK(str(ApiFixture::json(assigned).at("owner")) == "paul.owner");
  CHECK(f.get(id).owner.value == "paul.owner");
  // Assigning to nobody known is 404; to a person id of the wrong type 400.
  CHECK(f.call("POST", "/v1/cases/1/assign", R"({"owner":"nobody"})", "jonas.ops").status == 404);
  HttpResponse typed = f.call("POST", "/v1/cases/1/assign", R"({"owner":7})", "jonas.ops");
  CHECK(typed.status == 400);
  CHECK(error_fields(typed) == std::vector<std::string>{"owner"});
}

TEST_CASE("HttpHandlers.EventErrorsChangeNothing") {
  ApiFixture f;
  open_enterprise(f, "ENT-1");
  REQUIRE(f.call("POST", "/v1/cases/1/claim", "", "clara.ceo").status == 200);
  const Case before = f.get(CaseId(1));
  struct Bad {
    std::string body;
    int status;
    std::string code;
    std::vector<std::string> fields;
  };
  const Bad cases[] = {
      {"not json", 400, "invalid_argument", {}},
      {"[]", 400, "invalid_argument", {}},
      {"{}", 400, "invalid_argument", {"event"}},
      {R"({"event":7})", 400, "invalid_argument", {"event"}},
      {R"({"event":"log_call","surprise":1})", 400, "invalid_argument", {"surprise"}},
      {R"({"event":"log_call","version":"two"})", 400, "invalid_argument", {"version"}},
      {R"({"event":"log_call","data":[1]})", 400, "invalid_argument", {"data"}},
      // A field the next state requires is missing.
      {R"({"event":"log_call","data":{"callback_notes":"x"}})", 400, "invalid_argument", {"themes"}},
      // Wrong type, unknown field, unknown theme.
      {R"({"event":"log_call","data":{"callback_notes":5,"themes":["billing"]}})", 400, "invalid_argument", {"callback_notes"}},
      {R"({"event":"log_call","data":{"mood":"bad","callback_notes":"x","themes":["billing"]}})", 400, "invalid_argument", {"mood"}},
      {R"({"event":"log_call","data":{"callback_notes":"x","themes":["weather"]}})", 400, "invalid_argument", {"themes"}},
      // Not an event of this state.
      {R"({"event":"record_action"})", 409, "failed_precondition", {}},
      {R"({"event":"no_such_event"})", 409, "failed_precondition", {}},
      // Stale version.
      {R"({"event":"log_call","version":1,"data":{"callback_notes":"x","themes":["billing"]}})", 409, "aborted", {}},
  };
  for (const Bad& b : cases) {
    HttpResponse r = f.call("POST", "/v1/cases/1/events", b.body, "clara.ceo");
    INFO(b.body << " -> " << r.status << " " << r.body);
    CHECK(r.status == b.status);
    CHECK(ApiFixture::error_code(r) == b.code);
    CHECK(error_fields(r) == b.fields);
    if (b.code == "failed_precondition") {
      auto allowed = strings(ApiFixture::json(r).at("error").at("allowed"));
      CHECK(std::find(allowed.begin(), allowed.end(), "log_call") != allowed.end());
    }
  }
  CHECK(f.call("POST", "/v1/cases/42/events", R"({"event":"log_call"})", "clara.ceo").status == 404);
  const Case after = f.get(CaseId(1));
  CHECK(after.version == before.version);
  CHECK(after.state == before.state);
  CHECK(after.history.size() == before.history.size());
}

TEST_CASE("HttpHandlers.ListFiltersAndPagination") {
  ApiFixture f;
  for (int i = 1; i <= 7; ++i) f.open("SMB-" + std::to_string(i), 5);
  open_enterprise(f, "ENT-1");  // case 8
  std::vector<std::int64_t> ids;
  std::string target = "/v1/cases?limit=3&segment=smb";
  for (int page = 0; page < 5; ++page) {
    auto v = ApiFixture::json(f.call("GET", target, "", "ana.analyst"));
    for (const auto& c : v.at("cases").as_array()) ids.push_back(c.at("id").as_int64());
    if (v.at("next_cursor").is_null()) break;
    target = "/v1/cases?limit=3&segment=smb&cursor=" + str(v.at("next_cursor"));
  }
  CHECK(ids == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
  auto queue = ApiFixture::json(f.call("GET", "/v1/cases?queue=executive", "", "ines.ops"));
  REQUIRE(queue.at("cases").as_array().size() == 1);
  CHECK(queue.at("cases").at(0).at("id").as_int64() == 8);
  auto by_state = ApiFixture::json(f.call("GET", "/v1/cases?state=callback&open=true&overdue=false", "", "ines.ops"));
  CHECK(by_state.at("cases").as_array().size() == 8);
  // Bad parameters.
  HttpResponse unknown = f.call("GET", "/v1/cases?colour=red", "", "ines.ops");
  CHECK(unknown.status == 400);
  CHECK(error_fields(unknown) == std::vector<std::string>{"colour"});
  CHECK(error_fields(f.call("GET", "/v1/cases?limit=0", "", "ines.ops")) == std::vector<std::string>{"limit"});
  CHECK(error_fields(f.call("GET", "/v1/cases?limit=501", "", "ines.ops")) == std::vector<std::string>{"limit"});
  CHECK(error_fields(f.call("GET", "/v1/cases?cursor=x", "", "ines.ops")) == std::vector<std::string>{"cursor"});
  CHECK(error_fields(f.call("GET", "/v1/cases?open=maybe", "", "ines.ops")) == std::vector<std::string>{"open"});
  CHECK(f.call("GET", "/v1/cases?state=%zz", "", "ines.ops").status == 400);
}

TEST_CASE("HttpHandlers.OwnersAndExecutivesSeeTheirOwnAndTheirQueues") {
  ApiFixture f;
  const CaseId smb = f.open("SMB-1", 5);
  const std::string owner = f.get(smb).owner.value;
  REQUIRE(!owner.empty());
  open_enterprise(f, "ENT-1");
  // The owner's default list is their own cases.
  auto mine = ApiFixture::json(f.call("GET", "/v1/cases", "", owner));
  REQUIRE(mine.at("cases").as_array().size() == 1);
  CHECK(mine.at("cases").at(0).at("id").as_int64() == smb.value);
  CHECK(f.call("GET", "/v1/cases?owner=ines.ops", "", owner).status == 403);
  CHECK(f.call("GET", "/v1/cases?queue=executive", "", owner).status == 403);
  CHECK(f.call("GET", "/v1/cases/2", "", owner).status == 403);
  CHECK(f.call("GET", "/v1/cases/1", "", owner).status == 200);
  // An executive sees the queue.
  auto queue = ApiFixture::json(f.call("GET", "/v1/cases?queue=executive", "", "clara.ceo"));
  CHECK(queue.at("cases").as_array().size() == 1);
  CHECK(f.call("GET", "/v1/cases/1", "", "clara.ceo").status == 403);
  // Tasks: claimable, then owned once claimed.
  auto tasks = ApiFixture::json(f.call("GET", "/v1/me/tasks", "", "clara.ceo"));
  CHECK(tasks.at("owned").as_array().empty());
  REQUIRE(tasks.at("claimable").as_array().size() == 1);
  CHECK(tasks.at("claimable").at(0).at("id").as_int64() == 2);
  REQUIRE(f.call("POST", "/v1/cases/2/claim", "", "clara.ceo").status == 200);
  tasks = ApiFixture::json(f.call("GET", "/v1/me/tasks", "", "clara.ceo"));
  CHECK(tasks.at("owned").as_array().size() == 1);
  CHECK(tasks.at("claimable").as_array().empty());
  CHECK(str(tasks.at("person").at("id")) == "clara.ceo");
}

TEST_CASE("HttpHandlers.People") {
  ApiFixture f;
  HttpResponse created = f.call(
      "POST", "/v1/people",
      R"({"id":"zoe.owner","name":"Zoë","roles":["owner"],"teams":["smb"],"capacity":10})", "adm");
  REQUIRE(created.status == 200);
  CHECK(str(ApiFixture::json(created).at("id")) == "zoe.owner");
  auto list = ApiFixture::json(f.call("GET", "/v1/people", "", "adm"));
  bool found = false;
  for (const auto& p : list.at("people").as_array()) found = found || str(p.at("id")) == "zoe.owner";
  CHECK(found);
  HttpResponse bad = f.call("POST", "/v1/people",
                            R"({"id":"bad id","name":"","roles":["wizard"],"capacity":-1,"x":1})", "adm");
  CHECK(bad.status == 400);
  CHECK(error_fields(bad) == std::vector<std::string>{"x"});
  bad = f.call("POST", "/v1/people", R"({"id":"bad id","name":"","roles":["wizard"],"capacity":-1})", "adm");
  CHECK(error_fields(bad) == std::vector<std::string>{"id", "name", "roles", "capacity"});
}

}  // namespace
}  // namespace turnaround::testing

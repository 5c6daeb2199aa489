// The top-five issue handlers (handlers_issues.cpp) through dispatch(), no
// socket: bad input gets a JSON error naming the fields at fault and changes
// nothing; the shapes of the answers.
#include <doctest/doctest.h>

#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;
using api::HttpResponse;

std::vector<std::string> fields_of(const HttpResponse& r) {
  std::vector<std::string> out;
  auto v = ApiFixture::json(r);
  if (const auto* f = v.at("error").as_object().if_contains("fields")) {
    for (const auto& s : f->as_array()) out.emplace_back(s.as_string());
  }
  return out;
}

std::size_t issue_count(ApiFixture& f) {
  auto all = f.engine->issues(false);
  REQUIRE(all.ok());
  return all->size();
}

}  // namespace

TEST_CASE("HttpIssues.OpenRefusesBadInputAndChangesNothing") {
  ApiFixture f;
  const char* ops = "jonas.ops";
  struct Bad {
    const char* body;
    std::vector<std::string> fields;
  };
  for (const Bad& b : std::vector<Bad>{
           {R"({})", {"theme"}},
           {R"({"theme":""})", {"theme"}},
           {R"({"theme":7})", {"theme"}},
           {R"({"theme":"weather"})", {"theme"}},
           {R"({"theme":"billing","segment":"mars"})", {"segment"}},
           {R"({"theme":"billing","segment":3})", {"segment"}},
           {R"({"theme":"billing","workflow":"loss-followup"})", {"workflow"}},
           {R"({"theme":"billing","colour":"red"})", {"colour"}},
       }) {
    CAPTURE(b.body);
    HttpResponse r = f.call("POST", "/v1/issues", b.body, ops);
    CHECK(r.status == 400);
    CHECK(ApiFixture::error_code(r) == "invalid_argument");
    CHECK(fields_of(r) == b.fields);
  }
  CHECK(f.call("POST", "/v1/issues", "not json", ops).status == 400);
  CHECK(issue_count(f) == 0);
  // The inactive ops lead is refused at the door.
  CHECK(f.call("POST", "/v1/issues", R"({"theme":"billing"})", "gone").status == 401);
  CHECK(issue_count(f) == 0);
}

TEST_CASE("HttpIssues.OpenLinkAndRead") {
  ApiFixture f;
  CaseId c1 = f.open("S1", 5);
  REQUIRE(f.fire(c1, "log_call", "jonas.ops",
                 {{"callback_notes", Value("x")}, {"themes", Value(Value::List{"delivery"})}})
              .ok());
  HttpResponse opened = f.call("POST", "/v1/issues", R"({"theme":"delivery","segment":"smb"})", "jonas.ops");
  REQUIRE(opened.status == 201);
  auto issue = ApiFixture::json(opened);
  const std::int64_t id = issue.at("id").as_int64();
  CHECK(issue.at("theme") == "delivery");
  CHECK(issue.at("segment") == "smb");
  CHECK(issue.at("title") == "delivery (smb)");
  CHECK(issue.at("linked").at("open").as_int64() == 0);
  CHECK(issue.at("verification").at("after").is_null());
  CHECK(issue.at("verification").at("fell").is_null());
  CHECK(issue.at("cases").as_array().empty());
  CHECK(issue.at("deadlines").as_array().size() == 1);

  const std::string links = "/v1/issues/" + std::to_string(id) + "/links";
  for (const char* body : {R"({})", R"({"case_id":0})", R"({"all_matching":"yes"})",
                           R"({"case_id":1,"all_matching":true})", R"({"case":1})"}) {
    CAPTURE(body);
    CHECK(f.call("POST", links, body, "jonas.ops").status == 400);
  }
  CHECK(f.call("POST", "/v1/issues/abc/links", R"({"case_id":1})", "jonas.ops").status == 400);
  HttpResponse linked = f.call("POST", links, R"({"case_id":)" + std::to_string(c1.value) + "}", "jonas.ops");
  REQUIRE(linked.status == 200);
  CHECK(ApiFixture::json(linked).at("linked").at(0).as_int64() == c1.value);

  HttpResponse one = f.call("GET", "/v1/issues/" + std::to_string(id), "", "clara.ceo");
  REQUIRE(one.status == 200);
  auto v = ApiFixture::json(one);
  REQUIRE(v.at("cases").as_array().size() == 1);
  CHECK(v.at("cases").at(0).at("how") == "manual");
  CHECK(v.at("cases").at(0).at("state") == "root_cause");
  CHECK(v.at("history").as_array().size() == 2);  // opened, case_linked

  HttpResponse list = f.call("GET", "/v1/issues", "", "ana.analyst");
  REQUIRE(list.status == 200);
  auto l = ApiFixture::json(list);
  REQUIRE(l.at("issues").as_array().size() == 1);
  CHECK_FALSE(l.at("issues").at(0).as_object().contains("history"));
  CHECK(f.call("GET", "/v1/issues?open=maybe", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/issues/candidates?x=1", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/issues/top?limit=101", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/issues/0", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/issues/" + std::to_string(c1.value), "", "ana.analyst").status == 404);
  CHECK(f.call("DELETE", "/v1/issues", "", "jonas.ops").status == 405);

  auto cands = ApiFixture::json(f.call("GET", "/v1/issues/candidates", "", "jonas.ops"));
  REQUIRE(cands.at("candidates").as_array().size() == 2);
  CHECK(cands.at("candidates").at(0).at("segment").is_null());
  CHECK(cands.at("candidates").at(0).at("open_issue").is_null());
  CHECK(cands.at("candidates").at(1).at("segment") == "smb");
  CHECK(cands.at("candidates").at(1).at("open_issue").as_int64() == id);
}

}  // namespace turnaround::testing

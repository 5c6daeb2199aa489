// GET /v1/reviews/{month}/agenda and POST /v1/reviews/{month}/reviewed
// through the router and dispatch(), without a socket.
#include "tests/api/http_test_util.h"

namespace turnaround::testing {

TEST_CASE("HttpReviews.AgendaFormatsAndErrors") {
  ApiFixture f;
  f.open("C1", 5);
  auto r = f.call("GET", "/v1/reviews/2026-11/agenda", "", "ana.analyst");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/json");
  auto v = ApiFixture::json(r);
  CHECK(v.at("month") == "2026-11");
  CHECK(v.at("local") == "2026-11-10T15:00:00+01:00");
  CHECK(v.at("frozen") == false);
  CHECK(v.at("detractor_cases").at("opened").at("total") == 1);
  CHECK(v.at("outreach").at("target") == 100);

  auto md = f.call("GET", "/v1/reviews/2026-11/agenda?format=md", "", "clara.ceo");
  CHECK(md.status == 200);
  CHECK(md.content_type == "text/markdown; charset=utf-8");
  CHECK(md.body.starts_with("# Loss review 2026-11"));
  auto html = f.call("GET", "/v1/reviews/2026-11/agenda?format=html&live=true", "", "jonas.ops");
  CHECK(html.content_type == "text/html; charset=utf-8");
  CHECK(html.body.find("<h1>Loss review 2026-11") != std::string::npos);
  auto csv = f.call("GET", "/v1/reviews/2026-11/agenda?format=csv", "", "adm");
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.starts_with("section,group,case_id,"));

  auto bad_month = f.call("GET", "/v1/reviews/2026-13/agenda", "", "ana.analyst");
  CHECK(bad_month.status == 400);
  CHECK(ApiFixture::json(bad_month).at("error").at("fields").at(0) == "month");
  CHECK(f.call("GET", "/v1/reviews/2026-11/agenda?format=pdf", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/reviews/2026-11/agenda?live=maybe", "", "ana.analyst").status == 400);
  CHECK(f.call("GET", "/v1/reviews/2026-11/agenda?x=1", "", "ana.analyst").status == 400);
  // Before the series starts: no meeting that month.
  CHECK(f.call("GET", "/v1/reviews/2025-12/agenda", "", "ana.analyst").status == 404);
  // Owners do not see the company-wide agenda.
  CHECK(f.call("GET", "/v1/reviews/2026-11/agenda", "", "lena.owner").status == 403);
}

TEST_CASE("HttpReviews.MarkReviewed") {
  ApiFixture f;
  CaseId id = f.open("C1", 5);
  auto ok = f.call("POST", "/v1/reviews/2026-11/reviewed",
                   "{\"case_id\": " + std::to_string(id.value) + ", \"notes\": \"discussed\"}",
                   "jonas.ops");
  REQUIRE(ok.status == 200);
  auto history = ApiFixture::json(ok).at("history").as_array();
  CHECK(history.back().at("event") == "reviewed");
  CHECK(history.back().at("data").at("notes") == "discussed");
  CHECK(history.back().at("data").at("month") == "2026-11");

  CHECK(f.call("POST", "/v1/reviews/2026-11/reviewed", "{}", "jonas.ops").status == 400);
  CHECK(f.call("POST", "/v1/reviews/2026-11/reviewed", "{\"case_id\": \"1\"}", "jonas.ops").status == 400);
  CHECK(f.call("POST", "/v1/reviews/2026-11/reviewed", "{\"case_id\": 1, \"x\": 2}", "jonas.ops").status == 400);
  CHECK(f.call("POST", "/v1/reviews/2026-11/reviewed", "{\"case_id\": 999}", "jonas.ops").status == 404);
  auto stale = f.call("POST", "/v1/reviews/2026-11/reviewed",
                      "{\"case_id\": " + std::to_string(id.value) + ", \"version\": 99}", "jonas.ops");
  CHECK(stale.status == 409);
  CHECK(f.call("POST", "/v1/reviews/2026-11/reviewed", "{\"case_id\": 1}", "clara.ceo").status == 403);
}

}  // namespace turnaround::testing

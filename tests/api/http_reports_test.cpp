// GET /v1/reports/... through dispatch() (no socket): the JSON shapes, the
// parameters and their errors. The maths is tested in tests/engine.
#include <doctest/doctest.h>

#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> fields_of(const api::HttpResponse& r) {
  std::vector<std::string> out;
  const json::value v = ApiFixture::json(r);
  const auto& e = v.at("error").as_object();
  if (e.contains("fields")) {
    for (const auto& f : e.at("fields").as_array()) out.emplace_back(f.as_string());
  }
  return out;
}

TEST_CASE("HttpReports.NpsBySegment") {
  ApiFixture f;  // clock: 2026-11-02 09:00 Berlin
  f.open("SMB-1", 3, "smb", 5000);
  f.ingest(f.response("R-P", "SMB-2", 10, "smb", 5000));
  f.ingest(f.response("R-E", "ENT-1", 9, "enterprise", 300000));
  auto r = f.call("GET", "/v1/reports/nps?by=segment&period=month&from=2026-11-01&to=2026-12-01",
                  "", "ana.analyst");
  REQUIRE(r.status == 200);
  const auto v = ApiFixture::json(r);
  CHECK(v.at("report").as_string() == "nps");
  CHECK(v.at("zone").as_string() == "Europe/Berlin");
  CHECK(v.at("from").as_string() == "2026-11-01");
  CHECK(v.at("to").as_string() == "2026-12-01");
  CHECK(v.at("by").as_string() == "segment");
  const auto& rows = v.at("rows").as_array();
  REQUIRE(rows.size() == 3);
  const auto& ent = rows[0].as_object();
  CHECK(ent.at("period").as_string() == "2026-11");
  CHECK(ent.at("segment").as_string() == "enterprise");
  CHECK(ent.at("responses").as_int64() == 1);
  CHECK(ent.at("nps").as_double() == doctest::Approx(100));
  const auto& mid = rows[1].as_object();
  CHECK(mid.at("responses").as_int64() == 0);
  CHECK(mid.at("nps").is_null());
  const auto& smb = rows[2].as_object();
  CHECK(smb.at("promoters").as_int64() == 1);
  CHECK(smb.at("detractors").as_int64() == 1);
  CHECK(smb.at("nps").as_double() == doctest::Approx(0));
  const auto& total = v.at("total").as_object();
  CHECK(total.at("responses").as_int64() == 3);
  // Weighted: promoters hold 305,000 of 310,000 arr.
  CHECK(total.at("weighted_nps").as_double() == doctest::Approx(100.0 * 300000 / 310000).epsilon(0.001));
}

TEST_CASE("HttpReports.EveryKindAnswersWithRows") {
  ApiFixture f;
  f.open("SMB-1", 3, "smb", 5000);
  for (const char* kind : {"nps", "detractors", "themes", "ranking", "timing", "scorecard", "saturation"}) {
    INFO(kind);
    auto r = f.call("GET", std::string("/v1/reports/") + kind, "", "jonas.ops");
    REQUIRE(r.status == 200);
    const auto v = ApiFixture::json(r);
    CHECK(v.at("report").as_string() == kind);
    CHECK(v.at("rows").is_array());
  }
  auto d = ApiFixture::json(f.call("GET", "/v1/reports/detractors", "", "clara.ceo"));
  CHECK(d.at("test").at("name").as_string() == "one-sided two-proportion z-test (pooled)");
  CHECK(d.at("test").at("alpha").as_double() == doctest::Approx(0.05));
  CHECK(d.at("test").at("min_period_responses").as_int64() == 30);
  auto t = ApiFixture::json(f.call("GET", "/v1/reports/timing?by=segment", "", "clara.ceo"));
  CHECK(t.at("workflow").as_string() == "detractor-followup");
  CHECK(t.at("rows").as_array()[0].at("opened").as_int64() == 1);
}

TEST_CASE("HttpReports.BadParametersAre400NamingThem") {
  ApiFixture f;
  struct Case {
    const char* target;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"/v1/reports/nps?period=year", {"period"}},
      {"/v1/reports/nps?by=owner", {"by"}},
      {"/v1/reports/nps?weighted=perhaps", {"weighted"}},
      {"/v1/reports/nps?from=2026-02-30", {"from"}},
      {"/v1/reports/nps?to=yesterday", {"to"}},
      {"/v1/reports/nps?from=2026-12-01&to=2026-11-01", {"from", "to"}},
      {"/v1/reports/nps?foo=1&bar=2", {"bar", "foo"}},
      {"/v1/reports/nps?period=week&period=month", {"period"}},
      {"/v1/reports/themes?period=week", {"period"}},
      {"/v1/reports/themes?segment=galactic", {"segment"}},
      {"/v1/reports/detractors?baseline=0", {"baseline"}},
      {"/v1/reports/detractors?alpha=0.7", {"alpha"}},
      {"/v1/reports/detractors?min_sample=-3", {"min_sample"}},
      {"/v1/reports/saturation?limit=ten", {"limit"}},
  };
  for (const auto& c : cases) {
    INFO(c.target);
    auto r = f.call("GET", c.target, "", "ana.analyst");
    CHECK(r.status == 400);
    CHECK(ApiFixture::error_code(r) == "invalid_argument");
    CHECK(fields_of(r) == c.fields);
  }
  CHECK(f.call("GET", "/v1/reports/churn", "", "ana.analyst").status == 404);
}

}  // namespace
}  // namespace turnaround::testing

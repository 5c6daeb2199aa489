// The reports end to end: `turnaround report ...` on a real database, and
// GET /v1/reports/... from the real server answering the same JSON.
#include "tests/e2e/http_server.h"

namespace turnaround::testing {
namespace {

namespace json = boost::json;

const std::string kNow = "2026-11-20T08:00:00Z";

// The example company with its three months of responses, a few callbacks
// logged and the timers due by kNow fired.
void example_company(Cli& cli) {
  cli.init();
  cli.ok({"import", "responses", std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme/responses.csv",
          "--db", cli.db, "--now", "2026-11-02T08:00:00Z", "--quiet"});
  const char* themes[] = {"billing", "delivery", "pricing and value", "ease of use"};
  for (int id = 1; id <= 8; ++id) {
    cli.ok({"cases", "fire", std::to_string(id), "log_call", "--db", cli.db, "--as", "ines.ops",
            "--set", "callback_notes=called", "--set", std::string("themes=") + themes[id % 4],
            "--now", "2026-11-03T10:00:00Z"});
  }
  cli.ok({"tick", "--db", cli.db, "--now", kNow});
}

TEST_CASE("ReportsCli.EveryReportAndItsErrors") {
  Cli cli;
  example_company(cli);
  // The SPEC's form.
  const std::string table = cli.ok({"report", "nps", "--db", cli.db, "--by", "segment", "--period",
                                    "month", "--format", "table", "--now", kNow});
  CHECK(table.find("PROMOTER PCT") != std::string::npos);
  CHECK(table.find("2026-09  enterprise") != std::string::npos);
  auto nps = cli.json({"report", "nps", "--db", cli.db, "--from", "2026-08-01", "--to",
                       "2026-11-01", "--now", kNow});
  CHECK(nps.at("total").at("responses").as_int64() == 3000);
  CHECK(nps.at("rows").as_array().size() == 3);  // August, September, October
  const std::string csv = cli.ok({"report", "nps", "--db", cli.db, "--period", "quarter",
                                  "--weighted", "--format", "csv", "--now", kNow});
  CHECK(csv.rfind("PERIOD,SEGMENT,RESPONSES", 0) == 0);
  CHECK(csv.find("WEIGHTED NPS") != std::string::npos);
  for (const char* kind : {"detractors", "themes", "ranking", "timing", "scorecard", "saturation"}) {
    INFO(kind);
    auto v = cli.json({"report", kind, "--db", cli.db, "--now", kNow});
    CHECK(str(v.at("report")) == kind);
  }
  auto sat = cli.json({"report", "saturation", "--db", cli.db, "--from", "2026-11-01", "--now", kNow});
  CHECK(sat.at("calls").as_int64() == 8);
  CHECK(sat.at("distinct_themes").as_int64() == 4);
  // Usage errors: exit 2, the option named.
  struct Bad {
    std::vector<std::string> args;
    const char* says;
  };
  for (const Bad& b : std::vector<Bad>{{{"report", "nps", "--period", "year"}, "--period"},
                                        {{"report", "nps", "--from", "2026-02-30"}, "--from"},
                                        {{"report", "nps", "--format", "xml"}, "--format"},
                                        {{"report", "detractors", "--min-sample", "0"}, "--min-sample"},
                                        {{"report", "themes", "--period", "week"}, "period"},
                                        {{"report", "nps", "--bogus", "1"}, "bogus"},
                                        {{"report", "churn"}, "unknown report"}}) {
    auto args = b.args;
    args.insert(args.end(), {"--db", cli.db, "--now", kNow});
    auto r = cli.run(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(b.says) != std::string::npos);
  }
}

TEST_CASE("ReportsHttp.SameJsonAsTheCliAndTheRoles") {
  Cli cli;
  example_company(cli);
  const std::string analyst = token_for(cli, "ana.analyst");
  const std::string owner = token_for(cli, "lena.owner");
  Server server(cli);
  HttpClient c(server.port());
  const std::string query = "?by=segment&period=week&from=2026-09-01&to=2026-11-01";
  auto r = c.get("/v1/reports/nps" + query, analyst);
  REQUIRE(r.status == 200);
  auto from_cli = cli.json({"report", "nps", "--db", cli.db, "--by", "segment", "--period", "week",
                            "--from", "2026-09-01", "--to", "2026-11-01"});
  CHECK(r.json() == from_cli);
  auto d = c.get("/v1/reports/detractors?period=week&from=2026-09-01&to=2026-11-01", analyst);
  REQUIRE(d.status == 200);
  CHECK(d.json() == cli.json({"report", "detractors", "--db", cli.db, "--period", "week", "--from",
                              "2026-09-01", "--to", "2026-11-01"}));
  auto bad = c.get("/v1/reports/nps?period=fortnight", analyst);
  CHECK(bad.status == 400);
  CHECK(bad.error_code() == "invalid_argument");
  CHECK(c.get("/v1/reports/nps", owner).status == 403);
  CHECK(c.get("/v1/reports/nps").status == 401);
  CHECK(server.stop() == 0);
}

}  // namespace
}  // namespace turnaround::testing

// The top-five issue rows of the Store (engine/store.h, "Top-five issues"):
// each test runs against MemoryStore and against SqliteStore on a real file,
// so the two agree; plus an Engine over a SQLite file that is reopened.
#include <doctest/doctest.h>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

CaseId insert(Store& store, Case c) {
  CaseId id;
  write(store, [&](Transaction& t) { id = must(t.insert_case(c)); });
  return id;
}

Case themed(const std::string& customer, const std::string& segment, double arr, Value themes,
            bool open = true) {
  Case c = sample_case(customer, "detractor-followup");
  c.segment = segment;
  c.arr = arr;
  c.data["themes"] = std::move(themes);
  if (!open) c.closed_at = at("2026-03-05T10:00:00Z");
  return c;
}

std::string themed_string(const std::vector<ThemedCase>& rows) {
  std::string out;
  for (const auto& r : rows) {
    out += std::to_string(r.id.value) + ":" + r.theme + ":" + r.segment + ":" +
           std::to_string(static_cast<long long>(r.arr)) + (r.open ? "" : ":closed") + " ";
  }
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("Store.IssuesAndLinksRoundTrip", F, TA_STORES) {
  F f;
  Store& store = f.get();
  CaseId issue = insert(store, sample_case("", "issue-accountability"));
  CaseId a = insert(store, themed("A", "smb", 5000, Value(Value::List{"billing"})));
  CaseId b = insert(store, themed("B", "smb", 7000, Value(Value::List{"billing"})));
  write(store, [&](Transaction& t) {
    must(t.insert_issue(IssueRecord{issue, "billing", "smb", "Billing (smb)", PersonId("jonas.ops"),
                                    at("2026-03-03T09:00:00Z"), true}));
    CHECK(must(t.insert_issue_link(IssueLink{issue, b, at("2026-03-04T09:00:00Z"), PersonId("system"), "auto"})));
    CHECK(must(t.insert_issue_link(IssueLink{issue, a, at("2026-03-03T10:00:00Z"), PersonId("jonas.ops"), "manual"})));
    CHECK_FALSE(must(t.insert_issue_link(IssueLink{issue, a, at("2026-03-09T10:00:00Z"), PersonId("x"), "bulk"})));
  });
  read(store, [&](Transaction& t) {
    auto found = must(t.find_issue(issue));
    REQUIRE(found);
    CHECK(found->theme == "billing");
    CHECK(found->segment == "smb");
    CHECK(found->title == "Billing (smb)");
    CHECK(found->opened_by.value == "jonas.ops");
    CHECK(found->opened_at == at("2026-03-03T09:00:00Z"));
    CHECK(found->open);
    CHECK_FALSE(must(t.find_issue(a)));
    CHECK(must(t.list_issues()).size() == 1);
    auto links = must(t.issue_links(issue));
    REQUIRE(links.size() == 2);
    CHECK(links[0].case_id == a);  // by link time
    CHECK(links[0].how == "manual");
    CHECK(links[0].linked_by.value == "jonas.ops");
    CHECK(links[0].linked_at == at("2026-03-03T10:00:00Z"));
    CHECK(links[1].case_id == b);
    auto of_a = must(t.case_issue_links(a));
    REQUIRE(of_a.size() == 1);
    CHECK(of_a[0].issue_id == issue);
  });
  // Closing the issue's case closes the issue.
  write(store, [&](Transaction& t) {
    Case c = must(t.load_case(issue, false));
    c.closed_at = at("2026-04-01T09:00:00Z");
    c.version = 2;
    must(t.update_case(c, 1));
  });
  read(store, [&](Transaction& t) { CHECK_FALSE(must(t.find_issue(issue))->open); });
}

TEST_CASE_TEMPLATE("Store.ThemedCasesReadThemeFields", F, TA_STORES) {
  F f;
  Store& store = f.get();
  CaseId a = insert(store, themed("A", "smb", 5000, Value(Value::List{"billing", "delivery"})));
  CaseId b = insert(store, themed("B", "enterprise", 200000, Value(Value::List{"delivery"}), false));
  Case single = themed("C", "smb", 1000, Value("billing"));  // a `theme` field: one text
  insert(store, single);
  insert(store, themed("D", "smb", 1000, Value(Value::List{})));
  insert(store, themed("E", "smb", 1000, Value()));
  Case other = themed("F", "smb", 1000, Value(Value::List{"billing"}));
  other.workflow = "loss-followup";  // not a source
  insert(store, other);
  std::vector<ThemeSource> sources = {{"detractor-followup", "themes"}};
  read(store, [&](Transaction& t) {
    CHECK(themed_string(must(t.themed_cases(sources, std::nullopt))) ==
          "1:billing:smb:5000 1:delivery:smb:5000 2:delivery:enterprise:200000:closed 3:billing:smb:1000 ");
    CHECK(themed_string(must(t.themed_cases(sources, std::string("delivery")))) ==
          "1:delivery:smb:5000 2:delivery:enterprise:200000:closed ");
    CHECK(must(t.themed_cases({}, std::nullopt)).empty());
  });
  (void)a;
  (void)b;
}

TEST_CASE_TEMPLATE("Store.ResponseCountsBySegmentAndWindow", F, TA_STORES) {
  F f;
  Store& store = f.get();
  write(store, [&](Transaction& t) {
    int n = 0;
    for (auto [segment, score, when] : std::vector<std::tuple<std::string, int, std::string>>{
             {"smb", 2, "2026-03-01T00:00:00Z"},  // at `from`: inside
             {"smb", 6, "2026-03-02T00:00:00Z"},
             {"smb", 7, "2026-03-03T00:00:00Z"},
             {"smb", 10, "2026-03-10T00:00:00Z"},  // at `to`: outside
             {"enterprise", 0, "2026-03-04T00:00:00Z"}}) {
      ++n;
      Response r = sample_response("r" + std::to_string(n), "c" + std::to_string(n), score, when);
      r.segment = segment;
      CHECK(must(t.insert_response(r, at("2026-03-20T00:00:00Z"))));
    }
  });
  read(store, [&](Transaction& t) {
    auto smb = must(t.response_counts("smb", at("2026-03-01T00:00:00Z"), at("2026-03-10T00:00:00Z")));
    CHECK(smb.responses == 3);
    CHECK(smb.detractors == 2);
    auto all = must(t.response_counts("", at("2026-03-01T00:00:00Z"), at("2026-03-10T00:00:00Z")));
    CHECK(all.responses == 4);
    CHECK(all.detractors == 3);
    auto none = must(t.response_counts("mid-market", at("2026-03-01T00:00:00Z"), at("2026-03-10T00:00:00Z")));
    CHECK(none.responses == 0);
    CHECK_FALSE(none.share());
  });
}

TEST_CASE("Store.IssueEngineOnSqliteFileSurvivesReopen") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  const std::string company = std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme/company.yaml";
  FixedClock clock(at("2026-11-02T08:00:00Z"));
  CaseId issue_id, case_id;
  {
    auto store = must(storage::SqliteStore::open(path));
    Diagnostics diags;
    must(install_configuration(*store, company, clock.now(), diags).status());
    auto config = must(load_configuration(*store));
    Engine engine(*store, clock, config.company, config.registry);
    Response r = sample_response("R1", "C1", 4, "2026-11-01T09:00:00Z");
    r.segment = "smb";
    r.arr = 5000;
    auto in = must(engine.ingest_responses({{1, r}}));
    case_id = in.at(0).case_id;
    auto issue = must(engine.open_issue(OpenIssueRequest{"billing", "smb", "", PersonId("jonas.ops"), ""}));
    issue_id = issue.record.id;
    CHECK(issue.verification.before.counts.responses == 1);
    CHECK(issue.verification.before.counts.detractors == 1);
    must(engine.fire_event(case_id, "log_call", PersonId("jonas.ops"),
                           {{"callback_notes", Value("n")}, {"themes", Value(Value::List{"billing"})}},
                           std::nullopt)
             .status());
    auto cands = must(engine.issue_candidates());
    REQUIRE(cands.size() == 2);
    CHECK(cands[0].theme == "billing");
    CHECK(cands[0].segment == "");
    CHECK(cands[0].arr_at_stake == 5000);
    CHECK_FALSE(cands[0].open_issue);
    REQUIRE(cands[1].open_issue);
    CHECK(*cands[1].open_issue == issue_id);
  }
  auto store = must(storage::SqliteStore::open(path));
  auto config = must(load_configuration(*store));
  Engine engine(*store, clock, config.company, config.registry);
  auto issue = must(engine.issue(issue_id, true));
  REQUIRE(issue.linked.size() == 1);
  CHECK(issue.linked[0].link.case_id == case_id);
  CHECK(issue.linked[0].link.how == "auto");
  CHECK(issue.linked_open == 1);
  CHECK(issue.record.segment == "smb");
  auto cases = must(engine.issue_candidates());
  CHECK(cases.size() == 2);
}

}  // namespace turnaround::testing

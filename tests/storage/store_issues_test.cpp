// The top-five issue rows of the Store (engine/store.h, "Top-five issues"):
// each test runs against MemoryStore and against SqliteStore on a real file,
// so the two agree; plus an Engine over a SQLite file that is reopened.
#include <doctest/doctest.h>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/migrations.h"
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

std::string totals_string(const std::vector<ThemeCaseTotals>& rows) {
  std::string out;
  for (const auto& r : rows) {
    out += r.theme + "/" + r.segment + ":" + std::to_string(r.cases) + "," +
           std::to_string(r.open_cases) + "," + std::to_string(r.customers) + "," +
           std::to_string(static_cast<long long>(r.arr)) + " ";
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
    auto linked = must(t.linked_cases(issue));
    REQUIRE(linked.size() == 2);
    CHECK(linked[0].link.case_id == a);
    CHECK(linked[0].customer_id.value == "A");
    CHECK(linked[0].arr == 5000);
    CHECK(linked[0].open);
    auto totals = must(t.issue_link_totals(issue));
    CHECK(totals.open == 2);
    CHECK(totals.closed == 0);
    CHECK(totals.arr == 12000);
    CHECK(must(t.issue_link_totals(a)).open == 0);
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

// Issue candidates' totals come from the cases' themes (case_themes): a
// customer counts once per theme (and segment) with their highest arr.
TEST_CASE_TEMPLATE("Store.ThemeCaseTotalsCountCustomersOnce", F, TA_STORES) {
  F f;
  Store& store = f.get();
  auto with_themes = [](Case c, std::vector<std::string> themes) {
    c.themes = std::move(themes);
    return c;
  };
  CaseId a1 = insert(store, with_themes(themed("A", "smb", 5000, Value()), {"billing", "delivery"}));
  insert(store, with_themes(themed("A", "smb", 8000, Value(), false), {"billing"}));
  insert(store, with_themes(themed("B", "enterprise", 200000, Value(), false), {"delivery"}));
  CaseId a4 = insert(store, with_themes(themed("A", "enterprise", 100000, Value()), {"delivery"}));
  Case other = with_themes(themed("F", "smb", 1000, Value()), {"billing"});
  other.workflow = "loss-followup";  // not asked for
  insert(store, other);
  insert(store, themed("D", "smb", 1000, Value()));  // no themes
  read(store, [&](Transaction& t) {
    CHECK(totals_string(must(t.theme_case_totals({"detractor-followup"}))) ==
          "billing/:2,1,1,8000 billing/smb:2,1,1,8000 delivery/:3,2,2,300000 "
          "delivery/enterprise:2,1,2,300000 delivery/smb:1,1,1,5000 ");
    CHECK(totals_string(must(t.theme_case_totals({"detractor-followup", "loss-followup"}))) ==
          "billing/:3,2,2,9000 billing/smb:3,2,2,9000 delivery/:3,2,2,300000 "
          "delivery/enterprise:2,1,2,300000 delivery/smb:1,1,1,5000 ");
    CHECK(must(t.theme_case_totals({})).empty());
  });
  // A theme dropped and a case closed: the totals follow (SQLite: the
  // triggers of migration 7 recompute the customer's highest arr).
  write(store, [&](Transaction& t) {
    Case c = must(t.load_case(a1, false));
    c.themes = {"delivery"};
    c.version = 2;
    must(t.update_case(c, 1));
    Case d = must(t.load_case(a4, false));
    d.closed_at = at("2026-03-06T10:00:00Z");
    d.version = 2;
    must(t.update_case(d, 1));
  });
  read(store, [&](Transaction& t) {
    CHECK(totals_string(must(t.theme_case_totals({"detractor-followup"}))) ==
          "billing/:1,0,1,8000 billing/smb:1,0,1,8000 delivery/:3,1,2,300000 "
          "delivery/enterprise:2,0,2,300000 delivery/smb:1,1,1,5000 ");
  });
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

// Migration 7 fills theme_customers / theme_totals from the case themes a
// database already has; its triggers keep them from then on.
TEST_CASE("Store.Migration7BackfillsThemeTotals") {
  TempDir dir;
  const std::string path = dir.file("m6.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    must(storage::migrate_to(db, 6));
    REQUIRE(storage::schema_version(db) == 6);
    db.exec("INSERT INTO cases (workflow, workflow_version, state, priority, customer_id, "
            "customer_name, segment, arr, opened_at, state_entered_at, closed_at, version, themes) "
            "VALUES ('detractor-followup', 1, 's', 1, 'A', 'A', 'smb', 5000, 100, 100, NULL, 1, "
            "'[\"billing\"]'), ('detractor-followup', 1, 's', 1, 'A', 'A', 'enterprise', 9000, "
            "100, 100, 200, 1, '[\"billing\"]'), ('detractor-followup', 1, 's', 1, 'B', 'B', '', "
            "700, 100, 100, NULL, 1, '[\"billing\"]')");
  }
  auto store = must(storage::SqliteStore::open(path));  // migrates to the latest
  read(*store, [&](Transaction& t) {
    // B has no segment: counted over all segments only.
    CHECK(totals_string(must(t.theme_case_totals({"detractor-followup"}))) ==
          "billing/:3,2,2,9700 billing/enterprise:1,0,1,9000 billing/smb:1,1,1,5000 ");
  });
  Case c = sample_case("B", "detractor-followup");
  c.segment = "";
  c.arr = 900;
  c.themes = {"billing"};
  insert(*store, c);
  read(*store, [&](Transaction& t) {
    CHECK(totals_string(must(t.theme_case_totals({"detractor-followup"}))) ==
          "billing/:4,3,2,9900 billing/enterprise:1,0,1,9000 billing/smb:1,1,1,5000 ");
  });
}

}  // namespace turnaround::testing

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

std::string link_totals_string(Transaction& t, CaseId issue) {
  LinkTotals x = must(t.issue_link_totals(issue));
  return std::to_string(x.open) + "," + std::to_string(x.closed) + "," +
         std::to_string(static_cast<long long>(x.arr));
}

// The link totals of an issue (the agenda's top-five ranking): open and
// closed linked cases, and each linked customer's highest arr once, as
// links are added and linked cases close and reopen (SQLite: the triggers
// of migration 9 on issue_links and cases).
TEST_CASE_TEMPLATE("Store.IssueLinkTotalsFollowLinksAndClosing", F, TA_STORES) {
  F f;
  Store& store = f.get();
  CaseId issue = insert(store, sample_case("", "issue-accountability"));
  CaseId other = insert(store, sample_case("", "issue-accountability"));
  CaseId a1 = insert(store, themed("A", "smb", 5000, Value()));
  CaseId a2 = insert(store, themed("A", "smb", 9000, Value(), false));
  CaseId b = insert(store, themed("B", "smb", 7000, Value()));
  CaseId c = insert(store, themed("C", "smb", 300, Value()));
  auto link = [&](Transaction& t, CaseId i, CaseId k) {
    CHECK(must(t.insert_issue_link(IssueLink{i, k, at("2026-03-04T09:00:00Z"), PersonId("system"), "auto"})));
  };
  write(store, [&](Transaction& t) {
    must(t.insert_issue(IssueRecord{issue, "billing", "smb", "Billing (smb)", PersonId("jonas.ops"),
                                    at("2026-03-03T09:00:00Z"), true}));
    must(t.insert_issue(IssueRecord{other, "delivery", "", "Delivery", PersonId("jonas.ops"),
                                    at("2026-03-03T09:00:00Z"), true}));
    CHECK(link_totals_string(t, issue) == "0,0,0");
    link(t, issue, a1);
    CHECK(link_totals_string(t, issue) == "1,0,5000");
    link(t, issue, a2);  // the same customer: their highest arr, once
    link(t, issue, b);
    link(t, other, a1);
    // A link made twice is one link.
    CHECK_FALSE(must(t.insert_issue_link(IssueLink{issue, b, at("2026-03-05T09:00:00Z"), PersonId("x"), "bulk"})));
  });
  read(store, [&](Transaction& t) {
    CHECK(link_totals_string(t, issue) == "2,1,16000");
    CHECK(link_totals_string(t, other) == "1,0,5000");
  });
  auto set_closed = [&](CaseId id, std::optional<Instant> closed) {
    write(store, [&](Transaction& t) {
      Case k = must(t.load_case(id, false));
      const std::int64_t v = k.version;
      k.closed_at = closed;
      k.version = v + 1;
      must(t.update_case(k, v));
    });
  };
  set_closed(a1, at("2026-03-06T10:00:00Z"));
  read(store, [&](Transaction& t) {
    CHECK(link_totals_string(t, issue) == "1,2,16000");
    CHECK(link_totals_string(t, other) == "0,1,5000");
  });
  set_closed(a1, std::nullopt);  // reopened
  set_closed(c, at("2026-03-06T10:00:00Z"));  // not linked: no change
  read(store, [&](Transaction& t) {
    CHECK(link_totals_string(t, issue) == "2,1,16000");
    CHECK(link_totals_string(t, other) == "1,0,5000");
  });
  write(store, [&](Transaction& t) { link(t, issue, c); });
  read(store, [&](Transaction& t) { CHECK(link_totals_string(t, issue) == "2,2,16300"); });
}

// issue_link_customers (migration 9) against the aggregate over the links
// it replaces, after each kind of write the triggers handle, including
// those the product does not make today (unlinking, moving a link,
// changing a linked case's customer or arr) through plain SQL.
TEST_CASE("Store.IssueLinkCustomersMatchTheLinkAggregate") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = must(storage::SqliteStore::open(path));
  CaseId i1 = insert(*store, sample_case("", "issue-accountability"));
  CaseId i2 = insert(*store, sample_case("", "issue-accountability"));
  std::vector<CaseId> k;
  for (auto [customer, arr, open] : std::vector<std::tuple<std::string, double, bool>>{
           {"A", 5000, true}, {"A", 9000, false}, {"A", 7000, true}, {"B", 1200.5, true},
           {"B", 800.25, false}, {"C", 300, true}}) {
    k.push_back(insert(*store, themed(customer, "smb", arr, Value(), open)));
  }
  write(*store, [&](Transaction& t) {
    must(t.insert_issue(IssueRecord{i1, "billing", "smb", "t", PersonId("p"), at("2026-03-03T09:00:00Z"), true}));
    must(t.insert_issue(IssueRecord{i2, "delivery", "", "t", PersonId("p"), at("2026-03-03T09:00:00Z"), true}));
    for (CaseId id : k) {
      must(t.insert_issue_link(IssueLink{i1, id, at("2026-03-04T09:00:00Z"), PersonId("system"), "auto"}));
    }
    for (std::size_t n : {0u, 3u, 5u}) {
      must(t.insert_issue_link(IssueLink{i2, k[n], at("2026-03-04T09:00:00Z"), PersonId("system"), "auto"}));
    }
  });
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  auto rows = [&](const std::string& sql) {
    SQLite::Statement q(db, sql);
    std::string out;
    while (q.executeStep()) {
      out += q.getColumn(0).getString() + "/" + q.getColumn(1).getString() + ":" +
             q.getColumn(2).getString() + "," + q.getColumn(3).getString() + "," +
             q.getColumn(4).getString() + " ";
    }
    return out;
  };
  auto kept = [&] { return rows("SELECT * FROM issue_link_customers ORDER BY issue_id, customer_id"); };
  auto aggregate = [&] {
    return rows("SELECT l.issue_id, c.customer_id, count(*), sum(c.closed_at IS NULL), max(c.arr) "
                "FROM issue_links l JOIN cases c ON c.id = l.case_id "
                "GROUP BY l.issue_id, c.customer_id ORDER BY l.issue_id, c.customer_id");
  };
  const std::string id1 = std::to_string(i1.value), id2 = std::to_string(i2.value);
  CHECK(kept() == id1 + "/A:3,2,9000.0 " + id1 + "/B:2,1,1200.5 " + id1 + "/C:1,1,300.0 " + id2 +
                      "/A:1,1,5000.0 " + id2 + "/B:1,1,1200.5 " + id2 + "/C:1,1,300.0 ");
  CHECK(kept() == aggregate());
  auto case_sql = [&](const std::string& sql, CaseId id) {
    SQLite::Statement q(db, sql);
    q.bind(1, static_cast<std::int64_t>(id.value));
    q.exec();
    INFO(sql);
    CHECK(kept() == aggregate());
  };
  // Unlinking the customer's highest-arr case: the next highest.
  db.exec("DELETE FROM issue_links WHERE issue_id = " + id1 + " AND case_id = " + std::to_string(k[1].value));
  CHECK(kept() == aggregate());
  CHECK(kept().find(id1 + "/A:2,2,7000.0 ") != std::string::npos);
  // Unlinking a customer's only case: their row goes.
  db.exec("DELETE FROM issue_links WHERE issue_id = " + id2 + " AND case_id = " + std::to_string(k[5].value));
  CHECK(kept() == aggregate());
  CHECK(kept().find(id2 + "/C:") == std::string::npos);
  case_sql("UPDATE cases SET closed_at = 500 WHERE id = ?1", k[0]);
  case_sql("UPDATE cases SET closed_at = 600 WHERE id = ?1", k[0]);  // still closed
  case_sql("UPDATE cases SET closed_at = NULL WHERE id = ?1", k[4]);  // reopened
  case_sql("UPDATE cases SET arr = 100 WHERE id = ?1", k[3]);         // highest arr lowered
  case_sql("UPDATE cases SET arr = 20000, closed_at = 700 WHERE id = ?1", k[2]);
  case_sql("UPDATE cases SET customer_id = 'B' WHERE id = ?1", k[2]);  // moves to B's rows
  case_sql("UPDATE cases SET customer_id = 'D', closed_at = NULL WHERE id = ?1", k[5]);
  case_sql("UPDATE cases SET arr = 1 WHERE id = ?1", k[1]);  // not linked to i1 any more, nor to i2
  db.exec("UPDATE issue_links SET issue_id = " + id2 + " WHERE issue_id = " + id1 +
          " AND case_id = " + std::to_string(k[4].value));
  CHECK(kept() == aggregate());
  db.exec("UPDATE issue_links SET case_id = " + std::to_string(k[1].value) + " WHERE issue_id = " +
          id2 + " AND case_id = " + std::to_string(k[0].value));
  CHECK(kept() == aggregate());
  db.exec("DELETE FROM issue_links");
  CHECK(kept().empty());
  // The store reads the same totals.
  read(*store, [&](Transaction& t) { CHECK(link_totals_string(t, i1) == "0,0,0"); });
}

// Migration 9 fills issue_link_customers from the links a database already
// has (an upgrade); its triggers keep it from then on.
TEST_CASE("Store.Migration9BackfillsIssueLinkTotals") {
  TempDir dir;
  const std::string path = dir.file("m8.db");
  {
    SQLite::Database db = database_at_schema(path, 8);
    db.exec(std::string(kInsertMinimalCases) +
            "(1, 'issue-accountability', 1, 's', 1, '', '', '', 0, 100, 100, NULL, 1), "
            "(2, 'detractor-followup', 1, 's', 1, 'A', 'A', 'smb', 5000, 100, 100, NULL, 1), "
            "(3, 'detractor-followup', 1, 's', 1, 'A', 'A', 'smb', 9000, 100, 100, 200, 1), "
            "(4, 'detractor-followup', 1, 's', 1, 'B', 'B', 'smb', 700, 100, 100, NULL, 1), "
            "(5, 'detractor-followup', 1, 's', 1, 'C', 'C', 'smb', 40, 100, 100, NULL, 1)");
    db.exec("INSERT INTO issues VALUES (1, 'billing', 'smb', 'Billing', 'p', 100)");
    db.exec("INSERT INTO issue_links VALUES (1, 2, 100, 'p', 'auto'), (1, 3, 100, 'p', 'auto'), "
            "(1, 4, 100, 'p', 'manual')");
  }
  auto store = must(storage::SqliteStore::open(path));  // migrates to the latest
  read(*store, [&](Transaction& t) { CHECK(link_totals_string(t, CaseId(1)) == "2,1,9700"); });
  write(*store, [&](Transaction& t) {
    CHECK(must(t.insert_issue_link(IssueLink{CaseId(1), CaseId(5), at("2026-03-04T09:00:00Z"), PersonId("p"), "auto"})));
    Case b = must(t.load_case(CaseId(4), false));
    b.closed_at = at("2026-03-06T10:00:00Z");
    b.version = 2;
    must(t.update_case(b, 1));
  });
  read(*store, [&](Transaction& t) { CHECK(link_totals_string(t, CaseId(1)) == "2,2,9740"); });
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
  const std::string company = source_file("examples/acme/company.yaml");
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

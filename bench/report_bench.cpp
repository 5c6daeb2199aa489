// report_bench: the reports (engine/reports.h, as the CLI and the HTTP API
// run them) over a database of 1,000,000 responses and 400,000 cases, each
// timed as the median of several runs beside a raw SQLite floor measured in
// the same run: one full scan of the responses table
// (SELECT count(*), sum(score) FROM responses).
//
//   report_bench DIR --config examples/acme/company.yaml
//                [--responses 1000000] [--cases 400000] [--runs 7] [--seed 1] [--reuse]
//
// The fixture is built fast with direct SQL in large transactions, but the
// summaries the reports read are the product's own: the configuration is
// installed first (zone offsets), then customers, responses, churn events,
// cases, history and issue links are inserted with plain SQL (the theme
// tables' triggers keep case_themes, theme_days, open_themes and the theme
// totals), then storage::rebuild_summaries fills the summaries the store
// writes itself (response_days, timing_months, case_deadlines, deadline_days)
// exactly as insert_response / insert_case do. Cases: a loss-followup case
// per churn event, and detractor-followup cases in every stage: in callback
// (pending), unreachable (cancelled), or past k of the six steps (each met
// 80% / missed 20%), most old ones closed; themes (1-2 of 7) and first
// contact on the contacted ones; 12 owners; six open issues with links.
//
// Output: a line per report, and RESULT lines for bench/run.sh.

#include <algorithm>
#include <iostream>
#include <random>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "bench/bench_util.h"
#include "engine/clock.h"
#include "engine/configuration.h"
#include "engine/engine.h"
#include "engine/reports.h"
#include "storage/migrations.h"
#include "storage/sqlite_store.h"

using namespace turnaround;

namespace {

struct Options {
  std::string dir;
  std::string config;
  std::int64_t responses = 1000000;
  std::int64_t cases = 400000;
  int runs = 7;
  unsigned seed = 1;
  bool reuse = false;  // --reuse: measure DIR/reports.db as it is (built by an earlier run)
};

const char* kSegments[] = {"enterprise", "mid-market", "smb"};
const char* kThemes[] = {"product quality", "support responsiveness", "pricing and value",
                         "ease of use", "communication", "billing", "delivery"};
const char* kSteps[] = {"callback", "week2_root_cause", "week3_solutions", "week4_proposal",
                        "week6_action", "close_the_loop"};
const char* kStates[] = {"callback", "root_cause", "solutions", "proposal", "action",
                         "close_the_loop"};
const char* kOwners[] = {"lena.owner", "paul.owner", "amira.owner", "tom.owner", "yuki.owner",
                         "noah.owner", "eva.owner", "luca.owner", "clara.ceo", "mehmet.cro",
                         "sofia.cfo", "ines.ops"};

// Two years of answers, ending at 2026-11-01.
constexpr std::int64_t kStart = 1735689600;  // 2025-01-01T00:00:00Z
constexpr std::int64_t kSpan = 669 * 86400;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
double time_ms(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = bench::Clock::now();
    f();
    ms.push_back(bench::seconds_since(start) * 1000);
  }
  return median(ms);
}

// The customers of the fixture: segment (enterprise 15%, mid-market 30%,
// smb 55%) and arr, fixed per customer as in production.
struct Customer {
  int segment = 0;
  double arr = 0;
  bool lost = false;
};

std::string themes_json(int a, int b) {
  return a == b ? std::string("[\"") + kThemes[a] + "\"]"
                : std::string("[\"") + kThemes[std::min(a, b)] + "\",\"" + kThemes[std::max(a, b)] + "\"]";
}

int build(const Options& opt) {
  const std::string path = opt.dir + "/reports.db";
  bench::remove_db(path);
  {
    auto store = storage::SqliteStore::open(path);
    if (!store.ok()) return std::cerr << store.status().to_string() << "\n", 1;
    Diagnostics diags;
    const Instant now = Instant(std::chrono::seconds(kStart + kSpan));
    auto installed = install_configuration(**store, opt.config, now, diags);
    if (!installed.ok()) return std::cerr << installed.status().to_string() << diags.to_string(), 1;
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA synchronous=OFF");
  db.exec("PRAGMA cache_size=-262144");
  std::mt19937_64 rng(opt.seed);
  auto uniform = [&](std::int64_t n) { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)); };
  const std::int64_t end = kStart + kSpan;
  auto start = bench::Clock::now();
  // Customers: a quarter as many as responses.
  std::vector<Customer> customers(static_cast<std::size_t>(opt.responses / 4 + 1));
  {
    SQLite::Transaction txn(db);
    SQLite::Statement ins(db, "INSERT INTO customers (id, name, segment, arr) VALUES (?1, ?2, ?3, ?4)");
    for (std::size_t k = 0; k < customers.size(); ++k) {
      const std::int64_t r = uniform(100);
      Customer& c = customers[k];
      c.segment = r < 15 ? 0 : r < 45 ? 1 : 2;
      c.arr = static_cast<double>(c.segment == 0 ? 100000 + uniform(400000)
                                  : c.segment == 1 ? 20000 + uniform(80000) : 1000 + uniform(19000));
      ins.bind(1, "C" + std::to_string(k));
      ins.bind(2, "Customer " + std::to_string(k));
      ins.bind(3, kSegments[c.segment]);
      ins.bind(4, c.arr);
      ins.exec();
      ins.reset();
    }
    txn.commit();
  }
  // Responses: 40% detractors, at uniform times over the two years.
  struct Detractor {
    std::int64_t at;
    std::size_t customer;
    int score;
  };
  std::vector<Detractor> detractors;
  {
    SQLite::Transaction txn(db);
    SQLite::Statement ins(db,
                          "INSERT INTO responses (response_id, customer_id, customer_name, segment, "
                          "arr, score, comment, responded_at, received_at) VALUES (?1, ?2, ?3, ?4, "
                          "?5, ?6, '', ?7, ?7)");
    for (std::int64_t i = 0; i < opt.responses; ++i) {
      const auto k = static_cast<std::size_t>(uniform(static_cast<std::int64_t>(customers.size())));
      const Customer& c = customers[k];
      const int score = uniform(100) < 40 ? static_cast<int>(uniform(7)) : 7 + static_cast<int>(uniform(4));
      const std::int64_t at = kStart + uniform(kSpan);
      const std::string cust = "C" + std::to_string(k);
      ins.bind(1, "R" + std::to_string(i));
      ins.bind(2, cust);
      ins.bind(3, "Customer " + std::to_string(k));
      ins.bind(4, kSegments[c.segment]);
      ins.bind(5, c.arr);
      ins.bind(6, score);
      ins.bind(7, at);
      ins.exec();
      ins.reset();
      if (score <= 6) detractors.push_back({at, k, score});
    }
    txn.commit();
  }
  std::printf("fixture: %zu customers, %lld responses in %.1f s\n", customers.size(),
              static_cast<long long>(opt.responses), bench::seconds_since(start));
  start = bench::Clock::now();

  SQLite::Statement ins_case(
      db,
      "INSERT INTO cases (workflow, workflow_version, state, owner, queue, priority, customer_id, "
      "customer_name, segment, arr, score, responses, responded_at, opened_at, state_entered_at, "
      "closed_at, version, data, deadlines, overdue_since, themes, first_contact_at) VALUES "
      "(?1, 1, ?2, ?3, '', 1, ?4, ?5, ?6, ?7, ?8, '[]', ?9, ?10, ?10, ?11, 3, ?12, ?13, ?14, ?15, "
      "?16)");
  SQLite::Statement ins_history(db,
                                "INSERT INTO case_history (case_id, seq, at, event, from_state, to_state, "
                                "actor, data) VALUES (?1, (SELECT ifnull(max(seq), 0) + 1 FROM case_history "
                                "WHERE case_id = ?1), ?2, ?3, ?4, ?5, ?6, '{}')");
  auto history = [&](std::int64_t case_id, std::int64_t at, const char* event, const std::string& from,
                     const std::string& to, const char* actor) {
    ins_history.bind(1, case_id);
    ins_history.bind(2, at);
    ins_history.bind(3, event);
    ins_history.bind(4, from);
    ins_history.bind(5, to);
    ins_history.bind(6, actor);
    ins_history.exec();
    ins_history.reset();
  };
  struct CaseRow {
    const char* workflow;
    std::string state, owner;
    std::size_t customer;
    std::optional<int> score;
    std::optional<std::int64_t> responded, closed, overdue_since, contact;
    std::int64_t opened;
    std::string data = "{}", deadlines = "[]", themes = "[]";
  };
  auto insert_case = [&](const CaseRow& r) {
    const Customer& c = customers[r.customer];
    ins_case.bind(1, r.workflow);
    ins_case.bind(2, r.state);
    ins_case.bind(3, r.owner);
    ins_case.bind(4, "C" + std::to_string(r.customer));
    ins_case.bind(5, "Customer " + std::to_string(r.customer));
    ins_case.bind(6, kSegments[c.segment]);
    ins_case.bind(7, c.arr);
    if (r.score) ins_case.bind(8, *r.score); else ins_case.bind(8);
    if (r.responded) ins_case.bind(9, *r.responded); else ins_case.bind(9);
    ins_case.bind(10, r.opened);
    if (r.closed) ins_case.bind(11, *r.closed); else ins_case.bind(11);
    ins_case.bind(12, r.data);
    ins_case.bind(13, r.deadlines);
    if (r.overdue_since) ins_case.bind(14, *r.overdue_since); else ins_case.bind(14);
    ins_case.bind(15, r.themes);
    if (r.contact) ins_case.bind(16, *r.contact); else ins_case.bind(16);
    ins_case.exec();
    ins_case.reset();
    const std::int64_t id = db.getLastInsertRowid();
    history(id, r.opened, "opened", "", r.workflow == std::string("loss-followup") ? "callback" : "triage",
            "system");
    // The first contact is a logged call (the agenda's outreach counts it).
    if (r.contact && r.state != "unreachable") history(id, *r.contact, "log_call", "callback", "root_cause", r.owner.c_str());
    return id;
  };
  auto deadline_json = [](std::string& out, const char* name, const char* state, const char* status,
                          std::int64_t due, std::optional<std::int64_t> resolved) {
    out += out.empty() ? "" : ",";
    out += std::string("{\"name\":\"") + name + "\",\"state\":\"" + state + "\",\"due_at\":" +
           std::to_string(due) + ",\"status\":\"" + status + "\",\"done\":" +
           (resolved ? "true" : "false") + ",\"paused_at\":null,\"resolved_at\":" +
           (resolved ? std::to_string(*resolved) : std::string("null")) + "}";
  };

  // Churn: about 1.5% of the remaining customers a month, each with its
  // loss-followup case (the example company's churn intake): called back
  // within days, reasons recorded, closed at the next review; the last six
  // weeks' still open.
  const char* kReasons[] = {"price", "switched to competitor", "product gaps", "budget cut",
                            "poor support", "company closed", ""};
  std::int64_t churned = 0, loss_cases = 0;
  {
    SQLite::Transaction txn(db);
    SQLite::Statement ins(db,
                          "INSERT INTO churn_events (customer_id, lost_at, reason, arr, received_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?2)");
    SQLite::Statement lost(db, "UPDATE customers SET lost = 1 WHERE id = ?1");
    const std::int64_t month = 30 * 86400;
    for (std::int64_t m0 = kStart; m0 < end; m0 += month) {
      const auto n = static_cast<std::int64_t>(static_cast<double>(customers.size()) * 0.015);
      for (std::int64_t j = 0; j < n; ++j) {
        const auto k = static_cast<std::size_t>(uniform(static_cast<std::int64_t>(customers.size())));
        Customer& c = customers[k];
        if (c.lost) continue;
        c.lost = true;
        const std::int64_t at = std::min(end - 3600, m0 + uniform(month));
        const char* reason = kReasons[uniform(7)];
        const std::string cust = "C" + std::to_string(k);
        ins.bind(1, cust);
        ins.bind(2, at);
        ins.bind(3, reason);
        ins.bind(4, c.arr);
        ins.exec();
        ins.reset();
        lost.bind(1, cust);
        lost.exec();
        lost.reset();
        ++churned;
        CaseRow r;
        r.workflow = "loss-followup";
        r.customer = k;
        r.opened = at + uniform(3600);
        r.owner = c.segment == 0 ? kOwners[8 + uniform(3)] : kOwners[uniform(8)];
        const std::int64_t due = r.opened + 7 * 86400;
        const bool recent = r.opened > end - 42 * 86400;
        const bool called = !recent || uniform(10) < 6;
        r.data = std::string("{\"churn_reason\":\"") + reason + "\"";
        r.deadlines.clear();
        if (called) {
          r.contact = std::max(r.opened, std::min(end - 120, r.opened + uniform(9 * 86400)));
          const bool met = *r.contact <= due;
          deadline_json(r.deadlines, "loss_callback", "callback", met ? "met" : "missed", due, *r.contact);
          r.themes = themes_json(static_cast<int>(uniform(7)), static_cast<int>(uniform(7)));
          r.data += ",\"themes\":" + r.themes;
          r.state = "reasons_recorded";
          if (!recent && uniform(20) != 0) {
            r.state = "closed";
            r.closed = std::min(end - 60, *r.contact + 5 * 86400 + uniform(30 * 86400));
          }
        } else {
          deadline_json(r.deadlines, "loss_callback", "callback", "pending", due, std::nullopt);
          r.state = "callback";
          r.overdue_since = due;
        }
        r.data += "}";
        r.deadlines = "[" + r.deadlines + "]";
        insert_case(r);
        ++loss_cases;
      }
    }
    txn.commit();
  }
  std::printf("fixture: %lld churn events and loss-followup cases\n", static_cast<long long>(churned));

  // Detractor cases, the rest of --cases: in every stage: in callback
  // (pending), unreachable, or past k of the six steps (each met 80% /
  // missed 20%); those opened over 120 days ago are nearly all closed.
  const std::int64_t detractor_cases = std::max<std::int64_t>(0, opt.cases - loss_cases);
  {
    SQLite::Transaction txn(db);
    for (std::int64_t i = 0; i < detractor_cases; ++i) {
      const Detractor& d = detractors[static_cast<std::size_t>(i) % detractors.size()];
      CaseRow r;
      r.workflow = "detractor-followup";
      r.customer = d.customer;
      r.score = d.score;
      r.responded = d.at;
      r.opened = d.at;
      r.owner = kOwners[uniform(12)];
      const bool old = d.at < end - 120 * 86400;
      // Stage: 0 callback open, 1 unreachable, 2..7 = past k = stage-1 steps (7: all six).
      int stage = static_cast<int>(uniform(8));
      if (old && stage == 0 && uniform(30) != 0) stage = 1;  // not reached in time
      const bool closed = stage == 1 || stage == 7 || (stage >= 2 && (old ? uniform(30) != 0 : uniform(2) == 0));
      const std::int64_t dues[] = {5, 14, 21, 28, 42, 47};
      r.state = "callback";
      std::string deadlines;
      if (stage == 0) {
        deadline_json(deadlines, kSteps[0], kStates[0], "pending", r.opened + dues[0] * 86400, std::nullopt);
        r.overdue_since = r.opened + dues[0] * 86400;
      } else if (stage == 1) {
        r.contact = r.opened + uniform(6 * 86400);
        deadline_json(deadlines, kSteps[0], kStates[0], "cancelled", r.opened + dues[0] * 86400, *r.contact);
        r.state = "unreachable";
      } else {
        const int k = stage - 1;  // steps passed
        r.contact = r.opened + uniform(6 * 86400);
        for (int s = 0; s < k && s < 6; ++s) {
          const bool met = uniform(10) < 8;
          const std::int64_t due = r.opened + dues[s] * 86400;
          deadline_json(deadlines, kSteps[s], kStates[s], met ? "met" : "missed", due, met ? due - uniform(86400) : due);
        }
        if (!closed && k < 6) {
          deadline_json(deadlines, kSteps[k], kStates[k], "pending", r.opened + dues[k] * 86400, std::nullopt);
          r.overdue_since = r.opened + dues[k] * 86400;
        }
        r.state = closed ? "closed" : kStates[std::min(k, 5)];
      }
      r.deadlines = "[" + deadlines + "]";
      if (r.contact) r.contact = std::max(r.opened, std::min(*r.contact, end - 120));
      if (closed) r.closed = std::max(r.opened, std::min(end - 60, r.opened + 20 * 86400 + uniform(40 * 86400)));
      if (r.contact) {
        r.themes = themes_json(static_cast<int>(uniform(7)), static_cast<int>(uniform(7)));
        r.data = "{\"themes\":" + r.themes + "}";
      }
      insert_case(r);
    }
    txn.commit();
  }
  std::printf("fixture: %lld detractor cases (with history) in %.1f s\n",
              static_cast<long long>(detractor_cases), bench::seconds_since(start));

  // Open issues (issue-accountability), each linked to the detractor cases
  // with its theme (and segment): automatically those opened since the
  // issue was, and in bulk the ones open then; with the history entries
  // link_case writes on both sides.
  struct IssueSpec {
    const char* theme;
    const char* segment;
    int days_ago;
    const char* state;
  };
  const IssueSpec kIssues[] = {{"billing", "smb", 100, "action"},
                               {"support responsiveness", "", 60, "proposal"},
                               {"product quality", "enterprise", 45, "solutions"},
                               {"pricing and value", "mid-market", 30, "root_cause"},
                               {"delivery", "smb", 20, "root_cause"},
                               {"ease of use", "", 10, "root_cause"}};
  std::int64_t links = 0;
  {
    SQLite::Transaction txn(db);
    for (const IssueSpec& spec : kIssues) {
      const std::int64_t opened = end - spec.days_ago * 86400;
      const std::string title = std::string(spec.theme) + (*spec.segment ? std::string(" (") + spec.segment + ")" : "");
      std::string deadlines;
      deadline_json(deadlines, "issue_week2_root_cause", "root_cause",
                    std::string(spec.state) == "root_cause" ? "pending" : "met", opened + 14 * 86400,
                    std::string(spec.state) == "root_cause" ? std::nullopt : std::optional<std::int64_t>(opened + 10 * 86400));
      SQLite::Statement ins(db,
                            "INSERT INTO cases (workflow, workflow_version, state, owner, priority, "
                            "customer_id, customer_name, segment, arr, opened_at, state_entered_at, "
                            "version, deadlines, overdue_since) VALUES ('issue-accountability', 1, "
                            "?1, 'ines.ops', 1, '', ?2, ?3, 0, ?4, ?4, 2, ?5, ?6)");
      ins.bind(1, spec.state);
      ins.bind(2, title);
      ins.bind(3, spec.segment);
      ins.bind(4, opened);
      ins.bind(5, "[" + deadlines + "]");
      if (std::string(spec.state) == "root_cause") ins.bind(6, opened + 14 * 86400); else ins.bind(6);
      ins.exec();
      const std::int64_t id = db.getLastInsertRowid();
      history(id, opened, "opened", "", "root_cause", "ines.ops");
      SQLite::Statement issue(db,
                              "INSERT INTO issues (case_id, theme, segment, title, opened_by, opened_at) "
                              "VALUES (?1, ?2, ?3, ?4, 'ines.ops', ?5)");
      issue.bind(1, id);
      issue.bind(2, spec.theme);
      issue.bind(3, spec.segment);
      issue.bind(4, title);
      issue.bind(5, opened);
      issue.exec();
      SQLite::Statement link(db,
                             "INSERT INTO issue_links (issue_id, case_id, linked_at, linked_by, how) "
                             "SELECT ?1, case_id, max(opened_at, ?2), CASE WHEN opened_at >= ?2 THEN "
                             "'system' ELSE 'ines.ops' END, CASE WHEN opened_at >= ?2 THEN 'auto' ELSE "
                             "'bulk' END FROM case_themes WHERE theme = ?3 AND (?4 = '' OR segment = ?4) "
                             "AND workflow = 'detractor-followup' AND (opened_at >= ?2 OR closed_at IS "
                             "NULL OR closed_at > ?2)");
      link.bind(1, id);
      link.bind(2, opened);
      link.bind(3, spec.theme);
      link.bind(4, spec.segment);
      links += link.exec();
      SQLite::Statement h1(db,
                           "INSERT INTO case_history (case_id, seq, at, event, from_state, to_state, actor, data) "
                           "SELECT ?1, (SELECT ifnull(max(seq), 0) FROM case_history WHERE case_id = ?1) + "
                           "row_number() OVER (ORDER BY l.linked_at, l.case_id), "
                           "l.linked_at, 'case_linked', ?2, ?2, l.linked_by, json_object('case_id', "
                           "c.id, 'customer_id', c.customer_id, 'customer_name', c.customer_name, 'segment', "
                           "c.segment, 'how', l.how) FROM issue_links l JOIN cases c ON c.id = l.case_id "
                           "WHERE l.issue_id = ?1 ORDER BY l.linked_at, l.case_id");
      h1.bind(1, id);
      h1.bind(2, spec.state);
      h1.exec();
      SQLite::Statement h2(db,
                           "INSERT INTO case_history (case_id, seq, at, event, from_state, to_state, actor, data) "
                           "SELECT l.case_id, (SELECT ifnull(max(seq), 0) + 1 FROM case_history h "
                           "WHERE h.case_id = l.case_id), "  // one link per case and issue
                           "l.linked_at, 'linked_to_issue', c.state, c.state, l.linked_by, "
                           "json_object('issue_id', ?1, 'theme', ?2, 'how', l.how) FROM issue_links l "
                           "JOIN cases c ON c.id = l.case_id WHERE l.issue_id = ?1");
      h2.bind(1, id);
      h2.bind(2, spec.theme);
      h2.exec();
    }
    txn.commit();
  }
  std::printf("fixture: %zu open issues with %lld linked cases; total %.1f s for cases\n",
              std::size(kIssues), static_cast<long long>(links), bench::seconds_since(start));
  // Plain SQL bypasses the store, which writes most summaries itself.
  if (Status s = storage::rebuild_summaries(db); !s.ok()) return std::cerr << s.to_string() << "\n", 1;
  db.exec("ANALYZE");
  return 0;
}

int measure(const Options& opt) {
  const std::string path = opt.dir + "/reports.db";
  auto store = storage::SqliteStore::open(path);
  if (!store.ok()) return std::cerr << store.status().to_string() << "\n", 1;
  auto config = load_configuration(**store);
  if (!config.ok()) return std::cerr << config.status().to_string() << "\n", 1;
  Reports reports(**store, config->company);
  const Instant now = Instant(std::chrono::seconds(kStart + kSpan));
  const DayRange all{reports.local_day(Instant(std::chrono::seconds(kStart))) - 1,
                     reports.local_day(now) + 31};
  const DayRange month{reports.local_day(now) - 31, reports.local_day(now) + 1};

  double floor_ms = 0;
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    floor_ms = time_ms(opt.runs, [&] {
      SQLite::Statement q(db, "SELECT count(*), sum(score) FROM responses");
      q.executeStep();
      if (q.getColumn(0).getInt64() != opt.responses) std::abort();
    });
    SQLite::Statement counts(db, "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_themes), "
                                 "(SELECT count(*) FROM case_deadlines), (SELECT count(*) FROM response_days)");
    counts.executeStep();
    std::printf("database: %lld cases, %lld case themes, %lld case deadlines, %lld response-day rows\n",
                static_cast<long long>(counts.getColumn(0).getInt64()),
                static_cast<long long>(counts.getColumn(1).getInt64()),
                static_cast<long long>(counts.getColumn(2).getInt64()),
                static_cast<long long>(counts.getColumn(3).getInt64()));
  }
  std::printf("floor: SELECT count(*), sum(score) FROM responses: %.1f ms (median of %d)\n", floor_ms,
              opt.runs);
  bench::result("reports.floor_ms", floor_ms, 2);

  struct Item {
    const char* name;
    std::function<Status()> run;
  };
  auto st = [](auto r) { return r.status(); };
  ThemeCaseQuery tq;
  tq.theme = "billing";
  tq.segment = "smb";
  std::vector<Item> items = {
      {"nps_by_segment_week_all", [&] { return st(reports.nps({all, Period::kWeek, true})); }},
      {"nps_by_segment_month_all", [&] { return st(reports.nps({all, Period::kMonth, true})); }},
      {"detractors_flareups_month_all", [&] { return st(reports.detractors({all, Period::kMonth, {}})); }},
      {"detractors_flareups_week_all", [&] { return st(reports.detractors({all, Period::kWeek, {}})); }},
      {"themes_all", [&] { return st(reports.themes({all, std::nullopt, std::nullopt})); }},
      {"theme_ranking_by_segment_all", [&] { return st(reports.theme_ranking(all, true)); }},
      {"timing_by_segment_month", [&] { return st(reports.timing({month, std::nullopt, true})); }},
      {"timing_by_segment_all", [&] { return st(reports.timing({all, std::nullopt, true})); }},
      {"scorecard_all", [&] { return st(reports.scorecard({all, std::nullopt})); }},
      {"saturation_month_200", [&] { return st(reports.saturation({month, 200})); }},
      {"cases_with_theme_billing_smb", [&] { return st(reports.cases_with_theme(tq)); }},
      {"case_flow_month", [&] { return st(reports.case_flow("detractor-followup", month)); }},
  };
  // The loss-review agenda and the issue features, through the Engine as
  // the CLI and the HTTP API run them, "now" just after the data.
  FixedClock clock(now);
  Engine engine(**store, clock, config->company, config->registry);
  const auto agenda_month = date::year_month(date::year(2026), date::month(11));
  std::int64_t candidate_count = 0;
  std::optional<CaseId> link_issue;
  {
    auto issues = engine.issues(true);
    if (!issues.ok()) return std::cerr << issues.status().to_string() << "\n", 1;
    for (const auto& v : *issues) {
      if (v.record.theme == "support responsiveness" && v.record.segment.empty()) link_issue = v.record.id;
    }
    if (!link_issue) return std::cerr << "no open issue 'support responsiveness' in the database\n", 1;
  }
  {
    // Freeze the November agenda as the tick does at its cut-off, once
    // (a --reuse run finds it frozen), then read it frozen.
    auto scheduled = engine.schedule_reviews(now);
    if (!scheduled.ok()) return std::cerr << scheduled.to_string() << "\n", 1;
    auto frozen = engine.freeze_due_agendas(now + std::chrono::hours(24 * 6));
    if (!frozen.ok()) return std::cerr << frozen.status().to_string() << "\n", 1;
  }
  LinkResult last_link;
  std::vector<Item> engine_items = {
      {"agenda_live_month", [&] { return st(engine.review_agenda(agenda_month, true)); }},
      {"agenda_frozen_read", [&] { return st(engine.review_agenda(agenda_month, false)); }},
      {"issue_candidates", [&] {
         auto c = engine.issue_candidates();
         if (c.ok()) candidate_count = static_cast<std::int64_t>(c->size());
         return c.status();
       }},
      {"link_all_matching_rerun", [&] {
         auto r = engine.link_to_issue(*link_issue, std::nullopt, PersonId("ines.ops"));
         if (r.ok()) last_link = *r;
         return r.status();
       }},
  };
  const std::size_t report_items = items.size();
  items.insert(items.end(), engine_items.begin(), engine_items.end());

  std::printf("%-34s %10s %10s %8s\n", "report", "median ms", "floor ms", "ratio");
  double worst = 0, worst_report = 0;
  for (const auto& item : items) {
    Status failed;
    const double ms = time_ms(opt.runs, [&] {
      Status s = item.run();
      if (!s.ok()) failed = s;
    });
    if (!failed.ok()) return std::cerr << item.name << ": " << failed.to_string() << "\n", 1;
    worst = std::max(worst, ms);
    if (&item - items.data() < static_cast<std::ptrdiff_t>(report_items)) worst_report = std::max(worst_report, ms);
    std::printf("%-34s %10.1f %10.1f %8.2f\n", item.name, ms, floor_ms, ms / floor_ms);
    bench::result(std::string("reports.") + item.name + "_ms", ms, 2);
  }
  bench::result("reports.worst_report_ms", worst_report, 2);
  bench::result("reports.worst_ms", worst, 2);
  {
    auto a = engine.review_agenda(agenda_month, true);
    if (!a.ok()) return std::cerr << a.status().to_string() << "\n", 1;
    std::int64_t open = 0;
    for (const auto& s : a->detractors_open_by_state) open += s.open;
    std::printf("agenda %s: %lld lost (sample %zu), %lld loss cases, %lld detractor cases opened, "
                "%lld closed, %lld open, %lld overdue, %lld contacted, %zu top issues, %zu themes, "
                "%zu flare-ups\n",
                a->month.c_str(), static_cast<long long>(a->lost_customers), a->callback_sample.size(),
                static_cast<long long>(a->loss_cases.total),
                static_cast<long long>(a->detractors_opened.total),
                static_cast<long long>(a->detractors_closed.total), static_cast<long long>(open),
                static_cast<long long>(a->overdue.total), static_cast<long long>(a->outreach_contacted),
                a->top_issues.size(), a->analytics.top_themes.size(), a->analytics.flare_ups.size());
    std::printf("issue candidates: %lld; link all matching (support responsiveness, rerun): %zu newly "
                "linked, %zu already\n",
                static_cast<long long>(candidate_count), last_link.linked.size(), last_link.already.size());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto next = [&]() -> std::string {
      if (i + 1 >= args.size()) {
        std::cerr << "report_bench: " << args[i] << " needs a value\n";
        std::exit(2);
      }
      return args[++i];
    };
    if (args[i] == "--config") opt.config = next();
    else if (args[i] == "--responses") opt.responses = std::stoll(next());
    else if (args[i] == "--cases") opt.cases = std::stoll(next());
    else if (args[i] == "--runs") opt.runs = std::stoi(next());
    else if (args[i] == "--seed") opt.seed = static_cast<unsigned>(std::stoul(next()));
    else if (args[i] == "--reuse") opt.reuse = true;
    else if (opt.dir.empty() && !args[i].starts_with("--")) opt.dir = args[i];
    else {
      std::cerr << "usage: report_bench DIR --config COMPANY.yaml [--responses N] [--cases N] [--runs N] [--seed N]\n";
      return 2;
    }
  }
  if (opt.dir.empty() || opt.config.empty() || opt.responses < 1 || opt.cases < 0 || opt.runs < 1) {
    std::cerr << "usage: report_bench DIR --config COMPANY.yaml [--responses N] [--cases N] [--runs N] [--seed N]\n";
    return 2;
  }
  std::filesystem::create_directories(opt.dir);
  if (!opt.reuse) {
    if (int rc = build(opt)) return rc;
  }
  return measure(opt);
}

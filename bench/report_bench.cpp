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
// installed first (zone offsets), then every response and case row is
// inserted with plain SQL, then storage::rebuild_summaries fills the
// summaries (response_days, case_deadlines, theme_days, ...) exactly as
// insert_response / insert_case do. Cases are detractor-followup cases in
// every stage: in callback (pending), unreachable (cancelled), or past k of
// the six steps (each met 80% / missed 20%), half of them closed; themes
// (1-2 of 7) and first contact on the contacted ones; 12 owners.
//
// Output: a line per report, and RESULT lines for bench/run.sh.

#include <algorithm>
#include <iostream>
#include <random>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "bench/bench_util.h"
#include "engine/configuration.h"
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
  auto start = bench::Clock::now();
  // Responses: enterprise 15%, mid-market 30%, smb 55%; 40% detractors.
  std::vector<std::pair<std::int64_t, int>> detractors;  // (responded_at, segment)
  {
    SQLite::Transaction txn(db);
    SQLite::Statement ins(db,
                          "INSERT INTO responses (response_id, customer_id, customer_name, segment, "
                          "arr, score, comment, responded_at, received_at) VALUES (?1, ?2, ?3, ?4, "
                          "?5, ?6, '', ?7, ?7)");
    for (std::int64_t i = 0; i < opt.responses; ++i) {
      const std::int64_t r = uniform(100);
      const int seg = r < 15 ? 0 : r < 45 ? 1 : 2;
      const double arr = seg == 0 ? 100000 + uniform(400000) : seg == 1 ? 20000 + uniform(80000) : 1000 + uniform(19000);
      const int score = uniform(100) < 40 ? static_cast<int>(uniform(7)) : 7 + static_cast<int>(uniform(4));
      const std::int64_t at = kStart + uniform(kSpan);
      const std::string id = "R" + std::to_string(i);
      const std::string cust = "C" + std::to_string(uniform(opt.responses / 4 + 1));
      ins.bind(1, id);
      ins.bind(2, cust);
      ins.bind(3, cust);
      ins.bind(4, kSegments[seg]);
      ins.bind(5, arr);
      ins.bind(6, score);
      ins.bind(7, at);
      ins.exec();
      ins.reset();
      if (score <= 6) detractors.emplace_back(at, seg);
    }
    txn.commit();
  }
  std::printf("fixture: %lld responses in %.1f s\n", static_cast<long long>(opt.responses),
              bench::seconds_since(start));
  start = bench::Clock::now();
  {
    SQLite::Transaction txn(db);
    SQLite::Statement ins(
        db,
        "INSERT INTO cases (workflow, workflow_version, state, owner, queue, priority, customer_id, "
        "customer_name, segment, arr, score, responses, responded_at, opened_at, state_entered_at, "
        "closed_at, version, data, deadlines, overdue_since, themes, first_contact_at) VALUES "
        "('detractor-followup', 1, ?1, ?2, '', 1, ?3, ?3, ?4, ?5, ?6, '[]', ?7, ?7, ?7, ?8, 3, "
        "'{}', ?9, NULL, ?10, ?11)");
    for (std::int64_t i = 0; i < opt.cases; ++i) {
      const auto& [opened, seg] = detractors[static_cast<std::size_t>(i) % detractors.size()];
      const double arr = seg == 0 ? 100000 + uniform(400000) : seg == 1 ? 20000 + uniform(80000) : 1000 + uniform(19000);
      // Stage: 0 callback open, 1 unreachable, 2..7 = past k = stage-1 steps (7: all six).
      const int stage = static_cast<int>(uniform(8));
      const bool closed = stage == 1 || stage == 7 || (stage >= 2 && uniform(2) == 0);
      std::string deadlines = "[";
      auto add = [&](int step, const char* status, std::int64_t due, std::optional<std::int64_t> resolved) {
        if (deadlines.size() > 1) deadlines += ",";
        deadlines += std::string("{\"name\":\"") + kSteps[step] + "\",\"state\":\"" + kStates[step] +
                     "\",\"due_at\":" + std::to_string(due) + ",\"status\":\"" + status +
                     "\",\"done\":" + (resolved ? "true" : "false") +
                     ",\"paused_at\":null,\"resolved_at\":" +
                     (resolved ? std::to_string(*resolved) : std::string("null")) + "}";
      };
      const std::int64_t dues[] = {5, 14, 21, 28, 42, 47};
      std::optional<std::int64_t> contact;
      std::string state = "callback";
      if (stage == 0) {
        add(0, "pending", opened + dues[0] * 86400, std::nullopt);
      } else if (stage == 1) {
        contact = opened + uniform(6 * 86400);
        add(0, "cancelled", opened + dues[0] * 86400, *contact);
        state = "unreachable";
      } else {
        const int k = stage - 1;  // steps passed
        contact = opened + uniform(6 * 86400);
        for (int s = 0; s < k && s < 6; ++s) {
          const bool met = uniform(10) < 8;
          const std::int64_t due = opened + dues[s] * 86400;
          add(s, met ? "met" : "missed", due, met ? due - uniform(86400) : due);
        }
        if (!closed && k < 6) add(k, "pending", opened + dues[k] * 86400, std::nullopt);
        state = closed ? "closed" : kStates[std::min(k, 5)];
      }
      deadlines += "]";
      std::string themes = "[]";
      if (contact) {
        const int a = static_cast<int>(uniform(7));
        const int b = static_cast<int>(uniform(7));
        themes = a == b ? std::string("[\"") + kThemes[a] + "\"]"
                        : std::string("[\"") + kThemes[std::min(a, b)] + "\",\"" + kThemes[std::max(a, b)] + "\"]";
      }
      const std::string cust = "D" + std::to_string(i);
      ins.bind(1, state);
      ins.bind(2, kOwners[uniform(12)]);
      ins.bind(3, cust);
      ins.bind(4, kSegments[seg]);
      ins.bind(5, arr);
      ins.bind(6, static_cast<int>(uniform(7)));
      ins.bind(7, opened);
      if (closed) ins.bind(8, opened + 20 * 86400 + uniform(40 * 86400));
      else ins.bind(8);
      ins.bind(9, deadlines);
      ins.bind(10, themes);
      if (contact) ins.bind(11, *contact);
      else ins.bind(11);
      ins.exec();
      ins.reset();
    }
    txn.commit();
  }
  std::printf("fixture: %lld cases in %.1f s\n", static_cast<long long>(opt.cases),
              bench::seconds_since(start));
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
  const std::vector<Item> items = {
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
  std::printf("%-34s %10s %10s %8s\n", "report", "median ms", "floor ms", "ratio");
  double worst = 0;
  for (const auto& item : items) {
    Status failed;
    const double ms = time_ms(opt.runs, [&] {
      Status s = item.run();
      if (!s.ok()) failed = s;
    });
    if (!failed.ok()) return std::cerr << item.name << ": " << failed.to_string() << "\n", 1;
    worst = std::max(worst, ms);
    std::printf("%-34s %10.1f %10.1f %8.2f\n", item.name, ms, floor_ms, ms / floor_ms);
    bench::result(std::string("reports.") + item.name + "_ms", ms, 2);
  }
  bench::result("reports.worst_ms", worst, 2);
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

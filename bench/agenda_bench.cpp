// agenda_bench: the loss-review agenda (Engine::review_agenda, live, with
// the analytics sections) over an existing database, e.g. one kept by
// import_bench or tick_bench (--keep) at a million responses.
//
//   agenda_bench DB [--month YYYY-MM] [--runs 7] [--now T] [--mmap-mib N] [--cache-mib N] [--profile | --profile-cold]
//
// Opens DB (initialised with a company that has a loss_review), builds the
// month's agenda --runs times in a row and prints each time, the median
// and the agenda's totals (to show it read the data), plus "RESULT
// key=value" lines for bench/run.sh. The budget (issue 4): under 200 ms at
// 1,000,000 responses and 400,000 cases. Each run's CPU time (user +
// system) is printed beside its wall time: on a shared machine it varies
// less with the load. --profile adds the SQL statements by total time
// over the runs after the first (SQLite's own per-statement timing,
// sqlite3_trace_v2 SQLITE_TRACE_PROFILE), to see which section grows;
// --profile-cold the same for the first run alone (a fresh connection: the
// pages go into the page cache). --mmap-mib N maps the file as `turnaround
// serve --mmap-mib N` does (default 0, as the CLI and the server);
// --cache-mib N sets the page cache (default 64 as the CLI; 16 as one of
// the server's reader connections).
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "engine/clock.h"
#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/sqlite_store.h"

using namespace turnaround;

namespace {

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "agenda_bench: " << problem
            << "\nusage: agenda_bench DB [--month YYYY-MM] [--runs N] [--now T] [--mmap-mib N] [--cache-mib N] [--profile | --profile-cold]\n";
  std::exit(2);
}

// The value of option `name`: a whole number >= `min`, or usage().
int whole_number(const std::string& name, const std::string& v, int min) {
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < min) {
    usage(name + " must be a whole number >= " + std::to_string(min) + ", not '" + v + "'");
  }
  return n;
}

// --profile: time and count per statement text, summed while `on`.
struct StatementTime {
  std::int64_t ns = 0;
  std::int64_t count = 0;
};
std::map<std::string, StatementTime> g_profile;
bool g_profile_on = false;

int on_trace(unsigned, void*, void* stmt, void* ns) {
  if (!g_profile_on) return 0;
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  StatementTime& t = g_profile[sql ? sql : "?"];
  t.ns += static_cast<std::int64_t>(*static_cast<sqlite3_int64*>(ns));
  ++t.count;
  return 0;
}

// Registered with sqlite3_auto_extension: runs on every connection opened
// afterwards, so the store's own connection is traced without access to it.
int trace_connection(sqlite3* db, char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, on_trace, nullptr);
  return SQLITE_OK;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage("DB is required");
  std::string db = argv[1], month_text = "2026-11";
  int runs = 7;
  std::optional<Instant> now;
  bool profile = false, cold_profile = false;
  int mmap_mib = 0;  // as the CLI and the server by default
  int cache_mib = storage::SqliteOptions().cache_mib;  // the CLI's; a server reader has a quarter
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--profile" || a == "--profile-cold") {
      profile = true;
      cold_profile = a == "--profile-cold";
      continue;
    }
    if (i + 1 >= argc) usage("missing value of " + a);
    std::string v = argv[++i];
    if (a == "--month") month_text = v;
    else if (a == "--runs") runs = whole_number(a, v, 1);
    else if (a == "--mmap-mib") mmap_mib = whole_number(a, v, 0);
    else if (a == "--cache-mib") cache_mib = whole_number(a, v, 1);
    else if (a == "--now") {
      auto t = parse_instant(v);
      if (!t.ok()) usage(t.status().message());
      now = *t;
    } else {
      usage("unknown option " + a);
    }
  }
  auto month = parse_month(month_text);
  if (!month.ok()) usage(month.status().message());
  if (profile) sqlite3_auto_extension(reinterpret_cast<void (*)()>(trace_connection));
  storage::SqliteOptions options;
  options.create_if_missing = false;
  options.mmap_mib = mmap_mib;
  options.cache_mib = cache_mib;
  auto store = storage::SqliteStore::open(db, options);
  if (!store.ok()) usage(store.status().to_string());
  auto config = load_configuration(**store);
  if (!config.ok()) usage(config.status().to_string());
  if (!config->company.loss_review) usage("the company has no loss_review: section");
  FixedClock clock(now.value_or(Instant(std::chrono::floor<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()))));
  Engine engine(**store, clock, config->company, config->registry);
  std::vector<double> ms, cpu_ms;
  Agenda last;
  for (int i = 0; i < runs; ++i) {
    // The first run fills the page cache (--profile-cold profiles it alone).
    g_profile_on = profile && (cold_profile ? i == 0 : i > 0);
    const double cpu_start = bench::cpu_seconds();
    const auto start = bench::Clock::now();
    auto a = engine.review_agenda(*month, /*live=*/true);
    const double t = bench::seconds_since(start) * 1000.0;
    const double cpu = (bench::cpu_seconds() - cpu_start) * 1000.0;
    if (!a.ok()) usage(a.status().to_string());
    last = std::move(*a);
    ms.push_back(t);
    cpu_ms.push_back(cpu);
    std::cout << "run " << i + 1 << ": " << t << " ms (cpu " << cpu << " ms)\n";
  }
  g_profile_on = false;
  auto median_of = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double median = median_of(ms);
  const double cpu_median = median_of(cpu_ms);
  std::int64_t open = 0;
  for (const auto& s : last.detractors_open_by_state) open += s.open;
  std::cout << "agenda " << last.month << ": " << last.lost_customers << " lost, "
            << last.detractors_opened.total << " detractor cases opened, "
            << last.detractors_closed.total << " closed, " << open << " open, "
            << last.overdue.total << " overdue, " << last.outreach_contacted << " contacted\n"
            << "median " << median << " ms (cpu " << cpu_median << " ms) over " << runs
            << " runs (budget 200 ms)\n";
  const int profiled = cold_profile ? 1 : runs - 1;
  if (profile && profiled > 0) {
    std::vector<std::pair<std::string, StatementTime>> rows(g_profile.begin(), g_profile.end());
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
    const double per_run = 1e6 * profiled;
    double total = 0;
    for (const auto& [sql, t] : rows) total += static_cast<double>(t.ns) / per_run;
    if (cold_profile) {
      std::printf("SQL of run 1 (cold cache): %.1f ms in all statements\n", total);
    } else {
      std::printf("SQL per run (runs 2..%d): %.1f ms in all statements\n", runs, total);
    }
    for (const auto& [sql, t] : rows) {
      std::printf("%8.2f ms %6.0f x  %.160s\n", static_cast<double>(t.ns) / per_run,
                  static_cast<double>(t.count) / profiled, sql.c_str());
    }
  }
  bench::result("agenda_median_ms", median, 1);
  bench::result("agenda_cpu_median_ms", cpu_median, 1);
  bench::result("agenda_first_ms", ms.front(), 1);
  return 0;
}

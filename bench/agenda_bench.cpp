// agenda_bench: the loss-review agenda (Engine::review_agenda, live, with
// the analytics sections) over an existing database, e.g. one kept by
// import_bench or tick_bench (--keep) at a million responses.
//
//   agenda_bench DB [--month YYYY-MM] [--runs 7] [--now T]
//
// Opens DB (initialised with a company that has a loss_review), builds the
// month's agenda --runs times in a row and prints each time, the median
// and the agenda's totals (to show it read the data), plus "RESULT
// key=value" lines for bench/run.sh. The budget (issue 4): under 200 ms at
// 1,000,000 responses and 400,000 cases.
#include <algorithm>
#include <cstdlib>
#include <iostream>
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
            << "\nusage: agenda_bench DB [--month YYYY-MM] [--runs N] [--now T]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage("DB is required");
  std::string db = argv[1], month_text = "2026-11";
  int runs = 7;
  std::optional<Instant> now;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage("missing value of " + a);
    std::string v = argv[++i];
    if (a == "--month") month_text = v;
    else if (a == "--runs") runs = std::max(1, std::atoi(v.c_str()));
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
  storage::SqliteOptions options;
  options.create_if_missing = false;
  auto store = storage::SqliteStore::open(db, options);
  if (!store.ok()) usage(store.status().to_string());
  auto config = load_configuration(**store);
  if (!config.ok()) usage(config.status().to_string());
  if (!config->company.loss_review) usage("the company has no loss_review: section");
  FixedClock clock(now.value_or(Instant(std::chrono::floor<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()))));
  Engine engine(**store, clock, config->company, config->registry);
  std::vector<double> ms;
  Agenda last;
  for (int i = 0; i < runs; ++i) {
    const auto start = bench::Clock::now();
    auto a = engine.review_agenda(*month, /*live=*/true);
    const double t = bench::seconds_since(start) * 1000.0;
    if (!a.ok()) usage(a.status().to_string());
    last = std::move(*a);
    ms.push_back(t);
    std::cout << "run " << i + 1 << ": " << t << " ms\n";
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  std::int64_t open = 0;
  for (const auto& s : last.detractors_open_by_state) open += s.open;
  std::cout << "agenda " << last.month << ": " << last.lost_customers << " lost, "
            << last.detractors_opened.total << " detractor cases opened, "
            << last.detractors_closed.total << " closed, " << open << " open, "
            << last.overdue.total << " overdue, " << last.outreach_contacted << " contacted\n"
            << "median " << median << " ms over " << runs << " runs (budget 200 ms)\n";
  bench::result("agenda_median_ms", median, 1);
  bench::result("agenda_first_ms", ms.front(), 1);
  return 0;
}

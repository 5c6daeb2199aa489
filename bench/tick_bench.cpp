// tick_bench: Engine::tick over a database holding hundreds of thousands of
// pending timers, against the raw SQLite floor of the same row operations
// measured in the same run.
//
//   tick_bench OUTDIR [--cases 260000] [--config examples/acme/company.yaml]
//              [--batch 1000] [--sync normal|full] [--keep]
//
// 1. build  A fresh database initialised by install_configuration, then
//           --cases detractor responses, one per customer, ingested by
//           Engine::ingest_responses in batches of 10,000 at T0 (Monday
//           2026-11-02 09:00 Berlin). Each opens a detractor-followup case that
//           moves at once to `callback`, whose deadline (1, 2 or 5 business
//           days, by danger zone / heavy hitter) has two pending timers: the
//           deadline and its reminder. The responses are synthetic and
//           deterministic (scores 0..6, ARR over the three segments).
// 2. tick   Engine::tick(T1) with T1 = T0 + 14 days, after every callback
//           deadline and both escalation levels: each case's reminder fires
//           (history, notification), its deadline is missed (case row
//           rewritten, history, next timer: escalation level 1, already due,
//           so it fires in the same run: priority raised, notifications,
//           history, next timer: level 2, also due, which fires too). So each
//           case fires about 4 timers, 2 of them created during the run.
//           tick_batch_size timers per transaction (default 1000, as
//           EngineOptions).
// 3. floor  On a copy of the database as it was before the tick, the raw
//           SQLite cost of the equivalent row operations, with prepared
//           SQLiteCpp statements in transactions of the same size: the same
//           due scan, and for each timer UPDATE the timer row (fired), UPDATE
//           the case row (version, deadlines JSON, overdue_since), INSERT a
//           history row, INSERT a next timer (due at once while the number of
//           timers fired by the engine is not reached, so both process the
//           same number). No JSON is parsed or built, no notification written.
//
// Output: readable lines, plus "RESULT key=value" lines for bench/run.sh.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "bench/bench_util.h"
#include "engine/clock.h"
#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/sqlite_store.h"

namespace fs = std::filesystem;
using namespace turnaround;

namespace {

std::int64_t to_seconds(Instant t) { return t.time_since_epoch().count(); }

struct Options {
  std::string out_dir;
  std::string config = "examples/acme/company.yaml";
  std::int64_t cases = 260000;
  int batch = 1000;
  bool sync_full = false;
  bool keep = false;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "tick_bench: " << problem
            << "\nusage: tick_bench OUTDIR [--cases N] [--config FILE] [--batch N]"
               " [--sync normal|full] [--keep]\n";
  std::exit(2);
}

Options parse_args(int argc, char** argv) {
  Options o;
  std::vector<std::string> pos;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--config") o.config = value();
    else if (a == "--cases") o.cases = std::stoll(value());
    else if (a == "--batch") o.batch = std::stoi(value());
    else if (a == "--sync") {
      std::string v = value();
      if (v != "normal" && v != "full") usage("--sync: normal or full");
      o.sync_full = v == "full";
    } else if (a == "--keep") o.keep = true;
    else if (a.starts_with("--")) usage("unknown option " + a);
    else pos.push_back(a);
  }
  if (pos.size() != 1) usage("expected OUTDIR");
  if (o.cases <= 0 || o.batch <= 0) usage("--cases and --batch must be > 0");
  o.out_dir = pos[0];
  return o;
}

// Deterministic 64-bit LCG (Knuth MMIX constants).
struct Lcg {
  std::uint64_t s;
  std::uint64_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

const char* const kComments[] = {
    "Support takes days to answer and the answers do not solve the problem.",
    "Too many clicks for simple things.",
    "Reports are fine, but the app is slow on larger data sets. Exports to Excel still break.",
    "The price went up again and we do not see what we get for it.",
    "Nobody told us about the migration; half the team could not log in on Monday.",
    "",
};

// One detractor response per customer, `n` of them, answered before t0.
std::vector<Numbered<Response>> synthetic_detractors(std::int64_t n, Instant t0) {
  std::vector<Numbered<Response>> out;
  out.reserve(static_cast<std::size_t>(n));
  Lcg rng{42};
  for (std::int64_t i = 0; i < n; ++i) {
    Response r;
    r.response_id = ResponseId("T-" + std::to_string(i + 1));
    char cid[32];
    std::snprintf(cid, sizeof cid, "CUST-T%07lld", static_cast<long long>(i + 1));
    r.customer_id = CustomerId(cid);
    r.customer_name = "Tick Customer " + std::to_string(i + 1) + " GmbH";
    const std::int64_t seg = rng.between(0, 99);
    if (seg < 10) {
      r.segment = "enterprise";
      r.arr = static_cast<double>(rng.between(100, 400) * 1000);
    } else if (seg < 40) {
      r.segment = "mid-market";
      r.arr = static_cast<double>(rng.between(20, 99) * 1000);
    } else {
      r.segment = "smb";
      r.arr = static_cast<double>(rng.between(1, 19) * 1000);
    }
    r.score = static_cast<int>(rng.between(0, 6));
    r.comment = kComments[rng.between(0, 5)];
    r.responded_at = t0 - std::chrono::seconds(rng.between(600, 72 * 3600));
    out.push_back({i + 2, std::move(r)});
  }
  return out;
}

std::int64_t count(SQLite::Database& db, const std::string& sql) {
  return db.execAndGet(sql).getInt64();
}

struct Counts {
  std::int64_t cases = 0, pending = 0, timers = 0, history = 0, notifications = 0;
  std::int64_t pending_reminders = 0, pending_deadlines = 0, pending_escalations = 0;
};

Counts counts_of(const fs::path& p) {
  SQLite::Database db(p.string(), SQLite::OPEN_READONLY);
  Counts c;
  c.cases = count(db, "SELECT count(*) FROM cases");
  c.pending = count(db, "SELECT count(*) FROM timers WHERE status = 'pending'");
  c.pending_reminders = count(db, "SELECT count(*) FROM timers WHERE status = 'pending' AND kind = 'reminder'");
  c.pending_deadlines = count(db, "SELECT count(*) FROM timers WHERE status = 'pending' AND kind = 'deadline'");
  c.pending_escalations = count(db, "SELECT count(*) FROM timers WHERE status = 'pending' AND kind = 'escalation'");
  c.timers = count(db, "SELECT count(*) FROM timers");
  c.history = count(db, "SELECT count(*) FROM case_history");
  c.notifications = count(db, "SELECT count(*) FROM notifications");
  return c;
}

struct Installed {
  std::unique_ptr<storage::SqliteStore> store;
  LoadedConfig config;
};

Installed open_store(const fs::path& p, const Options& opt, bool install, Instant now) {
  storage::SqliteOptions so;
  so.synchronous_full = opt.sync_full;
  auto store = storage::SqliteStore::open(p.string(), so);
  if (!store.ok()) {
    std::cerr << "tick_bench: " << store.status().message() << "\n";
    std::exit(1);
  }
  if (install) {
    Diagnostics diags;
    auto installed = install_configuration(**store, opt.config, now, diags);
    if (!installed.ok()) {
      std::cerr << "tick_bench: " << installed.status().message() << "\n" << diags.to_string();
      std::exit(1);
    }
  }
  auto config = load_configuration(**store);
  if (!config.ok()) {
    std::cerr << "tick_bench: " << config.status().message() << "\n";
    std::exit(1);
  }
  return Installed{std::move(*store), std::move(*config)};
}

// The floor: see the file comment. Returns the seconds taken.
__attribute__((noinline)) double floor_tick(const fs::path& p, Instant now, std::int64_t to_fire, std::int64_t pending,
                  int batch, const std::string& deadlines_json, const std::string& history_json,
                  bool sync_full, std::int64_t& fired) {
  SQLite::Database db(p.string(), SQLite::OPEN_READWRITE);
  bench::configure_like_store(db, sync_full);
  SQLite::Statement due(db,
                        "SELECT id, case_id, due_at FROM timers WHERE status = 'pending' AND "
                        "due_at <= ?1 ORDER BY due_at, id LIMIT ?2");
  SQLite::Statement mark(db,
                         "UPDATE timers SET status = 'fired', fired_at = ?2, lateness_s = ?2 - due_at "
                         "WHERE id = ?1 AND status = 'pending'");
  SQLite::Statement upd(db,
                        "UPDATE cases SET version = version + 1, deadlines = ?2, overdue_since = ?3 "
                        "WHERE id = ?1");
  SQLite::Statement hist(db,
                         "INSERT INTO case_history (case_id, seq, at, event, from_state, to_state, actor, data) "
                         "VALUES (?1, (SELECT ifnull(max(seq), 0) + 1 FROM case_history WHERE case_id = ?1), "
                         "?2, 'deadline_missed', 'callback', 'callback', 'system', ?3)");
  SQLite::Statement next(db,
                         "INSERT INTO timers (case_id, deadline, kind, level, due_at, misfire, status) "
                         "VALUES (?1, 'callback', 'escalation', 0, ?2, 'fire_once', 'pending')");
  const std::int64_t t = to_seconds(now);
  const std::int64_t later = t + 30 * 86400;
  std::int64_t new_due = std::max<std::int64_t>(0, to_fire - pending);
  fired = 0;
  struct Row {
    std::int64_t id, case_id;
  };
  std::vector<Row> rows;
  auto start = bench::Clock::now();
  while (fired < to_fire) {
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    rows.clear();
    due.bind(1, t);
    due.bind(2, static_cast<std::int64_t>(std::min<std::int64_t>(batch, to_fire - fired)));
    while (due.executeStep()) rows.push_back({due.getColumn(0).getInt64(), due.getColumn(1).getInt64()});
    due.reset();
    if (rows.empty()) break;
    for (const Row& r : rows) {
      mark.bind(1, r.id);
      mark.bind(2, t);
      mark.exec();
      mark.reset();
      upd.bind(1, r.case_id);
      upd.bindNoCopy(2, deadlines_json);
      upd.bind(3, std::numeric_limits<std::int64_t>::min());
      upd.exec();
      upd.reset();
      hist.bind(1, r.case_id);
      hist.bind(2, t);
      hist.bindNoCopy(3, history_json);
      hist.exec();
      hist.reset();
      next.bind(1, r.case_id);
      next.bind(2, new_due > 0 ? t : later);
      if (new_due > 0) --new_due;
      next.exec();
      next.reset();
      ++fired;
    }
    txn.commit();
  }
  return bench::seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_args(argc, argv);
  std::error_code ec;
  fs::create_directories(opt.out_dir, ec);
  const Instant t0 = *parse_instant("2026-11-02T08:00:00Z");  // Monday 09:00 Berlin
  const Instant t1 = t0 + std::chrono::hours(24 * 14);
  const fs::path db_path = fs::path(opt.out_dir) / "tick.db";
  const fs::path floor_path = fs::path(opt.out_dir) / "tick_floor.db";
  std::printf("tick_bench: %lld cases in %s (tick batch %d, synchronous=%s)\n",
              static_cast<long long>(opt.cases), opt.out_dir.c_str(), opt.batch,
              opt.sync_full ? "FULL" : "NORMAL");
  bench::result("tick.batch", static_cast<std::int64_t>(opt.batch));
  const double sync_ms = bench::fsync_latency_ms(opt.out_dir);
  std::printf("disk:   4 KiB write + fdatasync: median %.2f ms\n", sync_ms);
  bench::result("tick.fsync_ms", sync_ms, 2);

  // ---- 1. Build ---------------------------------------------------------------
  bench::remove_db(db_path);
  {
    auto rows = synthetic_detractors(opt.cases, t0);
    Installed in = open_store(db_path, opt, true, t0);
    FixedClock clock(t0);
    Engine engine(*in.store, clock, in.config.company, in.config.registry);
    ImportSummary summary;
    const double cpu0 = bench::cpu_seconds();
    auto start = bench::Clock::now();
    std::vector<Numbered<Response>> batch;
    for (std::size_t i = 0; i < rows.size(); i += 10000) {
      batch.assign(rows.begin() + static_cast<std::ptrdiff_t>(i),
                   rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + 10000)));
      auto results = engine.ingest_responses(batch);
      if (!results.ok()) {
        std::cerr << "tick_bench: build: " << results.status().message() << "\n";
        return 1;
      }
      for (const auto& r : *results) summary.add(r);
    }
    const double secs = bench::seconds_since(start);
    std::printf("build:  %lld detractor responses -> %lld cases in %.1f s (cpu %.1f s; %.0f rows/s, all opening a case)\n",
                static_cast<long long>(summary.read), static_cast<long long>(summary.cases_opened),
                secs, bench::cpu_seconds() - cpu0, summary.read / secs);
    bench::result("tick.build_s", secs, 3);
    bench::result("tick.build_rows_per_s", summary.read / secs, 0);
  }  // closes the store: the WAL is checkpointed into the file
  const Counts before = counts_of(db_path);
  std::printf("        %lld cases, %lld pending timers (%lld reminders, %lld deadlines, %lld escalations); file %.0f MiB\n",
              static_cast<long long>(before.cases), static_cast<long long>(before.pending),
              static_cast<long long>(before.pending_reminders),
              static_cast<long long>(before.pending_deadlines),
              static_cast<long long>(before.pending_escalations), bench::file_mib(db_path));
  bench::result("tick.cases", before.cases);
  bench::result("tick.pending_before", before.pending);
  bench::remove_db(floor_path);
  fs::copy_file(db_path, floor_path);

  // ---- 2. Tick ----------------------------------------------------------------
  TickResult tr;
  double tick_secs = 0, tick_cpu = 0;
  {
    Installed in = open_store(db_path, opt, false, t1);
    FixedClock clock(t1);
    EngineOptions eo;
    eo.tick_batch_size = opt.batch;
    Engine engine(*in.store, clock, in.config.company, in.config.registry, eo);
    const double rss0 = bench::current_rss_mib();
    bench::reset_peak_rss();
    const double cpu0 = bench::cpu_seconds();
    auto start = bench::Clock::now();
    auto result = engine.tick(t1);
    tick_secs = bench::seconds_since(start);
    const double cpu = bench::cpu_seconds() - cpu0;
    tick_cpu = cpu;
    if (!result.ok()) {
      std::cerr << "tick_bench: tick: " << result.status().message() << "\n";
      return 1;
    }
    tr = *result;
    const double peak = bench::phase_peak_rss_mib();
    std::printf("tick:   %lld timers fired in %.2f s (cpu %.2f s) = %.0f timers/s (goal >= 30000) [%lld reminders, %lld deadlines missed, %lld escalations]\n",
                static_cast<long long>(tr.fired), tick_secs, cpu, tr.fired / tick_secs,
                static_cast<long long>(tr.reminders), static_cast<long long>(tr.deadlines_missed),
                static_cast<long long>(tr.escalations));
    std::printf("        RSS %.0f -> peak %.0f MiB (+%.0f)\n", rss0, peak, peak - rss0);
    bench::result("tick.fired", tr.fired);
    bench::result("tick.reminders", tr.reminders);
    bench::result("tick.deadlines_missed", tr.deadlines_missed);
    bench::result("tick.escalations", tr.escalations);
    bench::result("tick.engine_s", tick_secs, 3);
    bench::result("tick.engine_cpu_s", cpu, 3);
    bench::result("tick.engine_timers_per_s", tr.fired / tick_secs, 0);
    bench::result("tick.peak_rss_delta_mib", peak - rss0);
  }
  const Counts after = counts_of(db_path);
  std::printf("        wrote %lld history entries, %lld notifications, %lld new timers; %lld pending after\n",
              static_cast<long long>(after.history - before.history),
              static_cast<long long>(after.notifications - before.notifications),
              static_cast<long long>(after.timers - before.timers),
              static_cast<long long>(after.pending));
  bench::result("tick.history_written", after.history - before.history);
  bench::result("tick.notifications_written", after.notifications - before.notifications);
  bench::result("tick.timers_created", after.timers - before.timers);
  bench::result("tick.pending_after", after.pending);

  // Representative JSON texts for the floor, taken from what the engine wrote.
  std::string deadlines_json, history_json;
  {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    deadlines_json = db.execAndGet("SELECT deadlines FROM cases ORDER BY id LIMIT 1").getString();
    history_json = db.execAndGet(
                         "SELECT data FROM case_history WHERE event = 'deadline_missed' ORDER BY case_id, seq LIMIT 1")
                       .getString();
  }

  // ---- 3. Floor ---------------------------------------------------------------
  {
    const double rss0 = bench::current_rss_mib();
    bench::reset_peak_rss();
    std::int64_t fired = 0;
    const double cpu0 = bench::cpu_seconds();
    const double secs = floor_tick(floor_path, t1, tr.fired, before.pending, opt.batch,
                                   deadlines_json, history_json, opt.sync_full, fired);
    const double cpu = bench::cpu_seconds() - cpu0;
    const double rate = fired / secs;
    const double engine_rate = tr.fired / tick_secs;
    std::printf("floor:  %lld timers x (UPDATE timer, UPDATE case, INSERT history, INSERT timer) in %.2f s (cpu %.2f s) = %.0f timers/s; RSS %.0f -> peak %.0f MiB\n",
                static_cast<long long>(fired), secs, cpu, rate, rss0, bench::phase_peak_rss_mib());
    bench::result("tick.floor_cpu_s", cpu, 3);
    std::printf("ratio:  engine / floor = %.3f (by cpu time %.3f)\n", engine_rate / rate,
                (cpu / fired) / (tick_cpu / tr.fired));
    bench::result("tick.engine_cpu_ratio", (cpu / fired) / (tick_cpu / tr.fired), 3);
    bench::result("tick.floor_fired", fired);
    bench::result("tick.floor_s", secs, 3);
    bench::result("tick.floor_timers_per_s", rate, 0);
    bench::result("tick.engine_ratio", engine_rate / rate, 3);
  }

  std::printf("process peak RSS (getrusage, includes the build phase): %.0f MiB\n", bench::peak_rss_mib());
  bench::result("tick.process_peak_rss_mib", bench::peak_rss_mib());
  if (!opt.keep) {
    bench::remove_db(db_path);
    bench::remove_db(floor_path);
  }
  return 0;
}

// import_bench: the cost of importing survey responses, against the raw
// SQLite floor measured in the same run on the same machine.
//
//   import_bench RESPONSES.csv OUTDIR [--config examples/acme/company.yaml]
//                [--batch 10000] [--now 2026-11-02T08:00:00Z] [--sync normal|full]
//                [--floor-runs 3] [--no-schema-floor] [--skip-engine]
//
// Phases, each timed on its own (the rows are parsed once and kept in memory
// so the SQLite phases measure storage, not CSV parsing):
//  1. parse   the whole file with the project's reader (api/io/record_source.h)
//  2. floor   a fresh SQLite file, the same connection settings as
//             SqliteStore (WAL, synchronous, foreign_keys), a plain table with
//             the columns of the project's `responses` table (no key, no
//             index), every row inserted by one prepared SQLiteCpp statement
//             in ONE transaction. This is the floor the ratio is taken to.
//  3. schema  (informative) the same, into the project's real `responses`
//             table definition: its primary key and three indexes.
//  4. engine  a fresh database initialised by install_configuration(company
//             file), then Engine::ingest_responses in batches of --batch rows
//             (what `turnaround import` does), one transaction per batch.
// Peak RSS is reported per phase (the kernel's VmHWM, reset before each
// phase) and for the whole process (getrusage).
//
// Output: readable lines, plus "RESULT key=value" lines for bench/run.sh.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "api/io/record_source.h"
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
  std::string csv;
  std::string out_dir;
  std::string config = "examples/acme/company.yaml";
  std::size_t batch = 10000;
  std::string now = "2026-11-02T08:00:00Z";
  bool sync_full = false;
  bool schema_floor = true;
  bool engine = true;
  int floor_runs = 3;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "import_bench: " << problem
            << "\nusage: import_bench RESPONSES.csv OUTDIR [--config FILE] [--batch N] [--now ISO]"
               " [--sync normal|full] [--floor-runs 3] [--no-schema-floor] [--skip-engine]\n";
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
    else if (a == "--batch") o.batch = std::stoul(value());
    else if (a == "--now") o.now = value();
    else if (a == "--sync") {
      std::string v = value();
      if (v != "normal" && v != "full") usage("--sync: normal or full");
      o.sync_full = v == "full";
    } else if (a == "--no-schema-floor") o.schema_floor = false;
    else if (a == "--floor-runs") o.floor_runs = std::max(1, std::stoi(value()));
    else if (a == "--skip-engine") o.engine = false;
    else if (a.starts_with("--")) usage("unknown option " + a);
    else pos.push_back(a);
  }
  if (pos.size() != 2) usage("expected RESPONSES.csv and OUTDIR");
  if (o.batch == 0) usage("--batch must be > 0");
  o.csv = pos[0];
  o.out_dir = pos[1];
  return o;
}

// The columns of the project's `responses` table (storage/migrations.cpp),
// as a plain table: same names and types, no constraint, no index.
constexpr const char* kPlainTable = R"sql(
CREATE TABLE responses (
  response_id   TEXT,
  customer_id   TEXT,
  customer_name TEXT,
  segment       TEXT,
  arr           REAL,
  score         INTEGER,
  comment       TEXT,
  responded_at  INTEGER,
  received_at   INTEGER,
  case_id       INTEGER
))sql";

// The project's real definition of the table (without the REFERENCES
// clause, whose target table does not exist here; it is not checked on
// insert of a NULL case_id anyway).
constexpr const char* kSchemaTable = R"sql(
CREATE TABLE responses (
  response_id   TEXT PRIMARY KEY,
  customer_id   TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  segment       TEXT NOT NULL,
  arr           REAL NOT NULL,
  score         INTEGER NOT NULL,
  comment       TEXT NOT NULL DEFAULT '',
  responded_at  INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  case_id       INTEGER
);
CREATE INDEX responses_by_customer ON responses (customer_id);
CREATE INDEX responses_by_time_score ON responses (responded_at, score);
CREATE INDEX responses_by_segment_time_score ON responses (segment, responded_at, score);
)sql";

// Inserts every row in one transaction with one prepared statement; returns
// the seconds taken (including the commit).
__attribute__((noinline)) double floor_insert(const fs::path& db_path, const char* schema,
                    const std::vector<Numbered<Response>>& rows, Instant received_at,
                    bool sync_full) {
  bench::remove_db(db_path);
  SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  bench::configure_like_store(db, sync_full);
  static bool described = false;
  if (!described) {
    described = true;
    std::printf("        floor connection: %s\n", bench::describe_pragmas(db).c_str());
  }
  db.exec(schema);
  const std::int64_t received = to_seconds(received_at);
  auto start = bench::Clock::now();
  {
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement ins(db,
                          "INSERT INTO responses (response_id, customer_id, customer_name, "
                          "segment, arr, score, comment, responded_at, received_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const auto& n : rows) {
      const Response& r = n.item;
      ins.bindNoCopy(1, r.response_id.value);
      ins.bindNoCopy(2, r.customer_id.value);
      ins.bindNoCopy(3, r.customer_name);
      ins.bindNoCopy(4, r.segment);
      ins.bind(5, r.arr);
      ins.bind(6, r.score);
      ins.bindNoCopy(7, r.comment);
      ins.bind(8, static_cast<std::int64_t>(to_seconds(r.responded_at)));
      ins.bind(9, received);
      ins.exec();
      ins.reset();
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
  auto now_or = parse_instant(opt.now);
  if (!now_or.ok()) usage("--now: " + now_or.status().message());
  const Instant now = *now_or;

  std::printf("import_bench: %s -> %s (batch %zu, synchronous=%s)\n", opt.csv.c_str(),
              opt.out_dir.c_str(), opt.batch, opt.sync_full ? "FULL" : "NORMAL");
  bench::result_text("sqlite_version", SQLite::getLibVersion());
  const double sync_ms = bench::fsync_latency_ms(opt.out_dir);
  std::printf("disk:   4 KiB write + fdatasync: median %.2f ms\n", sync_ms);
  bench::result("import.fsync_ms", sync_ms, 2);
  bench::result("import.sync_full", static_cast<std::int64_t>(opt.sync_full));
  bench::result("import.batch", static_cast<std::int64_t>(opt.batch));

  // ---- 1. Parse -------------------------------------------------------------
  std::vector<Numbered<Response>> rows;
  std::int64_t row_errors = 0;
  {
    const double rss0 = bench::current_rss_mib();
    bench::reset_peak_rss();
    const double cpu0 = bench::cpu_seconds();
    auto start = bench::Clock::now();
    Diagnostics diags;
    api::SourceOptions so;
    so.kind = api::RecordKind::kResponse;
    auto source = api::open_record_source(opt.csv, so, diags);
    if (!source.ok()) {
      std::cerr << "import_bench: " << source.status().message() << "\n";
      return 1;
    }
    api::ParsedRow row;
    while ((*source)->next(row)) {
      if (const Response* r = row.response()) {
        rows.push_back({row.line, *r});
      } else {
        ++row_errors;
      }
    }
    if (Status s = (*source)->status(); !s.ok()) {
      std::cerr << "import_bench: " << s.message() << "\n";
      return 1;
    }
    const double secs = bench::seconds_since(start);
    const double size = bench::file_mib(opt.csv);
    std::printf("parse:  %zu rows (%lld bad) in %.2f s (cpu %.2f s) = %.0f rows/s, %.1f MiB/s; RSS %.0f -> peak %.0f MiB\n",
                rows.size(), static_cast<long long>(row_errors), secs, bench::cpu_seconds() - cpu0, rows.size() / secs,
                size / secs, rss0, bench::phase_peak_rss_mib());
    bench::result("import.rows", static_cast<std::int64_t>(rows.size()));
    bench::result("import.parse_errors", row_errors);
    bench::result("import.parse_s", secs, 3);
    bench::result("import.parse_rows_per_s", rows.size() / secs, 0);
    bench::result("import.parse_mib_per_s", size / secs);
    bench::result("import.parse_peak_rss_mib", bench::phase_peak_rss_mib());
  }
  std::int64_t detractors = 0;
  for (const auto& n : rows) detractors += n.item.score <= 6;
  std::printf("        %lld detractors (%.1f%%)\n", static_cast<long long>(detractors),
              rows.empty() ? 0.0 : 100.0 * detractors / rows.size());
  bench::result("import.detractors", detractors);
  if (rows.empty()) {
    std::cerr << "import_bench: no rows\n";
    return 1;
  }

  // ---- 2. Floor -------------------------------------------------------------
  // Run --floor-runs times (default 3) on a fresh file each time; the median
  // run is the floor (the machine may be shared, and this phase is short).
  double floor_rate = 0, floor_cpu = 0;
  {
    const double rss0 = bench::current_rss_mib();
    bench::reset_peak_rss();
    const fs::path p = fs::path(opt.out_dir) / "floor.db";
    struct Run {
      double secs, cpu;
    };
    std::vector<Run> runs;
    double size = 0;
    for (int i = 0; i < opt.floor_runs; ++i) {
      const double cpu0 = bench::cpu_seconds();
      const double secs = floor_insert(p, kPlainTable, rows, now, opt.sync_full);
      runs.push_back({secs, bench::cpu_seconds() - cpu0});
      size = bench::file_mib(p);
      bench::remove_db(p);
    }
    std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.secs < b.secs; });
    const Run median = runs[runs.size() / 2];
    floor_rate = rows.size() / median.secs;
    floor_cpu = median.cpu;
    std::printf("floor:  plain table, one transaction: median of %d: %.2f s (cpu %.2f s) = %.0f rows/s [runs %.2f..%.2f s]; RSS %.0f -> peak %.0f MiB; file %.0f MiB\n",
                opt.floor_runs, median.secs, median.cpu, floor_rate, runs.front().secs,
                runs.back().secs, rss0, bench::phase_peak_rss_mib(), size);
    bench::result("import.floor_s", median.secs, 3);
    bench::result("import.floor_cpu_s", median.cpu, 3);
    bench::result("import.floor_rows_per_s", floor_rate, 0);
    bench::result("import.floor_peak_rss_mib", bench::phase_peak_rss_mib());
  }

  // ---- 3. Floor with the real table definition (informative) ----------------
  if (opt.schema_floor) {
    bench::reset_peak_rss();
    const fs::path p = fs::path(opt.out_dir) / "floor_schema.db";
    const double cpu0 = bench::cpu_seconds();
    const double secs = floor_insert(p, kSchemaTable, rows, now, opt.sync_full);
    const double cpu = bench::cpu_seconds() - cpu0;
    std::printf("schema: responses table with its key and 3 indexes, one transaction: %.2f s (cpu %.2f s) = %.0f rows/s (%.2f x floor)\n",
                secs, cpu, rows.size() / secs, (rows.size() / secs) / floor_rate);
    bench::result("import.schema_floor_s", secs, 3);
    bench::result("import.schema_floor_rows_per_s", rows.size() / secs, 0);
    bench::remove_db(p);
  }

  // ---- 4. Engine ------------------------------------------------------------
  if (opt.engine) {
    const fs::path p = fs::path(opt.out_dir) / "engine.db";
    bench::remove_db(p);
    storage::SqliteOptions so;
    so.synchronous_full = opt.sync_full;
    auto store = storage::SqliteStore::open(p.string(), so);
    if (!store.ok()) {
      std::cerr << "import_bench: " << store.status().message() << "\n";
      return 1;
    }
    Diagnostics diags;
    auto installed = install_configuration(**store, opt.config, now, diags);
    if (!installed.ok()) {
      std::cerr << "import_bench: " << installed.status().message() << "\n" << diags.to_string();
      return 1;
    }
    auto config = load_configuration(**store);
    if (!config.ok()) {
      std::cerr << "import_bench: " << config.status().message() << "\n";
      return 1;
    }
    FixedClock clock(now);
    Engine engine(**store, clock, config->company, config->registry);

    const double rss0 = bench::current_rss_mib();
    bench::reset_peak_rss();
    ImportSummary summary;
    std::vector<Numbered<Response>> batch;
    batch.reserve(opt.batch);
    double slowest_batch = 0;
    const double cpu0 = bench::cpu_seconds();
    auto start = bench::Clock::now();
    for (std::size_t i = 0; i < rows.size(); i += opt.batch) {
      const std::size_t end = std::min(rows.size(), i + opt.batch);
      // Copying the batch is what the CLI does too (it builds the vector from
      // the reader); it is a small part of the time.
      batch.assign(rows.begin() + static_cast<std::ptrdiff_t>(i),
                   rows.begin() + static_cast<std::ptrdiff_t>(end));
      auto b0 = bench::Clock::now();
      auto results = engine.ingest_responses(batch);
      slowest_batch = std::max(slowest_batch, bench::seconds_since(b0));
      if (!results.ok()) {
        std::cerr << "import_bench: batch at row " << i << ": " << results.status().message() << "\n";
        return 1;
      }
      for (const auto& r : *results) summary.add(r);
    }
    const double secs = bench::seconds_since(start);
    const double cpu = bench::cpu_seconds() - cpu0;
    const double rate = rows.size() / secs;
    const double peak = bench::phase_peak_rss_mib();
    std::printf("engine: ingest_responses x %zu: %.2f s (cpu %.2f s) = %.0f rows/s = %.3f x floor (goal >= 0.333); by cpu time %.3f x floor\n",
                (rows.size() + opt.batch - 1) / opt.batch, secs, cpu, rate, rate / floor_rate,
                floor_cpu / cpu);
    bench::result("import.engine_cpu_s", cpu, 3);
    bench::result("import.engine_cpu_ratio", floor_cpu / cpu, 3);
    std::printf("        read %lld, opened %lld, attached %lld, recorded %lld, duplicates %lld, rejected %lld\n",
                static_cast<long long>(summary.read), static_cast<long long>(summary.cases_opened),
                static_cast<long long>(summary.attached), static_cast<long long>(summary.recorded),
                static_cast<long long>(summary.duplicates), static_cast<long long>(summary.rejected));
    std::printf("        slowest batch %.3f s; RSS %.0f -> peak %.0f MiB (+%.0f); file %.0f MiB\n",
                slowest_batch, rss0, peak, peak - rss0, bench::file_mib(p));
    bench::result("import.engine_s", secs, 3);
    bench::result("import.engine_rows_per_s", rate, 0);
    bench::result("import.engine_ratio", rate / floor_rate, 3);
    bench::result("import.cases_opened", summary.cases_opened);
    bench::result("import.attached", summary.attached);
    bench::result("import.recorded", summary.recorded);
    bench::result("import.rejected", summary.rejected);
    bench::result("import.slowest_batch_s", slowest_batch, 3);
    bench::result("import.engine_peak_rss_delta_mib", peak - rss0);
    bench::result("import.engine_db_mib", bench::file_mib(p));
  }

  std::printf("process peak RSS (getrusage, includes the %zu parsed rows held in memory): %.0f MiB\n",
              rows.size(), bench::peak_rss_mib());
  bench::result("import.process_peak_rss_mib", bench::peak_rss_mib());
  return 0;
}

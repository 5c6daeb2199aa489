// `turnaround import responses|churn FILE`: streams the file, hands the rows
// to the engine in batches (one transaction each), and prints
// {"read", "cases_opened", "attached", "duplicates", "rejected", "errors"}.
// Idempotent by response_id, so re-running after a crash loses and
// duplicates nothing.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <iostream>

#include "api/cli/commands.h"
#include "api/codec/case_json.h"
#include "api/codec/intake_json.h"
#include "api/io/record_source.h"

namespace turnaround::api {

namespace {

constexpr std::size_t kMaxErrorsListed = 1000;

struct Progress {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last = start;
  bool shown = false;
  bool enabled = true;

  // Shown once the import runs for more than two seconds, at most twice a second.
  void update(std::ostream& err, std::uint64_t done, std::uint64_t total, std::int64_t rows) {
    if (!enabled) return;
    auto now = std::chrono::steady_clock::now();
    if (now - start < std::chrono::seconds(2) || now - last < std::chrono::milliseconds(500)) return;
    last = now;
    shown = true;
    double secs = std::chrono::duration<double>(now - start).count();
    err << "\rimporting: " << rows << " rows";
    if (total > 0) err << " (" << (done * 100 / total) << "%)";
    err << ", " << static_cast<std::int64_t>(rows / secs) << " rows/s   " << std::flush;
  }
  void finish(std::ostream& err) {
    if (shown) err << "\n";
  }
};

}  // namespace

int cmd_import(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "format", "map", "now", "batch"}, {}, {"help", "quiet"}, 1, 2};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "import");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround import responses FILE --db PATH [--format csv|jsonl] [--map MAP.yaml] [--now T]\n"
              "turnaround import churn FILE --db PATH [--format csv|jsonl] [--now T]\n"
              "Options: --batch N rows per transaction (default 10000); --quiet: no progress.\n";
    return kExitOk;
  }
  const auto& pos = args.positional();
  if (pos.size() != 2) return usage(io, "expected: import responses|churn FILE", "import");
  RecordKind kind;
  if (pos[0] == "responses") kind = RecordKind::kResponse;
  else if (pos[0] == "churn") kind = RecordKind::kChurn;
  else return usage(io, "unknown import kind '" + pos[0] + "' (responses or churn)", "import");
  if (kind == RecordKind::kChurn && args.get("map")) {
    return usage(io, "--map is for responses only", "import");
  }
  std::size_t batch = 10000;
  if (auto b = args.get("batch")) {
    auto n = parse_whole_number(*b, 1, 1000000);
    if (!n) return usage(io, "--batch must be a whole number from 1 to 1000000", "import");
    batch = static_cast<std::size_t>(*n);
  }
  if (args.get("format") && *args.get("format") != "csv" && *args.get("format") != "jsonl" &&
      *args.get("format") != "ndjson") {
    return usage(io, "--format must be csv or jsonl", "import");
  }

  CliContext ctx;
  if (int rc = open_context(args, io, "import", ctx)) return rc;
  SourceOptions options;
  options.kind = kind;
  options.format = args.get("format").value_or("");
  options.map_path = args.get("map").value_or("");
  Diagnostics diags;
  auto source = open_record_source(pos[1], options, diags);
  if (!source.ok()) {
    io.err << source.status().message() << "\n";
    return kExitError;
  }

  ImportSummary summary;
  boost::json::array errors;
  std::vector<RowError> row_errors;
  auto note_error = [&](std::int64_t line, const std::string& message) {
    io.err << pos[1] << ":" << line << ": " << message << "\n";
    if (errors.size() < kMaxErrorsListed) {
      boost::json::object e;
      e["line"] = line;
      e["message"] = message;
      errors.emplace_back(std::move(e));
    }
  };
  std::vector<Numbered<Response>> responses;
  std::vector<Numbered<ChurnEvent>> churn;
  Progress progress;
  progress.enabled = !args.flag("quiet") && isatty(STDERR_FILENO);

  auto flush = [&]() -> Status {
    Result<std::vector<IntakeItemResult>> results =
        kind == RecordKind::kResponse ? ctx.engine->ingest_responses(responses)
                                      : ctx.engine->ingest_churn(churn);
    if (!results.ok()) return results.status();
    for (const auto& r : *results) {
      summary.add(r);
      if (r.outcome == IntakeOutcome::kRejected) note_error(r.line, r.error.message());
    }
    responses.clear();
    churn.clear();
    return Status();
  };

  ParsedRow row;
  while ((*source)->next(row)) {
    if (const RowError* e = row.error()) {
      ++summary.read;
      ++summary.rejected;
      note_error(e->line, e->message);
    } else if (const Response* r = row.response()) {
      responses.push_back({row.line, *r});
    } else if (const ChurnEvent* c = row.churn()) {
      churn.push_back({row.line, *c});
    }
    if (responses.size() + churn.size() >= batch) {
      if (Status s = flush(); !s.ok()) {
        progress.finish(io.err);
        return fail(io, s.with_context("import stopped; rows before this batch are saved, run the same import again to continue"));
      }
      progress.update(io.err, (*source)->bytes_read(), (*source)->total_bytes(), summary.read);
    }
  }
  if (Status s = flush(); !s.ok()) {
    progress.finish(io.err);
    return fail(io, s.with_context("import stopped; run the same import again to continue"));
  }
  progress.finish(io.err);
  if (Status s = (*source)->status(); !s.ok()) return fail(io, s);

  boost::json::object out = import_summary_to_json(summary);
  out["errors"] = std::move(errors);
  io.out << to_json_text(out);
  return summary.rejected > 0 ? kExitError : kExitOk;
}

}  // namespace turnaround::api

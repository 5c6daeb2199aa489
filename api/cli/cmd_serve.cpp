// `turnaround serve`: the HTTP API server (api/http/server.h).
#include <cmath>
#include <functional>
#include <iostream>

#include "api/cli/commands.h"
#include "api/http/server.h"

namespace turnaround::api {

namespace {

const char* kServeHelp =
    "turnaround serve --db PATH [--listen 127.0.0.1:8080] [options]\n"
    "Serves the HTTP API (docs/api.md) until SIGINT or SIGTERM, and fires timers as they fall due.\n"
    "The first line printed is 'listening on http://ADDRESS:PORT' (--listen HOST:0 picks a free port).\n"
    "Options (defaults in brackets):\n"
    "  --threads N            I/O threads [one per core]\n"
    "  --workers N            threads running requests against the database [2 per I/O thread]\n"
    "  --body-limit BYTES     largest request body, else 413 [1048576]\n"
    "  --header-limit BYTES   largest request header (256-65536), else 431 [16384]\n"
    "  --read-timeout T       time to read a whole request [10s]\n"
    "  --idle-timeout T       keep-alive wait for the next request [30s]\n"
    "  --write-timeout T      time to write a response [10s]\n"
    "  --max-connections N    open connections beyond which new ones get 503 [1000]\n"
    "  --ingest-batch N       most items per group commit of ingest requests [2000]\n"
    "  --timer-max-sleep T    longest sleep of the timer scheduler between looks [60s]\n"
    "  --shutdown-grace T     time in-flight requests get on SIGTERM/SIGINT [10s]\n"
    "  --mmap-mib N           memory-mapped reads of the database, MiB per connection, 0 = off [0]\n"
    "  --no-access-log        no per-request log lines on stderr\n"
    "  --no-inline-reads      run every request on the workers, even small reads (GET /v1/cases/{id})\n"
    "T is seconds, optionally with a unit: 2, 0.5, 500ms, 10s.\n";

std::optional<std::chrono::milliseconds> parse_time(const std::string& text) {
  std::string number = text;
  double scale = 1000;
  if (number.ends_with("ms")) {
    number.resize(number.size() - 2);
    scale = 1;
  } else if (number.ends_with("s")) {
    number.resize(number.size() - 1);
  }
  try {
    std::size_t used = 0;
    const double v = std::stod(number, &used);
    if (used != number.size() || !(v > 0) || !std::isfinite(v) || v * scale > 86400e3) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(std::max<long long>(1, std::llround(v * scale)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}


}  // namespace

int cmd_serve(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "listen", "threads", "workers", "body-limit", "header-limit", "read-timeout",
                "idle-timeout", "write-timeout", "max-connections", "ingest-batch",
                "timer-max-sleep", "shutdown-grace", "mmap-mib"},
               {},
               {"help", "no-access-log", "no-inline-reads"},
               0,
               0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "serve");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << kServeHelp;
    return kExitOk;
  }
  auto path = db_path(args);
  if (!path) return usage(io, "--db PATH (or the environment variable TURNAROUND_DB) is required", "serve");
  ServerOptions options;
  if (auto l = args.get("listen")) options.listen = *l;
  struct Count {
    const char* name;
    long long min, max;
    std::function<void(long long)> set;
  };
  const Count counts[] = {
      {"threads", 1, 256, [&](long long v) { options.io_threads = static_cast<int>(v); }},
      {"workers", 1, 1024, [&](long long v) { options.workers = static_cast<int>(v); }},
      {"body-limit", 1, 1LL << 32, [&](long long v) { options.body_limit = static_cast<std::size_t>(v); }},
      {"header-limit", 256, 65536, [&](long long v) { options.header_limit = static_cast<std::size_t>(v); }},
      {"max-connections", 1, 1000000, [&](long long v) { options.max_connections = static_cast<int>(v); }},
      {"ingest-batch", 1, 100000, [&](long long v) { options.ingest_batch_items = static_cast<std::size_t>(v); }},
      {"mmap-mib", 0, 1 << 20, [&](long long v) { options.mmap_mib = static_cast<int>(v); }},
  };
  for (const Count& c : counts) {
    auto text = args.get(c.name);
    if (!text) continue;
    auto v = parse_whole_number(*text, c.min, c.max);
    if (!v) {
      return usage(io, std::string("--") + c.name + " must be a whole number from " +
                           std::to_string(c.min) + " to " + std::to_string(c.max), "serve");
    }
    c.set(*v);
  }
  const std::pair<const char*, std::chrono::milliseconds*> times[] = {
      {"read-timeout", &options.read_timeout},       {"idle-timeout", &options.idle_timeout},
      {"write-timeout", &options.write_timeout},     {"timer-max-sleep", &options.scheduler_max_sleep},
      {"shutdown-grace", &options.shutdown_grace},
  };
  for (const auto& [name, slot] : times) {
    auto text = args.get(name);
    if (!text) continue;
    auto t = parse_time(*text);
    if (!t) return usage(io, std::string("--") + name + " must be a positive time such as 10, 0.5 or 500ms", "serve");
    *slot = *t;
  }
  options.access_log = !args.flag("no-access-log");
  options.inline_reads = !args.flag("no-inline-reads");
  return run_server(*path, options, io.out, io.err);
}

}  // namespace turnaround::api

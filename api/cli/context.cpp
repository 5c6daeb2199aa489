#include "api/cli/context.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace turnaround::api {

Instant SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

int fail(Io& io, const Status& s) {
  io.err << "turnaround: error: " << s.message() << "\n";
  if (!s.allowed().empty()) {
    io.err << "turnaround: allowed events:";
    for (const auto& e : s.allowed()) io.err << " " << e;
    io.err << "\n";
  }
  return kExitError;
}

int usage(Io& io, const std::string& message, const std::string& command) {
  io.err << "turnaround: usage: " << message << "\n"
         << "Try 'turnaround " << command << " --help' or see docs/cli.md.\n";
  return kExitUsage;
}

std::optional<std::string> db_path(const Args& args) {
  if (auto db = args.get("db")) return db;
  if (const char* env = std::getenv("TURNAROUND_DB"); env && *env) return std::string(env);
  return std::nullopt;
}

std::optional<Instant> now_option(const Args& args, Io& io, const std::string& command) {
  auto text = args.get("now");
  if (!text) return SystemClock().now();
  auto t = parse_instant(*text);
  if (!t.ok()) {
    usage(io, "--now: " + t.status().message(), command);
    return std::nullopt;
  }
  return *t;
}

int open_context(const Args& args, Io& io, const std::string& command, CliContext& ctx,
                 bool with_engine, bool create) {
  auto path = db_path(args);
  if (!path) return usage(io, "--db PATH (or the environment variable TURNAROUND_DB) is required", command);
  if (!create && !std::filesystem::exists(*path)) {
    return fail(io, not_found("no database at '" + *path + "': create it with `turnaround init --db " +
                              *path + " --config DIR`"));
  }
  auto now = now_option(args, io, command);
  if (!now) return kExitUsage;
  if (args.get("now")) ctx.clock = std::make_unique<FixedClock>(*now);
  else ctx.clock = std::make_unique<SystemClock>();
  storage::SqliteOptions options;
  options.create_if_missing = create;
  options.synchronous_full = true;  // an acknowledged command survives power loss too
  auto store = storage::SqliteStore::open(*path, options);
  if (!store.ok()) return fail(io, store.status());
  ctx.store = std::move(*store);
  if (!with_engine) return kExitOk;
  auto config = load_configuration(*ctx.store);
  if (!config.ok()) return fail(io, config.status());
  ctx.config = std::move(*config);
  ctx.engine = std::make_unique<Engine>(*ctx.store, *ctx.clock, ctx.config.company,
                                        ctx.config.registry);
  return kExitOk;
}

}  // namespace turnaround::api

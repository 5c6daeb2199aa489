#pragma once
// What every data command needs: the database (--db or TURNAROUND_DB), the
// configuration stored in it, the clock (--now or the system clock) and an
// Engine over them. Also the conventions of exit codes and error printing.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "api/cli/args.h"
#include "engine/clock.h"
#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/sqlite_store.h"

namespace turnaround::api {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

// The system clock, to the second. The only place that reads it.
class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

struct Io {
  std::ostream& out;
  std::ostream& err;
};

// Prints "turnaround: error: MESSAGE" and returns kExitError.
int fail(Io& io, const Status& s);
// Prints "turnaround: usage: MESSAGE" (and a hint) and returns kExitUsage.
int usage(Io& io, const std::string& message, const std::string& command);

struct CliContext {
  std::unique_ptr<storage::SqliteStore> store;
  std::unique_ptr<Clock> clock;
  LoadedConfig config;
  std::unique_ptr<Engine> engine;
};

// --db PATH or $TURNAROUND_DB; nullopt if neither.
std::optional<std::string> db_path(const Args& args);

// Opens the database (which must exist unless `create`), the clock and,
// if `with_engine`, the configuration and the Engine. Returns an exit code
// (kExitOk on success) after printing any error.
int open_context(const Args& args, Io& io, const std::string& command, CliContext& ctx,
                 bool with_engine = true, bool create = false);

// The instant of --now, or the system clock's now. nullopt (after a usage
// message) if --now does not parse.
std::optional<Instant> now_option(const Args& args, Io& io, const std::string& command);

}  // namespace turnaround::api

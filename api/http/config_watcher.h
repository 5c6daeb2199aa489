#pragma once
// ConfigWatcher: keeps a running server on the configuration stored in its
// database.
//
// `turnaround init` may store a new configuration while the server runs (a
// new workflow version, changed intake or assignment rules). Cases that the
// CLI then opens on a workflow version the server has not loaded would fail
// every write on them, and the first of their timers would stall the
// server's timers. So a thread reads the stored configuration's generation
// (one settings row) every `period`, and when it moved, loads the
// configuration and switches the engine to it (Engine::use_configuration):
// requests and ticks that begin afterwards use it.
//
// Thread-safety: stop() from one thread at a time; generation() from any.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "api/http/wakeup.h"
#include "engine/engine.h"
#include "engine/store.h"

namespace turnaround::api {

struct ConfigWatcherOptions {
  // Time between two looks at the stored generation. Default 1 s.
  std::chrono::milliseconds period{1000};
};

class ConfigWatcher {
 public:
  // Called with "configuration" and what was loaded, or with
  // "configuration_failed" and why, once per failure (the engine keeps the
  // one it has, and the next looks try again).
  using OnEvent = std::function<void(std::string_view event, std::string_view message)>;

  // Starts the thread. `generation` is the one the engine's configuration
  // came from. REQUIRES: `engine` and `store` outlive the watcher.
  ConfigWatcher(Engine& engine, Store& store, std::int64_t generation, ConfigWatcherOptions options,
                OnEvent on_event);
  // stop().
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Joins the thread. Idempotent.
  void stop();
  // The generation the engine now runs (for tests).
  std::int64_t generation() const;

 private:
  void run();
  void look();

  Engine& engine_;
  Store& store_;
  const ConfigWatcherOptions options_;
  const OnEvent on_event_;
  Wakeup wakeup_;
  std::atomic<std::int64_t> generation_;
  std::string last_failure_;  // the watcher's thread only
  std::thread thread_;       // last: starts after everything above exists
};

}  // namespace turnaround::api

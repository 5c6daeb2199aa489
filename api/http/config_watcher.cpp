#include "api/http/config_watcher.h"

#include <memory>
#include <string>

#include "api/http/thread_name.h"
#include "engine/configuration.h"

namespace turnaround::api {

ConfigWatcher::ConfigWatcher(Engine& engine, Store& store, std::int64_t generation,
                             ConfigWatcherOptions options, OnEvent on_event)
    : engine_(engine),
      store_(store),
      options_(options),
      on_event_(std::move(on_event)),
      generation_(generation),
      thread_([this] { run(); }) {}

ConfigWatcher::~ConfigWatcher() { stop(); }

void ConfigWatcher::stop() {
  wakeup_.stop();
  if (thread_.joinable()) thread_.join();
}

std::int64_t ConfigWatcher::generation() const { return generation_.load(); }

void ConfigWatcher::run() {
  name_this_thread("ta-config");
  for (;;) {
    wakeup_.sleep_for(options_.period);
    if (wakeup_.stopping()) return;
    look();
  }
}

void ConfigWatcher::look() {
  // A failure is reported once; the next looks try again quietly until it
  // changes (or the configuration loads).
  auto failed = [this](std::int64_t generation, const Status& s) {
    std::string what = std::to_string(generation) + ": " + s.message();
    if (what == last_failure_) return;
    last_failure_ = std::move(what);
    if (on_event_) on_event_("configuration_failed", s.message());
  };
  auto stored = stored_configuration_generation(store_);
  if (!stored.ok()) return failed(-1, stored.status());
  if (*stored == generation()) return;
  auto loaded = load_configuration(store_);
  if (!loaded.ok()) return failed(*stored, loaded.status());
  last_failure_.clear();
  // The generation read with the configuration itself: an install between
  // the two reads is then seen at the next look, not skipped.
  const std::int64_t now = loaded->generation;
  std::string versions;
  for (const auto& name : loaded->registry.names()) {
    if (!versions.empty()) versions += ", ";
    versions += name + " v" + std::to_string(loaded->registry.latest(name)->version);
  }
  engine_.use_configuration(std::make_shared<const LoadedConfig>(std::move(*loaded)));
  generation_ = now;
  if (on_event_) {
    on_event_("configuration", "switched to configuration " + std::to_string(now) + " (" +
                                   versions + ")");
  }
}

}  // namespace turnaround::api

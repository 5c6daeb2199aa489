// The server's configuration watcher (api/http/config_watcher.h): after a
// later install (`turnaround init`), the engine switches to the new
// configuration; a stored configuration that no longer loads leaves the
// engine on the one it has.
#include "api/http/config_watcher.h"

#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {
namespace {

using namespace std::chrono_literals;

// The watcher's events, as "event: message".
struct Events {
  std::mutex mutex;
  std::vector<std::string> seen;
  api::ConfigWatcher::OnEvent recorder() {
    return [this](std::string_view event, std::string_view message) {
      std::lock_guard lock(mutex);
      seen.push_back(std::string(event) + ": " + std::string(message));
    };
  }
  std::vector<std::string> all() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

// Waits (at most 10 s) until `done()`; the watcher looks every 10 ms.
template <typename F>
bool eventually(F done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST_CASE("Configuration.EachInstallCountsAGeneration") {
  TempDir dir;
  EngineFixture f;  // installs the example company once
  CHECK(f.config->generation == 1);
  CHECK(*stored_configuration_generation(f.store) == 1);
  Diagnostics diags;
  REQUIRE(install_configuration(f.store, write_acme_with_shorter_callback(dir), f.clock.now(), diags)
              .ok());
  CHECK(*stored_configuration_generation(f.store) == 2);
  // An install that changes nothing is still an install.
  REQUIRE(install_configuration(f.store, acme_company_file(), f.clock.now(), diags).ok());
  auto loaded = load_configuration(f.store);
  REQUIRE(loaded.ok());
  CHECK(loaded->generation == 3);
}

TEST_CASE("ConfigWatcher.SwitchesTheEngineToALaterInstall") {
  TempDir dir;
  EngineFixture f;
  const CaseId old_case = f.open("C1", 5);
  Events events;
  api::ConfigWatcher watcher(*f.engine, f.store, f.config->generation, {10ms}, events.recorder());
  CHECK(f.engine->registry().get("detractor-followup", 2) == nullptr);

  Diagnostics diags;
  REQUIRE(install_configuration(f.store, write_acme_with_shorter_callback(dir), f.clock.now(), diags)
              .ok());
  REQUIRE(eventually([&] { return watcher.generation() == 2; }));
  CHECK(f.engine->registry().get("detractor-followup", 2) != nullptr);
  const auto seen = events.all();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == "configuration: switched to configuration 2 (detractor-followup v2, "
                   "issue-accountability v1, loss-followup v1)");

  // A new case opens on version 2; the old one goes on on version 1.
  const CaseId new_case = f.open("C2", 5);
  CHECK(f.get(new_case).workflow_version == 2);
  CHECK(f.get(old_case).workflow_version == 1);
  watcher.stop();
  CHECK(watcher.generation() == 2);
}

TEST_CASE("ConfigWatcher.KeepsTheConfigurationWhenTheStoredOneDoesNotLoad") {
  EngineFixture f;
  Events events;
  api::ConfigWatcher watcher(*f.engine, f.store, f.config->generation, {10ms}, events.recorder());
  {
    // A later generation whose company file no longer parses.
    auto txn = f.store.begin(TxnMode::kWrite);
    REQUIRE(txn.ok());
    REQUIRE((*txn)->put_setting("company.source", "name: [unclosed").ok());
    REQUIRE((*txn)->put_setting("config.generation", "2").ok());
    REQUIRE((*txn)->commit().ok());
  }
  REQUIRE(eventually([&] { return !events.all().empty(); }));
  CHECK(events.all()[0].starts_with("configuration_failed: stored company configuration no longer loads"));
  // Said once, not at every look (every 10 ms here).
  std::this_thread::sleep_for(100ms);
  CHECK(events.all().size() == 1);
  CHECK(watcher.generation() == 1);
  CHECK(f.engine->company().name == f.config->company.name);
  // The engine still works on what it has.
  CHECK(f.get(f.open("C1", 5)).workflow_version == 1);
}

}  // namespace
}  // namespace turnaround::testing

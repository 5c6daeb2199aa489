#pragma once
// An Engine over a MemoryStore, configured with the example company
// (examples/acme) and the shipped workflows, with a FakeClock. Plus
// history_string(), which turns a case's history into one comparable line.

#include <memory>
#include <string>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/memory_store.h"
#include "tests/support/changed_config.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {

struct EngineFixture {
  // `start`: the fake clock's first instant (default: Monday 2026-11-02 09:00 Berlin).
  explicit EngineFixture(Instant start = at("2026-11-02T08:00:00Z"),
                         std::string company_file = acme_company_file())
      : clock(start) {
    Diagnostics diags;
    auto installed = install_configuration(store, company_file, start, diags);
    REQUIRE_MESSAGE(installed.ok(), (installed.status().to_string() + diags.to_string()));
    auto loaded = load_configuration(store);
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().to_string());
    config = std::make_unique<LoadedConfig>(std::move(*loaded));
    engine = std::make_unique<Engine>(store, clock, config->company, config->registry);
  }

  Response response(const std::string& id, const std::string& customer, int score,
                    const std::string& segment = "smb", double arr = 5000) {
    Response r;
    r.response_id = ResponseId(id);
    r.customer_id = CustomerId(customer);
    r.customer_name = "Customer " + customer;
    r.segment = segment;
    r.arr = arr;
    r.score = score;
    r.comment = "comment of " + id;
    r.responded_at = clock.now();
    return r;
  }

  // Ingests one response and returns its result (REQUIRE ok).
  IntakeItemResult ingest(const Response& r) {
    auto res = engine->ingest_responses({{1, r}});
    REQUIRE_MESSAGE(res.ok(), res.status().to_string());
    REQUIRE(res->size() == 1);
    return res->front();
  }

  // Opens a detractor case and returns its id.
  CaseId open(const std::string& customer, int score, const std::string& segment = "smb",
              double arr = 5000) {
    auto r = ingest(response("R-" + customer + "-" + std::to_string(++counter), customer, score,
                             segment, arr));
    REQUIRE(r.outcome == IntakeOutcome::kOpened);
    return r.case_id;
  }

  Case get(CaseId id) {
    auto c = engine->get_case(id, true);
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    return *c;
  }

  Result<Case> fire(CaseId id, const std::string& event, const std::string& as,
                    FieldValues data = {}) {
    return engine->fire_event(id, event, PersonId(as), data, std::nullopt);
  }

  TickResult tick_at(const std::string& iso) {
    clock.set(at(iso));
    auto r = engine->tick(clock.now());
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    return *r;
  }

  storage::MemoryStore store;
  FakeClock clock;
  std::unique_ptr<LoadedConfig> config;
  std::unique_ptr<Engine> engine;
  int counter = 0;
};

// "event[from->to]" per entry, entries joined by " | "; same-state entries
// print "event[state]"; deadline entries add "(deadline)".
inline std::string history_string(const Case& c) {
  std::string out;
  for (const auto& h : c.history) {
    if (!out.empty()) out += " | ";
    out += h.event + "[";
    if (h.from == h.to) out += h.to;
    else out += h.from + "->" + h.to;
    out += "]";
    if (auto it = h.data.find("deadline"); it != h.data.end()) out += "(" + it->second.to_display() + ")";
  }
  return out;
}

inline const CaseDeadline& deadline(const Case& c, const std::string& name) {
  const CaseDeadline* d = c.find_deadline(name);
  REQUIRE_MESSAGE(d != nullptr, (std::string("no deadline ") + name));
  return *d;
}

}  // namespace turnaround::testing

#pragma once
// Engine: the use cases of Turnaround, each one transaction over a Store,
// with time from an injected Clock. The CLI and the HTTP server are thin
// layers over this class: no rule lives anywhere else.
//
// Thread-safety: an Engine holds only references to immutable configuration
// and to a Store (which serialises transactions); its methods may be called
// from several threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/clock.h"
#include "engine/company_config.h"
#include "engine/state_machine.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace turnaround {

struct EngineOptions {
  // Timers fired per transaction by tick(); bigger is faster, smaller holds
  // the write lock for less time. Default 1000.
  int tick_batch_size = 1000;
  // A timer fired later than this after its instant is "misfired" and its
  // misfire policy applies (skip drops late reminders). Default 1 hour.
  std::chrono::seconds misfire_grace{3600};
};

// What happened to one input item.
enum class IntakeOutcome {
  kOpened,     // a new case
  kAttached,   // added to the customer's open case
  kRecorded,   // stored; no rule opens a case for it (e.g. a promoter)
  kDuplicate,  // seen before (same response_id / churn key): nothing changed
  kRejected,   // invalid: nothing stored
};
const char* intake_outcome_name(IntakeOutcome o);

struct IntakeItemResult {
  std::int64_t line = 0;  // source line (or array index) of the item
  IntakeOutcome outcome = IntakeOutcome::kRecorded;
  CaseId case_id;         // opened or attached to
  Status error;           // for kRejected
};

struct ImportSummary {
  std::int64_t read = 0;
  std::int64_t cases_opened = 0;
  std::int64_t attached = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::int64_t recorded = 0;   // stored without opening or attaching
  std::int64_t cases_closed = 0;  // open cases closed by churn events
  void add(const IntakeItemResult& r);
};

template <typename T>
struct Numbered {
  std::int64_t line = 0;
  T item;
};

struct TickResult {
  std::int64_t fired = 0;
  std::int64_t reminders = 0;
  std::int64_t escalations = 0;
  std::int64_t deadlines_missed = 0;
};

class Engine {
 public:
  // REQUIRES: every argument outlives the Engine.
  Engine(Store& store, const Clock& clock, const CompanyConfig& company,
         const WorkflowRegistry& registry, EngineOptions options = {});

  // Ingests responses in ONE transaction: each item is validated, stored
  // idempotently by response_id, and opens or attaches to a case by the
  // intake rules. Invalid items are rejected (their result says why) without
  // affecting the others. A storage failure rolls back the whole call.
  Result<std::vector<IntakeItemResult>> ingest_responses(
      const std::vector<Numbered<Response>>& items);
  // The same for churn events: the customer is marked lost, a case opens by
  // the intake rules, and the customer's open cases whose state offers the
  // event `customer_lost` take it (as the system).
  Result<std::vector<IntakeItemResult>> ingest_churn(const std::vector<Numbered<ChurnEvent>>& items);

  // Fires every timer due at or before `now`, in due order, in transactions
  // of options.tick_batch_size; each timer's consequences and its fired mark
  // commit together.
  Result<TickResult> tick(Instant now);

  // Fires `event` on case `id` as `actor`. If expected_version is given and
  // the case has moved on, kAborted. Returns the case after the change.
  Result<Case> fire_event(CaseId id, const std::string& event, const PersonId& actor,
                          const FieldValues& data, std::optional<std::int64_t> expected_version);
  // An ops lead (or admin) gives the case to `owner`.
  Result<Case> assign(CaseId id, const PersonId& owner, const PersonId& actor,
                      std::optional<std::int64_t> expected_version = std::nullopt);
  // A member of the case's queue role takes an unassigned case.
  Result<Case> claim(CaseId id, const PersonId& actor,
                     std::optional<std::int64_t> expected_version = std::nullopt);

  Result<Case> get_case(CaseId id, bool with_history);
  Result<std::vector<Case>> list_cases(const CaseFilter& filter);
  // The events `actor` may fire on the case now (empty actor: all events).
  Result<std::vector<std::string>> allowed_events(const Case& c, const PersonId& actor);
  // The same for an actor already loaded (the HTTP server's authenticated
  // caller): no second lookup of the person.
  Result<std::vector<std::string>> allowed_events(const Case& c, const Person& actor);

  Result<std::vector<Person>> people();
  Result<Person> person(const PersonId& id);

  const CompanyConfig& company() const { return company_; }
  const WorkflowRegistry& registry() const { return registry_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<IntakeItemResult> ingest_one(Transaction& txn, Assigner& assigner, const Response& r);
  Result<IntakeItemResult> churn_one(Transaction& txn, Assigner& assigner, const ChurnEvent& e);
  Result<CaseId> open_case(Transaction& txn, Assigner& assigner, const WorkflowDefinition& wf,
                           Case c, Instant now);
  Status write(Transaction& txn, Case& c, const Effects& fx, bool is_new);
  Result<const WorkflowDefinition*> workflow_of(const Case& c) const;
  // The latest version of the workflow the first matching intake rule opens;
  // null when no rule matches.
  Result<const WorkflowDefinition*> intake_workflow(IntakeRule::On on, const GuardScope& scope) const;
  Priority priority_for(const GuardScope& scope) const;
  // Loads, applies `op` under a CaseMachine, writes; one transaction.
  Result<Case> mutate(CaseId id, std::optional<std::int64_t> expected_version,
                      const std::function<Status(Transaction&, Assigner&, CaseMachine&, Case&,
                                                 Effects&)>& op);

  Store& store_;
  const Clock& clock_;
  const CompanyConfig& company_;
  const WorkflowRegistry& registry_;
  const EngineOptions options_;
};

}  // namespace turnaround

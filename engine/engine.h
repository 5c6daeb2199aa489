#pragma once
// Engine: the use cases of Turnaround, each one transaction over a Store,
// with time from an injected Clock. The CLI and the HTTP server are thin
// layers over this class: no rule lives anywhere else.
//
// Thread-safety: an Engine holds only references to immutable configuration
// and to a Store (which serialises transactions); its methods may be called
// from several threads.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/agenda.h"
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
  // Top-five issues: the length of each window of an issue's verification
  // (detractor share before the issue was opened vs after its action).
  // Default 28 days.
  std::chrono::days issue_verify_window{28};
};

// What an ops lead asks for when opening a top-five issue.
struct OpenIssueRequest {
  std::string theme;     // required: a theme of the company's taxonomy
  std::string segment;   // optional: one of the company's segments ("" = all)
  std::string title;     // optional: defaults to "THEME" or "THEME (SEGMENT)"
  PersonId actor;        // must be an active ops_lead; becomes the owner
  std::string workflow;  // optional: a workflow with subject: theme; default:
                         // the only one configured
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
  std::int64_t cases_closed = 0;  // a churn event's: the customer's cases it closed
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
  std::int64_t agendas_frozen = 0;  // loss-review agendas frozen at their cut-off
};

struct LoadedConfig;  // engine/configuration.h

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

  // --- The loss review (engine_review.cpp; none of these do anything
  // useful without company.yaml's loss_review, see each).

  // Creates the rows of the meetings (review_meetings) up to the
  // kReviewMeetingsAhead-th meeting starting after `now`, and any missed
  // since the last row (catch-up after downtime). One transaction. Called by
  // tick(), by `turnaround init` and when the server's scheduler starts.
  // No-op without a loss_review.
  Status schedule_reviews(Instant now);
  // Freezes the agenda of every meeting whose cut-off is at or before `now`
  // and that is not frozen yet: built from the data at `now`, stored with
  // frozen_at = now, each meeting in its own transaction, exactly once (a
  // meeting another process froze first is skipped). Returns how many. Part
  // of tick().
  Result<std::int64_t> freeze_due_agendas(Instant now);
  // The agenda of the meeting in `month`: the frozen one when frozen and
  // !live, else built live from the data at the clock's now (frozen =
  // false). kFailedPrecondition without a loss_review; kNotFound if the
  // rule has no meeting in that month.
  Result<Agenda> review_agenda(date::year_month month, bool live);
  // Records that case `id` was reviewed at the meeting of `month`: a
  // history entry "reviewed" (data: month, notes) and, where the case's
  // state offers the loss_review's review_event (loss-followup's
  // mark_reviewed), that event with the notes in review_notes_field, in one
  // transaction. Ops leads and admins only (kPermissionDenied); kNotFound
  // for an unknown case or a month without a meeting.
  Result<Case> mark_reviewed(CaseId id, date::year_month month, const PersonId& actor,
                             const std::string& notes,
                             std::optional<std::int64_t> expected_version = std::nullopt);

  Result<std::vector<Person>> people();
  Result<Person> person(const PersonId& id);

  // ======================================================================
  // --- Top-five issues (engine/issue.h; implemented in engine_issues.cpp)
  // An issue is a case of a `subject: theme` workflow; its own events go
  // through fire_event / assign like any case's.
  // ======================================================================
  // Opens an issue. kPermissionDenied unless req.actor is an active
  // ops_lead; kInvalidArgument (naming "theme" / "segment" / "workflow") for
  // an unknown theme, segment or workflow; kAlreadyExists if an issue for the
  // same theme and segment is open; kFailedPrecondition when no workflow
  // with subject: theme is configured. From then on, cases of
  // link_to_issues workflows whose theme fields get the theme (and that are
  // in the segment, if one is given) link to it automatically.
  Result<IssueView> open_issue(const OpenIssueRequest& req);
  // The issue with its links, deadlines and verification (history if asked).
  // kNotFound if `id` is not an issue.
  Result<IssueView> issue(CaseId id, bool with_history);
  // Every issue (open_only: the open ones), by id.
  Result<std::vector<IssueView>> issues(bool open_only);
  // "The top-five issues and their status", for the monthly loss review:
  // the open issues ranked by linked cases, then by the linked customers'
  // arr, then by id; at most `limit`.
  Result<std::vector<IssueView>> top_issues(std::size_t limit = 5);
  // The top five as the loss-review agenda lists them.
  Result<std::vector<AgendaIssue>> agenda_issues();
  // The issues case `id` is linked to, by issue id (none for a case that
  // was never linked). The second form reads inside the caller's transaction.
  Result<std::vector<CaseIssue>> case_issues(CaseId id);
  static Result<std::vector<CaseIssue>> case_issues(Transaction& txn, CaseId id);
  // Candidate issues: per theme and per theme x segment, the detractor
  // cases naming it (over all time, from the analytics table case_themes)
  // and the arr at stake, with the open issue if any; ranked by cases, then
  // arr at stake.
  Result<std::vector<IssueCandidate>> issue_candidates();
  // Links earlier cases to an open issue, as an ops lead: `one` case (of a
  // link_to_issues workflow, in the issue's segment if it has one; any
  // state), or, when `one` is nullopt, every open case whose themes match.
  // kFailedPrecondition if the issue is closed.
  Result<LinkResult> link_to_issue(CaseId issue, std::optional<CaseId> one, const PersonId& actor);

  // The configuration in use: the one given at construction, or the last
  // one given to use_configuration(). A reference from company() or
  // registry() stays valid for as long as the Engine (every configuration
  // once in use is kept); a later call after a switch returns the new one.
  const CompanyConfig& company() const { return *config_.load(std::memory_order_acquire)->company; }
  const WorkflowRegistry& registry() const {
    return *config_.load(std::memory_order_acquire)->registry;
  }
  const Clock& clock() const { return clock_; }

  // Switches to `config` (a running server's, after `turnaround init` stored
  // a new one): operations that begin afterwards use it. Thread-safe.
  void use_configuration(std::shared_ptr<const LoadedConfig> config);

 private:
  Result<IntakeItemResult> ingest_one(Transaction& txn, Assigner& assigner, const Response& r);
  Result<IntakeItemResult> churn_one(Transaction& txn, Assigner& assigner, const ChurnEvent& e);
  Result<CaseId> open_case(Transaction& txn, Assigner& assigner, const WorkflowDefinition& wf,
                           Case c, Instant now);
  // Writes a case and its effects; delivers fx.signals to its linked cases
  // (depth: signals caused by signals, bounded).
  Status write(Transaction& txn, Case& c, const Effects& fx, bool is_new, int depth = 0);

  // --- Top-five issues (engine_issues.cpp).
  Status deliver_signals(Transaction& txn, const Case& from, const std::vector<LinkedSignal>& sigs,
                         int depth);
  // Links `c` to the open issues its theme fields name, after `data` set
  // some of them; adds the case's history entries to `fx`.
  Status auto_link(Transaction& txn, const WorkflowDefinition& wf, const Case& c,
                   const FieldValues& data, const std::string& by, Instant now, Effects& fx);
  // Inserts one link and the history entries of both cases (the case's go
  // to `case_fx` if given, else straight to storage). False if linked before.
  Result<bool> link_case(Transaction& txn, const IssueRecord& issue, const Case& c,
                         const std::string& by, const std::string& how, Instant now,
                         Effects* case_fx);
  // The workflows whose cases link to issues (link_to_issues in any of
  // their versions), by name.
  std::vector<std::string> link_workflows() const;
  // kInvalidArgument naming "theme" / "segment" unless both are the company's.
  Status check_issue_subject(const OpenIssueRequest& req) const;
  // The workflow `name` if it has subject: theme; "" = the only such one.
  Result<const WorkflowDefinition*> issue_workflow(const std::string& name) const;
  // `with_links`: fill IssueView::linked; else only its totals are read
  // (one aggregate query: an issue may have thousands of links).
  Result<IssueView> issue_view(Transaction& txn, const IssueRecord& rec, bool with_history,
                               Instant now, bool with_links = true);
  // The open issues ranked as top_issues ranks them, at most `limit`.
  Result<std::vector<IssueView>> ranked_open_issues(std::size_t limit, bool with_links);
  Result<const WorkflowDefinition*> workflow_of(const Case& c) const;
  // The latest version of the workflow the first matching intake rule opens;
  // null when no rule matches.
  Result<const WorkflowDefinition*> intake_workflow(IntakeRule::On on, const GuardScope& scope) const;
  Priority priority_for(const GuardScope& scope) const;
  // Loads, applies `op` under a CaseMachine, writes; one transaction.
  Result<Case> mutate(CaseId id, std::optional<std::int64_t> expected_version,
                      const std::function<Status(Transaction&, Assigner&, CaseMachine&, Case&,
                                                 Effects&)>& op);

  // The two halves of one configuration, switched together.
  struct ConfigRefs {
    const CompanyConfig* company;
    const WorkflowRegistry* registry;
  };

  Store& store_;
  const Clock& clock_;
  const ConfigRefs initial_;  // the configuration given at construction
  std::atomic<const ConfigRefs*> config_;
  std::mutex config_mutex_;  // guards the two below (only use_configuration writes)
  std::vector<std::unique_ptr<const ConfigRefs>> config_refs_;
  std::vector<std::shared_ptr<const LoadedConfig>> configs_;
  const EngineOptions options_;
};

}  // namespace turnaround

#pragma once
// CaseMachine: the rules of one workflow applied to one case, with no I/O.
//
// Each operation changes the Case in place and collects Effects (history
// entries, timers to add or cancel, notifications) that the caller writes in
// the same transaction as the case. Nothing here reads a clock: `now` is an
// argument.
//
// Deadline lifecycle (see docs/workflow-reference.md, "Deadlines"):
//  - created on entering the state that declares it (due from case opening or
//    from state entry; the first `after` rule whose `when` holds);
//  - paused while the case is in a pauses_clock state, the remaining time
//    resuming on leaving it (due_at moves later by the paused time);
//  - met when the case leaves its state (for a state other than a pausing
//    one) before the due instant; missed when its due timer fires first;
//  - a missed deadline climbs its escalation ladder, level by level, until the
//    case leaves the state.

#include <string>
#include <vector>

#include "engine/assignment.h"
#include "engine/case.h"
#include "engine/company_config.h"
#include "engine/store.h"
#include "engine/timer.h"
#include "engine/workflow.h"

namespace turnaround {

inline constexpr const char* kSystemActor = "system";

// An event for the cases linked to this one (TransitionDef::signal_linked),
// with its data already taken from this case. The Engine delivers it in the
// same transaction.
struct LinkedSignal {
  std::string event;
  FieldValues data;
  std::string transition;  // the event of this case that caused it
  Instant at{};            // when
};

struct Effects {
  std::vector<HistoryEntry> history;
  std::vector<Timer> new_timers;
  std::vector<std::string> cancel_timers;  // deadline names whose pending timers end
  std::vector<Notification> notifications;
  std::vector<LinkedSignal> signals;  // for the linked cases
  int reminders = 0;
  int escalations = 0;
  int deadlines_missed = 0;
  bool changed = false;  // the case itself changed (needs a version bump)
};

class CaseMachine {
 public:
  // REQUIRES: all references outlive the machine.
  CaseMachine(const WorkflowDefinition& wf, const CompanyConfig& company, Assigner& assigner)
      : wf_(wf), company_(company), assigner_(assigner) {}

  // Puts a new case (customer fields, opened_at, priority set) into the
  // initial state, running automatic transitions and entry assignment.
  Status open(Case& c, Instant now, Effects& fx);

  // Fires `event` on behalf of `actor`, with the event's data fields.
  //  - kFailedPrecondition (with allowed()) if the state has no such event or
  //    no guard holds; kPermissionDenied if the actor may not act;
  //  - kInvalidArgument naming fields: unknown or mistyped data, or required
  //    fields missing.
  // `actor` may be null for the system (escalations, churn).
  Status fire(Case& c, const std::string& event, const Person* actor, const FieldValues& data,
              Instant now, Effects& fx);

  // The events `actor` could fire now (role allowed; guards not evaluated).
  std::vector<std::string> allowed_events(const Case& c, const Person* actor) const;
  // All events of the case's current state.
  std::vector<std::string> state_events(const Case& c) const;

  // Applies a due timer: a reminder, the deadline's due instant, or an
  // escalation level. `misfire_grace`: lateness beyond which the timer's
  // misfire policy applies. A timer whose deadline is done or paused does
  // nothing.
  Status fire_timer(Case& c, const Timer& t, Instant now, std::chrono::seconds misfire_grace,
                    Effects& fx);

  // Checks and converts event data against the workflow's fields (types,
  // themes from the taxonomy). kInvalidArgument naming the fields at fault.
  Status check_data(const FieldValues& data) const;

 private:
  // Moves `c` into `state`: deadlines paused, resumed, finished or started;
  // the entry assignment; then the first automatic transition that applies.
  Status enter_state(Case& c, const std::string& state, Instant now, Effects& fx, int depth);
  Status apply_assignment(Case& c, const StateDef& s, Instant now, Effects& fx);
  void start_deadline(Case& c, const DeadlineDef& d, Instant now, Effects& fx);
  void schedule(Case& c, const CaseDeadline& d, const DeadlineDef& def, Instant now, Effects& fx);
  // `d` is copied first: a {fire: EVENT} action may reallocate c.deadlines.
  Status escalate(Case& c, CaseDeadline d, const DeadlineDef& def, int level, Instant now,
                  Effects& fx);
  void notify(const Case& c, const std::string& to, const std::string& kind,
              const std::string& message, Instant now, Effects& fx);
  bool may_act(const Case& c, const StateDef& s, const TransitionDef& t, const Person* actor) const;

  const WorkflowDefinition& wf_;
  const CompanyConfig& company_;
  Assigner& assigner_;
};

}  // namespace turnaround

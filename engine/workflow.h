#pragma once
// WorkflowDefinition: the immutable, validated form of a workflow YAML file
// (see workflow_loader.h for the YAML and docs/workflow-reference.md).
//
// Read a workflow as a transition table: `state + event [guard] = target`,
// with the roles allowed to fire it and the fields it requires. States carry
// deadlines (with reminders and an escalation ladder), an assignment rule set
// applied on entry, and may pause the deadline clock.
//
// Thread-safety: immutable after load; shared read-only by every thread.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/diagnostics.h"
#include "engine/domain.h"
#include "engine/guard.h"
#include "engine/time.h"

namespace turnaround {

enum class FieldType { kText, kNumber, kBoolean, kTheme, kThemes, kPerson };
const char* field_type_name(FieldType t);

struct FieldDef {
  std::string name;
  FieldType type = FieldType::kText;
  std::string label;  // for forms; defaults to the name
  SourceLocation where;
};

// What to do with a timer whose instant passed while nothing ran.
enum class MisfirePolicy {
  kFireOnce,  // default: fire once, late; repetitions missed meanwhile collapse
  kFireAll,   // fire every missed repetition
  kSkip,      // fire nothing that is late; schedule the next future repetition
};
const char* misfire_policy_name(MisfirePolicy p);

struct EscalationAction {
  enum class Kind {
    kNotify,         // target: "owner" or a role name
    kRaisePriority,  // target: "" (one step up) or a priority name
    kReassign,       // target: a role name; picks a member (least loaded)
    kFireEvent,      // target: an event of the case's current state
  };
  Kind kind = Kind::kNotify;
  std::string target;
};

struct EscalationLevel {
  Duration after;  // after the deadline's due instant (0 = at it)
  std::vector<EscalationAction> actions;
  SourceLocation where;
};

struct ReminderDef {
  Duration before;                // first reminder this long before due
  std::optional<Duration> every;  // then repeat this often until done
  std::string notify = "owner";   // "owner" or a role name
};

enum class DeadlineAnchor { kCaseOpened, kStateEntered };

// One candidate length of a deadline; the first whose `when` holds is used.
struct DeadlineRule {
  std::optional<Guard> when;  // none: always
  Duration after;
  SourceLocation where;
};

struct DeadlineDef {
  std::string name;
  DeadlineAnchor anchor = DeadlineAnchor::kStateEntered;
  std::vector<DeadlineRule> rules;  // non-empty; the last normally has no `when`
  bool end_of_day = false;          // due at 23:59:59 local of the computed date
  std::optional<ReminderDef> reminder;
  std::vector<EscalationLevel> escalation;  // level 0 fires at `after` of level 0
  MisfirePolicy misfire = MisfirePolicy::kFireOnce;
  SourceLocation where;
};

// A role name allowed to act, or the special "case_owner" (the person who
// owns the case, whatever their roles).
inline constexpr const char* kCaseOwnerRole = "case_owner";

// An effect of a transition on the cases linked to this one (a top-five
// issue's linked detractor cases): after the transition, `event` is fired on
// every linked case that is still open, as the system, with `data` built
// from this case: target field name -> source name (a data field of this
// workflow, or "id": this case's id). A linked case whose state offers no
// such event gets a history entry and a notification instead. Only the
// target fields its own workflow declares are passed on.
struct SignalLinkedDef {
  std::string event;
  std::map<std::string, std::string> data;  // target field -> source name
  SourceLocation where;
};

struct TransitionDef {
  std::string event;
  std::string to;
  std::optional<Guard> guard;
  std::vector<std::string> roles;     // empty: the state's roles
  std::vector<std::string> requires_fields;  // must be present() after the event's data
  bool automatic = false;  // taken by the engine on entering the state if the guard holds
  // Taking it is the first contact with the customer (a callback logged, or
  // the customer found unreachable): sets Case::first_contact_at once.
  bool first_contact = false;
  std::string label;
  std::optional<SignalLinkedDef> signal_linked;  // effect on linked cases (see above)
  SourceLocation where;
};

struct StateDef {
  std::string name;
  std::string label;
  bool terminal = false;
  bool pauses_clock = false;          // waiting on the customer
  bool cancels_deadlines = false;     // terminal side exit: pending deadlines end "cancelled"
  std::vector<std::string> roles;     // who may act (role names or case_owner)
  std::string assign;                 // assignment rule set applied on entry; "" = keep
  std::vector<DeadlineDef> deadlines;
  std::vector<TransitionDef> transitions;  // includes the workflow's from_any ones
  SourceLocation where;
};

// What a workflow's cases are about.
enum class WorkflowSubject {
  kCustomer,  // default: a customer (opened by intake from responses / churn)
  kTheme,     // a theme, optionally within a segment: a top-five issue,
              // opened by an ops lead; other cases link to it
};
const char* workflow_subject_name(WorkflowSubject s);

struct WorkflowDefinition {
  std::string name;
  int version = 0;           // assigned by the registry (storage), 1, 2, ...
  std::string content_hash;  // of the source text
  std::string label;
  std::string initial;
  std::vector<FieldDef> fields;
  std::vector<StateDef> states;
  std::string file;  // where it was loaded from (for messages)
  WorkflowSubject subject = WorkflowSubject::kCustomer;
  // Cases of this workflow link automatically to the open theme issues
  // (subject: theme) whose theme is in one of their theme/themes fields
  // (and whose segment, if any, is the case's) when those fields are set.
  bool link_to_issues = false;

  const StateDef* state(std::string_view name) const;
  const FieldDef* field(std::string_view name) const;
  // Transitions of `state` whose event is `event` (guards decide among them).
  std::vector<const TransitionDef*> transitions(std::string_view state,
                                                std::string_view event) const;
  const DeadlineDef* deadline(std::string_view name) const;
  // Names of the fields of type theme or themes, in declaration order.
  std::vector<std::string> theme_fields() const;
  // Distinct events of the transitions flagged first_contact, sorted.
  std::vector<std::string> first_contact_events() const;
  // The distinct non-empty values of the theme fields of `data`, sorted:
  // what Case::themes holds.
  std::vector<std::string> themes_of(const FieldValues& data) const;
};

}  // namespace turnaround

#pragma once
// The Case aggregate: one follow-up running one workflow version, with its
// data fields, deadlines, version (for optimistic concurrency) and history.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/domain.h"
#include "engine/ids.h"
#include "engine/time.h"
#include "engine/value.h"

namespace turnaround {

// One line of a case's append-only history.
struct HistoryEntry {
  Instant at{};
  std::string event;  // "opened", a workflow event, "assigned", "claimed",
                      // "reminder", "deadline_missed", "escalated", ...
  std::string from;   // state before (empty for "opened")
  std::string to;     // state after (== from when the state did not change)
  std::string by;     // person id, or "system"
  FieldValues data;   // event fields, deadline name, lateness, ...
};

// pending: running (or paused); met: the case left the deadline's state in
// time; missed: the due instant passed first; cancelled: the case ended in a
// state marked cancels_deadlines (a side exit) while the deadline was pending.
enum class DeadlineStatus { kPending, kMet, kMissed, kCancelled };
const char* deadline_status_name(DeadlineStatus s);
std::optional<DeadlineStatus> parse_deadline_status(std::string_view name);

// The live state of one deadline of a case.
struct CaseDeadline {
  std::string name;
  std::string state;         // the state that declared it
  Instant due_at{};          // moves later while the clock is paused
  DeadlineStatus status = DeadlineStatus::kPending;
  bool done = false;         // the case left the state: no more timers
  std::optional<Instant> paused_at;  // set while in a clock-pausing state
  std::optional<Instant> resolved_at;  // when met, or when found missed
};

struct Case {
  CaseId id;
  std::string workflow;
  int workflow_version = 0;
  std::string state;
  PersonId owner;          // empty when unassigned
  std::string queue;       // role whose members may claim it ("" when none)
  Priority priority = Priority::kNormal;

  CustomerId customer_id;
  std::string customer_name;
  std::string segment;
  double arr = 0;
  std::optional<int> score;          // lowest score of its responses
  std::vector<ResponseId> responses;  // triggering response(s)
  std::optional<Instant> responded_at;  // of the first response

  Instant opened_at{};
  Instant state_entered_at{};
  std::optional<Instant> closed_at;  // set on entering a terminal state
  std::int64_t version = 0;          // 1 on insert; +1 on every change

  FieldValues data;
  // The distinct values of the workflow's theme/themes fields, sorted;
  // derived by the engine from `data` before every write (storage files
  // them in its case_themes summary without knowing any field name).
  std::vector<std::string> themes;
  // When the customer was first contacted: set once, by the first
  // transition flagged `first_contact` in the workflow.
  std::optional<Instant> first_contact_at;
  std::vector<CaseDeadline> deadlines;
  std::vector<HistoryEntry> history;  // loaded only when asked for

  bool is_open() const { return !closed_at.has_value(); }
  CaseDeadline* find_deadline(std::string_view name);
  const CaseDeadline* find_deadline(std::string_view name) const;
  // True if some deadline is missed and not done, or pending past `now`.
  bool overdue(Instant now) const;
};

}  // namespace turnaround

#pragma once
// Timer: a durable row saying "at due_at, something happens to this case".
// Timers are never an in-memory list: storage holds them, indexed by due
// instant, and tick() fires those due, each in the same transaction as its
// consequences and its "fired" mark, so each fires exactly once in effect.
//
// Each pending deadline of a case has at most one pending timer: its next
// event (a reminder, the due instant, or the next escalation level). Firing
// it schedules the one after.

#include <optional>
#include <string>

#include "engine/ids.h"
#include "engine/time.h"
#include "engine/workflow.h"

namespace turnaround {

enum class TimerKind {
  kReminder,    // before the deadline (repeating while not done)
  kDeadline,    // the due instant: marks the deadline missed
  kEscalation,  // level `level` of the deadline's ladder
};
const char* timer_kind_name(TimerKind k);
std::optional<TimerKind> parse_timer_kind(std::string_view name);

struct Timer {
  TimerId id;          // assigned by storage
  CaseId case_id;
  std::string deadline;  // the case deadline it belongs to
  TimerKind kind = TimerKind::kDeadline;
  int level = 0;         // escalation level, or reminder repetition number
  Instant due_at{};
  MisfirePolicy misfire = MisfirePolicy::kFireOnce;
};

}  // namespace turnaround

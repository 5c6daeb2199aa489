#include "engine/timer.h"

namespace turnaround {

const char* timer_kind_name(TimerKind k) {
  switch (k) {
    case TimerKind::kReminder: return "reminder";
    case TimerKind::kDeadline: return "deadline";
    case TimerKind::kEscalation: return "escalation";
  }
  return "?";
}

std::optional<TimerKind> parse_timer_kind(std::string_view name) {
  for (TimerKind k : {TimerKind::kReminder, TimerKind::kDeadline, TimerKind::kEscalation}) {
    if (name == timer_kind_name(k)) return k;
  }
  return std::nullopt;
}

}  // namespace turnaround

#include "engine/case.h"

#include <algorithm>

namespace turnaround {

const char* deadline_status_name(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::kPending: return "pending";
    case DeadlineStatus::kMet: return "met";
    case DeadlineStatus::kMissed: return "missed";
    case DeadlineStatus::kCancelled: return "cancelled";
  }
  return "?";
}

std::optional<DeadlineStatus> parse_deadline_status(std::string_view name) {
  for (auto s : {DeadlineStatus::kPending, DeadlineStatus::kMet, DeadlineStatus::kMissed,
                 DeadlineStatus::kCancelled}) {
    if (name == deadline_status_name(s)) return s;
  }
  return std::nullopt;
}

CaseDeadline* Case::find_deadline(std::string_view name) {
  for (auto& d : deadlines) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const CaseDeadline* Case::find_deadline(std::string_view name) const {
  return const_cast<Case*>(this)->find_deadline(name);
}

bool Case::overdue(Instant now) const {
  if (!is_open()) return false;
  for (const auto& d : deadlines) {
    if (d.done) continue;
    if (d.status == DeadlineStatus::kMissed) return true;
    if (d.status == DeadlineStatus::kPending && !d.paused_at && d.due_at < now) return true;
  }
  return false;
}

std::int64_t due_key(const Case& c) {
  std::int64_t key = std::numeric_limits<std::int64_t>::max();
  if (!c.is_open()) return key;
  for (const auto& d : c.deadlines) {
    if (d.done) continue;
    if (d.status == DeadlineStatus::kMissed) return std::numeric_limits<std::int64_t>::min();
    if (d.status == DeadlineStatus::kPending && !d.paused_at) {
      key = std::min<std::int64_t>(key, d.due_at.time_since_epoch().count());
    }
  }
  return key;
}

}  // namespace turnaround

#pragma once
// Instants, ISO 8601 text and durations.
//
// A type per meaning of time (as in date/tz):
//  - Instant is a point in time in UTC, to the second. Every stored row and
//    every engine value uses it.
//  - Wall-clock (local) times exist only inside Calendar (calendar.h).
//  - Duration is a *rule* ("14 days", "3 business days"), not a fixed number
//    of seconds: its length depends on where it is applied (DST, weekends).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <date/date.h>

#include "engine/status.h"

namespace turnaround {

using Instant = date::sys_seconds;

// Parses an ISO 8601 instant that carries its offset: "2026-03-29T01:30:00Z",
// "2026-03-29T03:30:00+02:00", "2026-03-29T03:30+0200", fractional seconds
// allowed (truncated). A text without an offset is refused (kInvalidArgument
// naming the problem), because its meaning would depend on the machine.
Result<Instant> parse_instant(std::string_view text);

// "2026-03-29T01:30:00Z".
std::string format_instant(Instant t);
// format_instant() into buf (kInstantTextSize bytes, no terminator) without
// allocating; false (buf unspecified) for a year outside 0000..9999, whose
// text is longer: use format_instant() then.
inline constexpr std::size_t kInstantTextSize = 20;
bool format_instant_to(Instant t, char* buf);

// A duration rule. Minutes and hours are exact elapsed time; days and weeks
// keep the local wall-clock time across DST changes; business days skip the
// calendar's weekends and holidays (see Calendar::add).
struct Duration {
  enum class Unit { kMinutes, kHours, kDays, kWeeks, kBusinessDays };
  std::int64_t amount = 0;
  Unit unit = Unit::kDays;

  bool operator==(const Duration&) const = default;
};

// Parses "90m", "48h", "14d", "2w", "3bd", and the long forms "90 minutes",
// "1 hour", "14 days", "2 weeks", "3 business days" (singular or plural).
// Amount must be a non-negative integer. On error, the message says what is
// accepted.
Result<Duration> parse_duration(std::string_view text);

// "14d", "3bd", "48h", "90m", "2w": the canonical short form.
std::string to_string(const Duration& d);

// Formats a number of seconds as "3d 4h", "5h 12m", "42s" (for humans).
std::string format_elapsed(std::int64_t seconds);

}  // namespace turnaround

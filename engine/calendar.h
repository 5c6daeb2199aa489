#pragma once
// The company's calendar: time zone, weekend days and holidays.
//
// Rules (documented for users in docs/workflow-reference.md, "Time"):
//  - Minutes/hours are added as exact elapsed time.
//  - N days / N weeks land on the same local wall-clock time N*1 / N*7
//    calendar days later, whatever DST change lies between.
//  - N business days step the local date forward one day at a time, counting
//    only days that are neither weekend nor holiday, and keep the wall-clock
//    time. Starting on a non-business day, the first counted day is the next
//    business day.
//  - A local time that does not exist (spring-forward gap) moves forward to
//    the first local time that does (the instant of the transition); an
//    ambiguous one (fall-back overlap) takes the earlier instant.
//
// Thread-safety: immutable after construction; share freely.

#include <set>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "engine/time.h"

// date::weekday has no operator< (weekdays are cyclic), so std::set<weekday>
// needs an order: Sunday (0) .. Saturday (6), by c_encoding(). Allowed, since
// weekday is not a standard library type.
template <>
struct std::less<date::weekday> {
  bool operator()(const date::weekday& a, const date::weekday& b) const {
    return a.c_encoding() < b.c_encoding();
  }
};

namespace turnaround {

class Calendar {
 public:
  // UTC, Saturday/Sunday weekend, no holidays.
  Calendar();
  // REQUIRES: zone != nullptr.
  Calendar(const date::time_zone* zone, std::set<date::weekday> weekend,
           std::set<date::local_days> holidays);

  // Looks a zone up in the system tz database (tzdata); kInvalidArgument if
  // the name is unknown.
  static Result<const date::time_zone*> find_zone(std::string_view name);

  const date::time_zone* zone() const { return zone_; }
  const std::set<date::weekday>& weekend() const { return weekend_; }
  const std::set<date::local_days>& holidays() const { return holidays_; }

  bool is_business_day(date::local_days day) const;

  // t + d, by the rules above.
  Instant add(Instant t, const Duration& d) const;
  // t - d, by the same rules run backwards (used for "2 days before").
  Instant subtract(Instant t, const Duration& d) const;

  // The last second (23:59:59 local) of the local date t falls on.
  Instant end_of_day(Instant t) const;

  // Local wall-clock time to an instant, by the DST rules above. Never throws.
  Instant to_instant(date::local_seconds local) const;
  date::local_seconds to_local(Instant t) const;

  // "2026-03-29T03:30:00+02:00" in this calendar's zone.
  std::string format_local(Instant t) const;

 private:
  Instant shift_days(Instant t, int days) const;
  Instant shift_business_days(Instant t, std::int64_t n, int direction) const;

  const date::time_zone* zone_;
  std::set<date::weekday> weekend_;
  std::set<date::local_days> holidays_;
};

}  // namespace turnaround

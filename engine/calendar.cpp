#include "engine/calendar.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <utility>

namespace turnaround {

namespace {

using std::chrono::seconds;

// Splits a local time into its date and its time of day.
std::pair<date::local_days, seconds> split_local(date::local_seconds local) {
  date::local_days day = date::floor<date::days>(local);
  return {day, local - day};
}

int to_int_days(std::int64_t days) {
  assert(days >= std::numeric_limits<int>::min() && days <= std::numeric_limits<int>::max());
  return static_cast<int>(days);
}

}  // namespace

Calendar::Calendar() : Calendar(date::locate_zone("UTC"), {date::Saturday, date::Sunday}, {}) {}

Calendar::Calendar(const date::time_zone* zone, std::set<date::weekday> weekend,
                   std::set<date::local_days> holidays)
    : zone_(zone), weekend_(std::move(weekend)), holidays_(std::move(holidays)) {
  assert(zone_ != nullptr);
}

Result<const date::time_zone*> Calendar::find_zone(std::string_view name) {
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::runtime_error&) {
    return invalid_argument("unknown time zone '" + std::string(name) + "'");
  }
}

bool Calendar::is_business_day(date::local_days day) const {
  return weekend_.count(date::weekday{day}) == 0 && holidays_.count(day) == 0;
}

Instant Calendar::to_instant(date::local_seconds local) const {
  // get_info never throws, unlike to_sys/zoned_time with a throwing choose.
  date::local_info info = zone_->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      // In the gap: the first local time that exists is the transition itself.
      return info.first.end;
    case date::local_info::ambiguous:
      // `first` is the earlier period (the offset before the fall-back), so
      // subtracting its offset gives the earlier of the two instants.
    case date::local_info::unique:
    default:
      return Instant(local.time_since_epoch() - info.first.offset);
  }
}

date::local_seconds Calendar::to_local(Instant t) const { return zone_->to_local(t); }

Instant Calendar::add(Instant t, const Duration& d) const {
  switch (d.unit) {
    case Duration::Unit::kMinutes:
      return t + std::chrono::minutes(d.amount);
    case Duration::Unit::kHours:
      return t + std::chrono::hours(d.amount);
    case Duration::Unit::kDays:
      return shift_days(t, to_int_days(d.amount));
    case Duration::Unit::kWeeks:
      return shift_days(t, to_int_days(d.amount * 7));
    case Duration::Unit::kBusinessDays:
      return shift_business_days(t, d.amount, +1);
  }
  return t;
}

Instant Calendar::subtract(Instant t, const Duration& d) const {
  switch (d.unit) {
    case Duration::Unit::kMinutes:
      return t - std::chrono::minutes(d.amount);
    case Duration::Unit::kHours:
      return t - std::chrono::hours(d.amount);
    case Duration::Unit::kDays:
      return shift_days(t, to_int_days(-d.amount));
    case Duration::Unit::kWeeks:
      return shift_days(t, to_int_days(-d.amount * 7));
    case Duration::Unit::kBusinessDays:
      return shift_business_days(t, d.amount, -1);
  }
  return t;
}

Instant Calendar::shift_days(Instant t, int days) const {
  auto [day, time_of_day] = split_local(to_local(t));
  return to_instant(day + date::days(days) + time_of_day);
}

Instant Calendar::shift_business_days(Instant t, std::int64_t n, int direction) const {
  if (n <= 0) return t;
  // A week without business days would never end the loop below; such a
  // calendar is a configuration error, so count calendar days instead.
  if (weekend_.size() >= 7) {
    return shift_days(t, to_int_days(n * direction));
  }
  auto [day, time_of_day] = split_local(to_local(t));
  const date::days step{direction};
  for (std::int64_t counted = 0; counted < n;) {
    day += step;
    if (is_business_day(day)) ++counted;
  }
  return to_instant(day + time_of_day);
}

Instant Calendar::end_of_day(Instant t) const {
  // One second before the next local midnight: unlike "23:59:59 local" this
  // stays right when 23:59:59 is ambiguous or midnight itself is in a gap.
  date::local_days day = split_local(to_local(t)).first;
  return to_instant(day + date::days(1)) - seconds(1);
}

std::string Calendar::format_local(Instant t) const {
  date::sys_info info = zone_->get_info(t);
  date::local_seconds local{t.time_since_epoch() + info.offset};
  // Offsets are within a day, so int is wide enough; seconds are dropped.
  int offset_min = static_cast<int>(info.offset.count() / 60);
  char sign = offset_min < 0 ? '-' : '+';
  offset_min = std::abs(offset_min);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, offset_min / 60, offset_min % 60);
  return date::format("%FT%T", local) + buf;
}

}  // namespace turnaround

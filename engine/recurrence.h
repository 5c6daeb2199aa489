#pragma once
// Recurring meetings (the monthly loss review): an iCalendar RRULE (RFC 5545,
// section 3.3.10) with a start in a named time zone, expanded to meeting
// instants, moved off holidays by a policy, each with an agenda cut-off.
//
// The RRULE subset understood (anything else is refused with the offset of
// the part at fault, so the company loader can point at file:line:column):
//   FREQ=DAILY|WEEKLY|MONTHLY|YEARLY   required, first or anywhere
//   INTERVAL=N                         every N periods (default 1)
//   BYDAY=MO,TU,...                    with ordinals in MONTHLY/YEARLY rules:
//                                      2TU (second Tuesday), -1FR (last Friday)
//   BYMONTHDAY=1,15,-1                 days of the month (-1 = the last)
//   BYMONTH=1,7                        months of the year
//   BYSETPOS=1,-1                      keeps the Nth of each period's set
//   COUNT=N | UNTIL=20261231T235959Z   (or a local UNTIL=20261231[T235959])
//   WKST=MO..SU                        week start of WEEKLY rules (default MO)
// e.g. FREQ=MONTHLY;BYDAY=2TU (second Tuesday), FREQ=MONTHLY;BYDAY=MO,TU,WE,
// TH,FR;BYSETPOS=-1 (last weekday), FREQ=WEEKLY;INTERVAL=4 (every 4 weeks).
//
// Time rules (as for deadlines, calendar.h): every occurrence is at the
// start's local wall-clock time; a local time in a spring-forward gap moves
// forward to the first one that exists, an ambiguous one (fall-back) takes
// the earlier instant. As RFC 5545 requires, the start itself must be an
// occurrence of the rule (validate_schedule checks it), so that Turnaround,
// Outlook and Google Calendar list the same meetings.
//
// Thread-safety: all types are immutable values; functions are pure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "engine/calendar.h"
#include "engine/status.h"
#include "engine/time.h"

namespace turnaround {

enum class Frequency { kDaily, kWeekly, kMonthly, kYearly };
const char* frequency_name(Frequency f);  // "DAILY", ...

// One BYDAY item: a weekday, with an ordinal in MONTHLY / YEARLY rules
// (2 = the second of the month, -1 = the last; 0 = every such weekday).
struct WeekdayNum {
  date::weekday day;
  int ordinal = 0;
  bool operator==(const WeekdayNum&) const = default;
};

struct RecurrenceRule {
  Frequency frequency = Frequency::kMonthly;
  int interval = 1;
  std::vector<WeekdayNum> by_day;
  std::vector<int> by_month_day;  // 1..31 or -31..-1
  std::vector<int> by_month;      // 1..12
  std::vector<int> by_set_pos;    // 1..366 or -366..-1
  std::optional<int> count;       // at most this many occurrences
  // UNTIL: the last instant an occurrence may start at (a UTC UNTIL), or a
  // local date-time (converted with the schedule's zone).
  std::optional<Instant> until_utc;
  std::optional<date::local_seconds> until_local;
  date::weekday week_start = date::Monday;

  // The rule as RFC 5545 text, canonical order ("FREQ=MONTHLY;BYDAY=2TU").
  std::string to_string() const;
};

// A parse error of an RRULE: `offset` is the 0-based position in the text
// of the part at fault.
struct RruleError {
  std::size_t offset = 0;
  std::string message;
};

// Parses an RRULE value (an optional "RRULE:" prefix is allowed). On error
// returns kInvalidArgument and, if `error` is given, fills it with the
// offset and the message (which names the part: "BYDAY: ...").
Result<RecurrenceRule> parse_rrule(std::string_view text, RruleError* error = nullptr);

// What to do when an occurrence falls on a day that is not a business day of
// the company calendar (a holiday, or a weekend day).
enum class HolidayPolicy {
  kKeep,                 // hold the meeting anyway
  kNextBusinessDay,      // same local time, next business day
  kPreviousBusinessDay,  // same local time, previous business day
  kSkip,                 // no meeting that time
};
const char* holiday_policy_name(HolidayPolicy p);  // "next_business_day", ...
std::optional<HolidayPolicy> parse_holiday_policy(std::string_view name);

// A recurring meeting: rule, start, zone, holiday policy and cut-off.
struct MeetingSchedule {
  RecurrenceRule rule;
  date::local_seconds start{};  // DTSTART, local time in `calendar`'s zone
  // The zone of the meeting with the company's weekend and holidays.
  Calendar calendar;
  HolidayPolicy on_holiday = HolidayPolicy::kNextBusinessDay;
  Duration duration{60, Duration::Unit::kMinutes};
  // The agenda is frozen this long before the meeting starts ("2bd": two
  // business days before, same local time) ...
  Duration cutoff_before{2, Duration::Unit::kBusinessDays};
  // ... at this local time of day, if given (else the meeting's).
  std::optional<std::chrono::minutes> cutoff_time;
};

// One meeting of a schedule.
struct Meeting {
  std::string month;          // "2026-03": the month of the local start date
  date::local_days nominal_day;  // the rule's day, before any holiday move
  date::local_seconds local{};   // the local start (after any move)
  Instant starts_at{};
  Instant ends_at{};
  Instant cutoff_at{};
  bool moved = false;  // moved off a holiday by the policy
};

// kInvalidArgument if the start is not an occurrence of the rule, or the
// rule yields no meeting at all (e.g. BYMONTHDAY=30;BYMONTH=2).
Status validate_schedule(const MeetingSchedule& s);

// The meetings that start at or after `from`, in order, at most `count`
// (fewer when COUNT/UNTIL end the series).
std::vector<Meeting> meetings_from(const MeetingSchedule& s, Instant from, int count);

// The first meeting whose local start date lies in `month`; nullopt if none.
std::optional<Meeting> meeting_in_month(const MeetingSchedule& s, date::year_month month);

// The meeting before `m` (nullopt for the first of the series).
std::optional<Meeting> previous_meeting(const MeetingSchedule& s, const Meeting& m);

// "2026-03" -> year_month; kInvalidArgument naming `field` otherwise.
Result<date::year_month> parse_month(std::string_view text, const std::string& field = "month");
std::string format_month(date::year_month m);

}  // namespace turnaround

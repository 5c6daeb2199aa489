#include "engine/calendar.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_util.h"

namespace turnaround {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::at;
using U = Duration::Unit;

const date::time_zone* zone(const char* name) {
  auto z = Calendar::find_zone(name);
  REQUIRE_MESSAGE(z.ok(), z.status());
  return *z;
}

Calendar calendar_in(const char* name, std::set<date::local_days> holidays = {}) {
  return Calendar(zone(name), {date::Saturday, date::Sunday}, std::move(holidays));
}

date::local_days day(int y, unsigned m, unsigned d) {
  return date::local_days(date::year{y} / date::month{m} / date::day{d});
}

date::local_seconds local(int y, unsigned m, unsigned d, int h, int mi = 0, int s = 0) {
  return day(y, m, d) + hours(h) + minutes(mi) + seconds(s);
}

TEST_CASE("Calendar.FindZoneWorksOfflineFromSystemTzdata") {
  // The Debian date-tz build reads /usr/share/zoneinfo; nothing is downloaded.
  CHECK(USE_OS_TZDB == 1);
  auto berlin = Calendar::find_zone("Europe/Berlin");
  REQUIRE_MESSAGE(berlin.ok(), berlin.status());
  CHECK((*berlin)->name() == "Europe/Berlin");
  auto direct = date::locate_zone("Europe/Berlin");
  CHECK(direct == *berlin);
  CHECK(Calendar::find_zone("America/New_York").ok());
  CHECK(Calendar::find_zone("UTC").ok());
}

TEST_CASE("Calendar.FindZoneUnknownIsInvalidArgument") {
  for (const char* name : {"Mars/Olympus_Mons", "", "Europe/berlin ", "Berlin"}) {
    CAPTURE(name);
    auto z = Calendar::find_zone(name);
    REQUIRE_FALSE(z.ok());
    CHECK(z.status().code() == StatusCode::kInvalidArgument);
    CHECK(z.status().message() == "unknown time zone '" + std::string(name) + "'");
  }
}

TEST_CASE("Calendar.DefaultIsUtcWithSaturdaySundayWeekend") {
  Calendar cal;
  CHECK(cal.weekend() == std::set<date::weekday>{date::Saturday, date::Sunday});
  CHECK(cal.holidays().empty());
  Instant t = at("2026-03-29T01:30:00Z");
  CHECK(cal.format_local(t) == "2026-03-29T01:30:00+00:00");
  CHECK(cal.to_local(t).time_since_epoch() == t.time_since_epoch());
  CHECK(cal.add(t, Duration{14, U::kDays}) == t + hours(14 * 24));
  CHECK(cal.end_of_day(t) == at("2026-03-29T23:59:59Z"));
  CHECK_FALSE(cal.is_business_day(day(2026, 3, 28)));  // Saturday
  CHECK(cal.is_business_day(day(2026, 3, 30)));        // Monday
}

TEST_CASE("Calendar.AddDaysAcrossSpringForwardBerlin") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant start = at("2026-03-20T10:00:00+01:00");
  Instant due = cal.add(start, Duration{14, U::kDays});
  CHECK(format_instant(due) == "2026-04-03T08:00:00Z");
  CHECK(cal.format_local(due) == "2026-04-03T10:00:00+02:00");
  CHECK(due - start == hours(14 * 24 - 1));
  CHECK(cal.add(start, Duration{2, U::kWeeks}) == due);
  // One day over the change is 23 hours of elapsed time.
  Instant sat = at("2026-03-28T12:00:00+01:00");
  CHECK(cal.add(sat, Duration{1, U::kDays}) - sat == hours(23));
}

TEST_CASE("Calendar.AddDaysAcrossSpringForwardNewYork") {
  Calendar cal = calendar_in("America/New_York");
  Instant start = at("2026-03-01T09:00:00-05:00");
  Instant due = cal.add(start, Duration{14, U::kDays});
  CHECK(cal.format_local(due) == "2026-03-15T09:00:00-04:00");
  CHECK(format_instant(due) == "2026-03-15T13:00:00Z");
  CHECK(due - start == hours(14 * 24 - 1));
}

TEST_CASE("Calendar.AddDaysAcrossFallBackBerlin") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant start = at("2026-10-20T10:00:00+02:00");
  Instant due = cal.add(start, Duration{14, U::kDays});
  CHECK(cal.format_local(due) == "2026-11-03T10:00:00+01:00");
  CHECK(due - start == hours(14 * 24 + 1));
}

TEST_CASE("Calendar.AddWeeksAcrossFallBackNewYork") {
  Calendar cal = calendar_in("America/New_York");
  Instant start = at("2026-10-25T09:00:00-04:00");
  Instant due = cal.add(start, Duration{2, U::kWeeks});
  CHECK(cal.format_local(due) == "2026-11-08T09:00:00-05:00");
  CHECK(format_instant(due) == "2026-11-08T14:00:00Z");
  CHECK(due - start == hours(14 * 24 + 1));
}

TEST_CASE("Calendar.MinutesAndHoursAreExactElapsedTime") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant t = at("2026-03-29T00:30:00Z");  // 01:30 CET, 30 minutes before the change
  CHECK(cal.add(t, Duration{2, U::kHours}) == at("2026-03-29T02:30:00Z"));
  CHECK(cal.format_local(cal.add(t, Duration{2, U::kHours})) == "2026-03-29T04:30:00+02:00");
  CHECK(cal.add(t, Duration{90, U::kMinutes}) - t == minutes(90));
  CHECK(cal.subtract(cal.add(t, Duration{48, U::kHours}), Duration{48, U::kHours}) == t);
  CHECK(cal.add(t, Duration{0, U::kMinutes}) == t);
}

TEST_CASE("Calendar.LocalTimeInSpringForwardGapMovesToTransition") {
  Calendar berlin = calendar_in("Europe/Berlin");
  Instant t = berlin.to_instant(local(2026, 3, 29, 2, 30));
  CHECK(format_instant(t) == "2026-03-29T01:00:00Z");
  CHECK(berlin.format_local(t) == "2026-03-29T03:00:00+02:00");
  // The whole gap maps to the transition; the edges are ordinary times.
  CHECK(berlin.to_instant(local(2026, 3, 29, 2, 0)) == t);
  CHECK(berlin.to_instant(local(2026, 3, 29, 2, 59, 59)) == t);
  CHECK(berlin.to_instant(local(2026, 3, 29, 1, 59, 59)) == at("2026-03-29T00:59:59Z"));
  CHECK(berlin.to_instant(local(2026, 3, 29, 3, 0)) == t);
  // Adding a day onto a gap time lands on the transition too.
  CHECK(berlin.add(at("2026-03-28T02:30:00+01:00"), Duration{1, U::kDays}) == t);

  Calendar ny = calendar_in("America/New_York");
  Instant u = ny.to_instant(local(2026, 3, 8, 2, 30));
  CHECK(format_instant(u) == "2026-03-08T07:00:00Z");
  CHECK(ny.format_local(u) == "2026-03-08T03:00:00-04:00");
}

TEST_CASE("Calendar.AmbiguousLocalTimeTakesEarlierInstant") {
  Calendar berlin = calendar_in("Europe/Berlin");
  Instant t = berlin.to_instant(local(2026, 10, 25, 2, 30));
  CHECK(format_instant(t) == "2026-10-25T00:30:00Z");
  CHECK(berlin.format_local(t) == "2026-10-25T02:30:00+02:00");
  // The second 02:30 exists as an instant and formats with the new offset.
  CHECK(berlin.format_local(at("2026-10-25T01:30:00Z")) == "2026-10-25T02:30:00+01:00");

  Calendar ny = calendar_in("America/New_York");
  CHECK(format_instant(ny.to_instant(local(2026, 11, 1, 1, 30))) == "2026-11-01T05:30:00Z");
}

TEST_CASE("Calendar.ToLocalAndToInstantRoundTrip") {
  Calendar cal = calendar_in("Europe/Berlin");
  for (Instant t = at("2026-03-28T00:00:00Z"); t < at("2026-03-31T00:00:00Z"); t += minutes(17)) {
    CHECK(cal.to_instant(cal.to_local(t)) == t);
  }
  // In the fall-back overlap only the earlier instant round-trips.
  for (Instant t = at("2026-10-24T12:00:00Z"); t < at("2026-10-25T00:59:59Z"); t += minutes(17)) {
    CHECK(cal.to_instant(cal.to_local(t)) == t);
  }
  CHECK(cal.to_local(at("2026-03-29T01:00:00Z")) == local(2026, 3, 29, 3, 0));
  CHECK(cal.to_local(at("2026-03-29T00:59:59Z")) == local(2026, 3, 29, 1, 59, 59));
}

TEST_CASE("Calendar.BusinessDaysSkipWeekends") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant friday = at("2026-03-27T10:00:00+01:00");
  Instant monday = cal.add(friday, Duration{1, U::kBusinessDays});
  // Friday + 1bd = Monday, same wall-clock time even across the DST change.
  CHECK(cal.format_local(monday) == "2026-03-30T10:00:00+02:00");
  CHECK(cal.format_local(cal.add(friday, Duration{5, U::kBusinessDays})) ==
        "2026-04-03T10:00:00+02:00");
  Instant wednesday = at("2026-03-25T15:45:00+01:00");
  CHECK(cal.format_local(cal.add(wednesday, Duration{3, U::kBusinessDays})) ==
        "2026-03-30T15:45:00+02:00");
  CHECK(cal.add(friday, Duration{0, U::kBusinessDays}) == friday);
}

TEST_CASE("Calendar.BusinessDaysStartingOnWeekend") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant saturday = at("2026-03-28T10:00:00+01:00");
  Instant sunday = at("2026-03-29T10:00:00+02:00");
  CHECK(cal.format_local(cal.add(saturday, Duration{1, U::kBusinessDays})) ==
        "2026-03-30T10:00:00+02:00");
  CHECK(cal.format_local(cal.add(sunday, Duration{1, U::kBusinessDays})) ==
        "2026-03-30T10:00:00+02:00");
  CHECK(cal.format_local(cal.add(sunday, Duration{2, U::kBusinessDays})) ==
        "2026-03-31T10:00:00+02:00");
}

TEST_CASE("Calendar.BusinessDaysSkipHolidays") {
  // Good Friday 2026-04-03 and Easter Monday 2026-04-06.
  Calendar cal = calendar_in("Europe/Berlin", {day(2026, 4, 3), day(2026, 4, 6)});
  CHECK_FALSE(cal.is_business_day(day(2026, 4, 3)));
  CHECK_FALSE(cal.is_business_day(day(2026, 4, 4)));
  CHECK_FALSE(cal.is_business_day(day(2026, 4, 6)));
  CHECK(cal.is_business_day(day(2026, 4, 2)));
  CHECK(cal.is_business_day(day(2026, 4, 7)));
  Instant thursday = at("2026-04-02T09:00:00+02:00");
  CHECK(cal.format_local(cal.add(thursday, Duration{1, U::kBusinessDays})) ==
        "2026-04-07T09:00:00+02:00");
  CHECK(cal.format_local(cal.add(thursday, Duration{3, U::kBusinessDays})) ==
        "2026-04-09T09:00:00+02:00");
  // A holiday Monday alone: Friday + 1bd = Tuesday.
  Calendar monday_off = calendar_in("Europe/Berlin", {day(2026, 3, 30)});
  CHECK(monday_off.format_local(
            monday_off.add(at("2026-03-27T10:00:00+01:00"), Duration{1, U::kBusinessDays})) ==
        "2026-03-31T10:00:00+02:00");
}

TEST_CASE("Calendar.SubtractBusinessDays") {
  Calendar cal = calendar_in("Europe/Berlin", {day(2026, 4, 3), day(2026, 4, 6)});
  Instant monday = at("2026-03-30T10:00:00+02:00");
  CHECK(cal.format_local(cal.subtract(monday, Duration{1, U::kBusinessDays})) ==
        "2026-03-27T10:00:00+01:00");
  Instant sunday = at("2026-03-29T10:00:00+02:00");
  CHECK(cal.format_local(cal.subtract(sunday, Duration{1, U::kBusinessDays})) ==
        "2026-03-27T10:00:00+01:00");
  Instant tuesday = at("2026-04-07T09:00:00+02:00");
  CHECK(cal.format_local(cal.subtract(tuesday, Duration{1, U::kBusinessDays})) ==
        "2026-04-02T09:00:00+02:00");
  CHECK(cal.format_local(cal.subtract(tuesday, Duration{5, U::kBusinessDays})) ==
        "2026-03-27T09:00:00+01:00");
  // From a business day, subtract undoes add.
  Instant thursday = at("2026-04-02T09:00:00+02:00");
  for (int n = 0; n < 30; ++n) {
    CAPTURE(n);
    Duration d{n, U::kBusinessDays};
    CHECK(cal.subtract(cal.add(thursday, d), d) == thursday);
  }
}

TEST_CASE("Calendar.SubtractDaysMirrorsAdd") {
  Calendar cal = calendar_in("Europe/Berlin");
  Instant due = at("2026-04-03T10:00:00+02:00");
  Instant start = cal.subtract(due, Duration{14, U::kDays});
  CHECK(cal.format_local(start) == "2026-03-20T10:00:00+01:00");
  CHECK(cal.format_local(cal.subtract(due, Duration{2, U::kDays})) == "2026-04-01T10:00:00+02:00");
  CHECK(cal.format_local(cal.subtract(at("2026-11-03T10:00:00+01:00"), Duration{2, U::kWeeks})) ==
        "2026-10-20T10:00:00+02:00");
  CHECK(cal.subtract(due, Duration{30, U::kMinutes}) == due - minutes(30));
}

TEST_CASE("Calendar.CustomWeekend") {
  Calendar cal(zone("Asia/Riyadh"), {date::Friday, date::Saturday}, {});
  CHECK(cal.is_business_day(day(2026, 3, 29)));        // Sunday
  CHECK_FALSE(cal.is_business_day(day(2026, 3, 27)));  // Friday
  Instant thursday = at("2026-03-26T10:00:00+03:00");
  CHECK(cal.format_local(cal.add(thursday, Duration{1, U::kBusinessDays})) ==
        "2026-03-29T10:00:00+03:00");
  // A week without business days does not hang; it counts calendar days.
  Calendar all_weekend(zone("UTC"),
                       {date::Monday, date::Tuesday, date::Wednesday, date::Thursday, date::Friday,
                        date::Saturday, date::Sunday},
                       {});
  CHECK(all_weekend.add(at("2026-03-26T10:00:00Z"), Duration{2, U::kBusinessDays}) ==
        at("2026-03-28T10:00:00Z"));
}

TEST_CASE("Calendar.LongDeadlinesLandOnExactInstant") {
  // 42 and 70 days are far beyond 24.8 days (2^31 ms); no 32-bit overflow.
  Calendar utc;
  Instant start = at("2026-03-01T00:00:00Z");
  CHECK(utc.add(start, Duration{6, U::kWeeks}) == at("2026-04-12T00:00:00Z"));
  CHECK(utc.add(start, Duration{42, U::kDays}) - start == seconds(3628800));
  CHECK(utc.add(start, Duration{10, U::kWeeks}) == at("2026-05-10T00:00:00Z"));
  CHECK(utc.add(start, Duration{60480, U::kMinutes}) == at("2026-04-12T00:00:00Z"));
  CHECK(utc.add(start, Duration{1680, U::kHours}) == at("2026-05-10T00:00:00Z"));

  Calendar berlin = calendar_in("Europe/Berlin");
  Instant opened = at("2026-03-01T09:00:00+01:00");
  Instant six = berlin.add(opened, Duration{6, U::kWeeks});
  CHECK(format_instant(six) == "2026-04-12T07:00:00Z");
  CHECK(six - opened == hours(42 * 24 - 1));
  Instant ten = berlin.add(opened, Duration{10, U::kWeeks});
  CHECK(format_instant(ten) == "2026-05-10T07:00:00Z");
  CHECK(berlin.format_local(ten) == "2026-05-10T09:00:00+02:00");
  CHECK(berlin.subtract(ten, Duration{70, U::kDays}) == opened);
  // A year of business days (no holidays): 260 weekdays from a Monday.
  CHECK(berlin.format_local(
            berlin.add(at("2026-01-05T09:00:00+01:00"), Duration{260, U::kBusinessDays})) ==
        "2027-01-04T09:00:00+01:00");
}

TEST_CASE("Calendar.EndOfDayOnDstDays") {
  Calendar berlin = calendar_in("Europe/Berlin");
  // Spring forward: the day has 23 hours; its last second is at +02:00.
  CHECK(format_instant(berlin.end_of_day(at("2026-03-29T12:00:00Z"))) == "2026-03-29T21:59:59Z");
  CHECK(format_instant(berlin.end_of_day(at("2026-03-29T00:30:00Z"))) == "2026-03-29T21:59:59Z");
  CHECK(format_instant(berlin.end_of_day(at("2026-03-28T23:30:00Z"))) == "2026-03-29T21:59:59Z");
  CHECK(berlin.format_local(berlin.end_of_day(at("2026-03-29T12:00:00Z"))) ==
        "2026-03-29T23:59:59+02:00");
  // Fall back: the day has 25 hours; its last second is at +01:00.
  CHECK(format_instant(berlin.end_of_day(at("2026-10-25T00:30:00Z"))) == "2026-10-25T22:59:59Z");
  CHECK(format_instant(berlin.end_of_day(at("2026-10-25T22:59:59Z"))) == "2026-10-25T22:59:59Z");
  CHECK(format_instant(berlin.end_of_day(at("2026-10-25T23:00:00Z"))) == "2026-10-26T22:59:59Z");

  Calendar ny = calendar_in("America/New_York");
  CHECK(ny.format_local(ny.end_of_day(at("2026-03-08T12:00:00Z"))) == "2026-03-08T23:59:59-04:00");
  CHECK(ny.format_local(ny.end_of_day(at("2026-11-01T12:00:00Z"))) == "2026-11-01T23:59:59-05:00");
}

TEST_CASE("Calendar.FormatLocal") {
  Calendar berlin = calendar_in("Europe/Berlin");
  CHECK(berlin.format_local(at("2026-03-29T01:30:00Z")) == "2026-03-29T03:30:00+02:00");
  CHECK(berlin.format_local(at("2026-01-15T12:00:00Z")) == "2026-01-15T13:00:00+01:00");
  Calendar india = calendar_in("Asia/Kolkata");
  CHECK(india.format_local(at("2026-03-29T01:30:00Z")) == "2026-03-29T07:00:00+05:30");
  Calendar sp = calendar_in("America/St_Johns");
  CHECK(sp.format_local(at("2026-01-15T12:00:00Z")) == "2026-01-15T08:30:00-03:30");
  // format_local output parses back to the same instant.
  for (const char* iso : {"2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"}) {
    CAPTURE(iso);
    CHECK(at(berlin.format_local(at(iso))) == at(iso));
  }
}

}  // namespace
}  // namespace turnaround

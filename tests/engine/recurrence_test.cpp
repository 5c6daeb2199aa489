// RRULE parsing and meeting expansion: DST changes, holidays, the common
// rules, cut-offs.
#include "engine/recurrence.h"

#include <sstream>

#include "tests/support/test_util.h"

namespace turnaround::testing {

namespace {

date::local_seconds local(const std::string& text) {
  std::istringstream in(text);
  date::local_seconds t;
  in >> date::parse("%FT%R", t);
  REQUIRE_MESSAGE(!in.fail(), text);
  return t;
}

MeetingSchedule schedule(const std::string& rrule, const std::string& start,
                         const std::string& zone = "Europe/Berlin",
                         std::set<date::local_days> holidays = {}) {
  MeetingSchedule s;
  auto r = parse_rrule(rrule);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  s.rule = *r;
  s.start = local(start);
  s.calendar = Calendar(date::locate_zone(zone), {date::Saturday, date::Sunday}, std::move(holidays));
  return s;
}

// "local start / UTC start / cut-off (UTC)" of each meeting, one per line.
std::string listing(const MeetingSchedule& s, const std::string& from, int n) {
  std::string out;
  for (const Meeting& m : meetings_from(s, at(from), n)) {
    out += s.calendar.format_local(m.starts_at) + " " + format_instant(m.starts_at) + " cutoff " +
           format_instant(m.cutoff_at) + (m.moved ? " moved" : "") + "\n";
  }
  return out;
}

std::vector<std::string> local_starts(const MeetingSchedule& s, const std::string& from, int n) {
  std::vector<std::string> out;
  for (const Meeting& m : meetings_from(s, at(from), n)) out.push_back(s.calendar.format_local(m.starts_at));
  return out;
}

date::local_days day(const std::string& ymd) { return date::floor<date::days>(local(ymd + "T00:00")); }

}  // namespace

TEST_CASE("Recurrence.ParsesTheSpecRules") {
  auto r = parse_rrule("FREQ=MONTHLY;BYDAY=2TU");
  REQUIRE(r.ok());
  CHECK(r->frequency == Frequency::kMonthly);
  REQUIRE(r->by_day.size() == 1);
  CHECK(r->by_day[0] == WeekdayNum{date::Tuesday, 2});
  CHECK(r->to_string() == "FREQ=MONTHLY;BYDAY=2TU");

  auto last = parse_rrule("RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1");
  REQUIRE(last.ok());
  CHECK(last->by_set_pos == std::vector<int>{-1});
  CHECK(last->to_string() == "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1");

  auto weeks = parse_rrule("FREQ=WEEKLY;INTERVAL=4;COUNT=10");
  REQUIRE(weeks.ok());
  CHECK(weeks->interval == 4);
  CHECK(weeks->count == 10);

  auto until = parse_rrule("FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20261231T235959Z");
  REQUIRE(until.ok());
  CHECK(until->by_month_day == std::vector<int>{-1});
  CHECK(format_instant(*until->until_utc) == "2026-12-31T23:59:59Z");
}

TEST_CASE("Recurrence.RejectsBadRulesWithTheOffsetOfThePart") {
  struct Bad {
    const char* text;
    std::size_t offset;
    const char* message_part;
  };
  const Bad cases[] = {
      {"FREQ=MONTHLY;BYDAY=2XX", 19, "BYDAY: '2XX'"},
      {"FREQ=FORTNIGHTLY", 5, "FREQ: 'FORTNIGHTLY'"},
      {"BYDAY=TU", 0, "FREQ is required"},
      {"FREQ=MONTHLY;INTERVAL=0", 22, "INTERVAL"},
      {"FREQ=MONTHLY;BYHOUR=15", 13, "unsupported RRULE part 'BYHOUR'"},
      {"FREQ=MONTHLY;BYDAY=TU;BYDAY=WE", 22, "BYDAY is given twice"},
      {"FREQ=MONTHLY;BYMONTHDAY=32", 24, "BYMONTHDAY: '32'"},
      {"FREQ=MONTHLY;BYDAY=TU,", 22, "ends with a comma"},
      {"FREQ=MONTHLY;COUNT=3;UNTIL=20260101", 0, "COUNT and UNTIL"},
      {"FREQ=WEEKLY;BYDAY=2TU", 0, "ordinals like 2TU need FREQ=MONTHLY"},
      {"FREQ=MONTHLY;UNTIL=2026-12-31", 19, "UNTIL"},
      {"FREQ=MONTHLY;BYDAY", 13, "expected NAME=VALUE"},
  };
  for (const Bad& b : cases) {
    CAPTURE(b.text);
    RruleError e;
    auto r = parse_rrule(b.text, &e);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(e.offset == b.offset);
    CHECK(e.message.find(b.message_part) != std::string::npos);
  }
}

TEST_CASE("Recurrence.SecondTuesdayAcrossBerlinDstChanges") {
  // 2026: CET -> CEST on 29 March, back on 25 October. 15:00 local stays
  // 15:00: 14:00Z in winter, 13:00Z in summer.
  auto s = schedule("FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T15:00");
  REQUIRE(validate_schedule(s).ok());
  CHECK(listing(s, "2026-02-01T00:00:00Z", 10) ==
        "2026-02-10T15:00:00+01:00 2026-02-10T14:00:00Z cutoff 2026-02-06T14:00:00Z\n"
        "2026-03-10T15:00:00+01:00 2026-03-10T14:00:00Z cutoff 2026-03-06T14:00:00Z\n"
        "2026-04-14T15:00:00+02:00 2026-04-14T13:00:00Z cutoff 2026-04-10T13:00:00Z\n"
        "2026-05-12T15:00:00+02:00 2026-05-12T13:00:00Z cutoff 2026-05-08T13:00:00Z\n"
        "2026-06-09T15:00:00+02:00 2026-06-09T13:00:00Z cutoff 2026-06-05T13:00:00Z\n"
        "2026-07-14T15:00:00+02:00 2026-07-14T13:00:00Z cutoff 2026-07-10T13:00:00Z\n"
        "2026-08-11T15:00:00+02:00 2026-08-11T13:00:00Z cutoff 2026-08-07T13:00:00Z\n"
        "2026-09-08T15:00:00+02:00 2026-09-08T13:00:00Z cutoff 2026-09-04T13:00:00Z\n"
        "2026-10-13T15:00:00+02:00 2026-10-13T13:00:00Z cutoff 2026-10-09T13:00:00Z\n"
        "2026-11-10T15:00:00+01:00 2026-11-10T14:00:00Z cutoff 2026-11-06T14:00:00Z\n");
}

TEST_CASE("Recurrence.CutoffSpansTheDstChange") {
  // A meeting on Tuesday 31 March 2026 (CEST) with a cut-off 2 business days
  // before lands on Friday 27 March (CET), still 15:00 local.
  auto s = schedule("FREQ=MONTHLY;BYDAY=-1TU", "2026-01-27T15:00");
  auto m = meeting_in_month(s, date::year{2026} / date::March);
  REQUIRE(m);
  CHECK(format_instant(m->starts_at) == "2026-03-31T13:00:00Z");
  CHECK(s.calendar.format_local(m->cutoff_at) == "2026-03-27T15:00:00+01:00");
  // In New York (DST from 8 March, back on 1 November).
  auto ny = schedule("FREQ=MONTHLY;BYDAY=1MO", "2026-01-05T15:00", "America/New_York");
  CHECK(local_starts(ny, "2026-02-01T00:00:00Z", 3) ==
        std::vector<std::string>{"2026-02-02T15:00:00-05:00", "2026-03-02T15:00:00-05:00",
                                 "2026-04-06T15:00:00-04:00"});
  auto m_nov = meeting_in_month(ny, date::year{2026} / date::November);
  REQUIRE(m_nov);
  CHECK(format_instant(m_nov->starts_at) == "2026-11-02T20:00:00Z");
  // Cut-off Thursday 29 October (EDT), the meeting Monday 2 November (EST).
  CHECK(ny.calendar.format_local(m_nov->cutoff_at) == "2026-10-29T15:00:00-04:00");
}

TEST_CASE("Recurrence.NonexistentAndAmbiguousLocalTimes") {
  // Weekly on Sunday at 02:30 Berlin: 29 March 2026 02:30 does not exist and
  // moves forward to 03:00 CEST; 25 October 02:30 happens twice and takes the
  // earlier (CEST) instant.
  auto s = schedule("FREQ=WEEKLY", "2026-03-22T02:30");
  s.on_holiday = HolidayPolicy::kKeep;  // Sundays are weekend days
  CHECK(local_starts(s, "2026-03-22T00:00:00Z", 3) ==
        std::vector<std::string>{"2026-03-22T02:30:00+01:00", "2026-03-29T03:00:00+02:00",
                                 "2026-04-05T02:30:00+02:00"});
  auto oct = meetings_from(s, at("2026-10-24T00:00:00Z"), 1);
  REQUIRE(oct.size() == 1);
  CHECK(format_instant(oct[0].starts_at) == "2026-10-25T00:30:00Z");
  CHECK(s.calendar.format_local(oct[0].starts_at) == "2026-10-25T02:30:00+02:00");
  // New York: 8 March 2026 02:30 does not exist (-> 03:00 EDT); 1 November
  // 01:30 is ambiguous (-> 01:30 EDT, the earlier).
  auto ny = schedule("FREQ=WEEKLY", "2026-03-01T02:30", "America/New_York");
  ny.on_holiday = HolidayPolicy::kKeep;
  CHECK(local_starts(ny, "2026-03-08T00:00:00Z", 1) ==
        std::vector<std::string>{"2026-03-08T03:00:00-04:00"});
  auto ny_fall = schedule("FREQ=WEEKLY", "2026-10-25T01:30", "America/New_York");
  ny_fall.on_holiday = HolidayPolicy::kKeep;
  CHECK(local_starts(ny_fall, "2026-10-30T00:00:00Z", 2) ==
        std::vector<std::string>{"2026-11-01T01:30:00-04:00", "2026-11-08T01:30:00-05:00"});
}

TEST_CASE("Recurrence.HolidayPolicies") {
  // 2026-12-08 is the second Tuesday of December; make it a holiday.
  auto base = [](HolidayPolicy p) {
    auto s = schedule("FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T15:00", "Europe/Berlin",
                      {day("2026-12-08")});
    s.on_holiday = p;
    return s;
  };
  auto next = base(HolidayPolicy::kNextBusinessDay);
  auto m = meeting_in_month(next, date::year{2026} / date::December);
  REQUIRE(m);
  CHECK(next.calendar.format_local(m->starts_at) == "2026-12-09T15:00:00+01:00");
  CHECK(m->moved);
  // The cut-off follows the moved meeting: 2 business days before Wednesday
  // 9 December, not counting the holiday: Monday 7 (1), Friday 4 (2).
  CHECK(next.calendar.format_local(m->cutoff_at) == "2026-12-04T15:00:00+01:00");

  auto prev = base(HolidayPolicy::kPreviousBusinessDay);
  m = meeting_in_month(prev, date::year{2026} / date::December);
  REQUIRE(m);
  CHECK(prev.calendar.format_local(m->starts_at) == "2026-12-07T15:00:00+01:00");
  // Cut-off: 2 business days before Monday 7 December = Thursday 3 December.
  CHECK(prev.calendar.format_local(m->cutoff_at) == "2026-12-03T15:00:00+01:00");

  auto keep = base(HolidayPolicy::kKeep);
  m = meeting_in_month(keep, date::year{2026} / date::December);
  REQUIRE(m);
  CHECK(keep.calendar.format_local(m->starts_at) == "2026-12-08T15:00:00+01:00");
  CHECK_FALSE(m->moved);

  auto skip = base(HolidayPolicy::kSkip);
  CHECK_FALSE(meeting_in_month(skip, date::year{2026} / date::December));
  CHECK(local_starts(skip, "2026-11-11T00:00:00Z", 1) ==
        std::vector<std::string>{"2027-01-12T15:00:00+01:00"});

  // Next business day over a holiday followed by a weekend: Friday 2026-12-25
  // and Saturday/Sunday -> Monday 28 December.
  auto fri = schedule("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30T15:00", "Europe/Berlin",
                      {day("2026-12-25")});
  m = meeting_in_month(fri, date::year{2026} / date::December);
  REQUIRE(m);
  CHECK(fri.calendar.format_local(m->starts_at) == "2026-12-28T15:00:00+01:00");
}

TEST_CASE("Recurrence.LastWeekdayFirstMondayEveryNWeeks") {
  auto last = schedule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-01-30T15:00");
  REQUIRE(validate_schedule(last).ok());
  CHECK(local_starts(last, "2026-01-01T00:00:00Z", 6) ==
        std::vector<std::string>{"2026-01-30T15:00:00+01:00", "2026-02-27T15:00:00+01:00",
                                 "2026-03-31T15:00:00+02:00", "2026-04-30T15:00:00+02:00",
                                 "2026-05-29T15:00:00+02:00", "2026-06-30T15:00:00+02:00"});

  auto first_monday = schedule("FREQ=MONTHLY;BYDAY=1MO", "2026-02-02T09:30");
  CHECK(local_starts(first_monday, "2026-01-01T00:00:00Z", 4) ==
        std::vector<std::string>{"2026-02-02T09:30:00+01:00", "2026-03-02T09:30:00+01:00",
                                 "2026-04-06T09:30:00+02:00", "2026-05-04T09:30:00+02:00"});

  auto every4 = schedule("FREQ=WEEKLY;INTERVAL=4", "2026-03-03T15:00");
  CHECK(local_starts(every4, "2026-01-01T00:00:00Z", 4) ==
        std::vector<std::string>{"2026-03-03T15:00:00+01:00", "2026-03-31T15:00:00+02:00",
                                 "2026-04-28T15:00:00+02:00", "2026-05-26T15:00:00+02:00"});
  auto every2 = schedule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2026-03-03T15:00");
  CHECK(local_starts(every2, "2026-01-01T00:00:00Z", 4) ==
        std::vector<std::string>{"2026-03-03T15:00:00+01:00", "2026-03-05T15:00:00+01:00",
                                 "2026-03-17T15:00:00+01:00", "2026-03-19T15:00:00+01:00"});
  auto lastday = schedule("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31T15:00");
  lastday.on_holiday = HolidayPolicy::kKeep;
  CHECK(local_starts(lastday, "2026-01-01T00:00:00Z", 3) ==
        std::vector<std::string>{"2026-01-31T15:00:00+01:00", "2026-02-28T15:00:00+01:00",
                                 "2026-03-31T15:00:00+02:00"});
  auto daily = schedule("FREQ=DAILY;BYDAY=MO,WE", "2026-03-02T08:00");
  CHECK(local_starts(daily, "2026-01-01T00:00:00Z", 3) ==
        std::vector<std::string>{"2026-03-02T08:00:00+01:00", "2026-03-04T08:00:00+01:00",
                                 "2026-03-09T08:00:00+01:00"});
  auto yearly = schedule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "2026-03-29T10:00");
  yearly.on_holiday = HolidayPolicy::kKeep;
  CHECK(local_starts(yearly, "2026-01-01T00:00:00Z", 2) ==
        std::vector<std::string>{"2026-03-29T10:00:00+02:00", "2027-03-28T10:00:00+02:00"});
}

TEST_CASE("Recurrence.CountUntilAndValidation") {
  auto counted = schedule("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", "2026-01-13T15:00");
  CHECK(meetings_from(counted, at("2020-01-01T00:00:00Z"), 10).size() == 3);
  CHECK(meetings_from(counted, at("2026-02-11T00:00:00Z"), 10).size() == 1);
  auto until = schedule("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260414T130000Z", "2026-01-13T15:00");
  CHECK(meetings_from(until, at("2020-01-01T00:00:00Z"), 10).size() == 4);

  auto wrong_start = schedule("FREQ=MONTHLY;BYDAY=2TU", "2026-01-14T15:00");
  Status s = validate_schedule(wrong_start);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().find("2026-01-14 (Wednesday) is not an occurrence") != std::string::npos);
  CHECK(s.message().find("2026-02-10") != std::string::npos);
  auto never = schedule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2026-01-13T15:00");
  CHECK(validate_schedule(never).message().find("yields no meeting") != std::string::npos);
}

TEST_CASE("Recurrence.MonthsAndPreviousMeetings") {
  auto s = schedule("FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T15:00");
  CHECK_FALSE(meeting_in_month(s, date::year{2025} / date::December));
  auto m = meeting_in_month(s, date::year{2026} / date::September);
  REQUIRE(m);
  CHECK(m->month == "2026-09");
  auto prev = previous_meeting(s, *m);
  REQUIRE(prev);
  CHECK(prev->month == "2026-08");
  auto first = meeting_in_month(s, date::year{2026} / date::January);
  REQUIRE(first);
  CHECK_FALSE(previous_meeting(s, *first));
  CHECK(format_month(*parse_month("2026-09")) == "2026-09");
  CHECK_FALSE(parse_month("2026-13").ok());
  CHECK_FALSE(parse_month("2026-9").ok());
  CHECK(parse_month("09-2026").status().fields() == std::vector<std::string>{"month"});
}

TEST_CASE("Recurrence.CutoffAtALocalTime") {
  auto s = schedule("FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T15:00");
  s.cutoff_time = std::chrono::hours(12);
  auto m = meeting_in_month(s, date::year{2026} / date::April);
  REQUIRE(m);
  CHECK(s.calendar.format_local(m->cutoff_at) == "2026-04-10T12:00:00+02:00");
  CHECK(format_instant(m->ends_at) == "2026-04-14T14:00:00Z");
}

}  // namespace turnaround::testing

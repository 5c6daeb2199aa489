#include "engine/time.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_util.h"

namespace turnaround {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::at;

Instant utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return date::sys_days(date::year{y} / date::month{m} / date::day{d}) + hours(h) + minutes(mi) +
         seconds(s);
}

// The message of a failed parse, or "" when it succeeded.
template <typename T>
std::string error_of(const Result<T>& r) {
  return r.ok() ? "" : r.status().message();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("Time.ParseInstantValidForms") {
  const Instant expected = utc(2026, 3, 29, 1, 30, 0);
  const char* forms[] = {
      "2026-03-29T01:30:00Z",      "2026-03-29T01:30Z",        "2026-03-29T01:30:00z",
      "2026-03-29T03:30:00+02:00", "2026-03-29T03:30+0200",    "2026-03-29T03:30:00+02",
      "2026-03-28T20:30:00-05:00", "2026-03-29T01:30:00.999Z", "2026-03-29T01:30:00,5Z",
      "2026-03-29T01:30:00+00:00", "2026-03-29t01:30:00Z",     "  2026-03-29T01:30:00Z  ",
      "2026-03-29T07:00:00+05:30",
  };
  for (const char* text : forms) {
    CAPTURE(text);
    auto r = parse_instant(text);
    REQUIRE_MESSAGE(r.ok(), r.status());
    CHECK(format_instant(*r) == "2026-03-29T01:30:00Z");
    CHECK(*r == expected);
  }
}

TEST_CASE("Time.ParseInstantFractionIsTruncated") {
  CHECK(at("2026-03-29T01:30:59.999999Z") == utc(2026, 3, 29, 1, 30, 59));
}

TEST_CASE("Time.ParseInstantOffsetCrossesDate") {
  CHECK(at("2026-01-01T00:30:00+01:00") == utc(2025, 12, 31, 23, 30, 0));
  CHECK(at("2025-12-31T23:30:00-01:00") == utc(2026, 1, 1, 0, 30, 0));
  CHECK(at("2024-02-29T12:00:00Z") == utc(2024, 2, 29, 12));  // leap year
  CHECK(at("1970-01-01T00:00:00Z").time_since_epoch().count() == 0);
}

TEST_CASE("Time.ParseInstantRejectsOutOfRange") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"2026-13-01T00:00:00Z", "month 13 out of range"},
      {"2026-00-01T00:00:00Z", "month 00 out of range"},
      {"2026-01-32T00:00:00Z", "day 32 out of range"},
      {"2026-02-30T00:00:00Z", "day 30 out of range for 2026-02"},
      {"2026-02-29T00:00:00Z", "day 29 out of range for 2026-02"},  // not a leap year
      {"2026-04-31T00:00:00Z", "day 31 out of range for 2026-04"},
      {"2026-03-29T25:00:00Z", "hour 25 out of range"},
      {"2026-03-29T24:00:00Z", "hour 24 out of range"},
      {"2026-03-29T10:60:00Z", "minute 60 out of range"},
      {"2026-03-29T10:00:61Z", "second 61 out of range"},
      {"2026-03-29T10:00:00+24:00", "offset hour 24 out of range"},
      {"2026-03-29T10:00:00+01:60", "offset minute 60 out of range"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = parse_instant(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(contains(r.status().message(), c.message), r.status().message());
    CHECK(contains(r.status().message(), c.text));
  }
}

TEST_CASE("Time.ParseInstantRequiresOffset") {
  for (const char* text :
       {"2026-03-29T01:30:00", "2026-03-29T01:30", "2026-03-29T01:30:00.5", "2026-03-29"}) {
    CAPTURE(text);
    auto r = parse_instant(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(contains(r.status().message(), "an offset like Z or +01:00 is required"),
                  r.status().message());
  }
}

TEST_CASE("Time.ParseInstantRejectsMalformedText") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {"yesterday", "malformed date"},
      {"26-03-29T01:30:00Z", "malformed date"},
      {"2026/03/29T01:30:00Z", "malformed date"},
      {"2026-3-29T01:30:00Z", "malformed date"},
      {"2026-03-29 01:30:00Z", "expected 'T'"},
      {"2026-03-29T1:30:00Z", "malformed time"},
      {"2026-03-29T01:30:0Z", "malformed seconds"},
      {"2026-03-29T01:30:00.Z", "digits after the decimal point"},
      {"2026-03-29T01:30.5Z", "expected an offset"},
      {"2026-03-29T01:30:00+2", "malformed UTC offset"},
      {"2026-03-29T01:30:00+02:0", "malformed UTC offset"},
      {"2026-03-29T01:30:00 CET", "expected an offset"},
      {"2026-03-29T01:30:00Zjunk", "unexpected trailing text 'junk'"},
      {"2026-03-29T01:30:00+01:00:00", "unexpected trailing text"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = parse_instant(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(contains(r.status().message(), c.message), r.status().message());
  }
}

TEST_CASE("Time.FormatInstant") {
  CHECK(format_instant(utc(2026, 3, 29, 1, 30, 0)) == "2026-03-29T01:30:00Z");
  CHECK(format_instant(utc(1999, 12, 31, 23, 59, 59)) == "1999-12-31T23:59:59Z");
  CHECK(format_instant(Instant{}) == "1970-01-01T00:00:00Z");
  // Every digit position, leading zeros, before 1970 and the last second.
  CHECK(format_instant(utc(9, 1, 2, 3, 4, 5)) == "0009-01-02T03:04:05Z");
  CHECK(format_instant(utc(1969, 7, 20, 20, 17, 40)) == "1969-07-20T20:17:40Z");
  CHECK(format_instant(utc(2026, 11, 30, 9, 58, 7)) == "2026-11-30T09:58:07Z");
  CHECK(format_instant(utc(9999, 12, 31, 23, 59, 59)) == "9999-12-31T23:59:59Z");
}

TEST_CASE("Time.FormatInstantTo") {
  char buf[kInstantTextSize];
  for (Instant t : {utc(2026, 3, 29, 1, 30, 0), utc(9, 1, 2, 3, 4, 5), utc(1969, 7, 20, 20, 17, 40),
                    utc(9999, 12, 31, 23, 59, 59), Instant{}}) {
    CAPTURE(format_instant(t));
    REQUIRE(format_instant_to(t, buf));
    CHECK(std::string(buf, sizeof buf) == format_instant(t));
  }
  // A year of five digits does not fit: refused, and format_instant() still
  // writes it.
  CHECK_FALSE(format_instant_to(utc(10000, 1, 1, 0, 0, 0), buf));
  CHECK(format_instant(utc(10000, 1, 1, 0, 0, 0)) == "10000-01-01T00:00:00Z");
}

TEST_CASE("Time.InstantRoundTrip") {
  for (const char* text : {"2026-03-29T01:30:00Z", "2026-10-25T00:59:59Z", "2000-02-29T00:00:00Z",
                           "2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z"}) {
    CAPTURE(text);
    CHECK(format_instant(at(text)) == text);
  }
  // Every hour over a DST change and a leap day survives format -> parse.
  for (Instant t = utc(2024, 2, 28); t < utc(2024, 3, 2); t += minutes(37)) {
    CHECK(at(format_instant(t)) == t);
  }
}

TEST_CASE("Time.ParseDurationShortForms") {
  using U = Duration::Unit;
  CHECK(*parse_duration("90m") == Duration{90, U::kMinutes});
  CHECK(*parse_duration("48h") == Duration{48, U::kHours});
  CHECK(*parse_duration("14d") == Duration{14, U::kDays});
  CHECK(*parse_duration("2w") == Duration{2, U::kWeeks});
  CHECK(*parse_duration("3bd") == Duration{3, U::kBusinessDays});
  CHECK(*parse_duration("0d") == Duration{0, U::kDays});
  CHECK(*parse_duration(" 14 d ") == Duration{14, U::kDays});
  CHECK(*parse_duration("100000m") == Duration{100000, U::kMinutes});
}

TEST_CASE("Time.ParseDurationLongForms") {
  using U = Duration::Unit;
  CHECK(*parse_duration("90 minutes") == Duration{90, U::kMinutes});
  CHECK(*parse_duration("1 minute") == Duration{1, U::kMinutes});
  CHECK(*parse_duration("1 hour") == Duration{1, U::kHours});
  CHECK(*parse_duration("48 hours") == Duration{48, U::kHours});
  CHECK(*parse_duration("1 day") == Duration{1, U::kDays});
  CHECK(*parse_duration("14 days") == Duration{14, U::kDays});
  CHECK(*parse_duration("1 week") == Duration{1, U::kWeeks});
  CHECK(*parse_duration("2 weeks") == Duration{2, U::kWeeks});
  CHECK(*parse_duration("1 business day") == Duration{1, U::kBusinessDays});
  CHECK(*parse_duration("3 business days") == Duration{3, U::kBusinessDays});
  CHECK(*parse_duration("3 Business  Days") == Duration{3, U::kBusinessDays});
  CHECK(*parse_duration("6weeks") == Duration{6, U::kWeeks});
}

TEST_CASE("Time.ParseDurationRejectsInvalid") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "empty"},
      {"  ", "empty"},
      {"-3d", "negative"},
      {"d", "missing amount"},
      {"days", "missing amount"},
      {"14", "missing unit"},
      {"14 fortnights", "unknown unit 'fortnights'"},
      {"14y", "unknown unit 'y'"},
      {"3 businessdays", "unknown unit"},
      {"1.5h", "whole number"},
      {"+3d", "missing amount"},
      {"100001d", "too large"},
      {"99999999999999999999999d", "too large"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = parse_duration(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(contains(r.status().message(), c.message), r.status().message());
    // Every message lists the accepted forms.
    CHECK(contains(r.status().message(), "90m, 48h, 14d, 2w, 3bd"));
    CHECK(contains(r.status().message(), "3 business days"));
  }
}

TEST_CASE("Time.DurationToStringIsCanonicalAndRoundTrips") {
  using U = Duration::Unit;
  CHECK(to_string(Duration{14, U::kDays}) == "14d");
  CHECK(to_string(Duration{3, U::kBusinessDays}) == "3bd");
  CHECK(to_string(Duration{48, U::kHours}) == "48h");
  CHECK(to_string(Duration{90, U::kMinutes}) == "90m");
  CHECK(to_string(Duration{2, U::kWeeks}) == "2w");
  for (const char* text : {"90 minutes", "1 hour", "14 days", "2 weeks", "3 business days", "0m"}) {
    CAPTURE(text);
    Duration d = *parse_duration(text);
    CHECK(*parse_duration(to_string(d)) == d);
  }
  CHECK(Duration{} == Duration{0, U::kDays});
}

TEST_CASE("Time.FormatElapsed") {
  CHECK(format_elapsed(0) == "0s");
  CHECK(format_elapsed(42) == "42s");
  CHECK(format_elapsed(60) == "1m");
  CHECK(format_elapsed(12 * 60 + 5) == "12m 5s");
  CHECK(format_elapsed(5 * 3600 + 12 * 60) == "5h 12m");
  CHECK(format_elapsed(5 * 3600 + 12 * 60 + 59) == "5h 12m");
  CHECK(format_elapsed(3600) == "1h");
  CHECK(format_elapsed(3 * 86400 + 4 * 3600) == "3d 4h");
  CHECK(format_elapsed(3 * 86400 + 59 * 60) == "3d");
  CHECK(format_elapsed(42 * 86400) == "42d");
  CHECK(format_elapsed(-90) == "-1m 30s");
}

}  // namespace
}  // namespace turnaround

// company.yaml `loss_review:`: the example company's meeting, defaults, and
// every error with its FILE:LINE:COLUMN.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "engine/company_config.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {

namespace {

const char* kHead =
    "company: Test\n"
    "time_zone: Europe/Berlin\n"
    "people:\n"
    "  - {id: ines.ops, name: Ines, roles: [ops_lead]}\n";

std::string errors_of(const std::string& text) {
  Diagnostics diags;
  auto c = load_company_config(text, "company.yaml", diags);
  CHECK(c.has_value() == diags.empty());
  return diags.to_string();
}

}  // namespace

TEST_CASE("LossReviewConfig.ExampleCompany") {
  std::ifstream in(std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme/company.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  Diagnostics diags;
  auto c = load_company_config(ss.str(), "company.yaml", diags);
  REQUIRE_MESSAGE(c.has_value(), diags.to_string());
  REQUIRE(c->loss_review);
  const LossReviewConfig& lr = *c->loss_review;
  CHECK(lr.schedule.rule.to_string() == "FREQ=MONTHLY;BYDAY=2TU");
  CHECK(lr.schedule.on_holiday == HolidayPolicy::kNextBusinessDay);
  CHECK(lr.schedule.cutoff_before == Duration{2, Duration::Unit::kBusinessDays});
  CHECK(lr.schedule.duration == Duration{60, Duration::Unit::kMinutes});
  CHECK(lr.sample_size == 10);
  CHECK(lr.attendees ==
        std::vector<std::string>{"ines.ops", "jonas.ops", "role:executive", "ana.analyst"});
  // The company's holidays apply: 2026-03-08 is a Sunday holiday in the
  // example; the meeting of October 2026 is Tuesday 13 October, 15:00 CEST.
  auto m = meeting_in_month(lr.schedule, date::year{2026} / date::October);
  REQUIRE(m);
  CHECK(lr.schedule.calendar.format_local(m->starts_at) == "2026-10-13T15:00:00+02:00");
  CHECK(lr.schedule.calendar.format_local(m->cutoff_at) == "2026-10-09T15:00:00+02:00");
}

TEST_CASE("LossReviewConfig.DefaultsAndCutoffAtATime") {
  Diagnostics diags;
  auto c = load_company_config(std::string(kHead) +
                                   "loss_review:\n"
                                   "  rrule: FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\n"
                                   "  start: 2026-01-30T09:00\n"
                                   "  time_zone: America/New_York\n"
                                   "  agenda_cutoff: {before: 1bd, at: \"12:00\"}\n",
                               "company.yaml", diags);
  REQUIRE_MESSAGE(c.has_value(), diags.to_string());
  const auto& lr = *c->loss_review;
  CHECK(lr.time_zone == "America/New_York");
  CHECK(lr.schedule.on_holiday == HolidayPolicy::kNextBusinessDay);
  CHECK(lr.contact_events == std::vector<std::string>{"log_call"});
  CHECK(lr.review_event == "mark_reviewed");
  auto m = meeting_in_month(lr.schedule, date::year{2026} / date::March);
  REQUIRE(m);
  CHECK(lr.schedule.calendar.format_local(m->starts_at) == "2026-03-31T09:00:00-04:00");
  CHECK(lr.schedule.calendar.format_local(m->cutoff_at) == "2026-03-30T12:00:00-04:00");
  // No loss_review: none scheduled.
  Diagnostics d2;
  auto none = load_company_config(kHead, "company.yaml", d2);
  REQUIRE(none);
  CHECK_FALSE(none->loss_review);
}

TEST_CASE("LossReviewConfig.ErrorsNameFileLineColumn") {
  CHECK(errors_of(std::string(kHead) +
                  "loss_review:\n"
                  "  rrule: FREQ=MONTHLY;BYDAY=2XY\n"
                  "  start: 2026-01-13T15:00\n") ==
        "company.yaml:6:29: loss_review rrule: BYDAY: '2XY' is not a weekday like TU, 2TU or -1FR\n");
  CHECK(errors_of(std::string(kHead) +
                  "loss_review:\n"
                  "  rrule: \"FREQ=MONTHLY;BYHOUR=3\"\n"
                  "  start: 2026-01-13T15:00\n")
            .starts_with("company.yaml:6:24: loss_review rrule: unsupported RRULE part 'BYHOUR'"));
  CHECK(errors_of(std::string(kHead) +
                  "loss_review:\n"
                  "  rrule: FREQ=MONTHLY;BYDAY=2TU\n"
                  "  start: 2026-01-14T15:00\n") ==
        "company.yaml:7:10: loss_review: the start 2026-01-14 (Wednesday) is not an occurrence of "
        "FREQ=MONTHLY;BYDAY=2TU; the first one after it is 2026-02-10 (Tuesday)\n");
  CHECK(errors_of(std::string(kHead) +
                  "loss_review:\n"
                  "  rrule: FREQ=MONTHLY;BYDAY=2TU\n"
                  "  start: 2026-01-13 15:00+01:00\n"
                  "  time_zone: Mars/Olympus\n"
                  "  on_holiday: tomorrow\n"
                  "  agenda_cutoff: two days\n"
                  "  attendees: [ines.ops, nobody]\n"
                  "  sample_size: 0\n"
                  "  colour: red\n") ==
        "company.yaml:7:10: loss_review start '2026-01-13 15:00+01:00' is not a local date-time "
        "YYYY-MM-DDTHH:MM (no offset: the zone is time_zone)\n"
        "company.yaml:8:14: unknown time zone 'Mars/Olympus'\n"
        "company.yaml:9:15: unknown on_holiday 'tomorrow'; expected next_business_day, "
        "previous_business_day, skip or keep\n"
        "company.yaml:10:18: bad duration 'two days' for agenda_cutoff: " +
            parse_duration("two days").status().message() +
            "\n"
            "company.yaml:11:25: loss_review attendee 'nobody' is neither a person of people: nor a "
            "role\n"
            "company.yaml:12:16: 'sample_size' in loss_review must be a whole number from 1 to 10000, "
            "not '0'\n"
            "company.yaml:13:3: unknown key 'colour' in loss_review; expected one of: rrule, start, "
            "time_zone, duration, on_holiday, agenda_cutoff, attendees, sample_size, contact_events, "
            "review_event, review_notes_field, list_limit\n");
}

}  // namespace turnaround::testing

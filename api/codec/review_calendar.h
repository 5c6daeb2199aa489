#pragma once
// The loss-review schedule for machines: the JSON of `review schedule` (SPEC
// section 10) and an iCalendar file (RFC 5545) of the meetings.

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "engine/company_config.h"
#include "engine/recurrence.h"

namespace turnaround::api {

// {"rrule", "zone", "meetings": [{"month", "starts_at" (UTC, Z), "ends_at",
//  "local" (with the zone's offset), "zone", "agenda_cutoff" (UTC, Z),
//  "agenda_cutoff_local", "moved"}]}.
boost::json::object schedule_json(const LossReviewConfig& lr, const std::vector<Meeting>& meetings);

// An iCalendar (RFC 5545) text with one VEVENT per meeting: UID (stable per
// company and month, so a re-import updates rather than duplicates), DTSTAMP
// (`now`), DTSTART/DTEND in UTC (no VTIMEZONE needed; calendars show them in
// the viewer's zone), SUMMARY, DESCRIPTION (the agenda cut-off and the
// attendees) and the meeting's local time. Each meeting is listed as its own
// event rather than as an RRULE, so holiday moves are exactly what
// Turnaround computed. Lines end in CRLF and are folded at 75 octets.
std::string meetings_ics(const CompanyConfig& company, const std::vector<Meeting>& meetings,
                         Instant now);

}  // namespace turnaround::api

#pragma once
// Small helpers shared by the handlers_*.cpp files: reading JSON bodies and
// path parameters with field-level errors, and the row-level visibility
// rule. Internal to api/http.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/handlers.h"

namespace turnaround::api {

// A decimal integer > 0 with nothing around it, else nullopt.
std::optional<std::int64_t> positive_integer(std::string_view text);

// The body as a JSON object. An empty body is {} if allow_empty, else
// kInvalidArgument; invalid JSON and non-objects are kInvalidArgument.
Result<boost::json::object> object_body(std::string_view body, bool allow_empty);

// kInvalidArgument naming every key of `o` not in `known`.
Status check_keys(const boost::json::object& o, const std::vector<std::string_view>& known);

// The optional integer "version" of `o` (kInvalidArgument if not an integer).
Result<std::optional<std::int64_t>> version_of(const boost::json::object& o);

// The path parameter {id} as a case id (kInvalidArgument naming "id").
Result<CaseId> case_id_param(const RequestContext& ctx);

// True for people who see every case (ops leads, analysts).
bool sees_all_cases(const Person& p);
// True if `p` may see case `c`: sees_all_cases, or owns it, or it is
// unowned in the queue of one of p's roles.
bool may_see(const Person& p, const Case& c);

// The case as the API shows it: case_json.h's shape (with history), the
// summary of add_case_summary, "responses_detail": [{"response_id",
// "score", "comment", "responded_at"}], "allowed_events": the events
// `viewer` may fire now, and "events": the same with what a form needs,
// from the workflow definition: [{"event", "label", "to", "to_label",
// "fields": [{"name", "type", "label", "required": true, "options"?}]}]
// (options: the company's themes for theme fields).
HttpResponse case_response(Services& s, const Case& c, const Person& viewer);

// Adds what the page shows of a case beside case_json.h's shape:
// "state_label", "workflow_label", "due_at" (the next due instant of a
// running deadline, null if none), "deadline_missed" (a deadline missed and
// not done), "danger_zone", "heavy_hitter".
void add_case_summary(boost::json::object& o, const Case& c, const Services& s);

// A response for a non-OK status (errors.h), for brevity.
HttpResponse fail(const Status& s);

}  // namespace turnaround::api

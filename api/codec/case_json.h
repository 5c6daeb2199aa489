#pragma once
// JSON forms of the domain types, shared by the CLI (`--format json`) and the
// HTTP API, so both speak exactly the same shapes (SPEC section 10).

#include <boost/json/fwd.hpp>
#include <boost/json/storage_ptr.hpp>

#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/domain.h"
#include "engine/status.h"
#include "engine/value.h"
#include "engine/workflow.h"

namespace turnaround::api {

boost::json::value value_to_json(const Value& v, boost::json::storage_ptr sp = {});
// A JSON value for `field`; kInvalidArgument naming the field when the JSON
// kind does not fit the field's type.
Result<Value> value_from_json(const FieldDef& field, const boost::json::value& v);

// {"id", "workflow", "workflow_version", "state", "owner", "queue",
//  "priority", "customer_id", "customer_name", "segment", "arr", "score",
//  "responses", "responded_at", "opened_at", "closed_at", "version",
//  "overdue", "data", "deadlines": [{"name", "state", "due_at", "status",
//  "paused", "resolved_at"}], and with_history: "history": [{"at", "event",
//  "from", "to", "by", "data", and "deadline" when the entry concerns one}]}.
// `now` decides "overdue". The JSON is allocated from `sp` (default: the
// heap); the HTTP server passes a monotonic buffer, since one case makes
// a few hundred small allocations.
boost::json::object case_to_json(const Case& c, Instant now, bool with_history,
                                 boost::json::storage_ptr sp = {});

// The compact text of case_to_json(c, now, with_history), byte for byte
// what boost::json::serialize() makes of it, followed (when `allowed` is
// given) by "allowed_events": [...] as a last key. Written straight into
// the string, without building the JSON tree: for the HTTP server, where
// tree and serializer were a third of the CPU of GET /v1/cases/{id}.
std::string case_json_text(const Case& c, Instant now, bool with_history,
                           const std::vector<std::string>* allowed = nullptr);

boost::json::object person_to_json(const Person& p);

// Serialises with a trailing newline, keys in insertion order.
std::string to_json_text(const boost::json::value& v, bool pretty = true);

}  // namespace turnaround::api

#pragma once
// The JSON summary of an intake (responses or churn events), shared by
// `turnaround import` and POST /v1/responses | /v1/churn-events.

#include <boost/json/fwd.hpp>

#include "engine/engine.h"

namespace turnaround::api {

// {"read", "cases_opened", "attached", "duplicates", "rejected", "recorded",
//  "cases_closed"}: the counts of engine/engine.h's ImportSummary.
boost::json::object import_summary_to_json(const ImportSummary& s);

}  // namespace turnaround::api

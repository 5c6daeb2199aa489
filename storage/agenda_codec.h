#pragma once
// The loss-review agenda as JSON: the stored form of a frozen agenda
// (review_meetings.agenda) and, the same text, the `--format json` output of
// `turnaround review agenda` and GET /v1/reviews/{month}/agenda. Boost.JSON
// is used only in agenda_codec.cpp.
//
// Shape (instants are ISO 8601 UTC ending in Z; money is a number):
//   {"month", "zone", "starts_at", "local", "agenda_cutoff",
//    "period": {"from", "to"}, "as_of", "frozen", "frozen_at" | null,
//    "lost_customers": {"count", "arr", "by_segment": [{"segment",
//        "customers", "arr", "reasons": [{"reason", "count"}], "lost": [LOST]}]},
//    "callback_sample": {"size", "customers": [LOST]},
//    "loss_cases": LIST,
//    "detractor_cases": {"opened": LIST, "closed": LIST,
//        "open_by_state": [{"state", "open", "overdue"}]},
//    "overdue": LIST + {"by_owner": [{"owner", "count"}]},
//    "outreach": {"target", "contacted", "progress": contacted/target | null},
//    "analytics_days": {"from", "to"} (local dates, "to" exclusive),
//    "on_time": {"overall": COUNTS, "steps": [COUNTS + {"step"}],
//        "by_owner": [COUNTS + {"owner", "steps": [COUNTS + {"step"}]}]},
//    "themes": {"per_segment", "top": [{"segment", "theme", "cases",
//        "detractors", "arr", "previous_cases", "change"}]},
//    "flare_ups": {"test", "rows": [{"period", "segment", "detractors",
//        "responses", "share", "baseline_detractors", "baseline_responses",
//        "baseline_share", "z", "p_value"}]}}
//   COUNTS = {"met", "missed", "pending", "cancelled", "rate": met/(met+missed) | null}
//   LOST = {"customer_id", "name", "segment", "arr", "reason", "lost_at",
//           "case_id" | null, "case_state"}
//   LIST = {"total", "truncated", "cases": [{"id", "workflow", "state",
//           "owner", "customer_id", "customer_name", "segment", "arr",
//           "opened_at", "closed_at" | null, "overdue"}]}

#include <string>
#include <string_view>

#include "engine/agenda.h"
#include "engine/status.h"

namespace turnaround::storage {

// Compact JSON text of `a` (pretty = false) or indented (pretty = true).
std::string encode_agenda(const Agenda& a, bool pretty = false);
// kInternal ("corrupt agenda") on text not of the shape above.
Result<Agenda> decode_agenda(std::string_view json);

}  // namespace turnaround::storage

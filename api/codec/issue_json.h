#pragma once
// JSON forms of top-five issues (engine/issue.h), shared by the CLI
// (`turnaround issue ... --format json`) and the HTTP API (/v1/issues), so
// both speak the same shapes. docs/issues.md describes them.

#include <boost/json/fwd.hpp>
#include <boost/json/storage_ptr.hpp>

#include <vector>

#include "engine/issue.h"

namespace turnaround::api {

// {"id", "title", "theme", "segment" (null = all), "state", "owner",
//  "priority", "opened_by", "opened_at", "closed_at", "open", "version",
//  "linked": {"open", "closed", "arr"}, "overdue",
//  "deadlines": [{"name", "due_at", "status", "overdue"}],
//  "verification": {"segment", "window_days", "before": WINDOW,
//    "action_done_at", "after": WINDOW | null, "after_complete", "fell"},
//  "data"} where WINDOW is {"from", "to", "responses", "detractors",
//  "share" (null without responses)}. with_details adds "cases" (the linked
//  cases: {"case_id", "customer_name", "segment", "arr", "state", "owner",
//  "open", "linked_at", "linked_by", "how"}) and "history" (case_json.h's
//  history entries).
boost::json::object issue_to_json(const IssueView& v, Instant now, bool with_details);

// {"theme", "segment" (null = all), "cases", "open_cases", "customers",
//  "arr_at_stake", "open_issue" (id or null)}.
boost::json::object candidate_to_json(const IssueCandidate& c);

// The issues a case is linked to: [{"id", "title", "theme", "segment"
//  (null = all), "open", "linked_at", "linked_by", "how"}].
boost::json::array case_issues_to_json(const std::vector<CaseIssue>& issues,
                                       boost::json::storage_ptr sp = {});

// {"linked": [ids], "already": [ids]}.
boost::json::object link_result_to_json(const LinkResult& r);

}  // namespace turnaround::api

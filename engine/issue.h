#pragma once
// Top-five issues: company-level improvement items (SPEC section 2, "Issue";
// seed 002, Action No. 5).
//
// An issue is a case of a workflow whose subject is a theme (workflow key
// `subject: theme`, e.g. workflows/issue-accountability.yaml). Its subject
// (a theme of the company taxonomy, optionally one segment) is a row of its
// own, IssueRecord, keyed by the issue's case id. Detractor cases (workflows
// with `link_to_issues: true`) link to it: automatically when their theme
// fields are recorded while the issue is open, or explicitly by an ops lead.
// A link is an IssueLink row and an entry in both cases' histories.
//
// These are the value types shared by the Engine (engine.h, "Top-five
// issues") and the Store (store.h, same heading).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/ids.h"
#include "engine/time.h"

namespace turnaround {

// The subject of an issue. Stored once, when it is opened; never changed.
struct IssueRecord {
  CaseId id;              // the issue's case
  std::string theme;      // a theme of the company's taxonomy
  std::string segment;    // one of the company's segments; "" = all segments
  std::string title;      // for people; defaults to the theme (and segment)
  PersonId opened_by;
  Instant opened_at{};
  bool open = true;       // read only: the issue's case is not closed
};

// How a case came to be linked to an issue.
inline constexpr const char* kLinkAuto = "auto";      // its themes were recorded
inline constexpr const char* kLinkManual = "manual";  // an ops lead linked this case
inline constexpr const char* kLinkBulk = "bulk";      // "link all matching open cases"

struct IssueLink {
  CaseId issue_id;
  CaseId case_id;
  Instant linked_at{};
  PersonId linked_by;  // person id or "system"
  std::string how;     // kLinkAuto, kLinkManual or kLinkBulk
};

// Responses in a time window: how many, and how many were detractors (0-6).
struct ResponseCounts {
  std::int64_t responses = 0;
  std::int64_t detractors = 0;
  // detractors / responses; nullopt without responses.
  std::optional<double> share() const {
    if (responses == 0) return std::nullopt;
    return static_cast<double>(detractors) / static_cast<double>(responses);
  }
};

// --- What the Engine answers about issues.

// A window of the verification: [from, to).
struct ShareWindow {
  Instant from{};
  Instant to{};
  ResponseCounts counts;
};

// "Did the fix work?" (SPEC section 6): the detractor share of the issue's
// segment (all segments if it has none) in the window before the issue was
// opened against the window after its action was done (when the issue's
// workflow signalled its linked cases).
struct IssueVerification {
  std::string segment;                  // "" = all segments
  std::int64_t window_days = 0;
  ShareWindow before;                   // [opened_at - window, opened_at)
  std::optional<Instant> action_done_at;
  std::optional<ShareWindow> after;     // [action_done_at, min(+window, now))
  bool after_complete = false;          // the after window has fully elapsed
  // after share < before share; nullopt while either window has no responses
  // or the action is not done.
  std::optional<bool> fell;
};

// One linked case as shown on an issue.
struct LinkedCase {
  IssueLink link;
  std::string customer_name;
  std::string segment;
  double arr = 0;
  std::string state;
  PersonId owner;
  bool open = true;
  CustomerId customer_id;
};

// The links of an issue in numbers.
struct LinkTotals {
  std::int64_t open = 0;    // linked cases still open
  std::int64_t closed = 0;
  double arr = 0;           // sum over their distinct customers of the highest arr
};

struct IssueView {
  IssueRecord record;
  Case issue;                        // the issue's case (history when asked)
  std::vector<LinkedCase> linked;    // by link time
  std::int64_t linked_open = 0;
  std::int64_t linked_closed = 0;
  double linked_arr = 0;             // arr of the linked cases' distinct customers
  bool overdue = false;              // a deadline of the issue is overdue now
  IssueVerification verification;
};

// An issue a case is linked to, with how and when (the case page, `cases show`).
struct CaseIssue {
  IssueRecord issue;
  IssueLink link;
};

// A candidate issue: a theme (segment "" = all segments) or a theme within
// one segment, with the detractor cases that name it.
struct IssueCandidate {
  std::string theme;
  std::string segment;          // "" = all segments
  std::int64_t cases = 0;       // detractor cases whose themes contain it
  std::int64_t open_cases = 0;  // of which still open
  std::int64_t customers = 0;   // distinct customers
  double arr_at_stake = 0;      // sum of those customers' arr
  std::optional<CaseId> open_issue;  // the open issue for exactly this subject
};

struct LinkResult {
  std::vector<CaseId> linked;    // newly linked
  std::vector<CaseId> already;   // were linked before
};

}  // namespace turnaround

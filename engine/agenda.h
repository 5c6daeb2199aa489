#pragma once
// The loss-review agenda as data, and the rows storage keeps for it. Built by
// engine/loss_review.h; stored frozen by storage (review_meetings); rendered
// by api/codec/agenda_render.h (JSON, Markdown, CSV, HTML).
//
// Period: a meeting reviews what happened from the previous meeting's
// agenda cut-off (inclusive) to its own cut-off (exclusive), so every loss
// and every case event lands on exactly one frozen agenda. The first meeting
// of a series has no previous one: its period starts at the beginning.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/analytics.h"
#include "engine/ids.h"
#include "engine/time.h"

namespace turnaround {

// A customer lost in the period (a churn event), with its loss case if any.
struct LostCustomer {
  CustomerId customer_id;
  std::string name;     // from the customers table ("" if unknown)
  std::string segment;  // idem
  double arr = 0;       // revenue lost (the churn event's arr)
  std::string reason;   // as given with the churn event ("" if none)
  Instant lost_at{};
  CaseId case_id;          // the customer's latest loss case (0 if none)
  std::string case_state;  // its state ("" if none)
};

// One case as the agenda lists it.
struct CaseDigest {
  CaseId id;
  std::string workflow;
  std::string state;
  PersonId owner;  // empty when unassigned
  CustomerId customer_id;
  std::string customer_name;
  std::string segment;
  double arr = 0;
  Instant opened_at{};
  std::optional<Instant> closed_at;
  bool overdue = false;  // at the agenda's as_of instant
};

// Which cases a digest query returns (always of `workflows`, by id).
struct DigestQuery {
  enum class Kind {
    kOpenedBetween,  // from <= opened_at < to
    kClosedBetween,  // from <= closed_at < to
    kOpenOrOpenedBetween,  // still open, or opened in [from, to)
    kOverdue,        // open and overdue at `as_of`
  };
  Kind kind = Kind::kOpenedBetween;
  std::vector<std::string> workflows;
  Instant from{};
  Instant to{};
  Instant as_of{};          // for CaseDigest::overdue
  std::int64_t limit = 200;  // the longest list returned; total is exact
};

struct DigestPage {
  std::int64_t total = 0;          // all matches
  std::vector<CaseDigest> cases;   // the first `limit` by id
};

// Open cases of one state.
struct StateCount {
  std::string state;
  std::int64_t open = 0;
  std::int64_t overdue = 0;  // of them, overdue at as_of
};

// Cases per owner (owner "" = unassigned).
struct OwnerCount {
  PersonId owner;
  std::int64_t count = 0;
};

// Lost customers of one segment.
struct SegmentLosses {
  std::string segment;
  std::int64_t customers = 0;
  double arr = 0;
  // Reasons as given, most frequent first (ties by text), with counts.
  std::vector<std::pair<std::string, std::int64_t>> reasons;
  std::vector<LostCustomer> lost;  // by lost_at
};

// A bounded list of cases with its exact total.
struct CaseList {
  std::int64_t total = 0;
  std::vector<CaseDigest> cases;
  bool truncated() const { return total > static_cast<std::int64_t>(cases.size()); }
};

// On-time counts of one accountability step (a deadline of the detractor
// workflow: week2_root_cause, ...), or of one owner over all steps.
struct OnTimeLine {
  std::string key;  // step name, or owner id ("" unassigned)
  OnTimeCounts counts;
  std::vector<std::pair<std::string, OnTimeCounts>> steps;  // per step (owners only)
};

// A theme of one segment in the period, and its change against the window
// of equal length before it (analytics' themes report).
struct AgendaTheme {
  std::string segment;
  std::string theme;
  std::int64_t cases = 0;
  std::int64_t detractors = 0;
  double arr = 0;
  std::int64_t previous_cases = 0;
  std::int64_t change = 0;
};

// A segment-month whose detractor share jumped against its trailing
// baseline (analytics' detractors report, flagged rows only).
struct AgendaFlareUp {
  std::string period;  // "2026-10"
  std::string segment;
  FlareUpTest test;
};

// The sections computed by engine/reports.h (the analytics helper's
// functions) over whole local days of the period.
struct AgendaAnalytics {
  std::int32_t from_day = 0, to_day = 0;  // local days [from, to) (days since 1970-01-01)
  OnTimeCounts on_time_overall;
  std::vector<OnTimeLine> on_time_steps;   // by step name
  std::vector<OnTimeLine> on_time_owners;  // by owner
  int themes_per_segment = 5;
  std::vector<AgendaTheme> top_themes;     // by segment, then cases descending
  std::string flare_up_test;               // the test's name
  std::vector<AgendaFlareUp> flare_ups;
};

// One of the top-five issues (engine/issue.h, Engine::top_issues) as the
// meeting sees it: where it stands, what is linked, whether the fix worked.
struct AgendaIssue {
  CaseId id;
  std::string theme;
  std::string segment;  // "" = all segments
  std::string title;
  std::string state;
  PersonId owner;       // empty when unassigned
  bool overdue = false;
  std::int64_t linked_open = 0;
  std::int64_t linked_closed = 0;
  double linked_arr = 0;
  // Detractor share of the segment before the issue and after its action
  // (IssueVerification); nullopt when that window has no responses yet.
  std::optional<double> share_before;
  std::optional<double> share_after;
  std::optional<bool> fell;
};

struct Agenda {
  // --- The meeting.
  std::string month;  // "2026-09"
  std::string zone;   // the meeting's time zone
  Instant starts_at{};
  std::string local;  // the local start with offset
  Instant cutoff_at{};
  Instant period_from{};  // previous cut-off (or the epoch for the first)
  Instant period_to{};    // this cut-off
  Instant as_of{};        // the data's instant: freeze time, or now (live)
  bool frozen = false;    // true when read back from a frozen agenda
  std::optional<Instant> frozen_at;

  // --- Customers lost in the period.
  std::int64_t lost_customers = 0;
  double lost_arr = 0;
  std::vector<SegmentLosses> losses_by_segment;  // by segment name
  // Up to sample_size lost customers to call back, stratified by segment.
  int sample_size = 0;
  std::vector<LostCustomer> callback_sample;

  // --- Loss follow-up cases: opened in the period or still open.
  CaseList loss_cases;

  // --- Detractor cases.
  CaseList detractors_opened;  // opened in the period
  CaseList detractors_closed;  // closed in the period
  std::vector<StateCount> detractors_open_by_state;  // at as_of
  CaseList overdue;            // open detractor and loss cases overdue at as_of
  std::vector<OwnerCount> overdue_by_owner;

  // --- Outreach: detractor cases contacted in the period vs the target.
  std::int64_t outreach_target = 0;
  std::int64_t outreach_contacted = 0;

  // --- Analytics sections (engine/reports.h).
  AgendaAnalytics analytics;

  // --- The top-five issues and their status, ranked as Engine::top_issues.
  std::vector<AgendaIssue> top_issues;
};

// A scheduled meeting as stored (review_meetings): created ahead, frozen once
// at its cut-off.
struct ReviewMeetingRow {
  std::string month;
  Instant starts_at{};
  Instant cutoff_at{};
  std::optional<Instant> frozen_at;
  std::optional<Agenda> agenda;  // set once frozen
};

}  // namespace turnaround

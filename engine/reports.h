#pragma once
// Reports: the analytics of SPEC section 6 over a Store, each in one read
// transaction, from the summaries storage keeps (engine/report_rows.h) and
// the maths of engine/analytics.h. The CLI (`turnaround report ...`), the
// HTTP API (GET /v1/reports/...) and the loss-review agenda call these;
// docs/reports.md documents each one for users.
//
// Ranges are whole local days of the company's time zone: [from, to), `to`
// exclusive. Periods (week = ISO week from Monday, month, quarter) are local
// calendar periods; a period only partly inside the range is reported over
// the part inside it.
//
// Cost: every report reads summary rows (at most one per local day x
// segment x score, theme or step), never the raw responses, so each answers
// in milliseconds at a million responses (bench/report_bench.cpp); the
// timing report reads one covering-index entry per case opened in the range.
//
// Thread-safety: a Reports holds references only; calls may run on several
// threads if the Store allows it (both stores do).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/analytics.h"
#include "engine/company_config.h"
#include "engine/report_rows.h"
#include "engine/store.h"

namespace turnaround {

// [from, to) in local days.
struct DayRange {
  LocalDay from = 0;
  LocalDay to = 0;
  bool empty() const { return to <= from; }
};

// --- NPS (`report nps`).
struct NpsQuery {
  DayRange range;
  Period period = Period::kMonth;
  bool by_segment = false;  // one row per configured segment per period
};
struct NpsRow {
  std::string period;   // label, e.g. "2026-11", "2026-W45"
  LocalDay start = 0;   // first local day of the period (clipped to the range)
  std::string segment;  // "" when not by segment
  Nps nps;              // an empty segment has responses 0 and no nps
};
struct NpsReport {
  NpsQuery query;
  std::vector<NpsRow> rows;  // by period, then segment (configured order)
  Nps total;                 // the whole range, all segments
};

// --- Detractor share over time with flare-ups (`report detractors`).
struct DetractorQuery {
  DayRange range;
  Period period = Period::kMonth;
  FlareUpOptions flare_up;
};
struct DetractorRow {
  std::string period;
  LocalDay start = 0;
  std::string segment;
  // The test of this period against the previous baseline_periods periods
  // of the segment (read from before the range when needed).
  FlareUpTest test;
  std::int64_t baseline_periods = 0;  // how many earlier periods the baseline pooled
};
struct DetractorReport {
  DetractorQuery query;
  std::vector<DetractorRow> rows;   // by period, then segment
  std::vector<DetractorRow> flare_ups;  // the flagged rows
};

// --- Themes by segment (`report themes`), with the change against the
// window of equal length just before the range.
struct ThemeQuery {
  DayRange range;
  std::optional<std::string> workflow;  // all when unset
  std::optional<std::string> segment;   // all when unset
};
struct ThemeRow {
  std::string theme;
  std::string segment;
  std::int64_t cases = 0;        // cases opened in the range with the theme
  std::int64_t detractors = 0;   // of them with a detractor score
  double arr = 0;                // sum of their arr
  double detractor_arr = 0;      // arr at stake: sum of the detractor cases' arr
  std::int64_t previous_cases = 0;  // the same count in the previous window
  std::int64_t change = 0;          // cases - previous_cases
  std::int64_t open_cases = 0;      // open now (any opening date)
};
struct ThemeReport {
  ThemeQuery query;
  DayRange previous;
  std::vector<ThemeRow> rows;  // by segment, then cases descending, then theme
};

// --- Candidate issues (for top-five issues): themes ranked by detractor
// cases and by arr at stake.
struct ThemeRank {
  std::string theme;
  std::string segment;  // "" when ranked over all segments
  std::int64_t detractors = 0;     // detractor cases opened in the range
  double detractor_arr = 0;        // their arr: the arr at stake
  std::int64_t open_detractors = 0;  // open now
  double open_detractor_arr = 0;
  int rank_by_detractors = 0;  // 1 = most detractor cases
  int rank_by_arr = 0;         // 1 = most arr at stake
};

// --- Time to first contact and to close (`report timing`).
struct TimingQuery {
  DayRange range;                  // cases opened in it
  std::optional<std::string> workflow;  // default: the response intake workflow
  bool by_segment = false;
};
struct TimingRow {
  std::string segment;  // "" for all
  std::int64_t opened = 0;
  DurationStats first_contact;  // opened -> first contact, contacted cases
  DurationStats close;          // opened -> closed, closed cases
  std::int64_t not_contacted = 0;
  std::int64_t open = 0;
};
struct TimingReport {
  TimingQuery query;
  std::string workflow;
  std::vector<TimingRow> rows;  // all first, then segments
};

// --- Accountability scorecard (`report scorecard`): on-time rate of each
// step (deadline) overall, per owner and per team, over deadlines due in
// the range.
struct ScorecardQuery {
  DayRange range;
  std::optional<std::string> workflow;  // all when unset
};
struct ScoreLine {
  std::string key;  // step name, owner id ("" unassigned) or team
  OnTimeCounts total;
  std::map<std::string, OnTimeCounts> steps;  // by deadline name
};
struct ScorecardReport {
  ScorecardQuery query;
  std::vector<std::string> step_names;  // every deadline seen, sorted
  OnTimeCounts overall;
  std::vector<ScoreLine> steps;   // key = deadline name
  std::vector<ScoreLine> owners;  // key = owner
  std::vector<ScoreLine> teams;   // key = team (an owner counts in each of their teams)
};

// --- Theme saturation (`report saturation`).
struct SaturationQuery {
  DayRange range;                // first contacts in it
  std::int64_t max_calls = 200;  // the first N callbacks of the range; 0 = all
};
struct SaturationReport {
  SaturationQuery query;
  std::int64_t calls = 0;  // callbacks considered
  Saturation saturation;
  std::vector<CaseId> case_ids;  // the callbacks, in order
};

class Reports {
 public:
  // REQUIRES: both outlive the Reports.
  Reports(Store& store, const CompanyConfig& company);

  // The local day of `t` in the company's zone, and the local midnight
  // instant of a local day (DST-safe).
  LocalDay local_day(Instant t) const;
  Instant day_start(LocalDay day) const;
  // The default range of a report: from `period_count` periods before the
  // period containing `now` to the end of the current period.
  DayRange recent(Period period, int period_count, Instant now) const;

  // kInvalidArgument when the range is empty.
  Result<NpsReport> nps(const NpsQuery& q);
  Result<DetractorReport> detractors(const DetractorQuery& q);
  Result<ThemeReport> themes(const ThemeQuery& q);
  // Ranked over all segments, or per segment when by_segment.
  Result<std::vector<ThemeRank>> theme_ranking(DayRange range, bool by_segment,
                                               std::optional<std::string> workflow = {});
  Result<TimingReport> timing(const TimingQuery& q);
  Result<ScorecardReport> scorecard(const ScorecardQuery& q);
  Result<SaturationReport> saturation(const SaturationQuery& q);
  // Cases carrying a theme (with arr); see ThemeCaseQuery.
  Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q);
  // Cases of `workflow` opened / closed in the range, open now by state.
  Result<CaseFlow> case_flow(const std::string& workflow, DayRange range);

  // The workflow response intake opens (the first response intake rule's),
  // "" if none.
  std::string response_workflow() const;

 private:
  Store& store_;
  const CompanyConfig& company_;
  const std::vector<ZoneOffset> offsets_;  // of the company zone, constant
};

}  // namespace turnaround

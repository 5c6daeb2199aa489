#pragma once
// The rows the Store serves to the reports (engine/reports.h): summaries
// kept current by storage in the same transaction as the data they
// summarise, so that no report reads the raw tables whole.
//
// Local days. Rows that roll up by date use the company's local date, as a
// LocalDay (days since 1970-01-01 of the local calendar). Storage knows no
// time zone: the engine gives it the zone's UTC offset history
// (Transaction::set_zone_offsets, from tzdb) and storage files each instant
// under local_day_of(instant, offsets).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/tz.h>

#include "engine/case.h"
#include "engine/ids.h"
#include "engine/time.h"

namespace turnaround {

// Days since 1970-01-01 of a local calendar date.
using LocalDay = std::int32_t;

// From `since` on (until the next entry), local time = UTC + offset_s.
struct ZoneOffset {
  Instant since{};
  std::int32_t offset_s = 0;
  bool operator==(const ZoneOffset&) const = default;
};

// The local day of `t`: floor((t + offset) / 1 day), with the offset of the
// last entry whose `since` <= t (0 before the first, or when empty).
// REQUIRES: offsets sorted by since.
LocalDay local_day_of(Instant t, const std::vector<ZoneOffset>& offsets);

// The UTC offset history of `zone` from 1970 to 2200 (tzdb's transitions;
// consecutive entries with equal offsets merged). REQUIRES: zone != nullptr.
std::vector<ZoneOffset> zone_offsets(const date::time_zone* zone);

// Responses of one local day, segment and score.
struct ResponseDayRow {
  LocalDay day = 0;
  std::string segment;
  int score = 0;
  std::int64_t responses = 0;
  double arr = 0;  // sum of the responses' arr
};

// Cases opened on one local day, per theme, segment and workflow. A case
// with several themes counts once under each.
struct ThemeDayRow {
  LocalDay day = 0;  // of opened_at
  std::string theme;
  std::string segment;
  std::string workflow;
  std::int64_t cases = 0;
  std::int64_t detractors = 0;  // of them, cases whose score is 0..6
  double arr = 0;               // sum of the cases' arr
  double detractor_arr = 0;     // sum of the detractor cases' arr
};

// Deadlines due on one local day, per deadline name, workflow, owner and
// status. The owner is the case's owner while the deadline is pending and
// the owner at the moment it was met, missed or cancelled afterwards (the
// person accountable for the step).
struct DeadlineDayRow {
  LocalDay day = 0;  // of due_at
  std::string name;
  std::string workflow;
  PersonId owner;    // empty when unassigned
  DeadlineStatus status = DeadlineStatus::kPending;
  std::int64_t count = 0;
};

// One deadline of one case (the normalized case_deadlines table).
struct CaseDeadlineRow {
  CaseId case_id;
  std::string name;
  std::string workflow;
  PersonId owner;
  Instant due_at{};
  DeadlineStatus status = DeadlineStatus::kPending;
  std::optional<Instant> resolved_at;
};

// A local month as year * 12 + month - 1.
using LocalMonth = std::int32_t;
LocalMonth local_month_of_day(LocalDay day);
// The first local day of a LocalMonth.
LocalDay first_day_of_month(LocalMonth month);

// Cases of one workflow opened in one local month, per segment, metric and
// whole hours: metric "opened" (hours 0) counts the cases, "first_contact"
// and "close" count them by whole hours from opening to first contact / to
// close (rounded down; negative spans count as 0).
struct TimingMonthRow {
  LocalMonth month = 0;
  std::string segment;
  std::string metric;
  std::int64_t hours = 0;
  std::int64_t count = 0;
};

// The instants of one case that the timing report needs.
struct CaseTimingRow {
  CaseId case_id;
  std::string segment;
  Instant opened_at{};
  std::optional<Instant> first_contact_at;
  std::optional<Instant> closed_at;
};

// One case carrying one theme (the case_themes table).
struct ThemeCaseRow {
  CaseId case_id;
  std::string theme;
  std::string segment;
  std::string workflow;
  CustomerId customer_id;
  double arr = 0;
  std::optional<int> score;
  Instant opened_at{};
  std::optional<Instant> closed_at;
};

// Filters of cases_with_theme(). Unset fields do not filter.
struct ThemeCaseQuery {
  std::string theme;                    // required
  std::optional<std::string> segment;
  std::optional<std::string> workflow;
  bool open_only = false;
  bool detractors_only = false;         // score 0..6
  std::optional<Instant> opened_from;   // opened_at >= this
  std::optional<Instant> opened_to;     // opened_at < this
  std::int64_t limit = 0;               // 0 = all; ordered by case id
};

// The cases carrying a theme over all time (the case_themes table), for
// issue candidates: per (theme, segment), and per theme over all segments
// (segment "").
struct ThemeCaseTotals {
  std::string theme;
  std::string segment;          // "" = all segments
  std::int64_t cases = 0;       // distinct cases
  std::int64_t open_cases = 0;  // of which open now
  std::int64_t customers = 0;   // distinct customers
  double arr = 0;               // sum over those customers of their highest case arr
};

// Open cases per theme and segment, now.
struct OpenThemeRow {
  std::string theme;
  std::string segment;
  std::string workflow;
  std::int64_t cases = 0;
  std::int64_t detractors = 0;
  double arr = 0;
  double detractor_arr = 0;
};

// A first contact (callback) and the themes its case carries.
struct CallbackRow {
  CaseId case_id;
  std::string segment;
  Instant first_contact_at{};
  std::vector<std::string> themes;
};

// Cases of one workflow opened and closed in [from, to), and open now by state.
struct CaseFlow {
  std::int64_t opened = 0;
  std::int64_t closed = 0;
  std::vector<std::pair<std::string, std::int64_t>> open_by_state;  // by state name
};

}  // namespace turnaround

#pragma once
// The pure mathematics of Turnaround's reports (SPEC section 6), with no
// storage and no clock: NPS and its mix, revenue weighting, local calendar
// periods, the flare-up test, duration percentiles, on-time rates and theme
// saturation. engine/reports.h feeds these from the Store; docs/reports.md
// states every formula for users.
//
// Thread-safety: free functions over values; all reentrant.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "engine/status.h"

namespace turnaround {

// ---------------------------------------------------------------- NPS

// Counts and arr sums of the answers of one group (a segment, a period...).
// Scores outside 0..10 are ignored by add().
struct ScoreMix {
  std::array<std::int64_t, 11> count{};  // answers per score 0..10
  std::array<double, 11> arr{};          // sum of arr per score

  void add(int score, std::int64_t n, double arr_sum);
  void merge(const ScoreMix& other);

  std::int64_t promoters() const;   // 9-10
  std::int64_t passives() const;    // 7-8
  std::int64_t detractors() const;  // 0-6
  std::int64_t total() const;
  double promoter_arr() const;
  double passive_arr() const;
  double detractor_arr() const;
  double total_arr() const;
};

// The NPS view of a ScoreMix. Shares are percentages (0..100); absent when
// the group is empty (an empty segment has no NPS, not an NPS of 0).
struct Nps {
  std::int64_t responses = 0;
  std::int64_t promoters = 0, passives = 0, detractors = 0;
  std::optional<double> promoter_pct, passive_pct, detractor_pct;
  // %promoters - %detractors, in -100..100.
  std::optional<double> nps;
  // The same with each answer weighted by its account's arr: the arr-share of
  // promoters minus the arr-share of detractors. Absent when the total arr
  // is 0 (nothing to weigh).
  double total_arr = 0;
  std::optional<double> weighted_nps;
  std::optional<double> weighted_promoter_pct, weighted_detractor_pct;
};
Nps compute_nps(const ScoreMix& mix);

// ------------------------------------------------------------ Periods
// Periods are local calendar periods of the company's time zone: an ISO
// week starts on Monday; months and quarters start on their first day.
// Days are date::sys_days used as plain dates (the local date, not a UTC
// instant).

enum class Period { kDay, kWeek, kMonth, kQuarter };
const char* period_name(Period p);  // "day", "week", "month", "quarter"
std::optional<Period> parse_period(std::string_view name);

// The first local date of the period that contains `day`.
date::sys_days period_start(Period p, date::sys_days day);
// The first local date of the next period.
date::sys_days period_next(Period p, date::sys_days start);
// "2026-11-02" (day), "2026-W45" (ISO week, ISO year), "2026-11", "2026-Q4".
std::string period_label(Period p, date::sys_days start);

// ---------------------------------------------------------- Flare-ups

// The test used to decide whether a segment-period's detractor share is
// significantly above the segment's trailing baseline.
//
// Test: one-sided two-proportion z-test with the pooled standard error,
//   p1 = k/n (the period), p0 = k0/n0 (the baseline: the previous
//   `baseline_periods` periods of the same segment, pooled),
//   p  = (k + k0) / (n + n0),
//   z  = (p1 - p0) / sqrt(p (1 - p) (1/n + 1/n0)),
//   p-value = P(Z >= z) = erfc(z / sqrt 2) / 2 (standard normal).
// Flagged iff both samples are at least the minimums and p-value < alpha
// (equivalently z > z_(1-alpha), 1.6449 for alpha = 0.05). The z-test was
// chosen over an exact binomial test because the baseline is itself an
// estimate (its own sampling error must count), and the minimum sample
// keeps the normal approximation honest (n p0 >= 5 for shares >= 17%).
struct FlareUpOptions {
  // Trailing periods pooled into the baseline. Default 3.
  int baseline_periods = 3;
  // Significance level of the one-sided test. Default 0.05.
  double alpha = 0.05;
  // Fewest answers in the tested period. Default 30.
  std::int64_t min_period_responses = 30;
  // Fewest answers in the pooled baseline. Default 30.
  std::int64_t min_baseline_responses = 30;
};

struct FlareUpTest {
  std::int64_t detractors = 0, responses = 0;                    // k, n
  std::int64_t baseline_detractors = 0, baseline_responses = 0;  // k0, n0
  std::optional<double> share, baseline_share;  // k/n and k0/n0 (0..1)
  std::optional<double> z;        // absent when a sample is empty or p is 0 or 1
  std::optional<double> p_value;  // one-sided
  bool enough_sample = false;     // both minimums met
  bool flagged = false;
};

// The flare-up test of k detractors out of n against k0 out of n0.
// REQUIRES: 0 <= k <= n, 0 <= k0 <= n0.
FlareUpTest flare_up_test(std::int64_t k, std::int64_t n, std::int64_t k0, std::int64_t n0,
                          const FlareUpOptions& options = {});

// Name of the test, as reports print it.
inline constexpr const char* kFlareUpTestName = "one-sided two-proportion z-test (pooled)";

// P(Z >= z) for a standard normal Z.
double normal_upper_tail(double z);

// ------------------------------------------------------------ Timing

// Duration statistics in seconds. Percentiles are nearest-rank: the value at
// rank ceil(q * count) of the sorted sample (so a median of 1, 2, 3, 4 is 2).
struct DurationStats {
  std::int64_t count = 0;
  std::optional<std::int64_t> median_s, p90_s, mean_s, max_s;
};
// From raw durations (any order; negative ones are counted as 0).
DurationStats duration_stats(std::vector<std::int64_t> seconds);
// The value at nearest rank ceil(q * n) of sorted `v`; nullopt when empty.
// REQUIRES: v sorted ascending, 0 < q <= 1.
std::optional<std::int64_t> nearest_rank(const std::vector<std::int64_t>& v, double q);

// ----------------------------------------------------------- On time

// Outcomes of the deadlines of one accountability step (or of one owner).
struct OnTimeCounts {
  std::int64_t met = 0, missed = 0, pending = 0, cancelled = 0;
  void merge(const OnTimeCounts& o);
  // met / (met + missed), 0..1; absent when nothing was decided yet.
  // Pending deadlines are not decided; cancelled ones (the case took a
  // side exit such as unreachable) are not counted against anyone.
  std::optional<double> rate() const;
};

// -------------------------------------------------------- Saturation

// One callback of the saturation curve: after `call` callbacks (1-based, in
// callback order), `distinct` themes are known, `new_themes` of them found
// by this call.
struct SaturationPoint {
  std::int64_t call = 0;
  int new_themes = 0;
  int distinct = 0;
};
struct Saturation {
  std::vector<SaturationPoint> curve;
  // The last call that revealed a new theme (0 when none did): after it,
  // every call only repeated known themes.
  std::int64_t last_new_at = 0;
};
// `themes_per_call`: the themes recorded by each callback, in callback
// order (a call may record several themes, or none).
Saturation theme_saturation(const std::vector<std::vector<std::string>>& themes_per_call);

}  // namespace turnaround

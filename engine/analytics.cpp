#include "engine/analytics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace turnaround {

// ---------------------------------------------------------------- NPS

void ScoreMix::add(int score, std::int64_t n, double arr_sum) {
  if (score < 0 || score > 10) return;
  count[static_cast<std::size_t>(score)] += n;
  arr[static_cast<std::size_t>(score)] += arr_sum;
}

void ScoreMix::merge(const ScoreMix& other) {
  for (std::size_t i = 0; i < count.size(); ++i) {
    count[i] += other.count[i];
    arr[i] += other.arr[i];
  }
}

namespace {

template <typename T, std::size_t N>
T sum_range(const std::array<T, N>& a, std::size_t lo, std::size_t hi) {
  T s{};
  for (std::size_t i = lo; i <= hi; ++i) s += a[i];
  return s;
}

std::optional<double> pct(double part, double whole) {
  if (whole <= 0) return std::nullopt;
  return 100.0 * part / whole;
}

}  // namespace

std::int64_t ScoreMix::promoters() const { return sum_range(count, 9, 10); }
std::int64_t ScoreMix::passives() const { return sum_range(count, 7, 8); }
std::int64_t ScoreMix::detractors() const { return sum_range(count, 0, 6); }
std::int64_t ScoreMix::total() const { return sum_range(count, 0, 10); }
double ScoreMix::promoter_arr() const { return sum_range(arr, 9, 10); }
double ScoreMix::passive_arr() const { return sum_range(arr, 7, 8); }
double ScoreMix::detractor_arr() const { return sum_range(arr, 0, 6); }
double ScoreMix::total_arr() const { return sum_range(arr, 0, 10); }

Nps compute_nps(const ScoreMix& mix) {
  Nps n;
  n.responses = mix.total();
  n.promoters = mix.promoters();
  n.passives = mix.passives();
  n.detractors = mix.detractors();
  const double total = static_cast<double>(n.responses);
  n.promoter_pct = pct(static_cast<double>(n.promoters), total);
  n.passive_pct = pct(static_cast<double>(n.passives), total);
  n.detractor_pct = pct(static_cast<double>(n.detractors), total);
  if (n.promoter_pct) n.nps = *n.promoter_pct - *n.detractor_pct;
  n.total_arr = mix.total_arr();
  n.weighted_promoter_pct = pct(mix.promoter_arr(), n.total_arr);
  n.weighted_detractor_pct = pct(mix.detractor_arr(), n.total_arr);
  if (n.weighted_promoter_pct) n.weighted_nps = *n.weighted_promoter_pct - *n.weighted_detractor_pct;
  return n;
}

// ------------------------------------------------------------ Periods

const char* period_name(Period p) {
  switch (p) {
    case Period::kDay: return "day";
    case Period::kWeek: return "week";
    case Period::kMonth: return "month";
    case Period::kQuarter: return "quarter";
  }
  return "?";
}

std::optional<Period> parse_period(std::string_view name) {
  for (Period p : {Period::kDay, Period::kWeek, Period::kMonth, Period::kQuarter}) {
    if (name == period_name(p)) return p;
  }
  return std::nullopt;
}

date::sys_days period_start(Period p, date::sys_days day) {
  using namespace date;
  const year_month_day ymd(day);
  switch (p) {
    case Period::kDay: return day;
    case Period::kWeek: return day - (weekday(day) - Monday);
    case Period::kMonth: return sys_days(ymd.year() / ymd.month() / 1);
    case Period::kQuarter: {
      const unsigned m = static_cast<unsigned>(ymd.month());
      return sys_days(ymd.year() / month((m - 1) / 3 * 3 + 1) / 1);
    }
  }
  return day;
}

date::sys_days period_next(Period p, date::sys_days start) {
  using namespace date;
  const year_month_day ymd(start);
  switch (p) {
    case Period::kDay: return start + days(1);
    case Period::kWeek: return start + days(7);
    case Period::kMonth: return sys_days((ymd.year() / ymd.month() / 1) + months(1));
    case Period::kQuarter: return sys_days((ymd.year() / ymd.month() / 1) + months(3));
  }
  return start;
}

std::string period_label(Period p, date::sys_days start) {
  using namespace date;
  const year_month_day ymd(start);
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  char buf[32];
  switch (p) {
    case Period::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, static_cast<unsigned>(ymd.day()));
      break;
    case Period::kWeek: {
      // The ISO year is the year of the week's Thursday.
      const sys_days thursday = period_start(Period::kWeek, start) + days(3);
      const year iso_year = year_month_day(thursday).year();
      const sys_days week1 = period_start(Period::kWeek, sys_days(iso_year / January / 4));
      const auto week = (thursday - week1).count() / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(iso_year), static_cast<int>(week));
      break;
    }
    case Period::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02u", y, m); break;
    case Period::kQuarter: std::snprintf(buf, sizeof buf, "%04d-Q%u", y, (m - 1) / 3 + 1); break;
  }
  return buf;
}

// ---------------------------------------------------------- Flare-ups

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

FlareUpTest flare_up_test(std::int64_t k, std::int64_t n, std::int64_t k0, std::int64_t n0,
                          const FlareUpOptions& options) {
  FlareUpTest t;
  t.detractors = k;
  t.responses = n;
  t.baseline_detractors = k0;
  t.baseline_responses = n0;
  if (n > 0) t.share = static_cast<double>(k) / static_cast<double>(n);
  if (n0 > 0) t.baseline_share = static_cast<double>(k0) / static_cast<double>(n0);
  t.enough_sample = n >= options.min_period_responses && n0 >= options.min_baseline_responses &&
                    n > 0 && n0 > 0;
  if (n == 0 || n0 == 0) return t;
  const double pooled = static_cast<double>(k + k0) / static_cast<double>(n + n0);
  const double variance =
      pooled * (1 - pooled) * (1.0 / static_cast<double>(n) + 1.0 / static_cast<double>(n0));
  if (variance <= 0) return t;  // all detractors or none on both sides: no evidence either way
  t.z = (*t.share - *t.baseline_share) / std::sqrt(variance);
  t.p_value = normal_upper_tail(*t.z);
  t.flagged = t.enough_sample && *t.p_value < options.alpha;
  return t;
}

// ------------------------------------------------------------ Timing

std::optional<std::int64_t> nearest_rank(const std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return std::nullopt;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

DurationStats duration_stats(std::vector<std::int64_t> seconds) {
  DurationStats s;
  for (auto& x : seconds) x = std::max<std::int64_t>(x, 0);
  std::sort(seconds.begin(), seconds.end());
  s.count = static_cast<std::int64_t>(seconds.size());
  if (seconds.empty()) return s;
  s.median_s = nearest_rank(seconds, 0.5);
  s.p90_s = nearest_rank(seconds, 0.9);
  long double total = 0;
  for (auto x : seconds) total += static_cast<long double>(x);
  s.mean_s = static_cast<std::int64_t>(std::llround(total / static_cast<long double>(seconds.size())));
  s.max_s = seconds.back();
  return s;
}

// ----------------------------------------------------------- On time

void OnTimeCounts::merge(const OnTimeCounts& o) {
  met += o.met;
  missed += o.missed;
  pending += o.pending;
  cancelled += o.cancelled;
}

std::optional<double> OnTimeCounts::rate() const {
  if (met + missed == 0) return std::nullopt;
  return static_cast<double>(met) / static_cast<double>(met + missed);
}

// -------------------------------------------------------- Saturation

Saturation theme_saturation(const std::vector<std::vector<std::string>>& themes_per_call) {
  Saturation out;
  std::set<std::string> known;
  std::int64_t call = 0;
  for (const auto& themes : themes_per_call) {
    ++call;
    int fresh = 0;
    for (const auto& t : themes) {
      if (known.insert(t).second) ++fresh;
    }
    if (fresh > 0) out.last_new_at = call;
    out.curve.push_back({call, fresh, static_cast<int>(known.size())});
  }
  return out;
}

}  // namespace turnaround

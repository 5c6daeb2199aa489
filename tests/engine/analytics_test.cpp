#include "engine/analytics.h"

#include <doctest/doctest.h>

namespace turnaround {
namespace {

date::sys_days day(int y, unsigned m, unsigned d) {
  return date::sys_days(date::year(y) / date::month(m) / date::day(d));
}

TEST_CASE("Analytics.NpsFullMix") {
  ScoreMix mix;
  // 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0, 6): NPS = 50 - 20 = 30.
  mix.add(10, 3, 3000);
  mix.add(9, 2, 2000);
  mix.add(8, 2, 2000);
  mix.add(7, 1, 1000);
  mix.add(6, 1, 1000);
  mix.add(0, 1, 1000);
  const Nps n = compute_nps(mix);
  CHECK(n.responses == 10);
  CHECK(n.promoters == 5);
  CHECK(n.passives == 3);
  CHECK(n.detractors == 2);
  CHECK(*n.promoter_pct == doctest::Approx(50));
  CHECK(*n.passive_pct == doctest::Approx(30));
  CHECK(*n.detractor_pct == doctest::Approx(20));
  CHECK(*n.nps == doctest::Approx(30));
  // Equal arr per answer: the weighted NPS equals the plain one.
  CHECK(*n.weighted_nps == doctest::Approx(30));
}

TEST_CASE("Analytics.NpsSameScoreDifferentMix") {
  // NPS 0 from 50/0/50 and from 0/100/0: the mix tells them apart.
  ScoreMix polar, flat;
  polar.add(10, 5, 0);
  polar.add(2, 5, 0);
  flat.add(8, 10, 0);
  CHECK(*compute_nps(polar).nps == doctest::Approx(0));
  CHECK(*compute_nps(flat).nps == doctest::Approx(0));
  CHECK(*compute_nps(polar).passive_pct == doctest::Approx(0));
  CHECK(*compute_nps(flat).passive_pct == doctest::Approx(100));
}

TEST_CASE("Analytics.NpsRevenueWeighted") {
  // One enterprise detractor (arr 90,000) and three small promoters (arr
  // 10,000 in total): NPS +50 by heads, -80 by revenue.
  ScoreMix mix;
  mix.add(3, 1, 90000);
  mix.add(10, 3, 10000);
  const Nps n = compute_nps(mix);
  CHECK(*n.nps == doctest::Approx(50));
  CHECK(n.total_arr == doctest::Approx(100000));
  CHECK(*n.weighted_promoter_pct == doctest::Approx(10));
  CHECK(*n.weighted_detractor_pct == doctest::Approx(90));
  CHECK(*n.weighted_nps == doctest::Approx(-80));
}

TEST_CASE("Analytics.NpsEmptySegment") {
  const Nps n = compute_nps(ScoreMix{});
  CHECK(n.responses == 0);
  CHECK_FALSE(n.nps.has_value());
  CHECK_FALSE(n.promoter_pct.has_value());
  CHECK_FALSE(n.weighted_nps.has_value());
  // Answers without arr: a plain NPS but no weighted one.
  ScoreMix no_arr;
  no_arr.add(9, 1, 0);
  CHECK(*compute_nps(no_arr).nps == doctest::Approx(100));
  CHECK_FALSE(compute_nps(no_arr).weighted_nps.has_value());
  // Out-of-range scores are ignored.
  ScoreMix bad;
  bad.add(11, 1, 1);
  bad.add(-1, 1, 1);
  CHECK(bad.total() == 0);
}

TEST_CASE("Analytics.Periods") {
  // Wednesday 2026-11-04 is in ISO week 45, which starts Monday 2026-11-02.
  CHECK(period_start(Period::kWeek, day(2026, 11, 4)) == day(2026, 11, 2));
  CHECK(period_start(Period::kWeek, day(2026, 11, 2)) == day(2026, 11, 2));
  CHECK(period_start(Period::kWeek, day(2026, 11, 8)) == day(2026, 11, 2));
  CHECK(period_label(Period::kWeek, day(2026, 11, 2)) == "2026-W45");
  // 2027-01-01 is a Friday of ISO week 2026-W53; 2025-12-29 starts 2026-W01.
  CHECK(period_label(Period::kWeek, period_start(Period::kWeek, day(2027, 1, 1))) == "2026-W53");
  CHECK(period_label(Period::kWeek, day(2025, 12, 29)) == "2026-W01");
  CHECK(period_start(Period::kMonth, day(2026, 11, 30)) == day(2026, 11, 1));
  CHECK(period_next(Period::kMonth, day(2026, 12, 1)) == day(2027, 1, 1));
  CHECK(period_label(Period::kMonth, day(2026, 11, 1)) == "2026-11");
  CHECK(period_start(Period::kQuarter, day(2026, 11, 15)) == day(2026, 10, 1));
  CHECK(period_next(Period::kQuarter, day(2026, 10, 1)) == day(2027, 1, 1));
  CHECK(period_label(Period::kQuarter, day(2026, 10, 1)) == "2026-Q4");
  CHECK(period_label(Period::kDay, day(2026, 3, 9)) == "2026-03-09");
  CHECK(parse_period("month") == Period::kMonth);
  CHECK_FALSE(parse_period("year").has_value());
}

TEST_CASE("Analytics.FlareUpBoundary") {
  // Baseline 60 of 300 (20%). 28 of 100 gives z = 1.6725, p = 0.0472:
  // flagged at alpha 0.05; 27 of 100 gives z = 1.4695, p = 0.0709: not.
  const FlareUpTest above = flare_up_test(28, 100, 60, 300);
  CHECK(above.flagged);
  CHECK(*above.z == doctest::Approx(1.67248).epsilon(1e-4));
  CHECK(*above.p_value == doctest::Approx(0.047214).epsilon(1e-4));
  const FlareUpTest below = flare_up_test(27, 100, 60, 300);
  CHECK_FALSE(below.flagged);
  CHECK(*below.z == doctest::Approx(1.46946).epsilon(1e-4));
  CHECK(*below.p_value == doctest::Approx(0.070854).epsilon(1e-4));
  CHECK(below.enough_sample);
}

TEST_CASE("Analytics.FlareUpMinimumSample") {
  // 15 of 29 against 60 of 300 is very significant, but 29 < 30 answers.
  FlareUpTest small = flare_up_test(15, 29, 60, 300);
  CHECK(*small.p_value < 0.001);
  CHECK_FALSE(small.enough_sample);
  CHECK_FALSE(small.flagged);
  FlareUpTest enough = flare_up_test(15, 30, 60, 300);
  CHECK(enough.enough_sample);
  CHECK(enough.flagged);
  // The baseline minimum too.
  CHECK_FALSE(flare_up_test(50, 100, 5, 29).flagged);
  CHECK(flare_up_test(50, 100, 5, 30).flagged);
  // Options move the boundary: alpha 0.01 no longer flags 28 of 100.
  FlareUpOptions strict;
  strict.alpha = 0.01;
  CHECK_FALSE(flare_up_test(28, 100, 60, 300, strict).flagged);
  // A drop is never a flare-up (one-sided), and no variance means no test.
  CHECK_FALSE(flare_up_test(5, 100, 60, 300).flagged);
  CHECK(*flare_up_test(5, 100, 60, 300).p_value > 0.99);
  CHECK_FALSE(flare_up_test(0, 100, 0, 300).z.has_value());
  CHECK_FALSE(flare_up_test(0, 0, 0, 300).share.has_value());
}

TEST_CASE("Analytics.NormalTail") {
  CHECK(normal_upper_tail(0) == doctest::Approx(0.5));
  CHECK(normal_upper_tail(1.6448536) == doctest::Approx(0.05).epsilon(1e-6));
  CHECK(normal_upper_tail(-1.959964) == doctest::Approx(0.975).epsilon(1e-6));
}

TEST_CASE("Analytics.DurationStats") {
  // Nearest rank: median of 1..10 is rank 5 (5), p90 is rank 9 (9).
  DurationStats s = duration_stats({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(s.count == 10);
  CHECK(*s.median_s == 5);
  CHECK(*s.p90_s == 9);
  CHECK(*s.max_s == 10);
  CHECK(*s.mean_s == 6);  // 5.5 rounds half away from zero
  DurationStats one = duration_stats({3600});
  CHECK(*one.median_s == 3600);
  CHECK(*one.p90_s == 3600);
  DurationStats none = duration_stats({});
  CHECK(none.count == 0);
  CHECK_FALSE(none.median_s.has_value());
  CHECK(*duration_stats({-5, 5}).median_s == 0);
}

TEST_CASE("Analytics.OnTimeRate") {
  OnTimeCounts c;
  CHECK_FALSE(c.rate().has_value());
  c.met = 3;
  c.missed = 1;
  c.pending = 10;
  c.cancelled = 2;
  CHECK(*c.rate() == doctest::Approx(0.75));
  OnTimeCounts d;
  d.missed = 4;
  c.merge(d);
  CHECK(*c.rate() == doctest::Approx(3.0 / 8));
}

TEST_CASE("Analytics.Saturation") {
  const Saturation s = theme_saturation({{"billing"},
                                         {"billing", "pricing_value"},
                                         {},
                                         {"pricing_value"},
                                         {"delivery", "billing"},
                                         {"billing"}});
  REQUIRE(s.curve.size() == 6);
  CHECK(s.curve[0].new_themes == 1);
  CHECK(s.curve[1].new_themes == 1);
  CHECK(s.curve[1].distinct == 2);
  CHECK(s.curve[2].new_themes == 0);
  CHECK(s.curve[4].new_themes == 1);
  CHECK(s.curve[4].distinct == 3);
  CHECK(s.curve[5].call == 6);
  CHECK(s.last_new_at == 5);
  CHECK(theme_saturation({}).last_new_at == 0);
}

}  // namespace
}  // namespace turnaround

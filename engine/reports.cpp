#include "engine/reports.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace turnaround {

namespace {

date::sys_days as_date(LocalDay d) { return date::sys_days(date::days(d)); }
LocalDay as_day(date::sys_days d) { return static_cast<LocalDay>(d.time_since_epoch().count()); }

Status check_range(const DayRange& r) {
  if (r.empty()) return invalid_argument("the range is empty: 'from' must be before 'to'", {"from", "to"});
  return Status();
}

// The periods overlapping [range.from, range.to), as (label, first day
// clipped to the range, first day of the next period).
struct PeriodSlot {
  std::string label;
  LocalDay start = 0;
  LocalDay end = 0;
};
std::vector<PeriodSlot> periods_of(Period p, DayRange range) {
  std::vector<PeriodSlot> out;
  date::sys_days start = period_start(p, as_date(range.from));
  while (as_day(start) < range.to) {
    const date::sys_days next = period_next(p, start);
    out.push_back({period_label(p, start), std::max(as_day(start), range.from),
                   std::min(as_day(next), range.to)});
    start = next;
  }
  return out;
}

// The index of the slot containing `day`. REQUIRES: some slot does.
std::size_t slot_of(const std::vector<PeriodSlot>& slots, LocalDay day) {
  auto it = std::upper_bound(slots.begin(), slots.end(), day,
                             [](LocalDay d, const PeriodSlot& s) { return d < s.start; });
  return static_cast<std::size_t>(std::prev(it) - slots.begin());
}

std::vector<std::string> segment_names(const CompanyConfig& company) {
  std::vector<std::string> out;
  for (const auto& s : company.segments) out.push_back(s.name);
  return out;
}

}  // namespace

Reports::Reports(Store& store, const CompanyConfig& company)
    : store_(store), company_(company), offsets_(zone_offsets(company.calendar.zone())) {}

LocalDay Reports::local_day(Instant t) const { return local_day_of(t, offsets_); }

Instant Reports::day_start(LocalDay day) const {
  return company_.calendar.to_instant(date::local_seconds(date::local_days(date::days(day))));
}

DayRange Reports::recent(Period period, int period_count, Instant now) const {
  const date::sys_days current = period_start(period, as_date(local_day(now)));
  date::sys_days from = current;
  for (int i = 0; i < period_count; ++i) from = period_start(period, from - date::days(1));
  return {as_day(from), as_day(period_next(period, current))};
}

std::string Reports::response_workflow() const {
  for (const auto& rule : company_.intake) {
    if (rule.on == IntakeRule::On::kResponse) return rule.workflow;
  }
  return "";
}

Result<NpsReport> Reports::nps(const NpsQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto days, txn->response_days(q.range.from, q.range.to));
  const auto slots = periods_of(q.period, q.range);
  std::vector<std::string> segments = q.by_segment ? segment_names(company_) : std::vector<std::string>{""};
  // Segments met in the data but no longer configured still show.
  std::map<std::pair<std::size_t, std::string>, ScoreMix> mixes;
  ScoreMix total;
  for (const ResponseDayRow& r : days) {
    const std::string seg = q.by_segment ? r.segment : "";
    if (std::find(segments.begin(), segments.end(), seg) == segments.end()) segments.push_back(seg);
    mixes[{slot_of(slots, r.day), seg}].add(r.score, r.responses, r.arr);
    total.add(r.score, r.responses, r.arr);
  }
  NpsReport report;
  report.query = q;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    for (const auto& seg : segments) {
      auto it = mixes.find({i, seg});
      report.rows.push_back({slots[i].label, slots[i].start, seg,
                             compute_nps(it == mixes.end() ? ScoreMix{} : it->second)});
    }
  }
  report.total = compute_nps(total);
  return report;
}

Result<DetractorReport> Reports::detractors(const DetractorQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  if (q.flare_up.baseline_periods < 1) {
    return invalid_argument("baseline periods must be at least 1", {"baseline"});
  }
  // Read far enough back for the first period's baseline.
  date::sys_days first = period_start(q.period, as_date(q.range.from));
  for (int i = 0; i < q.flare_up.baseline_periods; ++i) {
    first = period_start(q.period, first - date::days(1));
  }
  const DayRange wide{as_day(first), q.range.to};
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto days, txn->response_days(wide.from, wide.to));
  const auto slots = periods_of(q.period, wide);
  std::vector<std::string> segments = segment_names(company_);
  std::map<std::pair<std::string, std::size_t>, std::pair<std::int64_t, std::int64_t>> counts;
  for (const ResponseDayRow& r : days) {
    if (std::find(segments.begin(), segments.end(), r.segment) == segments.end()) {
      segments.push_back(r.segment);
    }
    const std::size_t slot = slot_of(slots, r.day);
    // The period that holds range.from counts only its days inside the
    // range, as every report does; periods wholly before it are baselines
    // and count whole.
    if (r.day < q.range.from && slots[slot].end > q.range.from) continue;
    auto& c = counts[{r.segment, slot}];
    if (r.score <= 6) c.first += r.responses;
    c.second += r.responses;
  }
  DetractorReport report;
  report.query = q;
  const auto k = static_cast<std::size_t>(q.flare_up.baseline_periods);
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].end <= q.range.from) continue;  // a baseline-only period
    for (const auto& seg : segments) {
      auto get = [&](std::size_t j) {
        auto it = counts.find({seg, j});
        return it == counts.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : it->second;
      };
      std::int64_t k0 = 0, n0 = 0, used = 0;
      for (std::size_t j = i >= k ? i - k : 0; j < i; ++j, ++used) {
        k0 += get(j).first;
        n0 += get(j).second;
      }
      const auto [kd, n] = get(i);
      DetractorRow row{slots[i].label, std::max(slots[i].start, q.range.from), seg,
                       flare_up_test(kd, n, k0, n0, q.flare_up), used};
      if (row.test.flagged) report.flare_ups.push_back(row);
      report.rows.push_back(std::move(row));
    }
  }
  return report;
}

Result<ThemeReport> Reports::themes(const ThemeQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  ThemeReport report;
  report.query = q;
  report.previous = {q.range.from - (q.range.to - q.range.from), q.range.from};
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  const std::string wf = q.workflow.value_or("");
  TA_ASSIGN_OR_RETURN(auto now_rows, txn->theme_days(q.range.from, q.range.to, wf));
  TA_ASSIGN_OR_RETURN(auto prev_rows, txn->theme_days(report.previous.from, report.previous.to, wf));
  TA_ASSIGN_OR_RETURN(auto open_rows, txn->open_theme_counts());
  std::map<std::pair<std::string, std::string>, ThemeRow> acc;  // (segment, theme)
  auto row = [&](const std::string& seg, const std::string& theme) -> ThemeRow& {
    ThemeRow& r = acc[{seg, theme}];
    r.segment = seg;
    r.theme = theme;
    return r;
  };
  auto wanted = [&](const std::string& seg, const std::string& workflow) {
    return (!q.segment || seg == *q.segment) && (!q.workflow || workflow == *q.workflow);
  };
  for (const ThemeDayRow& d : now_rows) {
    if (!wanted(d.segment, d.workflow)) continue;
    ThemeRow& r = row(d.segment, d.theme);
    r.cases += d.cases;
    r.detractors += d.detractors;
    r.arr += d.arr;
    r.detractor_arr += d.detractor_arr;
  }
  for (const ThemeDayRow& d : prev_rows) {
    if (wanted(d.segment, d.workflow)) row(d.segment, d.theme).previous_cases += d.cases;
  }
  for (const OpenThemeRow& o : open_rows) {
    if (wanted(o.segment, o.workflow)) row(o.segment, o.theme).open_cases += o.cases;
  }
  for (auto& [key, r] : acc) {
    r.change = r.cases - r.previous_cases;
    report.rows.push_back(r);
  }
  std::sort(report.rows.begin(), report.rows.end(), [](const ThemeRow& a, const ThemeRow& b) {
    return std::make_tuple(a.segment, -a.cases, a.theme) < std::make_tuple(b.segment, -b.cases, b.theme);
  });
  return report;
}

Result<std::vector<ThemeRank>> Reports::theme_ranking(DayRange range, bool by_segment,
                                                      std::optional<std::string> workflow) {
  TA_RETURN_IF_ERROR(check_range(range));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto days, txn->theme_days(range.from, range.to, workflow.value_or("")));
  TA_ASSIGN_OR_RETURN(auto open_rows, txn->open_theme_counts());
  std::map<std::pair<std::string, std::string>, ThemeRank> acc;  // (segment, theme)
  for (const ThemeDayRow& d : days) {
    ThemeRank& r = acc[{by_segment ? d.segment : "", d.theme}];
    r.theme = d.theme;
    r.segment = by_segment ? d.segment : "";
    r.detractors += d.detractors;
    r.detractor_arr += d.detractor_arr;
  }
  for (const OpenThemeRow& o : open_rows) {
    if (workflow && o.workflow != *workflow) continue;
    auto it = acc.find({by_segment ? o.segment : "", o.theme});
    if (it == acc.end()) continue;  // ranked over the range; open ones only annotate
    it->second.open_detractors += o.detractors;
    it->second.open_detractor_arr += o.detractor_arr;
  }
  std::vector<ThemeRank> out;
  for (auto& [k, r] : acc) {
    if (r.detractors > 0) out.push_back(r);
  }
  // Ranks within each segment group ("" when over all segments).
  std::map<std::string, std::vector<ThemeRank*>> groups;
  for (auto& r : out) groups[r.segment].push_back(&r);
  for (auto& [seg, g] : groups) {
    std::sort(g.begin(), g.end(), [](const ThemeRank* a, const ThemeRank* b) {
      return std::make_tuple(-a->detractor_arr, a->theme) < std::make_tuple(-b->detractor_arr, b->theme);
    });
    for (std::size_t i = 0; i < g.size(); ++i) g[i]->rank_by_arr = static_cast<int>(i + 1);
    std::sort(g.begin(), g.end(), [](const ThemeRank* a, const ThemeRank* b) {
      return std::make_tuple(-a->detractors, -a->detractor_arr, a->theme) <
             std::make_tuple(-b->detractors, -b->detractor_arr, b->theme);
    });
    for (std::size_t i = 0; i < g.size(); ++i) g[i]->rank_by_detractors = static_cast<int>(i + 1);
  }
  std::sort(out.begin(), out.end(), [](const ThemeRank& a, const ThemeRank& b) {
    return std::tie(a.segment, a.rank_by_detractors) < std::tie(b.segment, b.rank_by_detractors);
  });
  return out;
}

Result<TimingReport> Reports::timing(const TimingQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  TimingReport report;
  report.query = q;
  report.workflow = q.workflow.value_or(response_workflow());
  // Whole local months come from the month summary; the days before the
  // first and after the last whole month from the cases themselves.
  LocalMonth first = local_month_of_day(q.range.from);
  if (first_day_of_month(first) < q.range.from) ++first;
  LocalMonth last = local_month_of_day(q.range.to);  // months [first, last) are whole
  if (first > last) last = first;
  std::vector<DayRange> edges;
  if (first == last) {
    edges.push_back(q.range);
  } else {
    edges.push_back({q.range.from, first_day_of_month(first)});
    edges.push_back({first_day_of_month(last), q.range.to});
  }
  struct Acc {
    std::int64_t opened = 0;
    std::map<std::int64_t, std::int64_t> contact, close;  // seconds (whole hours) -> count
  };
  std::map<std::string, Acc> acc;  // "" = all
  auto add = [&](const std::string& segment, const std::string& metric, std::int64_t hours,
                 std::int64_t n) {
    for (const std::string& key : {std::string(), segment}) {
      if (!key.empty() && !q.by_segment) continue;
      Acc& a = acc[key];
      if (metric == "opened") a.opened += n;
      else if (metric == "first_contact") a.contact[hours * 3600] += n;
      else if (metric == "close") a.close[hours * 3600] += n;
    }
  };
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  if (first < last) {
    TA_ASSIGN_OR_RETURN(auto rows, txn->timing_months(report.workflow, first, last));
    for (const TimingMonthRow& r : rows) add(r.segment, r.metric, r.hours, r.count);
  }
  for (const DayRange& edge : edges) {
    if (edge.empty()) continue;
    TA_ASSIGN_OR_RETURN(auto rows, txn->case_timings(report.workflow, day_start(edge.from),
                                                     day_start(edge.to)));
    for (const CaseTimingRow& r : rows) {
      auto hours = [&](Instant t) { return std::max<std::int64_t>(0, (t - r.opened_at).count() / 3600); };
      add(r.segment, "opened", 0, 1);
      if (r.first_contact_at) add(r.segment, "first_contact", hours(*r.first_contact_at), 1);
      if (r.closed_at) add(r.segment, "close", hours(*r.closed_at), 1);
    }
  }
  std::vector<std::string> order{""};
  if (q.by_segment) {
    for (const auto& s : segment_names(company_)) order.push_back(s);
    for (const auto& [key, a] : acc) {
      if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
    }
  }
  for (const auto& key : order) {
    Acc& a = acc[key];
    TimingRow row{key, a.opened, duration_stats(a.contact), duration_stats(a.close), 0, 0};
    row.not_contacted = a.opened - row.first_contact.count;
    row.open = a.opened - row.close.count;
    report.rows.push_back(std::move(row));
  }
  return report;
}

Result<ScorecardReport> Reports::scorecard(const ScorecardQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto days, txn->deadline_days(q.range.from, q.range.to));
  TA_ASSIGN_OR_RETURN(auto people, txn->list_people());
  std::map<std::string, std::vector<std::string>> teams_of;
  for (const Person& p : people) teams_of[p.id.value] = p.teams;
  std::map<std::string, ScoreLine> steps, owners, teams;
  std::set<std::string> names;
  ScorecardReport report;
  report.query = q;
  auto add = [](ScoreLine& line, const std::string& key, const std::string& step,
                const OnTimeCounts& c) {
    line.key = key;
    line.total.merge(c);
    line.steps[step].merge(c);
  };
  for (const DeadlineDayRow& d : days) {
    if (q.workflow && d.workflow != *q.workflow) continue;
    OnTimeCounts c;
    switch (d.status) {
      case DeadlineStatus::kMet: c.met = d.count; break;
      case DeadlineStatus::kMissed: c.missed = d.count; break;
      case DeadlineStatus::kPending: c.pending = d.count; break;
      case DeadlineStatus::kCancelled: c.cancelled = d.count; break;
    }
    names.insert(d.name);
    report.overall.merge(c);
    add(steps[d.name], d.name, d.name, c);
    add(owners[d.owner.value], d.owner.value, d.name, c);
    for (const auto& team : teams_of[d.owner.value]) add(teams[team], team, d.name, c);
  }
  report.step_names.assign(names.begin(), names.end());
  for (auto& [k, v] : steps) report.steps.push_back(std::move(v));
  for (auto& [k, v] : owners) report.owners.push_back(std::move(v));
  for (auto& [k, v] : teams) report.teams.push_back(std::move(v));
  return report;
}

Result<SaturationReport> Reports::saturation(const SaturationQuery& q) {
  TA_RETURN_IF_ERROR(check_range(q.range));
  if (q.max_calls < 0) return invalid_argument("max calls must be 0 (all) or more", {"limit"});
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto calls, txn->callbacks(day_start(q.range.from), day_start(q.range.to),
                                                 q.max_calls));
  SaturationReport report;
  report.query = q;
  report.calls = static_cast<std::int64_t>(calls.size());
  std::vector<std::vector<std::string>> themes;
  themes.reserve(calls.size());
  for (auto& c : calls) {
    report.case_ids.push_back(c.case_id);
    themes.push_back(std::move(c.themes));
  }
  report.saturation = theme_saturation(themes);
  return report;
}

Result<std::vector<ThemeCaseRow>> Reports::cases_with_theme(const ThemeCaseQuery& q) {
  if (q.theme.empty()) return invalid_argument("a theme is required", {"theme"});
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return txn->cases_with_theme(q);
}

Result<CaseFlow> Reports::case_flow(const std::string& workflow, DayRange range) {
  TA_RETURN_IF_ERROR(check_range(range));
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
  return txn->case_flow(workflow, day_start(range.from), day_start(range.to));
}

}  // namespace turnaround

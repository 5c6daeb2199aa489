#include "engine/loss_review.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "engine/reports.h"

namespace turnaround {

namespace {

std::vector<std::string> intake_workflows(const CompanyConfig& company, IntakeRule::On on) {
  std::vector<std::string> out;
  for (const auto& rule : company.intake) {
    if (rule.on == on && std::find(out.begin(), out.end(), rule.workflow) == out.end()) {
      out.push_back(rule.workflow);
    }
  }
  return out;
}

// FNV-1a, then MurmurHash3's 64-bit finalizer: FNV alone orders ids that
// differ in one character the same way whatever the month appended.
std::uint64_t sample_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// Per-segment allocation of n draws (see stratified_sample).
std::map<std::string, std::int64_t> allocate(const std::map<std::string, std::int64_t>& sizes,
                                             std::int64_t n, std::int64_t total) {
  std::map<std::string, std::int64_t> alloc;
  if (n < static_cast<std::int64_t>(sizes.size())) {
    std::vector<std::pair<std::int64_t, std::string>> biggest;
    for (const auto& [seg, size] : sizes) biggest.emplace_back(-size, seg);
    std::sort(biggest.begin(), biggest.end());
    for (std::int64_t i = 0; i < n; ++i) alloc[biggest[i].second] = 1;
    return alloc;
  }
  std::map<std::string, double> quota;
  std::int64_t sum = 0;
  for (const auto& [seg, size] : sizes) {
    quota[seg] = static_cast<double>(n) * static_cast<double>(size) / static_cast<double>(total);
    alloc[seg] = std::min(size, std::max<std::int64_t>(1, static_cast<std::int64_t>(quota[seg])));
    sum += alloc[seg];
  }
  // Too many (the minimum of one pushed some up): take from the segment most
  // above its quota. Too few: give to the one most below it, with room.
  while (sum > n) {
    std::string pick;
    double worst = -1e300;
    for (const auto& [seg, a] : alloc) {
      if (a > 1 && a - quota[seg] > worst) worst = a - quota[seg], pick = seg;
    }
    --alloc[pick];
    --sum;
  }
  while (sum < n) {
    std::string pick;
    double best = -1e300;
    for (const auto& [seg, a] : alloc) {
      if (a < sizes.at(seg) && quota[seg] - a > best) best = quota[seg] - a, pick = seg;
    }
    if (pick.empty()) break;
    ++alloc[pick];
    ++sum;
  }
  return alloc;
}

Result<CaseList> case_list(Transaction& txn, DigestQuery q) {
  TA_ASSIGN_OR_RETURN(DigestPage page, txn.case_digests(q));
  return CaseList{page.total, std::move(page.cases)};
}

}  // namespace

std::vector<std::string> response_workflows(const CompanyConfig& company) {
  return intake_workflows(company, IntakeRule::On::kResponse);
}

std::vector<std::string> churn_workflows(const CompanyConfig& company) {
  return intake_workflows(company, IntakeRule::On::kChurn);
}

std::vector<LostCustomer> stratified_sample(const std::vector<LostCustomer>& lost, int n,
                                            const std::string& month) {
  std::map<std::string, std::vector<std::pair<std::uint64_t, const LostCustomer*>>> by_segment;
  for (const auto& l : lost) {
    by_segment[l.segment].emplace_back(sample_hash(month + '\x1f' + l.customer_id.value), &l);
  }
  std::map<std::string, std::int64_t> sizes;
  for (auto& [seg, list] : by_segment) {
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first, a.second->customer_id.value) <
             std::tie(b.first, b.second->customer_id.value);
    });
    sizes[seg] = static_cast<std::int64_t>(list.size());
  }
  const auto total = static_cast<std::int64_t>(lost.size());
  auto alloc = allocate(sizes, std::min<std::int64_t>(std::max(n, 0), total), total);
  std::vector<LostCustomer> out;
  for (const auto& [seg, list] : by_segment) {
    const std::int64_t take = alloc.count(seg) ? alloc[seg] : 0;
    for (std::int64_t i = 0; i < take; ++i) out.push_back(*list[i].second);
  }
  return out;
}

Result<Agenda> build_agenda(Transaction& txn, const CompanyConfig& company, const Meeting& m,
                            const std::optional<Meeting>& prev, Instant as_of) {
  const LossReviewConfig& lr = *company.loss_review;
  const auto detractor_wfs = response_workflows(company);
  const auto loss_wfs = churn_workflows(company);
  std::vector<std::string> all_wfs = detractor_wfs;
  for (const auto& w : loss_wfs) {
    if (std::find(all_wfs.begin(), all_wfs.end(), w) == all_wfs.end()) all_wfs.push_back(w);
  }
  Agenda a;
  a.month = m.month;
  a.zone = lr.time_zone;
  a.starts_at = m.starts_at;
  a.local = lr.schedule.calendar.format_local(m.starts_at);
  a.cutoff_at = m.cutoff_at;
  a.period_from = prev ? prev->cutoff_at : Instant{};
  a.period_to = m.cutoff_at;
  a.as_of = as_of;

  // Customers lost, with their loss case, grouped by segment.
  TA_ASSIGN_OR_RETURN(auto lost, txn.lost_customers(a.period_from, a.period_to, loss_wfs));
  std::map<std::string, SegmentLosses> segments;
  std::map<std::string, std::map<std::string, std::int64_t>> reasons;
  for (auto& l : lost) {
    SegmentLosses& s = segments[l.segment];
    s.segment = l.segment;
    ++s.customers;
    s.arr += l.arr;
    s.lost.push_back(l);
    ++reasons[l.segment][l.reason];
    ++a.lost_customers;
    a.lost_arr += l.arr;
  }
  for (auto& [seg, s] : segments) {
    for (const auto& [reason, n] : reasons[seg]) s.reasons.emplace_back(reason, n);
    std::stable_sort(s.reasons.begin(), s.reasons.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    a.losses_by_segment.push_back(std::move(s));
  }
  a.sample_size = lr.sample_size;
  a.callback_sample = stratified_sample(lost, lr.sample_size, m.month);

  DigestQuery q;
  q.from = a.period_from;
  q.to = a.period_to;
  q.as_of = as_of;
  q.limit = lr.list_limit;
  q.workflows = loss_wfs;
  q.kind = DigestQuery::Kind::kOpenOrOpenedBetween;
  TA_ASSIGN_OR_RETURN(a.loss_cases, case_list(txn, q));
  q.workflows = detractor_wfs;
  q.kind = DigestQuery::Kind::kOpenedBetween;
  TA_ASSIGN_OR_RETURN(a.detractors_opened, case_list(txn, q));
  q.kind = DigestQuery::Kind::kClosedBetween;
  TA_ASSIGN_OR_RETURN(a.detractors_closed, case_list(txn, q));
  TA_ASSIGN_OR_RETURN(a.detractors_open_by_state, txn.open_counts_by_state(detractor_wfs, as_of));
  q.workflows = all_wfs;
  q.kind = DigestQuery::Kind::kOverdue;
  TA_ASSIGN_OR_RETURN(a.overdue, case_list(txn, q));
  TA_ASSIGN_OR_RETURN(a.overdue_by_owner, txn.overdue_counts_by_owner(all_wfs, as_of));

  a.outreach_target = company.outreach_target_per_month;
  TA_ASSIGN_OR_RETURN(a.outreach_contacted,
                      txn.count_cases_with_events(detractor_wfs, lr.contact_events, a.period_from,
                                                  a.period_to));
  return a;
}

Result<AgendaAnalytics> agenda_analytics(Store& store, const CompanyConfig& company, Instant from,
                                         Instant to, int themes_per_segment) {
  Reports reports(store, company);
  AgendaAnalytics out;
  out.from_day = reports.local_day(from);
  out.to_day = reports.local_day(to);
  out.themes_per_segment = themes_per_segment;
  out.flare_up_test = kFlareUpTestName;
  const DayRange range{out.from_day, out.to_day};
  if (range.empty()) return out;

  ScorecardQuery sq;
  sq.range = range;
  const std::string wf = reports.response_workflow();
  if (!wf.empty()) sq.workflow = wf;
  TA_ASSIGN_OR_RETURN(ScorecardReport card, reports.scorecard(sq));
  out.on_time_overall = card.overall;
  for (const ScoreLine& l : card.steps) out.on_time_steps.push_back({l.key, l.total, {}});
  for (const ScoreLine& l : card.owners) {
    OnTimeLine line{l.key, l.total, {}};
    for (const auto& [step, counts] : l.steps) line.steps.emplace_back(step, counts);
    out.on_time_owners.push_back(std::move(line));
  }

  ThemeQuery tq;
  tq.range = range;
  TA_ASSIGN_OR_RETURN(ThemeReport themes, reports.themes(tq));
  std::map<std::string, int> taken;  // per segment; rows come by segment, cases descending
  for (const ThemeRow& r : themes.rows) {
    if (r.cases == 0 || taken[r.segment] >= themes_per_segment) continue;
    ++taken[r.segment];
    out.top_themes.push_back({r.segment, r.theme, r.cases, r.detractors, r.arr, r.previous_cases,
                              r.change});
  }

  DetractorQuery dq;
  dq.range = range;
  dq.period = Period::kMonth;
  TA_ASSIGN_OR_RETURN(DetractorReport det, reports.detractors(dq));
  for (const DetractorRow& r : det.flare_ups) out.flare_ups.push_back({r.period, r.segment, r.test});
  return out;
}

}  // namespace turnaround

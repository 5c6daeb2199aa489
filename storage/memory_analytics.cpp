#include "storage/memory_analytics.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace turnaround::storage::memory {

namespace {

bool is_detractor(const std::optional<int>& score) { return score && *score <= 6; }

bool in_range(Instant t, Instant from, Instant to) { return t >= from && t < to; }

}  // namespace

void sync_deadlines(Deadlines& rows, const Case& c) {
  std::set<std::string> names;
  for (const CaseDeadline& d : c.deadlines) {
    names.insert(d.name);
    auto [it, fresh] = rows.try_emplace({c.id.value, d.name});
    CaseDeadlineRow& r = it->second;
    if (fresh || r.status == DeadlineStatus::kPending || d.status == DeadlineStatus::kPending) {
      r.owner = c.owner;
    }
    r.case_id = c.id;
    r.name = d.name;
    r.workflow = c.workflow;
    r.due_at = d.due_at;
    r.status = d.status;
    r.resolved_at = d.resolved_at;
  }
  for (auto it = rows.lower_bound({c.id.value, ""});
       it != rows.end() && it->first.first == c.id.value;) {
    it = names.contains(it->first.second) ? std::next(it) : rows.erase(it);
  }
}

std::int64_t backfill(Cases& cases, const History& history, std::string_view workflow,
                      const std::vector<std::string>& theme_fields,
                      const std::vector<std::string>& first_contact_events) {
  std::int64_t changed = 0;
  for (auto& [id, c] : cases) {
    if (c.workflow != workflow) continue;
    if (c.themes.empty()) {
      std::set<std::string> found;
      bool present = false;
      for (const auto& f : theme_fields) {
        auto v = c.data.find(f);
        if (v == c.data.end() || v->second.is_null()) continue;
        present = true;
        if (v->second.is_text() && !v->second.as_text().empty()) found.insert(v->second.as_text());
        if (v->second.is_list()) {
          for (const auto& t : v->second.as_list()) {
            if (!t.empty()) found.insert(t);
          }
        }
      }
      if (present) {
        c.themes.assign(found.begin(), found.end());
        ++changed;
      }
    }
    if (!c.first_contact_at) {
      auto h = history.find(id);
      if (h == history.end()) continue;
      for (const HistoryEntry& e : h->second) {
        const bool match = std::find(first_contact_events.begin(), first_contact_events.end(),
                                     e.event) != first_contact_events.end();
        if (match && (!c.first_contact_at || e.at < *c.first_contact_at)) c.first_contact_at = e.at;
      }
      if (c.first_contact_at) ++changed;
    }
  }
  return changed;
}

std::vector<ResponseDayRow> response_days(const Responses& responses,
                                          const std::vector<ZoneOffset>& offsets, LocalDay from,
                                          LocalDay to) {
  std::map<std::tuple<LocalDay, std::string, int>, ResponseDayRow> acc;
  for (const auto& [id, entry] : responses) {
    const Response& r = entry.first;
    const LocalDay day = local_day_of(r.responded_at, offsets);
    if (day < from || day >= to) continue;
    ResponseDayRow& row = acc[{day, r.segment, r.score}];
    row.day = day;
    row.segment = r.segment;
    row.score = r.score;
    row.responses += 1;
    row.arr += r.arr;
  }
  std::vector<ResponseDayRow> out;
  for (auto& [k, row] : acc) out.push_back(std::move(row));
  return out;
}

std::vector<ThemeDayRow> theme_days(const Cases& cases, const std::vector<ZoneOffset>& offsets,
                                    LocalDay from, LocalDay to, std::string_view workflow) {
  std::map<std::tuple<LocalDay, std::string, std::string, std::string>, ThemeDayRow> acc;
  for (const auto& [id, c] : cases) {
    if (!workflow.empty() && c.workflow != workflow) continue;
    const LocalDay day = local_day_of(c.opened_at, offsets);
    if (day < from || day >= to) continue;
    for (const auto& theme : c.themes) {
      ThemeDayRow& row = acc[{day, theme, c.segment, c.workflow}];
      row.day = day;
      row.theme = theme;
      row.segment = c.segment;
      row.workflow = c.workflow;
      row.cases += 1;
      row.arr += c.arr;
      if (is_detractor(c.score)) {
        row.detractors += 1;
        row.detractor_arr += c.arr;
      }
    }
  }
  std::vector<ThemeDayRow> out;
  for (auto& [k, row] : acc) out.push_back(std::move(row));
  return out;
}

std::vector<DeadlineDayRow> deadline_days(const Deadlines& rows,
                                          const std::vector<ZoneOffset>& offsets, LocalDay from,
                                          LocalDay to) {
  using Key = std::tuple<LocalDay, std::string, std::string, std::string, std::string>;
  std::map<Key, DeadlineDayRow> acc;
  for (const auto& [k, r] : rows) {
    const LocalDay day = local_day_of(r.due_at, offsets);
    if (day < from || day >= to) continue;
    DeadlineDayRow& row = acc[{from, r.name, r.workflow, r.owner.value,
                               deadline_status_name(r.status)}];
    row.day = from;
    row.name = r.name;
    row.workflow = r.workflow;
    row.owner = r.owner;
    row.status = r.status;
    row.count += 1;
  }
  std::vector<DeadlineDayRow> out;
  for (auto& [k, row] : acc) out.push_back(std::move(row));
  return out;
}

std::vector<CaseDeadlineRow> case_deadlines(const Deadlines& rows, CaseId id) {
  std::vector<CaseDeadlineRow> out;
  for (auto it = rows.lower_bound({id.value, ""}); it != rows.end() && it->first.first == id.value;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::vector<CaseTimingRow> case_timings(const Cases& cases, std::string_view workflow,
                                        Instant from, Instant to) {
  std::vector<CaseTimingRow> out;
  for (const auto& [id, c] : cases) {
    if (c.workflow != workflow || !in_range(c.opened_at, from, to)) continue;
    out.push_back({c.id, c.segment, c.opened_at, c.first_contact_at, c.closed_at});
  }
  return out;
}

std::vector<TimingMonthRow> timing_months(const Cases& cases,
                                          const std::vector<ZoneOffset>& offsets,
                                          std::string_view workflow, LocalMonth from,
                                          LocalMonth to) {
  std::map<std::tuple<LocalMonth, std::string, std::string, std::int64_t>, std::int64_t> acc;
  for (const auto& [id, c] : cases) {
    if (c.workflow != workflow) continue;
    const LocalMonth m = local_month_of_day(local_day_of(c.opened_at, offsets));
    if (m < from || m >= to) continue;
    auto hours = [&](Instant t) { return std::max<std::int64_t>(0, (t - c.opened_at).count() / 3600); };
    ++acc[{m, c.segment, "opened", 0}];
    if (c.first_contact_at) ++acc[{m, c.segment, "first_contact", hours(*c.first_contact_at)}];
    if (c.closed_at) ++acc[{m, c.segment, "close", hours(*c.closed_at)}];
  }
  std::vector<TimingMonthRow> out;
  for (const auto& [k, n] : acc) {
    out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n});
  }
  return out;
}

std::vector<ThemeCaseRow> cases_with_theme(const Cases& cases, const ThemeCaseQuery& q) {
  std::vector<ThemeCaseRow> out;
  for (const auto& [id, c] : cases) {
    if (q.limit > 0 && static_cast<std::int64_t>(out.size()) >= q.limit) break;
    if (std::find(c.themes.begin(), c.themes.end(), q.theme) == c.themes.end()) continue;
    if (q.segment && c.segment != *q.segment) continue;
    if (q.workflow && c.workflow != *q.workflow) continue;
    if (q.open_only && !c.is_open()) continue;
    if (q.detractors_only && !is_detractor(c.score)) continue;
    if (q.opened_from && c.opened_at < *q.opened_from) continue;
    if (q.opened_to && c.opened_at >= *q.opened_to) continue;
    out.push_back({c.id, q.theme, c.segment, c.workflow, c.customer_id, c.arr, c.score,
                   c.opened_at, c.closed_at});
  }
  return out;
}

std::vector<OpenThemeRow> open_theme_counts(const Cases& cases) {
  std::map<std::tuple<std::string, std::string, std::string>, OpenThemeRow> acc;
  for (const auto& [id, c] : cases) {
    if (!c.is_open()) continue;
    for (const auto& theme : c.themes) {
      OpenThemeRow& row = acc[{theme, c.segment, c.workflow}];
      row.theme = theme;
      row.segment = c.segment;
      row.workflow = c.workflow;
      row.cases += 1;
      row.arr += c.arr;
      if (is_detractor(c.score)) {
        row.detractors += 1;
        row.detractor_arr += c.arr;
      }
    }
  }
  std::vector<OpenThemeRow> out;
  for (auto& [k, row] : acc) out.push_back(std::move(row));
  return out;
}

std::vector<ThemeCaseTotals> theme_case_totals(const Cases& cases,
                                               const std::vector<std::string>& workflows) {
  struct Acc {
    std::int64_t cases = 0, open = 0;
    std::map<std::string, double> customers;  // customer -> highest arr
  };
  std::map<std::pair<std::string, std::string>, Acc> acc;  // (theme, segment or "")
  for (const auto& [id, c] : cases) {
    if (std::find(workflows.begin(), workflows.end(), c.workflow) == workflows.end()) continue;
    for (const auto& theme : c.themes) {
      // Over all segments (""), and in the case's segment if it has one.
      for (const std::string& seg : std::set<std::string>{std::string(), c.segment}) {
        Acc& a = acc[{theme, seg}];
        ++a.cases;
        if (c.is_open()) ++a.open;
        auto [it, fresh] = a.customers.emplace(c.customer_id.value, c.arr);
        if (!fresh) it->second = std::max(it->second, c.arr);
      }
    }
  }
  std::vector<ThemeCaseTotals> out;
  for (const auto& [key, a] : acc) {
    ThemeCaseTotals t{key.first, key.second, a.cases, a.open,
                      static_cast<std::int64_t>(a.customers.size()), 0};
    for (const auto& [customer, arr] : a.customers) t.arr += arr;
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<CallbackRow> callbacks(const Cases& cases, Instant from, Instant to,
                                   std::int64_t limit) {
  std::vector<CallbackRow> out;
  for (const auto& [id, c] : cases) {
    if (c.first_contact_at && in_range(*c.first_contact_at, from, to)) {
      out.push_back({c.id, c.segment, *c.first_contact_at, c.themes});
    }
  }
  std::sort(out.begin(), out.end(), [](const CallbackRow& a, const CallbackRow& b) {
    return std::tie(a.first_contact_at, a.case_id) < std::tie(b.first_contact_at, b.case_id);
  });
  if (limit > 0 && static_cast<std::int64_t>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
  return out;
}

CaseFlow case_flow(const Cases& cases, std::string_view workflow, Instant from, Instant to) {
  CaseFlow flow;
  std::map<std::string, std::int64_t> by_state;
  for (const auto& [id, c] : cases) {
    if (c.workflow != workflow) continue;
    if (in_range(c.opened_at, from, to)) ++flow.opened;
    if (c.closed_at && in_range(*c.closed_at, from, to)) ++flow.closed;
    if (c.is_open()) ++by_state[c.state];
  }
  flow.open_by_state.assign(by_state.begin(), by_state.end());
  return flow;
}

}  // namespace turnaround::storage::memory

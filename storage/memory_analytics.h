#pragma once
// The analytics reads of MemoryStore (engine/store.h, "Analytics"),
// computed from its plain containers on every call, with the semantics of
// the SQLite summaries (analytics_schema.cpp). Internal to storage/.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/store.h"

namespace turnaround::storage::memory {

using Responses = std::unordered_map<std::string, std::pair<Response, Instant>>;
using Cases = std::map<std::int64_t, Case>;
using History = std::map<std::int64_t, std::vector<HistoryEntry>>;
using Deadlines = std::map<std::pair<std::int64_t, std::string>, CaseDeadlineRow>;

// Files the deadlines of `c` (written as version c.version) into `rows` by
// the rule of case_deadlines: a resolved deadline keeps the owner it was
// resolved under; deadlines gone from the case are removed.
void sync_deadlines(Deadlines& rows, const Case& c);

std::int64_t backfill(Cases& cases, const History& history, std::string_view workflow,
                      const std::vector<std::string>& theme_fields,
                      const std::vector<std::string>& first_contact_events);

std::vector<ResponseDayRow> response_days(const Responses& responses,
                                          const std::vector<ZoneOffset>& offsets, LocalDay from,
                                          LocalDay to);
std::vector<ThemeDayRow> theme_days(const Cases& cases, const std::vector<ZoneOffset>& offsets,
                                    LocalDay from, LocalDay to, std::string_view workflow);
std::vector<DeadlineDayRow> deadline_days(const Deadlines& rows,
                                          const std::vector<ZoneOffset>& offsets, LocalDay from,
                                          LocalDay to);
std::vector<CaseDeadlineRow> case_deadlines(const Deadlines& rows, CaseId id);
std::vector<CaseTimingRow> case_timings(const Cases& cases, std::string_view workflow,
                                        Instant from, Instant to);
std::vector<TimingMonthRow> timing_months(const Cases& cases,
                                          const std::vector<ZoneOffset>& offsets,
                                          std::string_view workflow, LocalMonth from,
                                          LocalMonth to);
std::vector<ThemeCaseRow> cases_with_theme(const Cases& cases, const ThemeCaseQuery& q);
std::vector<OpenThemeRow> open_theme_counts(const Cases& cases);
std::vector<ThemeCaseTotals> theme_case_totals(const Cases& cases,
                                               const std::vector<std::string>& workflows);
std::vector<CallbackRow> callbacks(const Cases& cases, Instant from, Instant to,
                                   std::int64_t limit);
CaseFlow case_flow(const Cases& cases, std::string_view workflow, Instant from, Instant to);

}  // namespace turnaround::storage::memory

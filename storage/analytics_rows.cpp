// The analytics summaries of SqliteTransaction: reads of the tables that
// migration 3 created (analytics_schema.cpp), kept current by triggers
// (themes) and by the store's own writes (summary_rows.cpp); the zone
// offsets and the one-off backfill of themes and first contacts.

#include <string>

#include "storage/analytics_schema.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"
#include "storage/json_codec.h"

namespace turnaround::storage {

namespace {

// `$."name"`: a JSON path to a top-level member.
std::string member_path(const std::string& name) { return "$.\"" + name + "\""; }

// ":e0, :e1, ..." for n named parameters with the given prefix.
std::string parameter_list(const std::string& prefix, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += ":" + prefix + std::to_string(i);
  }
  return out;
}

Result<DeadlineStatus> status_column(SQLite::Statement& s, int i) {
  const std::string text = s.getColumn(i).getString();
  auto st = parse_deadline_status(text);
  if (!st) return internal_error("corrupt deadline status '" + text + "'");
  return *st;
}

std::optional<int> optional_int(SQLite::Statement& s, int i) {
  if (s.isColumnNull(i)) return std::nullopt;
  return s.getColumn(i).getInt();
}

}  // namespace

Result<bool> SqliteTransaction::set_zone_offsets(const std::vector<ZoneOffset>& offsets) {
  return guarded("set_zone_offsets", [&]() -> Result<bool> {
    std::vector<ZoneOffset> stored;
    {
      auto s = use(Sql::kListZoneOffsets);
      while (s->executeStep()) {
        stored.push_back({from_seconds(s->getColumn(0).getInt64()), s->getColumn(1).getInt()});
      }
    }
    if (stored == offsets) return false;
    flush_summaries();  // the rebuild below recounts them under the new offsets
    zone_written_ = true;
    cache_.zone_valid = false;
    use(Sql::kDeleteZoneOffsets)->exec();
    for (const ZoneOffset& o : offsets) {
      auto s = use(Sql::kInsertZoneOffset);
      bind_instant(*s, 1, o.since);
      s->bind(2, o.offset_s);
      s->exec();
    }
    db_.exec(rebuild_day_rollups_sql());
    return true;
  });
}

Result<std::int64_t> SqliteTransaction::backfill_case_analytics(
    std::string_view workflow, const std::vector<std::string>& theme_fields,
    const std::vector<std::string>& first_contact_events) {
  return guarded("backfill_case_analytics", [&]() -> Result<std::int64_t> {
    std::int64_t changed = 0;
    const std::string wf(workflow);
    // The UPDATEs below change cases behind the remembered case rows;
    // timing_months is refilled after them.
    flush_summaries();
    case_rows_.clear();
    if (!theme_fields.empty()) {
      std::string values, present;
      for (std::size_t i = 0; i < theme_fields.size(); ++i) {
        const std::string p = ":p" + std::to_string(i);
        if (i > 0) {
          values += " UNION ALL ";
          present += " OR ";
        }
        values += "SELECT value FROM json_each(cases.data, " + p + ")";
        present += "json_type(data, " + p + ") IS NOT NULL";
      }
      const std::string sql =
          "UPDATE cases SET themes = (SELECT json_group_array(v) FROM (SELECT DISTINCT "
          "CAST(value AS TEXT) AS v FROM (" + values + ") WHERE value IS NOT NULL AND "
          "value <> '' ORDER BY v)) WHERE workflow = :wf AND themes = '[]' AND (" + present + ")";
      StatementUse s(statements_.get(sql));
      s->bind(":wf", wf);
      for (std::size_t i = 0; i < theme_fields.size(); ++i) {
        s->bind(":p" + std::to_string(i), member_path(theme_fields[i]));
      }
      changed += s->exec();
    }
    if (!first_contact_events.empty()) {
      const std::string events = parameter_list("e", first_contact_events.size());
      const std::string sql =
          "UPDATE cases SET first_contact_at = (SELECT min(h.at) FROM case_history h "
          "WHERE h.case_id = cases.id AND h.event IN (" + events + ")) "
          "WHERE workflow = :wf AND first_contact_at IS NULL AND EXISTS (SELECT 1 FROM "
          "case_history h WHERE h.case_id = cases.id AND h.event IN (" + events + "))";
      StatementUse s(statements_.get(sql));
      s->bind(":wf", wf);
      for (std::size_t i = 0; i < first_contact_events.size(); ++i) {
        s->bind(":e" + std::to_string(i), first_contact_events[i]);
      }
      const int contacts = s->exec();
      changed += contacts;
      if (contacts > 0) db_.exec(refill_timing_months_sql());
    }
    return changed;
  });
}

Result<std::vector<ResponseDayRow>> SqliteTransaction::response_days(LocalDay from, LocalDay to) {
  return guarded("response_days", [&]() -> Result<std::vector<ResponseDayRow>> {
    flush_summaries();
    auto s = use(Sql::kResponseDays);
    s->bind(1, from);
    s->bind(2, to);
    std::vector<ResponseDayRow> out;
    while (s->executeStep()) {
      out.push_back({s->getColumn(0).getInt(), s->getColumn(1).getString(),
                     s->getColumn(2).getInt(), s->getColumn(3).getInt64(),
                     s->getColumn(4).getDouble()});
    }
    return out;
  });
}

Result<std::vector<ThemeDayRow>> SqliteTransaction::theme_days(LocalDay from, LocalDay to,
                                                               std::string_view workflow) {
  return guarded("theme_days", [&]() -> Result<std::vector<ThemeDayRow>> {
    auto s = use(workflow.empty() ? Sql::kThemeDays : Sql::kThemeDaysOfWorkflow);
    s->bind(1, from);
    s->bind(2, to);
    scratch_.assign(workflow);
    if (!workflow.empty()) bind_text(*s, 3, scratch_);
    std::vector<ThemeDayRow> out;
    while (s->executeStep()) {
      ThemeDayRow r;
      r.day = s->getColumn(0).getInt();
      r.theme = s->getColumn(1).getString();
      r.segment = s->getColumn(2).getString();
      r.workflow = s->getColumn(3).getString();
      r.cases = s->getColumn(4).getInt64();
      r.detractors = s->getColumn(5).getInt64();
      r.arr = s->getColumn(6).getDouble();
      r.detractor_arr = s->getColumn(7).getDouble();
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<DeadlineDayRow>> SqliteTransaction::deadline_days(LocalDay from, LocalDay to) {
  return guarded("deadline_days", [&]() -> Result<std::vector<DeadlineDayRow>> {
    flush_summaries();
    auto s = use(Sql::kDeadlineDays);
    s->bind(1, from);
    s->bind(2, to);
    std::vector<DeadlineDayRow> out;
    while (s->executeStep()) {
      DeadlineDayRow r;
      r.day = s->getColumn(0).getInt();
      r.name = s->getColumn(1).getString();
      r.workflow = s->getColumn(2).getString();
      r.owner = PersonId(s->getColumn(3).getString());
      TA_ASSIGN_OR_RETURN(r.status, status_column(*s, 4));
      r.count = s->getColumn(5).getInt64();
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<CaseDeadlineRow>> SqliteTransaction::case_deadlines(CaseId id) {
  return guarded("case_deadlines", [&]() -> Result<std::vector<CaseDeadlineRow>> {
    auto s = use(Sql::kCaseDeadlines);
    bind_int(*s, 1, id.value);
    std::vector<CaseDeadlineRow> out;
    while (s->executeStep()) {
      CaseDeadlineRow r;
      r.case_id = CaseId(s->getColumn(0).getInt64());
      r.name = s->getColumn(1).getString();
      r.workflow = s->getColumn(2).getString();
      r.owner = PersonId(s->getColumn(3).getString());
      r.due_at = from_seconds(s->getColumn(4).getInt64());
      TA_ASSIGN_OR_RETURN(r.status, status_column(*s, 5));
      r.resolved_at = column_instant(*s, 6);
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<CaseTimingRow>> SqliteTransaction::case_timings(std::string_view workflow,
                                                                   Instant from, Instant to) {
  return guarded("case_timings", [&]() -> Result<std::vector<CaseTimingRow>> {
    auto s = use(Sql::kCaseTimings);
    scratch_.assign(workflow);
    bind_text(*s, 1, scratch_);
    bind_instant(*s, 2, from);
    bind_instant(*s, 3, to);
    std::vector<CaseTimingRow> out;
    while (s->executeStep()) {
      CaseTimingRow r;
      r.case_id = CaseId(s->getColumn(0).getInt64());
      r.segment = s->getColumn(1).getString();
      r.opened_at = from_seconds(s->getColumn(2).getInt64());
      r.first_contact_at = column_instant(*s, 3);
      r.closed_at = column_instant(*s, 4);
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<TimingMonthRow>> SqliteTransaction::timing_months(std::string_view workflow,
                                                                     LocalMonth from,
                                                                     LocalMonth to) {
  return guarded("timing_months", [&]() -> Result<std::vector<TimingMonthRow>> {
    flush_summaries();
    auto s = use(Sql::kTimingMonths);
    scratch_.assign(workflow);
    bind_text(*s, 1, scratch_);
    s->bind(2, from);
    s->bind(3, to);
    std::vector<TimingMonthRow> out;
    while (s->executeStep()) {
      out.push_back({s->getColumn(0).getInt(), s->getColumn(1).getString(),
                     s->getColumn(2).getString(), s->getColumn(3).getInt64(),
                     s->getColumn(4).getInt64()});
    }
    return out;
  });
}

Result<std::vector<ThemeCaseRow>> SqliteTransaction::cases_with_theme(const ThemeCaseQuery& q) {
  return guarded("cases_with_theme", [&]() -> Result<std::vector<ThemeCaseRow>> {
    std::string sql =
        "SELECT case_id, theme, segment, workflow, customer_id, arr, score, opened_at, "
        "closed_at FROM case_themes WHERE theme = :theme";
    if (q.segment) sql += " AND segment = :segment";
    if (q.workflow) sql += " AND workflow = :workflow";
    if (q.open_only) sql += " AND closed_at IS NULL";
    if (q.detractors_only) sql += " AND score <= 6";
    if (q.opened_from) sql += " AND opened_at >= :from";
    if (q.opened_to) sql += " AND opened_at < :to";
    sql += " ORDER BY case_id LIMIT :limit";
    StatementUse s(statements_.get(sql));
    s->bind(":theme", q.theme);
    if (q.segment) s->bind(":segment", *q.segment);
    if (q.workflow) s->bind(":workflow", *q.workflow);
    if (q.opened_from) s->bind(":from", to_seconds(*q.opened_from));
    if (q.opened_to) s->bind(":to", to_seconds(*q.opened_to));
    s->bind(":limit", static_cast<std::int64_t>(q.limit > 0 ? q.limit : -1));
    std::vector<ThemeCaseRow> out;
    while (s->executeStep()) {
      ThemeCaseRow r;
      r.case_id = CaseId(s->getColumn(0).getInt64());
      r.theme = s->getColumn(1).getString();
      r.segment = s->getColumn(2).getString();
      r.workflow = s->getColumn(3).getString();
      r.customer_id = CustomerId(s->getColumn(4).getString());
      r.arr = s->getColumn(5).getDouble();
      r.score = optional_int(*s, 6);
      r.opened_at = from_seconds(s->getColumn(7).getInt64());
      r.closed_at = column_instant(*s, 8);
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<ThemeCaseTotals>> SqliteTransaction::theme_case_totals(
    const std::vector<std::string>& workflows) {
  return guarded("theme_case_totals", [&]() -> Result<std::vector<ThemeCaseTotals>> {
    std::vector<ThemeCaseTotals> out;
    if (workflows.empty()) return out;
    if (workflows.size() == 1) {
      // The summary of migration 7, kept by triggers on case_themes.
      StatementUse s(statements_.get(std::string(
          "SELECT theme, segment, cases, open_cases, customers, arr FROM theme_totals "
          "WHERE workflow = ?1 AND cases > 0 ORDER BY theme, segment")));
      bind_text(*s, 1, workflows.front());
      while (s->executeStep()) {
        ThemeCaseTotals t;
        t.theme = s->getColumn(0).getString();
        t.segment = s->getColumn(1).getString();
        t.cases = s->getColumn(2).getInt64();
        t.open_cases = s->getColumn(3).getInt64();
        t.customers = s->getColumn(4).getInt64();
        t.arr = s->getColumn(5).getDouble();
        out.push_back(std::move(t));
      }
      return out;
    }
    // Several workflows: a customer of two of them counts once, so from
    // case_themes itself: per customer first (their cases, open ones and
    // highest arr), then per (theme, segment) and per theme. Slower (a pass
    // over every case theme of the workflows).
    const std::string where = " FROM case_themes WHERE workflow IN (" + parameter_list("w", workflows.size()) + ")";
    StatementUse s(statements_.get(
        "SELECT theme, segment, sum(n), sum(o), count(*), sum(a) FROM (SELECT theme, segment, "
        "customer_id, count(*) AS n, sum(closed_at IS NULL) AS o, max(arr) AS a" + where +
        " AND segment <> '' GROUP BY theme, segment, customer_id) GROUP BY theme, segment "
        "UNION ALL SELECT theme, '', sum(n), sum(o), count(*), sum(a) FROM (SELECT theme, "
        "customer_id, count(*) AS n, sum(closed_at IS NULL) AS o, max(arr) AS a" + where +
        " GROUP BY theme, customer_id) GROUP BY theme ORDER BY 1, 2"));
    for (std::size_t i = 0; i < workflows.size(); ++i) {
      s->bind(":w" + std::to_string(i), workflows[i]);
    }
    while (s->executeStep()) {
      ThemeCaseTotals t;
      t.theme = s->getColumn(0).getString();
      t.segment = s->getColumn(1).getString();
      t.cases = s->getColumn(2).getInt64();
      t.open_cases = s->getColumn(3).getInt64();
      t.customers = s->getColumn(4).getInt64();
      t.arr = s->getColumn(5).getDouble();
      out.push_back(std::move(t));
    }
    return out;
  });
}

Result<std::vector<OpenThemeRow>> SqliteTransaction::open_theme_counts() {
  return guarded("open_theme_counts", [&]() -> Result<std::vector<OpenThemeRow>> {
    auto s = use(Sql::kOpenThemeCounts);
    std::vector<OpenThemeRow> out;
    while (s->executeStep()) {
      OpenThemeRow r;
      r.theme = s->getColumn(0).getString();
      r.segment = s->getColumn(1).getString();
      r.workflow = s->getColumn(2).getString();
      r.cases = s->getColumn(3).getInt64();
      r.detractors = s->getColumn(4).getInt64();
      r.arr = s->getColumn(5).getDouble();
      r.detractor_arr = s->getColumn(6).getDouble();
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<std::vector<CallbackRow>> SqliteTransaction::callbacks(Instant from, Instant to,
                                                              std::int64_t limit) {
  return guarded("callbacks", [&]() -> Result<std::vector<CallbackRow>> {
    auto s = use(Sql::kCallbacks);
    bind_instant(*s, 1, from);
    bind_instant(*s, 2, to);
    bind_int(*s, 3, limit > 0 ? limit : -1);
    std::vector<CallbackRow> out;
    while (s->executeStep()) {
      CallbackRow r;
      r.case_id = CaseId(s->getColumn(0).getInt64());
      r.segment = s->getColumn(1).getString();
      r.first_contact_at = from_seconds(s->getColumn(2).getInt64());
      TA_ASSIGN_OR_RETURN(r.themes, decode_strings(s->getColumn(3).getText()));
      out.push_back(std::move(r));
    }
    return out;
  });
}

Result<CaseFlow> SqliteTransaction::case_flow(std::string_view workflow, Instant from, Instant to) {
  return guarded("case_flow", [&]() -> Result<CaseFlow> {
    CaseFlow flow;
    scratch_.assign(workflow);
    for (Sql q : {Sql::kCasesOpenedCount, Sql::kCasesClosedCount}) {
      auto s = use(q);
      bind_text(*s, 1, scratch_);
      bind_instant(*s, 2, from);
      bind_instant(*s, 3, to);
      s->executeStep();
      (q == Sql::kCasesOpenedCount ? flow.opened : flow.closed) = s->getColumn(0).getInt64();
    }
    auto s = use(Sql::kOpenCasesByStateOfWorkflow);
    bind_text(*s, 1, scratch_);
    while (s->executeStep()) {
      flow.open_by_state.emplace_back(s->getColumn(0).getString(), s->getColumn(1).getInt64());
    }
    return flow;
  });
}

}  // namespace turnaround::storage

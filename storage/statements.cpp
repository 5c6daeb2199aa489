#include "storage/statements.h"

#include <cassert>
#include <string_view>
#include <vector>

namespace turnaround::storage {

// Columns of a case row, in the order read by case_rows.cpp.
#define TA_CASE_COLUMNS                                                          \
  "id, workflow, workflow_version, state, owner, queue, priority, customer_id, " \
  "customer_name, segment, arr, score, responses, responded_at, opened_at, "     \
  "state_entered_at, closed_at, version, data, deadlines, themes, first_contact_at"

// The 22 written columns of a case (all but id), in CaseRow::Column order:
// bound as ?1..?22 by case_rows.cpp, read back by kCaseRow, and named one by
// one in update_case_sql.
#define TA_CASE_WRITE_COLUMNS                                                \
  "workflow, workflow_version, state, owner, queue, priority, customer_id, " \
  "customer_name, segment, arr, score, responses, responded_at, opened_at, " \
  "state_entered_at, closed_at, version, data, deadlines, overdue_since, themes, "        \
  "first_contact_at"

#define TA_TIMER_COLUMNS "id, case_id, deadline, kind, level, due_at, misfire"

const char* const kCaseColumns = TA_CASE_COLUMNS;

namespace {

// The names of TA_CASE_WRITE_COLUMNS, in order (CaseRow::Column order).
const std::vector<std::string>& case_write_column_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    std::string_view rest = TA_CASE_WRITE_COLUMNS;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(", ");
      out.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
    return out;
  }();
  return names;
}

}  // namespace

std::string update_case_sql(std::uint32_t columns) {
  const std::vector<std::string>& names = case_write_column_names();
  std::string sql = "UPDATE cases SET ";
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!(columns & (std::uint32_t{1} << i))) continue;
    if (!first) sql += ", ";
    first = false;
    sql += names[i];
    sql += " = ?" + std::to_string(i + 1);
  }
  return sql + " WHERE id = ?23 AND version = ?24";
}

const char* sql_text(Sql s) {
  switch (s) {
    // ?1 response_id ... ?8 responded_at, ?9 received_at. A duplicate id
    // changes nothing (0 rows changed).
    case Sql::kInsertResponse:
      return "INSERT INTO responses (response_id, customer_id, customer_name, segment, arr, "
             "score, comment, responded_at, received_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
             "ON CONFLICT (response_id) DO NOTHING";
    // ?1 case_id, ?2 response_id. Writes nothing when already linked.
    case Sql::kLinkResponse:
      return "UPDATE responses SET case_id = ?1 WHERE response_id = ?2 AND case_id IS NOT ?1";
    // ?1 customer_id, ?2 lost_at, ?3 reason, ?4 arr, ?5 received_at.
    case Sql::kInsertChurn:
      return "INSERT INTO churn_events (customer_id, lost_at, reason, arr, received_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (customer_id, lost_at) DO NOTHING";
    // ?1 id, ?2 name, ?3 segment, ?4 arr, ?5 account_owner, ?6 lost. An
    // unchanged row is not rewritten (imports upsert every response's customer).
    case Sql::kUpsertCustomer:
      return "INSERT INTO customers (id, name, segment, arr, account_owner, lost) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
             "ON CONFLICT (id) DO UPDATE SET name = excluded.name, segment = excluded.segment, "
             "arr = excluded.arr, account_owner = excluded.account_owner, lost = excluded.lost "
             "WHERE (name, segment, arr, account_owner, lost) IS NOT "
             "(excluded.name, excluded.segment, excluded.arr, excluded.account_owner, "
             "excluded.lost)";
    // ?1 id.
    case Sql::kFindCustomer:
      return "SELECT id, name, segment, arr, account_owner, lost FROM customers WHERE id = ?1";
    // ?1 customer_id, ?2 workflow. One row, NULL when there is no open case.
    // Uses cases_by_customer. min(id), not ORDER BY id LIMIT 1: the index
    // orders the open range by state before id, so ORDER BY built a
    // temporary B-tree on every call (a third of an attach's lookups).
    case Sql::kFindOpenCase:
      return "SELECT min(id) FROM cases "
             "WHERE customer_id = ?1 AND workflow = ?2 AND closed_at IS NULL";
    // ?1 id.
    case Sql::kLoadCase:
      return "SELECT " TA_CASE_COLUMNS ", overdue_since FROM cases WHERE id = ?1";
    // ?1 case_id.
    case Sql::kLoadHistory:
      return "SELECT at, event, from_state, to_state, actor, data FROM case_history "
             "WHERE case_id = ?1 ORDER BY seq";
    // ?1..?22 as TA_CASE_WRITE_COLUMNS.
    case Sql::kInsertCase:
      return "INSERT INTO cases (" TA_CASE_WRITE_COLUMNS
             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
             "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";
    // ?1 case_id, ?2 at, ?3 event, ?4 from_state, ?5 to_state, ?6 actor, ?7 data.
    // seq: one past the case's last entry (a seek to the end of its range).
    case Sql::kInsertHistory:
      return "INSERT INTO case_history (case_id, seq, at, event, from_state, to_state, actor, data) "
             "VALUES (?1, (SELECT ifnull(max(seq), 0) + 1 FROM case_history WHERE case_id = ?1), "
             "?2, ?3, ?4, ?5, ?6, ?7)";
    // Per owner, the count of their open cases. Written as a skip scan of
    // cases_by_owner (owner, closed_at): one seek per distinct owner, then a
    // count of the (owner, closed_at IS NULL) range, so closed cases are
    // never visited. (A GROUP BY over "closed_at IS NULL" walked every owned
    // case, open or closed, at about 600 instructions each, once per ingest
    // batch.) Owners whose cases are all closed come back with 0.
    case Sql::kOpenCaseCounts:
      return "WITH RECURSIVE o(owner) AS ("
             "SELECT min(owner) FROM cases WHERE owner > '' "
             "UNION ALL "
             "SELECT (SELECT min(c.owner) FROM cases c WHERE c.owner > o.owner) "
             "FROM o WHERE o.owner IS NOT NULL) "
             "SELECT owner, (SELECT count(*) FROM cases c WHERE c.owner = o.owner AND c.closed_at IS NULL) "
             "FROM o WHERE owner IS NOT NULL";
    // ?1 case_id, ?2 deadline, ?3 kind, ?4 level, ?5 due_at, ?6 misfire.
    case Sql::kInsertTimer:
      return "INSERT INTO timers (case_id, deadline, kind, level, due_at, misfire, status) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending')";
    // ?1 case_id, ?2 deadline. Uses timers_pending_by_case.
    case Sql::kCancelTimers:
      return "UPDATE timers SET status = 'cancelled' "
             "WHERE case_id = ?1 AND status = 'pending' AND deadline = ?2";
    // ?1 case_id.
    case Sql::kCancelAllTimers:
      return "UPDATE timers SET status = 'cancelled' WHERE case_id = ?1 AND status = 'pending'";
    // ?1 now, ?2 limit. Walks the partial index timers_pending_due in order.
    case Sql::kDueTimers:
      return "SELECT " TA_TIMER_COLUMNS
             " FROM timers "
             "WHERE status = 'pending' AND due_at <= ?1 ORDER BY due_at, id LIMIT ?2";
    // ?1 id, ?2 fired_at.
    case Sql::kMarkTimerFired:
      return "UPDATE timers SET status = 'fired', fired_at = ?2, lateness_s = ?2 - due_at "
             "WHERE id = ?1 AND status = 'pending'";
    // ?1 case_id.
    case Sql::kCaseTimers:
      return "SELECT " TA_TIMER_COLUMNS
             " FROM timers "
             "WHERE case_id = ?1 AND status = 'pending' ORDER BY due_at, id";
    case Sql::kNextTimerDue:
      return "SELECT due_at FROM timers WHERE status = 'pending' ORDER BY due_at, id LIMIT 1";
    case Sql::kListPeople:
      return "SELECT id, name, roles, teams, capacity, active FROM people ORDER BY id";
    // ?1 id, ?2 name, ?3 roles, ?4 teams, ?5 capacity, ?6 active.
    case Sql::kUpsertPerson:
      return "INSERT INTO people (id, name, roles, teams, capacity, active) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
             "ON CONFLICT (id) DO UPDATE SET name = excluded.name, roles = excluded.roles, "
             "teams = excluded.teams, capacity = excluded.capacity, active = excluded.active";
    // ?1 key.
    case Sql::kGetCounter:
      return "SELECT value FROM counters WHERE key = ?1";
    // ?1 key, ?2 value.
    case Sql::kSetCounter:
      return "INSERT INTO counters (key, value) VALUES (?1, ?2) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    // ?1 case_id (NULL if none), ?2 recipient, ?3 kind, ?4 message, ?5 created_at.
    case Sql::kInsertNotification:
      return "INSERT INTO notifications (case_id, recipient, kind, message, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5)";
    case Sql::kListWorkflows:
      return "SELECT name, version, content_hash, source, file, loaded_at FROM workflows "
             "ORDER BY name, version";
    // ?1 name, ?2 version, ?3 content_hash, ?4 source, ?5 file, ?6 loaded_at.
    case Sql::kInsertWorkflow:
      return "INSERT INTO workflows (name, version, content_hash, source, file, loaded_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    // ?1 key.
    case Sql::kGetSetting:
      return "SELECT value FROM settings WHERE key = ?1";
    // ?1 key, ?2 value.
    case Sql::kPutSetting:
      return "INSERT INTO settings (key, value) VALUES (?1, ?2) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    // ?1 id.
    case Sql::kFindPerson:
      return "SELECT id, name, roles, teams, capacity, active FROM people WHERE id = ?1";
    // ?1 hash, ?2 person_id, ?3 created_at.
    case Sql::kInsertToken:
      return "INSERT INTO tokens (hash, person_id, created_at) VALUES (?1, ?2, ?3)";
    // ?1 hash.
    case Sql::kFindToken:
      return "SELECT person_id FROM tokens WHERE hash = ?1 AND revoked_at IS NULL";
    // ?1 hash. The token's person in one lookup (authenticates every request).
    case Sql::kFindTokenPerson:
      return "SELECT p.id, p.name, p.roles, p.teams, p.capacity, p.active "
             "FROM tokens t JOIN people p ON p.id = t.person_id "
             "WHERE t.hash = ?1 AND t.revoked_at IS NULL";
    // ?1 person_id, ?2 revoked_at. Uses tokens_live_by_person.
    case Sql::kRevokeTokens:
      return "UPDATE tokens SET revoked_at = ?2 WHERE person_id = ?1 AND revoked_at IS NULL";
    case Sql::kOpenCasesByState:
      return "SELECT state, count(*) FROM cases WHERE closed_at IS NULL GROUP BY state";
    // Counts the partial index timers_pending_due.
    case Sql::kPendingTimerCount:
      return "SELECT count(*) FROM timers WHERE status = 'pending'";
    // ?1 response_id (one of the case's). Uses the primary key.
    case Sql::kCaseResponses:
      return "SELECT response_id, customer_id, customer_name, segment, arr, score, comment, "
             "responded_at FROM responses WHERE response_id = ?1";
    // ?1 hash, ?2 token_hash, ?3 person_id, ?4 created_at, ?5 expires_at.
    case Sql::kInsertSession:
      return "INSERT INTO web_sessions (hash, token_hash, person_id, created_at, expires_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5)";
    // ?1 now. Uses web_sessions_by_expiry.
    case Sql::kDeleteExpiredSessions:
      return "DELETE FROM web_sessions WHERE expires_at <= ?1";
    // ?1 hash, ?2 now.
    case Sql::kFindSession:
      return "SELECT s.person_id, s.created_at, s.expires_at FROM web_sessions s "
             "JOIN tokens t ON t.hash = s.token_hash "
             "WHERE s.hash = ?1 AND s.expires_at > ?2 AND t.revoked_at IS NULL";
    // ?1 hash.
    case Sql::kDeleteSession:
      return "DELETE FROM web_sessions WHERE hash = ?1";
    // --- Analytics. Rollup rows with a zero count (everything they counted
    // was changed away) are skipped.
    case Sql::kListZoneOffsets:
      return "SELECT since, offset_s FROM zone_offsets ORDER BY since";
    case Sql::kDeleteZoneOffsets:
      return "DELETE FROM zone_offsets";
    // ?1 since, ?2 offset_s.
    case Sql::kInsertZoneOffset:
      return "INSERT INTO zone_offsets (since, offset_s) VALUES (?1, ?2)";
    // ?1 from day, ?2 to day (exclusive). A range of the primary key.
    case Sql::kResponseDays:
      return "SELECT day, segment, score, responses, arr FROM response_days "
             "WHERE day >= ?1 AND day < ?2 AND responses > 0 ORDER BY day, segment, score";
    // ?1 from day, ?2 to day.
    case Sql::kThemeDays:
      return "SELECT day, theme, segment, workflow, cases, detractors, arr, detractor_arr "
             "FROM theme_days WHERE day >= ?1 AND day < ?2 AND cases > 0 "
             "ORDER BY day, theme, segment, workflow";
    // ?1 from day, ?2 to day, ?3 workflow.
    case Sql::kThemeDaysOfWorkflow:
      return "SELECT day, theme, segment, workflow, cases, detractors, arr, detractor_arr "
             "FROM theme_days WHERE day >= ?1 AND day < ?2 AND workflow = ?3 AND cases > 0 "
             "ORDER BY day, theme, segment, workflow";
    // ?1 from day, ?2 to day. Sums over the range in primary-key order.
    case Sql::kDeadlineDays:
      return "SELECT ?1, name, workflow, owner, status, sum(count) AS n FROM deadline_days "
             "WHERE day >= ?1 AND day < ?2 GROUP BY name, workflow, owner, status "
             "HAVING n > 0 ORDER BY name, workflow, owner, status";
    // ?1 case_id.
    case Sql::kCaseDeadlines:
      return "SELECT case_id, name, workflow, owner, due_at, status, resolved_at "
             "FROM case_deadlines WHERE case_id = ?1 ORDER BY name";
    // ?1 workflow, ?2 from, ?3 to. Covered by cases_timing.
    case Sql::kCaseTimings:
      return "SELECT id, segment, opened_at, first_contact_at, closed_at FROM cases "
             "INDEXED BY cases_timing "
             "WHERE workflow = ?1 AND opened_at >= ?2 AND opened_at < ?3 ORDER BY id";
    // ?1 workflow, ?2 from month, ?3 to month. A range of the primary key.
    case Sql::kTimingMonths:
      return "SELECT month, segment, metric, hours, count FROM timing_months "
             "WHERE workflow = ?1 AND month >= ?2 AND month < ?3 AND count > 0 "
             "ORDER BY month, segment, metric, hours";
    // The open_themes summary, whole (one row per theme x segment x workflow).
    case Sql::kOpenThemeCounts:
      return "SELECT theme, segment, workflow, cases, detractors, arr, detractor_arr "
             "FROM open_themes WHERE cases > 0 ORDER BY theme, segment, workflow";
    // ?1 from, ?2 to, ?3 limit (-1: all). Walks cases_first_contact in order.
    case Sql::kCallbacks:
      return "SELECT id, segment, first_contact_at, themes FROM cases "
             "INDEXED BY cases_first_contact "
             "WHERE first_contact_at >= ?1 AND first_contact_at < ?2 "
             "ORDER BY first_contact_at, id LIMIT ?3";
    // ?1 workflow, ?2 from, ?3 to.
    case Sql::kCasesOpenedCount:
      return "SELECT count(*) FROM cases INDEXED BY cases_timing "
             "WHERE workflow = ?1 AND opened_at >= ?2 AND opened_at < ?3";
    // ?1 workflow, ?2 from, ?3 to.
    case Sql::kCasesClosedCount:
      return "SELECT count(*) FROM cases INDEXED BY cases_closed "
             "WHERE workflow = ?1 AND closed_at >= ?2 AND closed_at < ?3";
    // ?1 workflow.
    case Sql::kOpenCasesByStateOfWorkflow:
      return "SELECT state, count(*) FROM cases INDEXED BY cases_open_by_state "
             "WHERE workflow = ?1 AND closed_at IS NULL GROUP BY state ORDER BY state";
    // --- The summaries the store writes (summary_rows.cpp). Each rollup
    // upsert adds a transaction's delta for one key.
    case Sql::kDataVersion:
      return "PRAGMA data_version";
    // ?1 day, ?2 segment, ?3 score, ?4 responses, ?5 arr.
    case Sql::kAddResponseDay:
      return "INSERT INTO response_days (day, segment, score, responses, arr) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (day, segment, score) DO UPDATE SET "
             "responses = responses + excluded.responses, arr = arr + excluded.arr";
    // ?1 workflow, ?2 month, ?3 segment, ?4 metric, ?5 hours, ?6 count.
    case Sql::kAddTimingMonth:
      return "INSERT INTO timing_months (workflow, month, segment, metric, hours, count) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (workflow, month, segment, metric, "
             "hours) DO UPDATE SET count = count + excluded.count";
    // ?1 day, ?2 name, ?3 workflow, ?4 owner, ?5 status, ?6 count.
    case Sql::kAddDeadlineDay:
      return "INSERT INTO deadline_days (day, name, workflow, owner, status, count) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name, workflow, owner, status, day) "
             "DO UPDATE SET count = count + excluded.count";
    // ?1 case_id, ?2 name, ?3 workflow, ?4 owner, ?5 due_at, ?6 status,
    // ?7 resolved_at: the row as it must be.
    case Sql::kUpsertCaseDeadline:
      return "INSERT INTO case_deadlines (case_id, name, workflow, owner, due_at, status, "
             "resolved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (case_id, name) "
             "DO UPDATE SET workflow = excluded.workflow, owner = excluded.owner, "
             "due_at = excluded.due_at, status = excluded.status, "
             "resolved_at = excluded.resolved_at";
    // ?1 case_id, ?2 name.
    case Sql::kDeleteCaseDeadline:
      return "DELETE FROM case_deadlines WHERE case_id = ?1 AND name = ?2";
    // ?1 id: the written columns (CaseRow).
    case Sql::kCaseRow:
      return "SELECT " TA_CASE_WRITE_COLUMNS " FROM cases WHERE id = ?1";
    case Sql::kCount:
      break;
  }
  assert(false && "sql_text: not a statement");
  return "";
}

namespace {

constexpr const char* kDueKey = "coalesce(overdue_since, 9223372036854775807)";

// The WHERE conditions of list_cases_sql / count_cases_sql (after "WHERE").
std::string case_conditions(const CaseFilter& f, bool with_cursor) {
  std::string sql = "1";
  if (with_cursor) {
    if (f.by_due) {
      sql += std::string(" AND (") + kDueKey + ", id) > (:after_due, :after_id)";
    } else {
      sql += " AND id > :after_id";
    }
  }
  if (f.state) sql += " AND state = :state";
  if (f.owner) sql += " AND owner = :owner";
  if (f.workflow) sql += " AND workflow = :workflow";
  if (f.segment) sql += " AND segment = :segment";
  if (f.customer_id) sql += " AND customer_id = :customer";
  if (f.priority) sql += " AND priority = :priority";
  // A substring cannot use an index: the search narrows the rows the other
  // (indexed) conditions select. LIKE is ASCII case-insensitive.
  if (f.customer_search) {
    sql += " AND (customer_name LIKE :search_like ESCAPE '\\' OR "
           "substr(customer_id, 1, length(:search_prefix)) = :search_prefix)";
  }
  // Claimable: in the role's queue and owned by nobody.
  if (f.queue) sql += " AND queue = :queue AND owner = ''";
  if (f.unowned_only) sql += " AND owner = ''";
  if (f.open_only || f.overdue_at || f.queue || f.by_due) sql += " AND closed_at IS NULL";
  // overdue_since is maintained on every write (see case_rows.cpp), so the
  // overdue view is one range scan of the partial index cases_overdue.
  if (f.overdue_at) sql += " AND overdue_since < :overdue_at";
  return sql;
}

// Without statistics the planner prefers walking the rowid in ORDER BY
// order for the overdue view; the partial index holds only open cases
// with a live deadline (a small part of all cases once many are closed),
// so scanning it and sorting the matches is the cheaper plan. The due
// order walks cases_open_due unless a more selective filter is given.
std::string case_source(const CaseFilter& f) {
  if (f.overdue_at) return " FROM cases INDEXED BY cases_overdue";
  return " FROM cases";
}

}  // namespace

std::string list_cases_sql(const CaseFilter& f) {
  std::string sql = "SELECT " TA_CASE_COLUMNS + case_source(f) + " WHERE " + case_conditions(f, true);
  if (f.by_due) {
    sql += std::string(" ORDER BY ") + kDueKey + ", id LIMIT :limit";
  } else {
    sql += " ORDER BY id LIMIT :limit";
  }
  return sql;
}

std::string count_cases_sql(const CaseFilter& f) {
  return "SELECT state, count(*)" + case_source(f) + " WHERE " + case_conditions(f, false) +
         " GROUP BY state";
}

SQLite::Statement& StatementCache::get(Sql s) {
  auto& slot = fixed_[static_cast<std::size_t>(s)];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql_text(s));
  return *slot;
}

SQLite::Statement& StatementCache::get(const std::string& sql) {
  auto& slot = dynamic_[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
  return *slot;
}

SQLite::Statement& StatementCache::case_update(std::uint32_t columns) {
  auto& slot = case_updates_[columns];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, update_case_sql(columns));
  return *slot;
}

StatementUse::~StatementUse() {
  s_.tryReset();
  try {
    s_.clearBindings();
  } catch (const SQLite::Exception&) {
    // sqlite3_clear_bindings cannot fail; nothing to do.
  }
}

}  // namespace turnaround::storage

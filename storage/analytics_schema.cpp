#include "storage/analytics_schema.h"

namespace turnaround::storage {

namespace {

// The local day of instant expression X under zone_offsets (see
// engine/report_rows.h, local_day_of). Instants are after 1970, so integer
// division is the floor.
#define TA_LOCAL_DAY(X)                                                                  \
  "((" X ") + ifnull((SELECT offset_s FROM zone_offsets WHERE since <= (" X              \
  ") ORDER BY since DESC LIMIT 1), 0)) / 86400"

// The local month of instant expression X as year * 12 + month - 1.
#define TA_LOCAL_MONTH(X)                                                                  \
  "(CAST(strftime('%Y', (" TA_LOCAL_DAY(X) ") * 86400, 'unixepoch') AS INTEGER) * 12 + "    \
  "CAST(strftime('%m', (" TA_LOCAL_DAY(X) ") * 86400, 'unixepoch') AS INTEGER) - 1)"

// Whole hours from A to B (0 if B is before A).
#define TA_HOURS(A, B) "max(0, (" B " - " A ") / 3600)"

// 1 for a detractor score (0..6), else 0 (also for a case without score).
#define TA_DETRACTOR(S) "(CASE WHEN " S " <= 6 THEN 1 ELSE 0 END)"

// --- The refills (used by the migration and after a zone change).

#define TA_FILL_RESPONSE_DAYS                                                     \
  "INSERT INTO response_days (day, segment, score, responses, arr) "              \
  "SELECT " TA_LOCAL_DAY("responded_at") " AS d, segment, score, count(*), sum(arr) " \
  "FROM responses GROUP BY d, segment, score;\n"

#define TA_FILL_THEME_DAYS                                                          \
  "INSERT INTO theme_days (day, theme, segment, workflow, cases, detractors, arr, "  \
  "detractor_arr) "                                                                  \
  "SELECT " TA_LOCAL_DAY("opened_at") " AS d, theme, segment, workflow, count(*), "   \
  "sum(" TA_DETRACTOR("score") "), sum(arr), sum(" TA_DETRACTOR("score") " * arr) "   \
  "FROM case_themes GROUP BY d, theme, segment, workflow;\n"

#define TA_FILL_DEADLINE_DAYS                                                       \
  "INSERT INTO deadline_days (day, name, workflow, owner, status, count) "           \
  "SELECT " TA_LOCAL_DAY("due_at") " AS d, name, workflow, owner, status, count(*) "  \
  "FROM case_deadlines GROUP BY d, name, workflow, owner, status;\n"

// The timing summary of all cases, for the migration and rebuilds.
#define TA_FILL_TIMING_MONTHS                                                                \
  "INSERT INTO timing_months (workflow, month, segment, metric, hours, count) "              \
  "SELECT workflow, m, segment, metric, h, count(*) FROM ("                                  \
  "SELECT workflow, " TA_LOCAL_MONTH("opened_at") " AS m, segment, 'opened' AS metric, "      \
  "0 AS h FROM cases UNION ALL "                                                             \
  "SELECT workflow, " TA_LOCAL_MONTH("opened_at") ", segment, 'first_contact', "              \
  TA_HOURS("opened_at", "first_contact_at") " FROM cases WHERE first_contact_at IS NOT NULL " \
  "UNION ALL SELECT workflow, " TA_LOCAL_MONTH("opened_at") ", segment, 'close', "            \
  TA_HOURS("opened_at", "closed_at") " FROM cases WHERE closed_at IS NOT NULL) "             \
  "GROUP BY workflow, m, segment, metric, h;\n"

// One metric of case R (NEW or OLD) counted into (+1) or out of (-1) its
// month: OP is "+" or "-".
#define TA_TIMING_UPSERT(R, METRIC, HOURS, OP)                                               \
  "INSERT INTO timing_months (workflow, month, segment, metric, hours, count) VALUES ("       \
  R ".workflow, " TA_LOCAL_MONTH(R ".opened_at") ", " R ".segment, '" METRIC "', " HOURS       \
  ", " OP "1) ON CONFLICT (workflow, month, segment, metric, hours) DO UPDATE SET "          \
  "count = count " OP " 1;\n"
#define TA_TIMING_ALL(R, OP)                                                                 \
  TA_TIMING_UPSERT(R, "opened", "0", OP)                                                     \
  "INSERT INTO timing_months (workflow, month, segment, metric, hours, count) SELECT "       \
  R ".workflow, " TA_LOCAL_MONTH(R ".opened_at") ", " R ".segment, 'first_contact', "        \
  TA_HOURS(R ".opened_at", R ".first_contact_at") ", " OP "1 WHERE " R ".first_contact_at "  \
  "IS NOT NULL ON CONFLICT (workflow, month, segment, metric, hours) DO UPDATE SET "         \
  "count = count " OP " 1;\n"                                                               \
  "INSERT INTO timing_months (workflow, month, segment, metric, hours, count) SELECT "       \
  R ".workflow, " TA_LOCAL_MONTH(R ".opened_at") ", " R ".segment, 'close', "                \
  TA_HOURS(R ".opened_at", R ".closed_at") ", " OP "1 WHERE " R ".closed_at IS NOT NULL "    \
  "ON CONFLICT (workflow, month, segment, metric, hours) DO UPDATE SET count = count " OP    \
  " 1;\n"

// The columns of a case_themes row from the cases row NEW.
#define TA_CASE_THEME_SELECT                                                          \
  "INSERT INTO case_themes (case_id, theme, segment, workflow, customer_id, arr, "    \
  "score, opened_at, closed_at) "                                                     \
  "SELECT NEW.id, j.value, NEW.segment, NEW.workflow, NEW.customer_id, NEW.arr, "     \
  "NEW.score, NEW.opened_at, NEW.closed_at FROM json_each(NEW.themes) j "             \
  "WHERE true ON CONFLICT (case_id, theme) DO NOTHING;\n"

// The deadlines of the cases row NEW, upserted: a row is rewritten only if
// its due instant, status or resolution changed, or if it is pending and the
// case's owner changed. A resolved deadline keeps the owner it had when it
// was resolved.
#define TA_CASE_DEADLINES_UPSERT                                                          \
  "INSERT INTO case_deadlines (case_id, name, workflow, owner, due_at, status, "          \
  "resolved_at) "                                                                         \
  "SELECT NEW.id, j.value ->> 'name', NEW.workflow, NEW.owner, j.value ->> 'due_at', "    \
  "j.value ->> 'status', j.value ->> 'resolved_at' FROM json_each(NEW.deadlines) j "     \
  "WHERE true ON CONFLICT (case_id, name) DO UPDATE SET "                                 \
  "owner = CASE WHEN case_deadlines.status = 'pending' OR excluded.status = 'pending' "   \
  "THEN excluded.owner ELSE case_deadlines.owner END, "                                   \
  "workflow = excluded.workflow, due_at = excluded.due_at, status = excluded.status, "    \
  "resolved_at = excluded.resolved_at "                                                   \
  "WHERE (case_deadlines.workflow, case_deadlines.due_at, case_deadlines.status, "        \
  "case_deadlines.resolved_at) IS NOT (excluded.workflow, excluded.due_at, "              \
  "excluded.status, excluded.resolved_at) "                                               \
  "OR (excluded.status = 'pending' AND case_deadlines.owner IS NOT excluded.owner);\n"

// One response counted into (+) or out of (-) its day.
#define TA_RESPONSE_DAY_ADD                                                               \
  "INSERT INTO response_days (day, segment, score, responses, arr) VALUES ("             \
  TA_LOCAL_DAY("NEW.responded_at") ", NEW.segment, NEW.score, 1, NEW.arr) "               \
  "ON CONFLICT (day, segment, score) DO UPDATE SET responses = responses + 1, "          \
  "arr = arr + excluded.arr;\n"
#define TA_RESPONSE_DAY_SUB                                                               \
  "UPDATE response_days SET responses = responses - 1, arr = arr - OLD.arr "             \
  "WHERE day = " TA_LOCAL_DAY("OLD.responded_at") " AND segment = OLD.segment "           \
  "AND score = OLD.score;\n"

#define TA_THEME_DAY_ADD                                                                    \
  "INSERT INTO theme_days (day, theme, segment, workflow, cases, detractors, arr, "        \
  "detractor_arr) VALUES (" TA_LOCAL_DAY("NEW.opened_at") ", NEW.theme, NEW.segment, "     \
  "NEW.workflow, 1, " TA_DETRACTOR("NEW.score") ", NEW.arr, " TA_DETRACTOR("NEW.score")     \
  " * NEW.arr) ON CONFLICT (day, theme, segment, workflow) DO UPDATE SET "                 \
  "cases = cases + 1, detractors = detractors + excluded.detractors, "                     \
  "arr = arr + excluded.arr, detractor_arr = detractor_arr + excluded.detractor_arr;\n"
#define TA_THEME_DAY_SUB                                                                    \
  "UPDATE theme_days SET cases = cases - 1, detractors = detractors - "                    \
  TA_DETRACTOR("OLD.score") ", arr = arr - OLD.arr, detractor_arr = detractor_arr - "      \
  TA_DETRACTOR("OLD.score") " * OLD.arr WHERE day = " TA_LOCAL_DAY("OLD.opened_at")         \
  " AND theme = OLD.theme AND segment = OLD.segment AND workflow = OLD.workflow;\n"

#define TA_DEADLINE_DAY_ADD                                                                 \
  "INSERT INTO deadline_days (day, name, workflow, owner, status, count) VALUES ("         \
  TA_LOCAL_DAY("NEW.due_at") ", NEW.name, NEW.workflow, NEW.owner, NEW.status, 1) "        \
  "ON CONFLICT (name, workflow, owner, status, day) DO UPDATE SET count = count + 1;\n"
#define TA_DEADLINE_DAY_SUB                                                                 \
  "UPDATE deadline_days SET count = count - 1 WHERE day = " TA_LOCAL_DAY("OLD.due_at")     \
  " AND name = OLD.name AND workflow = OLD.workflow AND owner = OLD.owner "                \
  "AND status = OLD.status;\n"

// One case_themes row R counted into (+) or out of (-) open_themes.
#define TA_OPEN_THEME_IF(R, OP, COND)                                                        \
  "INSERT INTO open_themes (theme, segment, workflow, cases, detractors, arr, "              \
  "detractor_arr) SELECT " R ".theme, " R ".segment, " R ".workflow, " OP "1, " OP            \
  TA_DETRACTOR(R ".score") ", " OP R ".arr, " OP TA_DETRACTOR(R ".score") " * " R ".arr "     \
  "WHERE " COND " ON CONFLICT (theme, segment, workflow) DO UPDATE SET "                     \
  "cases = cases + excluded.cases, detractors = detractors + excluded.detractors, "          \
  "arr = arr + excluded.arr, detractor_arr = detractor_arr + excluded.detractor_arr;\n"
#define TA_OPEN_THEME(R, OP) TA_OPEN_THEME_IF(R, OP, "true")

// The case columns case_themes copies; closed_at is handled apart (a case
// closing updates its theme rows in place).
#define TA_THEME_KEY(R) \
  "(" R ".themes, " R ".segment, " R ".workflow, " R ".customer_id, " R ".arr, " R ".score, " R ".opened_at)"

constexpr const char* kMigration =
    "ALTER TABLE cases ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';\n"
    "ALTER TABLE cases ADD COLUMN first_contact_at INTEGER;\n"
    // Timing, case flow and callback order.
    "CREATE INDEX cases_timing ON cases (workflow, opened_at, first_contact_at, closed_at, "
    "segment);\n"
    "CREATE INDEX cases_closed ON cases (workflow, closed_at) WHERE closed_at IS NOT NULL;\n"
    "CREATE INDEX cases_open_by_state ON cases (workflow, state) WHERE closed_at IS NULL;\n"
    "CREATE INDEX cases_first_contact ON cases (first_contact_at, id) "
    "WHERE first_contact_at IS NOT NULL;\n"

    "CREATE TABLE zone_offsets (\n"
    "  since    INTEGER PRIMARY KEY,\n"
    "  offset_s INTEGER NOT NULL\n"
    ");\n"

    "CREATE TABLE response_days (\n"
    "  day       INTEGER NOT NULL,\n"
    "  segment   TEXT NOT NULL,\n"
    "  score     INTEGER NOT NULL,\n"
    "  responses INTEGER NOT NULL,\n"
    "  arr       REAL NOT NULL,\n"
    "  PRIMARY KEY (day, segment, score)\n"
    ") WITHOUT ROWID;\n"

    "CREATE TABLE case_themes (\n"
    "  case_id     INTEGER NOT NULL REFERENCES cases (id),\n"
    "  theme       TEXT NOT NULL,\n"
    "  segment     TEXT NOT NULL,\n"
    "  workflow    TEXT NOT NULL,\n"
    "  customer_id TEXT NOT NULL,\n"
    "  arr         REAL NOT NULL,\n"
    "  score       INTEGER,\n"
    "  opened_at   INTEGER NOT NULL,\n"
    "  closed_at   INTEGER,\n"
    "  PRIMARY KEY (case_id, theme)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX case_themes_by_theme ON case_themes (theme, segment);\n"
    "CREATE INDEX case_themes_open ON case_themes (theme, segment, workflow) "
    "WHERE closed_at IS NULL;\n"

    // Open cases per theme, segment and workflow (kept on case_themes).
    "CREATE TABLE open_themes (\n"
    "  theme         TEXT NOT NULL,\n"
    "  segment       TEXT NOT NULL,\n"
    "  workflow      TEXT NOT NULL,\n"
    "  cases         INTEGER NOT NULL,\n"
    "  detractors    INTEGER NOT NULL,\n"
    "  arr           REAL NOT NULL,\n"
    "  detractor_arr REAL NOT NULL,\n"
    "  PRIMARY KEY (theme, segment, workflow)\n"
    ") WITHOUT ROWID;\n"

    "CREATE TABLE theme_days (\n"
    "  day           INTEGER NOT NULL,\n"
    "  theme         TEXT NOT NULL,\n"
    "  segment       TEXT NOT NULL,\n"
    "  workflow      TEXT NOT NULL,\n"
    "  cases         INTEGER NOT NULL,\n"
    "  detractors    INTEGER NOT NULL,\n"
    "  arr           REAL NOT NULL,\n"
    "  detractor_arr REAL NOT NULL,\n"
    "  PRIMARY KEY (day, theme, segment, workflow)\n"
    ") WITHOUT ROWID;\n"

    "CREATE TABLE case_deadlines (\n"
    "  case_id     INTEGER NOT NULL REFERENCES cases (id),\n"
    "  name        TEXT NOT NULL,\n"
    "  workflow    TEXT NOT NULL,\n"
    "  owner       TEXT NOT NULL,\n"
    "  due_at      INTEGER NOT NULL,\n"
    "  status      TEXT NOT NULL,\n"
    "  resolved_at INTEGER,\n"
    "  PRIMARY KEY (case_id, name)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX case_deadlines_by_due ON case_deadlines (due_at);\n"

    // Keyed by step first: the scorecard sums a day range per (name,
    // workflow, owner, status) walking the key in order, without a sort.
    "CREATE TABLE deadline_days (\n"
    "  day      INTEGER NOT NULL,\n"
    "  name     TEXT NOT NULL,\n"
    "  workflow TEXT NOT NULL,\n"
    "  owner    TEXT NOT NULL,\n"
    "  status   TEXT NOT NULL,\n"
    "  count    INTEGER NOT NULL,\n"
    "  PRIMARY KEY (name, workflow, owner, status, day)\n"
    ") WITHOUT ROWID;\n"

    // Timing per local month of opening: whole hours to first contact and
    // to close (the metric 'opened' counts the cases, hours 0).
    "CREATE TABLE timing_months (\n"
    "  workflow TEXT NOT NULL,\n"
    "  month    INTEGER NOT NULL,\n"
    "  segment  TEXT NOT NULL,\n"
    "  metric   TEXT NOT NULL,\n"
    "  hours    INTEGER NOT NULL,\n"
    "  count    INTEGER NOT NULL,\n"
    "  PRIMARY KEY (workflow, month, segment, metric, hours)\n"
    ") WITHOUT ROWID;\n"

    // Backfill before the triggers exist, so nothing counts twice.
    TA_FILL_TIMING_MONTHS
    TA_FILL_RESPONSE_DAYS
    "INSERT INTO case_deadlines (case_id, name, workflow, owner, due_at, status, resolved_at) "
    "SELECT c.id, j.value ->> 'name', c.workflow, c.owner, j.value ->> 'due_at', "
    "j.value ->> 'status', j.value ->> 'resolved_at' FROM cases c, json_each(c.deadlines) j "
    "WHERE true ON CONFLICT (case_id, name) DO NOTHING;\n"
    TA_FILL_DEADLINE_DAYS

    // Responses -> response_days.
    "CREATE TRIGGER responses_days_insert AFTER INSERT ON responses BEGIN\n"
    TA_RESPONSE_DAY_ADD "END;\n"
    "CREATE TRIGGER responses_days_update AFTER UPDATE OF responded_at, segment, score, arr "
    "ON responses WHEN (OLD.responded_at, OLD.segment, OLD.score, OLD.arr) IS NOT "
    "(NEW.responded_at, NEW.segment, NEW.score, NEW.arr) BEGIN\n"
    TA_RESPONSE_DAY_SUB TA_RESPONSE_DAY_ADD "END;\n"
    "CREATE TRIGGER responses_days_delete AFTER DELETE ON responses BEGIN\n"
    TA_RESPONSE_DAY_SUB "END;\n"

    // Cases -> timing_months.
    "CREATE TRIGGER cases_timing_insert AFTER INSERT ON cases BEGIN\n"
    TA_TIMING_ALL("NEW", "+") "END;\n"
    "CREATE TRIGGER cases_timing_update AFTER UPDATE ON cases WHEN "
    "(OLD.workflow, OLD.segment, OLD.opened_at, OLD.first_contact_at, OLD.closed_at) IS NOT "
    "(NEW.workflow, NEW.segment, NEW.opened_at, NEW.first_contact_at, NEW.closed_at) BEGIN\n"
    TA_TIMING_ALL("OLD", "-") TA_TIMING_ALL("NEW", "+") "END;\n"

    // Cases -> case_themes.
    "CREATE TRIGGER cases_themes_insert AFTER INSERT ON cases WHEN NEW.themes <> '[]' BEGIN\n"
    TA_CASE_THEME_SELECT "END;\n"
    "CREATE TRIGGER cases_themes_update AFTER UPDATE ON cases WHEN " TA_THEME_KEY("OLD")
    " IS NOT " TA_THEME_KEY("NEW") " BEGIN\n"
    "DELETE FROM case_themes WHERE case_id = OLD.id;\n"
    TA_CASE_THEME_SELECT "END;\n"
    "CREATE TRIGGER cases_themes_close AFTER UPDATE OF closed_at ON cases WHEN "
    TA_THEME_KEY("OLD") " IS " TA_THEME_KEY("NEW") " AND OLD.closed_at IS NOT NEW.closed_at "
    "AND NEW.themes <> '[]' BEGIN\n"
    "UPDATE case_themes SET closed_at = NEW.closed_at WHERE case_id = NEW.id;\n"
    "END;\n"

    // case_themes -> theme_days (closed_at is not summarised, so a close
    // does not touch theme_days).
    "CREATE TRIGGER case_themes_days_insert AFTER INSERT ON case_themes BEGIN\n"
    TA_THEME_DAY_ADD "END;\n"
    "CREATE TRIGGER case_themes_days_delete AFTER DELETE ON case_themes BEGIN\n"
    TA_THEME_DAY_SUB "END;\n"
    // case_themes -> open_themes (a case with themes that closes updates
    // its rows' closed_at in place: cases_themes_close).
    "CREATE TRIGGER case_themes_open_insert AFTER INSERT ON case_themes "
    "WHEN NEW.closed_at IS NULL BEGIN\n" TA_OPEN_THEME("NEW", "+") "END;\n"
    "CREATE TRIGGER case_themes_open_delete AFTER DELETE ON case_themes "
    "WHEN OLD.closed_at IS NULL BEGIN\n" TA_OPEN_THEME("OLD", "-") "END;\n"
    "CREATE TRIGGER case_themes_open_close AFTER UPDATE OF closed_at ON case_themes "
    "WHEN (OLD.closed_at IS NULL) IS NOT (NEW.closed_at IS NULL) BEGIN\n"
    TA_OPEN_THEME_IF("OLD", "-", "OLD.closed_at IS NULL")
    TA_OPEN_THEME_IF("NEW", "+", "NEW.closed_at IS NULL") "END;\n"

    // Cases -> case_deadlines.
    "CREATE TRIGGER cases_deadlines_insert AFTER INSERT ON cases WHEN NEW.deadlines <> '[]' "
    "BEGIN\n" TA_CASE_DEADLINES_UPSERT "END;\n"
    "CREATE TRIGGER cases_deadlines_update AFTER UPDATE ON cases WHEN "
    "(OLD.deadlines, OLD.owner, OLD.workflow) IS NOT (NEW.deadlines, NEW.owner, NEW.workflow) "
    "BEGIN\n"
    "DELETE FROM case_deadlines WHERE case_id = NEW.id AND name NOT IN "
    "(SELECT j.value ->> 'name' FROM json_each(NEW.deadlines) j);\n"
    TA_CASE_DEADLINES_UPSERT "END;\n"

    // case_deadlines -> deadline_days.
    "CREATE TRIGGER case_deadlines_days_insert AFTER INSERT ON case_deadlines BEGIN\n"
    TA_DEADLINE_DAY_ADD "END;\n"
    "CREATE TRIGGER case_deadlines_days_update AFTER UPDATE ON case_deadlines WHEN "
    "(OLD.due_at, OLD.name, OLD.workflow, OLD.owner, OLD.status) IS NOT "
    "(NEW.due_at, NEW.name, NEW.workflow, NEW.owner, NEW.status) BEGIN\n"
    TA_DEADLINE_DAY_SUB TA_DEADLINE_DAY_ADD "END;\n"
    "CREATE TRIGGER case_deadlines_days_delete AFTER DELETE ON case_deadlines BEGIN\n"
    TA_DEADLINE_DAY_SUB "END;\n";

constexpr const char* kRebuild =
    "DELETE FROM response_days;\n" TA_FILL_RESPONSE_DAYS
    "DELETE FROM theme_days;\n" TA_FILL_THEME_DAYS
    "DELETE FROM deadline_days;\n" TA_FILL_DEADLINE_DAYS
    "DELETE FROM timing_months;\n" TA_FILL_TIMING_MONTHS;

// Migration 8: the store writes response_days, timing_months,
// case_deadlines and deadline_days itself (summary_rows.cpp), one upsert per
// distinct key per transaction, with local days computed in C++; the
// per-row triggers that did it go. The summaries are current when the
// migration runs (the triggers kept them), so nothing is refilled.
constexpr const char* kStoreWrittenSummaries =
    "DROP TRIGGER responses_days_insert;\n"
    "DROP TRIGGER responses_days_update;\n"
    "DROP TRIGGER responses_days_delete;\n"
    "DROP TRIGGER cases_timing_insert;\n"
    "DROP TRIGGER cases_timing_update;\n"
    "DROP TRIGGER cases_deadlines_insert;\n"
    "DROP TRIGGER cases_deadlines_update;\n"
    "DROP TRIGGER case_deadlines_days_insert;\n"
    "DROP TRIGGER case_deadlines_days_update;\n"
    "DROP TRIGGER case_deadlines_days_delete;\n";

// Everything derived, from the base tables: case_deadlines brought in line
// with cases.deadlines by the rule the store writes it with (rows of
// deadlines no longer in the case removed; new ones filed under the case's
// owner; a resolved row keeps its owner), open_themes from case_themes,
// then every day and month rollup.
constexpr const char* kRebuildSummaries =
    "DELETE FROM case_deadlines WHERE name NOT IN (SELECT j.value ->> 'name' FROM cases c, "
    "json_each(c.deadlines) j WHERE c.id = case_deadlines.case_id);\n"
    "INSERT INTO case_deadlines (case_id, name, workflow, owner, due_at, status, resolved_at) "
    "SELECT c.id, j.value ->> 'name', c.workflow, c.owner, j.value ->> 'due_at', "
    "j.value ->> 'status', j.value ->> 'resolved_at' FROM cases c, json_each(c.deadlines) j "
    "WHERE c.deadlines <> '[]' ON CONFLICT (case_id, name) DO UPDATE SET "
    "owner = CASE WHEN case_deadlines.status = 'pending' OR excluded.status = 'pending' "
    "THEN excluded.owner ELSE case_deadlines.owner END, "
    "workflow = excluded.workflow, due_at = excluded.due_at, status = excluded.status, "
    "resolved_at = excluded.resolved_at "
    "WHERE (case_deadlines.workflow, case_deadlines.due_at, case_deadlines.status, "
    "case_deadlines.resolved_at) IS NOT (excluded.workflow, excluded.due_at, "
    "excluded.status, excluded.resolved_at) "
    "OR (excluded.status = 'pending' AND case_deadlines.owner IS NOT excluded.owner);\n"
    "DELETE FROM open_themes;\n"
    "INSERT INTO open_themes (theme, segment, workflow, cases, detractors, arr, detractor_arr) "
    "SELECT theme, segment, workflow, count(*), sum(" TA_DETRACTOR("score") "), sum(arr), "
    "sum(" TA_DETRACTOR("score") " * arr) FROM case_themes WHERE closed_at IS NULL "
    "GROUP BY theme, segment, workflow;\n"
    "DELETE FROM response_days;\n" TA_FILL_RESPONSE_DAYS
    "DELETE FROM theme_days;\n" TA_FILL_THEME_DAYS
    "DELETE FROM deadline_days;\n" TA_FILL_DEADLINE_DAYS
    "DELETE FROM timing_months;\n" TA_FILL_TIMING_MONTHS;

constexpr const char* kRefillTiming = "DELETE FROM timing_months;\n" TA_FILL_TIMING_MONTHS;

}  // namespace

const char* analytics_migration_sql() { return kMigration; }
const char* rebuild_day_rollups_sql() { return kRebuild; }
const char* store_written_summaries_migration_sql() { return kStoreWrittenSummaries; }
const char* rebuild_summaries_sql() { return kRebuildSummaries; }
const char* refill_timing_months_sql() { return kRefillTiming; }

}  // namespace turnaround::storage

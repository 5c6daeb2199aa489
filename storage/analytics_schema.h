#pragma once
// The analytics summaries of the SQLite store (migration 3) and the SQL
// that rebuilds them. Internal to storage/; the tables are described at the
// top of migrations.cpp.
//
// Since migration 8, two kinds of maintenance:
// - case_themes, theme_days and open_themes are maintained by SQLite
//   triggers, so they change in the same statement as the row they
//   summarise, whoever writes that row; a trigger writes only when the
//   summarised columns changed (its WHEN clause). Cases get themes rarely
//   (a callback's notes), so these cost little on import and tick.
// - response_days, timing_months, case_deadlines and deadline_days are
//   written by SqliteTransaction itself (summary_rows.cpp): case_deadlines
//   from the case's own deadline list on insert_case/update_case, and the
//   three rollups accumulated per transaction and written at commit, one
//   upsert per distinct key. Anything that writes responses or cases with
//   plain SQL must run rebuild_summaries_sql() afterwards
//   (storage::rebuild_summaries).

namespace turnaround::storage {

// Migration 3: new columns of cases, the summary tables, their triggers
// and indexes, and the backfill of what needs no configuration (response
// days under the stored zone offsets, case deadlines from the deadlines
// JSON). Themes and first contacts need the workflows' keys: the engine
// backfills them through Transaction::backfill_case_analytics.
const char* analytics_migration_sql();

// Empties and refills response_days, theme_days and deadline_days from
// responses, case_themes and case_deadlines under the current
// zone_offsets (after the offsets changed).
const char* rebuild_day_rollups_sql();

// Migration 8: drops the triggers that maintained response_days,
// timing_months, case_deadlines and deadline_days.
const char* store_written_summaries_migration_sql();

// Brings every summary in line with the base tables: case_deadlines with
// cases.deadlines (the store's rule: a resolved deadline keeps the owner it
// was filed under; new rows get the case's owner), open_themes with
// case_themes, and every day/month rollup refilled under the current
// zone_offsets. On a database the store kept, it changes nothing but the
// count-0 rows the rollups may hold.
const char* rebuild_summaries_sql();

// Empties and refills timing_months from cases.
const char* refill_timing_months_sql();

}  // namespace turnaround::storage

#pragma once
// The analytics summaries of the SQLite store (migration 3) and the SQL
// that rebuilds them. Internal to storage/; the tables are described at the
// top of migrations.cpp.
//
// Every summary is maintained by SQLite triggers, so it changes in the same
// statement, hence the same transaction, as the row it summarises, whoever
// writes that row; and a trigger writes only when the summarised columns
// changed (its WHEN clause), so unchanged case writes cost one comparison.

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

}  // namespace turnaround::storage

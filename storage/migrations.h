#pragma once
// Numbered schema migrations of the SQLite store, tracked in the database
// header's PRAGMA user_version (0 for a new file). migrations.cpp opens with
// the description of every table and column.

#include <SQLiteCpp/Database.h>

#include "engine/status.h"

namespace turnaround::storage {

// The schema version this binary writes and understands: the number of the
// last migration.
int latest_schema_version();

// The database's PRAGMA user_version.
int schema_version(SQLite::Database& db);

// Brings `db` to latest_schema_version(), applying each missing migration in
// its own IMMEDIATE transaction together with its user_version bump, so a
// crash leaves the database at some whole version and two processes opening
// the same new file do not both migrate.
//
// Errors: kFailedPrecondition if the database is newer than this binary
// knows (it refuses to touch it); kUnavailable if another writer holds the
// lock past the busy timeout; kInternal otherwise. Never throws.
// REQUIRES: no transaction is open on `db`.
Status migrate(SQLite::Database& db);

// As migrate(), but stops at schema `version` (<= latest_schema_version()):
// builds databases of an older schema for the tests of upgrades.
Status migrate_to(SQLite::Database& db, int version);

// Recomputes every analytics summary from the base tables (responses,
// cases, case_themes; case_deadlines brought in line with cases.deadlines):
// for programs that write responses or cases with plain SQL (a bulk loader
// such as bench/report_bench.cpp), and for repair. The store's own writes
// keep the summaries current without it. Runs in the caller's transaction if
// one is open on `db`, else in its own IMMEDIATE transaction. Needs the zone
// offsets the configuration stored (install_configuration). Errors:
// kUnavailable (busy), kInternal. Never throws.
Status rebuild_summaries(SQLite::Database& db);

}  // namespace turnaround::storage

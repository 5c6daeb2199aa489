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

}  // namespace turnaround::storage

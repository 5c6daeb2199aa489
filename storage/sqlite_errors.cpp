#include "storage/sqlite_errors.h"

#include <sqlite3.h>

namespace turnaround::storage {

Status status_from_sqlite(const SQLite::Exception& e, std::string_view what) {
  // Exceptions raised by SQLiteCpp itself (not by SQLite) carry code -1.
  const int code = e.getErrorCode();
  const int primary = code < 0 ? code : (code & 0xff);
  const int extended = e.getExtendedErrorCode();
  std::string message = std::string(what) + ": " + e.what();

  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return unavailable("database is busy (another writer holds the lock); " + message);
  }
  if (primary == SQLITE_CONSTRAINT) {
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return already_exists(std::move(message));
    }
    if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return not_found(message + " (it refers to a row that does not exist)");
    }
  }
  return internal_error(std::move(message));
}

Status status_from_exception(const std::exception& e, std::string_view what) {
  return internal_error(std::string(what) + ": " + e.what());
}

}  // namespace turnaround::storage

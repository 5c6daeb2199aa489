#pragma once
// The one place where SQLite's exceptions become Status values.
//
// SQLiteCpp reports every failure by throwing SQLite::Exception. Exceptions
// stop at the storage boundary: each Transaction method runs its body through
// guarded(), which catches and maps them, so no exception leaves storage/.
//
// Mapping (by SQLite result code):
//   SQLITE_BUSY, SQLITE_LOCKED (any extended form)   -> kUnavailable
//   SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY            -> kAlreadyExists
//   SQLITE_CONSTRAINT_FOREIGNKEY                     -> kNotFound (the row
//       referred to, e.g. the case of a timer, does not exist)
//   anything else                                    -> kInternal

#include <exception>
#include <string>
#include <string_view>

#include <SQLiteCpp/Exception.h>

#include "engine/status.h"

namespace turnaround::storage {

// Maps `e` to a Status whose message starts with `what` (the operation, such
// as "insert_case"). Never returns OK.
Status status_from_sqlite(const SQLite::Exception& e, std::string_view what);

// A Status for any other exception (std::bad_alloc, ...): kInternal.
Status status_from_exception(const std::exception& e, std::string_view what);

// Runs `body` (returning Status or Result<T>) and turns any exception it
// throws into the same return type, via the mapping above.
template <typename F>
auto guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return status_from_sqlite(e, what);
  } catch (const std::exception& e) {
    return status_from_exception(e, what);
  }
}

}  // namespace turnaround::storage

#pragma once
// All SQL text of SqliteStore, and the per-connection cache of prepared
// statements built from it. (The schema itself lives in migrations.cpp.)
//
// Every query runs as a prepared statement, prepared once per connection on
// first use and then reset and rebound for each call, so the hot import path
// (insert_response, upsert_customer, find_open_case, insert_case,
// insert_timer) never re-parses SQL.
//
// Internal to storage/: included by the SQLite store's .cpp files and by its
// tests only.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "engine/store.h"

namespace turnaround::storage {

// The fixed statements. Parameters are positional (?1, ?2, ...); the comment
// on each enumerator in statements.cpp lists them.
enum class Sql {
  kInsertResponse,
  kLinkResponse,
  kInsertChurn,
  kUpsertCustomer,
  kFindCustomer,
  kFindOpenCase,
  kLoadCase,
  kLoadHistory,
  kInsertCase,
  kInsertHistory,
  kOpenCaseCounts,
  kInsertTimer,
  kCancelTimers,
  kCancelAllTimers,
  kDueTimers,
  kMarkTimerFired,
  kCaseTimers,
  kNextTimerDue,
  kListPeople,
  kUpsertPerson,
  kGetCounter,
  kSetCounter,
  kInsertNotification,
  kListWorkflows,
  kInsertWorkflow,
  kGetSetting,
  kPutSetting,
  kFindPerson,
  kInsertToken,
  kFindToken,
  kFindTokenPerson,
  kRevokeTokens,
  kOpenCasesByState,
  kPendingTimerCount,
  kCaseResponses,
  kInsertSession,
  kDeleteExpiredSessions,
  kFindSession,
  kDeleteSession,
  // Analytics (analytics_rows.cpp).
  kListZoneOffsets,
  kDeleteZoneOffsets,
  kInsertZoneOffset,
  kResponseDays,
  kThemeDays,
  kThemeDaysOfWorkflow,
  kDeadlineDays,
  kCaseDeadlines,
  kCaseTimings,
  kOpenThemeCounts,
  kTimingMonths,
  kCallbacks,
  kCasesOpenedCount,
  kCasesClosedCount,
  kOpenCasesByStateOfWorkflow,
  // The summaries the store writes itself (summary_rows.cpp).
  kDataVersion,
  kAddResponseDay,
  kAddTimingMonth,
  kAddDeadlineDay,
  kUpsertCaseDeadline,
  kDeleteCaseDeadline,
  kCaseRow,
  kCount,  // not a statement
};

// The SQL text of `s`. REQUIRES: s != Sql::kCount.
const char* sql_text(Sql s);

// The column list every case SELECT returns, in the order case_rows.cpp
// reads it (id first).
extern const char* const kCaseColumns;

// UPDATE of the case columns whose bits are set in `columns` (bit i: the
// i-th of the 22 written columns, CaseRow::Column order): `col = ?(i+1)`
// for each, then `WHERE id = ?23 AND version = ?24`. The text is the cache
// key; the engine's writes change a few dozen distinct column sets.
std::string update_case_sql(std::uint32_t columns);

// The SELECT for list_cases(f): a WHERE clause with one named parameter per
// filter field that is set (:state, :owner, :workflow, :segment, :customer,
// :queue, :overdue_at), always :after_id and :limit (-1 for no limit),
// ordered by id. Equal filter shapes give equal text, so the text is a good
// cache key.
// With f.by_due: open cases only, ordered by (due key, id) through the
// index cases_open_due, with the cursor :after_due, :after_id. A customer
// search binds :search_like (a LIKE pattern, escape '\\') and :search_prefix.
std::string list_cases_sql(const CaseFilter& f);
// SELECT state, count(*) of the cases list_cases_sql(f) would return with
// no cursor and no limit, GROUP BY state. Binds the same filter parameters.
std::string count_cases_sql(const CaseFilter& f);

// Connection setup, run by SqliteStore::open before the migrations.
inline constexpr const char* kPragmaWal = "PRAGMA journal_mode=WAL";
inline constexpr const char* kPragmaForeignKeys = "PRAGMA foreign_keys=ON";
inline constexpr const char* kPragmaSyncNormal = "PRAGMA synchronous=NORMAL";
inline constexpr const char* kPragmaSyncFull = "PRAGMA synchronous=FULL";
inline constexpr const char* kPragmaCacheSize = "PRAGMA cache_size";
inline constexpr const char* kPragmaUserVersion = "PRAGMA user_version";

// Prepared statements of one connection.
//
// Thread-safety: none; used only by the transaction that holds the store's
// mutex. REQUIRES: the Database outlives the cache.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The prepared statement for `s`, prepared on first use. Throws
  // SQLite::Exception if preparing fails.
  SQLite::Statement& get(Sql s);
  // A statement for dynamic SQL (list_cases), cached by its text. The number
  // of distinct texts is bounded by the number of filter shapes (< 2^8).
  SQLite::Statement& get(const std::string& sql);
  // The UPDATE of update_case_sql(columns), prepared on first use.
  SQLite::Statement& case_update(std::uint32_t columns);

 private:
  SQLite::Database& db_;
  std::array<std::unique_ptr<SQLite::Statement>, static_cast<std::size_t>(Sql::kCount)> fixed_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> dynamic_;
  std::unordered_map<std::uint32_t, std::unique_ptr<SQLite::Statement>> case_updates_;
};

// Borrows a cached statement for one use: on destruction it resets the
// statement and clears its bindings (so no pointer bound with bindNoCopy
// outlives the call), whatever happened in between.
class StatementUse {
 public:
  explicit StatementUse(SQLite::Statement& s) : s_(s) {}
  ~StatementUse();
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  SQLite::Statement& operator*() { return s_; }
  SQLite::Statement* operator->() { return &s_; }

 private:
  SQLite::Statement& s_;
};

}  // namespace turnaround::storage

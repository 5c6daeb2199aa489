#pragma once
// SqliteTransaction: the Transaction of SqliteStore. Internal to storage/;
// the engine sees only engine/store.h.
//
// Its methods are spread over files by table group: response_rows.cpp
// (responses, churn, customers), case_rows.cpp (cases, history),
// timer_rows.cpp (timers), config_rows.cpp (people, counters, outbox,
// workflows, settings), token_rows.cpp (tokens, monitoring counts),
// issue_rows.cpp (top-five issues and their links, with their own SQL);
// sqlite_store.cpp has construction and commit.
// Each method body runs inside guarded() (sqlite_errors.h), so SQLite
// exceptions become Status values.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "engine/report_rows.h"
#include "engine/store.h"
#include "storage/statements.h"
#include "storage/transaction_gate.h"

namespace turnaround::storage {

// BEGIN, then COMMIT or (on destruction) ROLLBACK, like SQLite::Transaction
// but through the connection's cached prepared statements: sqlite3_exec
// prepares the SQL every time, which was a sixth of the cost of the small
// read transactions of the HTTP server.
class SqlTransaction {
 public:
  // BEGIN (kRead: deferred) or BEGIN IMMEDIATE (kWrite). Throws
  // SQLite::Exception if it fails (e.g. busy).
  SqlTransaction(StatementCache& statements, TxnMode mode);
  // Adopts the read transaction the connection is already in (a kept one:
  // KeptRead): no BEGIN.
  struct Adopt {};
  SqlTransaction(StatementCache& statements, Adopt) : statements_(statements) {}
  // ROLLBACK unless commit() succeeded or keep() was called. Never throws.
  ~SqlTransaction();
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  // COMMIT. Throws SQLite::Exception; the transaction then stays open and
  // the destructor rolls it back.
  void commit();
  // Leaves the transaction open when this object ends (KeptRead).
  void keep() { done_ = true; }

 private:
  StatementCache& statements_;
  bool done_ = false;
};

// The first bytes of the WAL index (https://sqlite.org/walformat.html):
// the two copies of its header (48 bytes each), which every commit
// rewrites (frame count, change counter, salts, checksums), then the
// checkpoint's nBackfill (4 bytes), which every checkpoint that copies
// frames moves. Two reads that compare equal saw no commit in between, and
// no checkpoint: a kept read must also move on after a checkpoint, or its
// read mark would keep the writer from restarting the WAL from its start,
// and the -wal file would grow for as long as requests keep coming.
inline constexpr std::size_t kWalIndexHeaderBytes = 100;

// A read transaction that a SqliteStore leaves open after its Transaction
// ends, to be reused by the next one while nothing has been committed
// (SqliteStore::begin_kept_read). Owned by the store, guarded by its gate.
struct KeptRead {
  // The connection's mapping of the WAL index's first region (the header
  // first), learned inside a read transaction; null until then.
  const volatile unsigned char* wal_index = nullptr;
  // The header as read just before the kept transaction began, so that the
  // snapshot holds at least every commit that header shows.
  std::array<unsigned char, kWalIndexHeaderBytes> mark{};
  bool mark_valid = false;
  // The connection is inside a kept read transaction.
  bool open = false;
};

// What a connection remembers between transactions, valid while PRAGMA
// data_version (which changes when another connection commits) is the one
// recorded: everything is dropped when it moves. Owned by SqliteStore and
// guarded by its gate, like the statement cache.
//  - The company zone's UTC offsets (table zone_offsets), so that the store
//    computes local days in C++ without reading the table in every
//    transaction; this connection's own set_zone_offsets invalidates them.
//  - The person of each token hash that read transactions authenticated
//    (find_token_person), so that a GET does not look the token up again.
//    Only read transactions fill or use it, and every write transaction on
//    the connection empties it when it begins: data_version does not move
//    for the connection's own commits, so a revocation or a change of
//    person committed here must not find the old entry. A revocation by any
//    other connection (the CLI, the server's writer) moves data_version.
struct ConnectionCache {
  std::int64_t data_version = 0;
  bool version_known = false;
  std::vector<ZoneOffset> zone_offsets;
  bool zone_valid = false;
  std::unordered_map<std::string, Person> token_persons;
  // Bound on token_persons (it is emptied when full): live tokens are few.
  static constexpr std::size_t kMaxTokens = 1024;
};

// What a write transaction adds to the rollups the store maintains itself
// (summary_rows.cpp), one entry per distinct key, written at commit (or
// before anything in the same transaction reads or rebuilds them).
struct SummaryDeltas {
  struct DaySum {
    std::int64_t responses = 0;
    double arr = 0;
  };
  // (day, segment, score) -> responses, arr.
  std::map<std::tuple<LocalDay, std::string, int>, DaySum> response_days;
  // (workflow, month, segment, metric, hours) -> count; metric 0 "opened",
  // 1 "first_contact", 2 "close".
  std::map<std::tuple<std::string, LocalMonth, std::string, int, std::int64_t>, std::int64_t>
      timing_months;
  // (name, workflow, owner, status, day) -> count.
  std::map<std::tuple<std::string, std::string, std::string, DeadlineStatus, LocalDay>,
           std::int64_t>
      deadline_days;
  bool empty() const {
    return response_days.empty() && timing_months.empty() && deadline_days.empty();
  }
};

// A case row's written columns (TA_CASE_WRITE_COLUMNS, in that order), as
// update_case would bind them or as they are stored. update_case compares
// the new row with the stored one and writes only the columns that differ:
// a full-row UPDATE rewrites the entry of every index on cases (14), which
// made it some 15 times dearer than writing the two or three columns an
// attached response or a fired timer changes. The summaries (timing_months,
// case_deadlines) compare the same two rows.
struct CaseRow {
  enum Column {
    kWorkflow, kWorkflowVersion, kState, kOwner, kQueue, kPriority, kCustomerId,
    kCustomerName, kSegment, kArr, kScore, kResponses, kRespondedAt, kOpenedAt,
    kStateEnteredAt, kClosedAt, kVersion, kData, kDeadlines, kOverdueSince, kThemes,
    kFirstContactAt, kColumns
  };
  // NULL, INTEGER, REAL or TEXT, as SQLite returns them.
  using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
  std::array<Value, kColumns> values;

  const Value& operator[](Column c) const { return values[c]; }
  const std::string& text(Column c) const;
  std::int64_t integer(Column c) const;
  std::optional<Instant> instant(Column c) const;
};

class SqliteTransaction final : public Transaction {
 public:
  // Begins the SQL transaction (IMMEDIATE for kWrite, DEFERRED for kRead)
  // and keeps `hold` (the store's gate) until destruction. Throws
  // SQLite::Exception if BEGIN fails (e.g. busy); the gate is then released.
  SqliteTransaction(TransactionGate::Hold hold, SQLite::Database& db, StatementCache& statements,
                    TxnMode mode, ConnectionCache& cache);
  // A read transaction to keep open at its end (if it then holds a
  // snapshot and `keep->mark_valid`): `reuse` adopts the one `keep` holds
  // open instead of beginning one.
  SqliteTransaction(TransactionGate::Hold hold, SQLite::Database& db, StatementCache& statements,
                    ConnectionCache& cache, KeptRead& keep, bool reuse);
  // Rolls back unless committed (or kept), then releases the store's gate.
  ~SqliteTransaction() override;

  Result<bool> insert_response(const Response& r, Instant received_at) override;
  Result<bool> insert_churn(const ChurnEvent& e, Instant received_at) override;
  Status upsert_customer(const Customer& c) override;
  Result<std::optional<Customer>> find_customer(const CustomerId& id) override;

  Result<std::optional<CaseId>> find_open_case(const CustomerId& customer,
                                               std::string_view workflow) override;
  Result<Case> load_case(CaseId id, bool with_history) override;
  Result<CaseId> insert_case(const Case& c) override;
  Status update_case(const Case& c, std::int64_t expected_version) override;
  Status append_history(CaseId id, const std::vector<HistoryEntry>& entries) override;
  Result<std::vector<Case>> list_cases(const CaseFilter& f) override;
  Result<std::map<PersonId, int>> open_case_counts() override;
  Result<std::map<std::string, std::int64_t>> count_cases_by_state(const CaseFilter& f) override;
  Result<std::vector<Response>> case_responses(const Case& c) override;

  Result<TimerId> insert_timer(const Timer& t) override;
  Status cancel_timers(CaseId id, std::string_view deadline) override;
  Result<std::vector<Timer>> due_timers(Instant now, int limit) override;
  Result<bool> mark_timer_fired(TimerId id, Instant fired_at) override;
  Result<std::vector<Timer>> case_timers(CaseId id) override;
  Result<std::optional<Instant>> next_timer_due() override;

  Result<std::vector<Person>> list_people() override;
  Status upsert_person(const Person& p) override;

  // token_rows.cpp: people by id, API tokens, monitoring counts.
  Result<std::optional<Person>> find_person(const PersonId& id) override;
  Status insert_token(std::string_view hash, const PersonId& person, Instant created_at) override;
  Result<std::optional<PersonId>> find_token(std::string_view hash) override;
  Result<std::optional<Person>> find_token_person(std::string_view hash) override;
  Result<std::int64_t> revoke_tokens(const PersonId& person, Instant at) override;
  Status insert_session(std::string_view hash, std::string_view token_hash,
                        const WebSession& s) override;
  Result<std::optional<WebSession>> find_session(std::string_view hash, Instant now) override;
  Result<bool> delete_session(std::string_view hash) override;
  Result<std::map<std::string, std::int64_t>> open_cases_by_state() override;
  Result<std::int64_t> pending_timer_count() override;

  // review_rows.cpp: the loss review's agenda queries and meetings.
  Result<std::vector<LostCustomer>> lost_customers(
      Instant from, Instant to, const std::vector<std::string>& case_workflows) override;
  Result<DigestPage> case_digests(const DigestQuery& q) override;
  Result<std::vector<StateCount>> open_counts_by_state(const std::vector<std::string>& workflows,
                                                       Instant as_of) override;
  Result<std::vector<OwnerCount>> overdue_counts_by_owner(const std::vector<std::string>& workflows,
                                                          Instant as_of) override;
  Result<std::int64_t> count_cases_with_events(const std::vector<std::string>& workflows,
                                               const std::vector<std::string>& events, Instant from,
                                               Instant to) override;
  Status upsert_review_meeting(const ReviewMeetingRow& row) override;
  Result<std::optional<ReviewMeetingRow>> find_review_meeting(std::string_view month) override;
  Result<std::optional<ReviewMeetingRow>> last_review_meeting() override;
  Result<std::vector<ReviewMeetingRow>> due_review_meetings(Instant now) override;
  Result<std::optional<Instant>> next_review_cutoff() override;
  Result<bool> freeze_review_meeting(std::string_view month, const Agenda& agenda,
                                     Instant frozen_at) override;

  Result<std::int64_t> get_counter(std::string_view key) override;
  Status set_counter(std::string_view key, std::int64_t value) override;

  Status enqueue_notification(const Notification& n) override;

  Result<std::vector<StoredWorkflow>> list_workflows() override;
  Result<int> insert_workflow(const StoredWorkflow& w) override;
  Result<std::optional<std::string>> get_setting(std::string_view key) override;
  Status put_setting(std::string_view key, std::string_view value) override;

  // analytics_rows.cpp: the analytics summaries.
  Result<bool> set_zone_offsets(const std::vector<ZoneOffset>& offsets) override;
  Result<std::int64_t> backfill_case_analytics(
      std::string_view workflow, const std::vector<std::string>& theme_fields,
      const std::vector<std::string>& first_contact_events) override;
  Result<std::vector<ResponseDayRow>> response_days(LocalDay from, LocalDay to) override;
  Result<std::vector<ThemeDayRow>> theme_days(LocalDay from, LocalDay to,
                                              std::string_view workflow) override;
  Result<std::vector<DeadlineDayRow>> deadline_days(LocalDay from, LocalDay to) override;
  Result<std::vector<CaseDeadlineRow>> case_deadlines(CaseId id) override;
  Result<std::vector<CaseTimingRow>> case_timings(std::string_view workflow, Instant from,
                                                  Instant to) override;
  Result<std::vector<TimingMonthRow>> timing_months(std::string_view workflow, LocalMonth from,
                                                    LocalMonth to) override;
  Result<std::vector<ThemeCaseRow>> cases_with_theme(const ThemeCaseQuery& q) override;
  Result<std::vector<OpenThemeRow>> open_theme_counts() override;
  Result<std::vector<ThemeCaseTotals>> theme_case_totals(
      const std::vector<std::string>& workflows) override;
  Result<std::vector<CallbackRow>> callbacks(Instant from, Instant to,
                                             std::int64_t limit) override;
  Result<CaseFlow> case_flow(std::string_view workflow, Instant from, Instant to) override;
  // issue_rows.cpp: top-five issues (engine/store.h, same heading).
  Status insert_issue(const IssueRecord& i) override;
  Result<std::vector<IssueRecord>> list_issues() override;
  Result<std::optional<IssueRecord>> find_issue(CaseId id) override;
  Result<bool> insert_issue_link(const IssueLink& l) override;
  Result<std::vector<IssueLink>> issue_links(CaseId issue) override;
  Result<std::vector<IssueLink>> case_issue_links(CaseId c) override;
  Result<std::vector<LinkedCase>> linked_cases(CaseId issue) override;
  Result<LinkTotals> issue_link_totals(CaseId issue) override;
  Result<std::optional<Instant>> last_event_at(CaseId id, std::string_view event) override;
  Result<ResponseCounts> response_counts(std::string_view segment, Instant from,
                                         Instant to) override;

  Status commit() override;

 private:
  // The cached statement `s`, borrowed for one use.
  StatementUse use(Sql s) { return StatementUse(statements_.get(s)); }
  // Inserts history rows of case `id`.
  void insert_history(CaseId id, const std::vector<HistoryEntry>& entries);
  // Sets responses.case_id of `responses` to `id`, but for those listed in
  // `linked_json` (the stored row's responses column, if given).
  // `listed_json` is `responses` as the row's column encodes it, if known:
  // when it is `linked_json` with ids appended, only the tail is decoded.
  void link_responses(CaseId id, const std::vector<ResponseId>& responses,
                      const std::string* linked_json = nullptr,
                      const std::string* listed_json = nullptr);
  // Loads the history of case `id` into `out`.
  Status load_history(CaseId id, std::vector<HistoryEntry>& out);
  // Reads the timers a statement returns.
  Result<std::vector<Timer>> read_timers(SQLite::Statement& s);

  // summary_rows.cpp: the summaries the store writes itself.
  // The zone offsets, from the cache or read (once per transaction at most).
  const std::vector<ZoneOffset>& zone_offsets();
  // Once per transaction: empties the connection cache if another
  // connection committed since it was filled.
  void check_cache();
  // Counts a newly inserted response into response_days.
  void count_response(const Response& r);
  // Counts the timing metrics of a case stored as `row` into (+1) or out
  // of (-1) timing_months.
  void count_timing(const CaseRow& row, int sign);
  // Files the summaries of case `c` (id `id`), now stored as `now`, whose
  // previous row was `old` (nullptr: a new case), and remembers `now`.
  void file_case_summaries(CaseId id, const Case& c, CaseRow now, const CaseRow* old);
  // Brings the case_deadlines rows of case `id` in line with c.deadlines
  // (the rule of migrations.cpp) and counts the changes into deadline_days.
  void sync_case_deadlines(CaseId id, const Case& c, bool fresh);
  // The stored row of case `id`: remembered (load_case, insert_case,
  // update_case in this transaction), or read; nullptr if there is none.
  const CaseRow* stored_row(CaseId id);
  // Writes the accumulated deltas (one upsert per key) and clears them.
  void flush_summaries();

  // At the end of a kept read: learns the WAL index's address, and keeps
  // the SQL transaction open if it holds a snapshot with a valid mark.
  void keep_or_learn() noexcept;

  // Declaration order matters: txn_ is destroyed (rolled back) before hold_
  // releases the store to the next transaction.
  TransactionGate::Hold hold_;
  SQLite::Database& db_;
  StatementCache& statements_;
  TxnMode mode_;
  ConnectionCache& cache_;
  KeptRead* keep_ = nullptr;
  SqlTransaction txn_;
  bool committed_ = false;
  // This transaction replaced the zone offsets: the cache is dropped again
  // when it ends, whether it commits or not.
  bool zone_written_ = false;
  // The connection cache was checked against PRAGMA data_version in this
  // transaction.
  bool cache_checked_ = false;
  SummaryDeltas deltas_;
  // Case rows as stored, by id, remembered in write transactions.
  std::unordered_map<std::int64_t, CaseRow> case_rows_;
  // Reused text buffers for binding string_view parameters without SQLite
  // copying them (bindNoCopy) and without allocating per call.
  std::string scratch_;
};


// --- Binding and reading helpers shared by the *_rows.cpp files.

inline std::int64_t to_seconds(Instant t) { return t.time_since_epoch().count(); }
inline Instant from_seconds(std::int64_t s) { return Instant(std::chrono::seconds(s)); }

// Binds text that stays alive and unchanged until the statement is reset.
inline void bind_text(SQLite::Statement& s, int i, const std::string& text) {
  s.bindNoCopy(i, text);
}
inline void bind_int(SQLite::Statement& s, int i, std::int64_t v) { s.bind(i, v); }
inline void bind_instant(SQLite::Statement& s, int i, Instant t) { s.bind(i, to_seconds(t)); }
inline void bind_instant(SQLite::Statement& s, int i, const std::optional<Instant>& t) {
  if (t) {
    s.bind(i, to_seconds(*t));
  } else {
    s.bind(i);
  }
}
// Column i of the current row as SQLite returns it (a BLOB as its bytes).
inline CaseRow::Value column_value(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  const int type = c.getType();
  if (type == SQLite::INTEGER) return c.getInt64();
  if (type == SQLite::FLOAT) return c.getDouble();
  if (type == SQLite::Null) return std::monostate();
  return c.getString();
}
inline std::optional<Instant> column_instant(SQLite::Statement& s, int i) {
  auto c = s.getColumn(i);
  if (c.isNull()) return std::nullopt;
  return from_seconds(c.getInt64());
}

}  // namespace turnaround::storage

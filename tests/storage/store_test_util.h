#pragma once
// Shared by the storage tests: one factory per Store implementation (so each
// behavioural test runs against both), unwrapping helpers, sample rows, and
// case_string(), which renders every field of a case as one comparable line.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "engine/store.h"
#include "storage/memory_store.h"
#include "storage/migrations.h"
#include "storage/sqlite_store.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {

template <typename T>
T must(Result<T> r) {
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return std::move(r).value();
}
inline void must(const Status& s) { REQUIRE_MESSAGE(s.ok(), s.to_string()); }

// A file of the source tree, by its path from the root.
inline std::string source_file(const std::string& rel) {
  return std::string(TURNAROUND_SOURCE_DIR) + "/" + rel;
}

// Upgrade tests: a database file created at schema `version` (the
// migrations up to it, none after), to fill by hand as an older release
// left it before a store opens (and migrates) it.
inline SQLite::Database database_at_schema(const std::string& path, int version) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  REQUIRE(storage::migrate_to(db, version).ok());
  REQUIRE(storage::schema_version(db) == version);
  return db;
}
// The start of an INSERT of minimal case rows, for such a file.
inline constexpr const char* kInsertMinimalCases =
    "INSERT INTO cases (id, workflow, workflow_version, state, priority, customer_id, "
    "customer_name, segment, arr, opened_at, state_entered_at, closed_at, version) VALUES ";

// Every row of a query as "a|b|c" lines (reals rounded to cents).
inline std::string dump(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  std::string out;
  while (q.executeStep()) {
    for (int i = 0; i < q.getColumnCount(); ++i) {
      auto c = q.getColumn(i);
      if (i > 0) out += "|";
      if (c.isNull()) out += "NULL";
      else if (c.isFloat()) out += std::to_string(std::llround(c.getDouble() * 100));
      else out += c.getString();
    }
    out += "\n";
  }
  return out;
}

// Runs body(Transaction&) in a write transaction and commits it.
template <typename F>
void write(Store& store, F&& body) {
  auto txn = must(store.begin(TxnMode::kWrite));
  body(*txn);
  must(txn->commit());
}

// Runs body(Transaction&) in a read transaction (not committed).
template <typename F>
void read(Store& store, F&& body) {
  auto txn = must(store.begin(TxnMode::kRead));
  body(*txn);
}

struct MemoryFactory {
  std::unique_ptr<storage::MemoryStore> store = std::make_unique<storage::MemoryStore>();
  Store& get() { return *store; }
  std::vector<Notification> notifications() { return store->notifications(); }
};

struct SqliteFactory {
  TempDir dir;  // declared first: outlives the store
  std::string path = dir.file("turnaround.db");
  std::unique_ptr<storage::SqliteStore> store = must(storage::SqliteStore::open(path));
  Store& get() { return *store; }
  // Read back through a second connection: the outbox has no Store reader.
  std::vector<Notification> notifications() {
    SQLite::Database db(path);
    SQLite::Statement q(db,
                        "SELECT coalesce(case_id, 0), recipient, kind, message, created_at "
                        "FROM notifications ORDER BY id");
    std::vector<Notification> out;
    while (q.executeStep()) {
      Notification n;
      n.case_id = CaseId(q.getColumn(0).getInt64());
      n.recipient = q.getColumn(1).getString();
      n.kind = q.getColumn(2).getString();
      n.message = q.getColumn(3).getString();
      n.created_at = Instant(std::chrono::seconds(q.getColumn(4).getInt64()));
      out.push_back(n);
    }
    return out;
  }
};

#define TA_STORES MemoryFactory, SqliteFactory

inline Response sample_response(const std::string& id, const std::string& customer, int score,
                                const std::string& when = "2026-03-02T09:00:00Z") {
  Response r;
  r.response_id = ResponseId(id);
  r.customer_id = CustomerId(customer);
  r.customer_name = "Customer " + customer;
  r.segment = "enterprise";
  r.arr = 120000.5;
  r.score = score;
  r.comment = "slow support";
  r.responded_at = at(when);
  return r;
}

// An open case of `customer` in state "new", version 1, no deadlines.
inline Case sample_case(const std::string& customer, const std::string& workflow = "detractor") {
  Case c;
  c.workflow = workflow;
  c.workflow_version = 1;
  c.state = "new";
  c.queue = "ops_lead";
  c.customer_id = CustomerId(customer);
  c.customer_name = "Customer " + customer;
  c.segment = "enterprise";
  c.arr = 50000;
  c.score = 2;
  c.responses = {ResponseId("r-" + customer)};
  c.responded_at = at("2026-03-02T09:00:00Z");
  c.opened_at = at("2026-03-02T10:00:00Z");
  c.state_entered_at = c.opened_at;
  c.version = 1;
  return c;
}

inline CaseDeadline deadline(const std::string& name, const std::string& due,
                             DeadlineStatus status = DeadlineStatus::kPending) {
  CaseDeadline d;
  d.name = name;
  d.state = "new";
  d.due_at = at(due);
  d.status = status;
  return d;
}

inline Timer sample_timer(CaseId c, const std::string& deadline_name, const std::string& due,
                          TimerKind kind = TimerKind::kDeadline) {
  Timer t;
  t.case_id = c;
  t.deadline = deadline_name;
  t.kind = kind;
  t.due_at = at(due);
  return t;
}

// --- case_string: every field, typed, in one line.

inline std::string value_string(const Value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_number()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v.as_number());
    return buf;
  }
  if (v.is_text()) return "'" + v.as_text() + "'";
  std::string s = "[";
  for (const auto& e : v.as_list()) s += (s.size() > 1 ? "," : "") + e;
  return s + "]";
}

inline std::string fields_string(const FieldValues& f) {
  std::string s = "{";
  for (const auto& [k, v] : f) s += (s.size() > 1 ? " " : "") + k + "=" + value_string(v);
  return s + "}";
}

inline std::string opt_instant(const std::optional<Instant>& t) {
  return t ? format_instant(*t) : "-";
}

inline std::string case_string(const Case& c) {
  std::string s = "#" + std::to_string(c.id.value) + " " + c.workflow + "@" +
                  std::to_string(c.workflow_version) + " " + c.state + " owner=" + c.owner.value +
                  " queue=" + c.queue + " prio=" + priority_name(c.priority) +
                  " cust=" + c.customer_id.value + "/" + c.customer_name + "/" + c.segment +
                  " arr=" + value_string(c.arr) +
                  " score=" + (c.score ? std::to_string(*c.score) : "-") + " responses=";
  for (const auto& r : c.responses) s += r.value + ",";
  s += " responded=" + opt_instant(c.responded_at) + " opened=" + format_instant(c.opened_at) +
       " entered=" + format_instant(c.state_entered_at) + " closed=" + opt_instant(c.closed_at) +
       " v" + std::to_string(c.version) + " data=" + fields_string(c.data) + " deadlines=";
  for (const auto& d : c.deadlines) {
    s += "[" + d.name + " " + d.state + " " + format_instant(d.due_at) + " " +
         deadline_status_name(d.status) + (d.done ? " done" : "") +
         " paused=" + opt_instant(d.paused_at) + " resolved=" + opt_instant(d.resolved_at) + "]";
  }
  s += " history=";
  for (const auto& h : c.history) {
    s += "[" + format_instant(h.at) + " " + h.event + " " + h.from + "->" + h.to + " by " + h.by +
         " " + fields_string(h.data) + "]";
  }
  return s;
}

inline std::vector<std::int64_t> ids_of(const std::vector<Case>& cases) {
  std::vector<std::int64_t> ids;
  for (const auto& c : cases) ids.push_back(c.id.value);
  return ids;
}

}  // namespace turnaround::testing

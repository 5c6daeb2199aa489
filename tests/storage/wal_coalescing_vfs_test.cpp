// The WAL-coalescing VFS (storage/wal_coalescing_vfs.h): a commit's frames
// reach the file in a few writes, and what SQLite wrote, spilled, rewrote
// or rolled back reads back the same, from the same connection, from
// another connection of the default VFS, and after a checkpoint.

#include "storage/wal_coalescing_vfs.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "storage/sqlite_store.h"
#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

using storage::wal_coalescing_vfs;
using storage::wal_write_stats;

// A connection through the VFS, as SqliteStore opens one with
// synchronous_full: WAL, synchronous=FULL, no automatic checkpoints.
SQLite::Database open_coalescing(const std::string& path, int cache_pages = 2000) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000, wal_coalescing_vfs());
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=FULL");
  db.exec("PRAGMA wal_autocheckpoint=0");
  db.exec("PRAGMA cache_size=" + std::to_string(cache_pages));
  return db;
}

// open_coalescing with an empty table t (k, v), as most tests here use.
SQLite::Database open_with_table(const std::string& path, int cache_pages = 2000) {
  SQLite::Database db = open_coalescing(path, cache_pages);
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  return db;
}

// Rows, total of v's lengths, and total of k * first byte of v, as one line.
std::string summary(SQLite::Database& db) {
  return dump(db, "SELECT count(*), sum(length(v)), sum(k * unicode(v)) FROM t");
}

std::string integrity(SQLite::Database& db) { return dump(db, "PRAGMA integrity_check"); }

void insert_rows(SQLite::Database& db, int from, int to, int bytes, char fill) {
  SQLite::Statement ins(db, "INSERT INTO t (k, v) VALUES (?, ?)");
  const std::string v(static_cast<std::size_t>(bytes), fill);
  for (int k = from; k < to; ++k) {
    ins.bind(1, k);
    ins.bind(2, v);
    ins.exec();
    ins.reset();
  }
}

// A WAL file opened through the VFS directly, written, patched, read,
// sized, synced and truncated at random against a model of its bytes:
// every read and size agrees with the model, and so does the file.
TEST_CASE("WalCoalescingVfs.AWalFileHoldsWhatWasWritten") {
  TempDir dir;
  const std::string db_path = dir.file("m.db");
  std::ofstream(db_path).put('\0');  // the unix VFS takes a WAL's permissions from its database
  const std::string path = db_path + "-wal";
  sqlite3_vfs* vfs = sqlite3_vfs_find(wal_coalescing_vfs());
  REQUIRE(vfs != nullptr);
  std::vector<char> memory(static_cast<std::size_t>(vfs->szOsFile));
  auto* file = reinterpret_cast<sqlite3_file*>(memory.data());
  int out_flags = 0;
  // A filename laid out as SQLite passes one to xOpen (the VFS looks up the
  // WAL's database by it; none is open here).
  std::unique_ptr<const char, void (*)(sqlite3_filename)> names(
      sqlite3_create_filename(db_path.c_str(), (db_path + "-journal").c_str(), path.c_str(), 0, nullptr),
      sqlite3_free_filename);
  REQUIRE(vfs->xOpen(vfs, sqlite3_filename_wal(names.get()), file,
                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_WAL, &out_flags) == SQLITE_OK);
  const sqlite3_io_methods* io = file->pMethods;
  std::string model;
  std::mt19937 rng(7);
  auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto stats_before = wal_write_stats();
  int patches = 0;
  for (int step = 0; step < 4000; ++step) {
    const std::size_t op = pick(100);
    if (op < 80) {
      // Mostly appends (frames), some overwrites and some writes past the end.
      const std::size_t bytes = pick(10) == 0 ? 1 + pick(300000) : 1 + pick(5000);
      std::size_t offset = model.size();
      const std::size_t where = pick(10);
      if (where == 0 && !model.empty()) offset = pick(model.size());
      if (where == 1 && model.size() > bytes) {
        offset = model.size() - bytes - pick(std::min<std::size_t>(model.size() - bytes, 20000));
        ++patches;
      }
      if (where == 2) offset += pick(10000);
      std::string data(bytes, '\0');
      for (auto& c : data) c = static_cast<char>('a' + pick(26));
      REQUIRE(io->xWrite(file, data.data(), static_cast<int>(bytes), static_cast<sqlite3_int64>(offset)) ==
              SQLITE_OK);
      if (model.size() < offset + bytes) model.resize(offset + bytes, '\0');
      model.replace(offset, bytes, data);
    } else if (op < 90 && !model.empty()) {
      const std::size_t offset = pick(model.size());
      const std::size_t bytes = 1 + pick(std::min<std::size_t>(model.size() - offset, 70000));
      std::string got(bytes, '\0');
      REQUIRE(io->xRead(file, got.data(), static_cast<int>(bytes), static_cast<sqlite3_int64>(offset)) ==
              SQLITE_OK);
      REQUIRE(got == model.substr(offset, bytes));
    } else if (op < 95) {
      sqlite3_int64 size = -1;
      REQUIRE(io->xFileSize(file, &size) == SQLITE_OK);
      REQUIRE(size == static_cast<sqlite3_int64>(model.size()));
    } else if (op < 98) {
      REQUIRE(io->xSync(file, SQLITE_SYNC_NORMAL) == SQLITE_OK);
    } else {
      const std::size_t size = model.empty() ? 0 : pick(model.size());
      REQUIRE(io->xTruncate(file, static_cast<sqlite3_int64>(size)) == SQLITE_OK);
      model.resize(size);
    }
  }
  CHECK(patches > 100);
  REQUIRE(io->xClose(file) == SQLITE_OK);  // writes what is still gathered
  std::ifstream in(path, std::ios::binary);
  const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(on_disk.size() == model.size());
  CHECK((on_disk == model));
  const auto stats_after = wal_write_stats();
  CHECK(stats_after.file_writes - stats_before.file_writes < stats_after.writes - stats_before.writes);
}

TEST_CASE("WalCoalescingVfs.ACommitsFramesGoOutInAFewWrites") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto db = open_with_table(path);
  const auto before = wal_write_stats();
  {
    SQLite::Transaction txn(db);
    insert_rows(db, 0, 400, 1000, 'a');  // about 100 pages
    txn.commit();
  }
  const auto after = wal_write_stats();
  const auto writes = after.writes - before.writes;
  const auto file_writes = after.file_writes - before.file_writes;
  // Two writes per frame from SQLite (header, page); one per 124 KiB here.
  CHECK(writes >= 200);
  CHECK(file_writes >= 1);
  CHECK(file_writes * 20 <= writes);

  // Committed means visible to another connection at once, and in the file.
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  CHECK(summary(other) == "400|400000|7740600\n");
  CHECK(summary(db) == summary(other));
  CHECK(integrity(other) == "ok\n");
}

TEST_CASE("WalCoalescingVfs.SpilledRewrittenAndRolledBackPagesReadBackRight") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  // A 20-page cache: a large transaction spills frames to the WAL before it
  // commits, and SQLite writes the same pages again (in place in the WAL).
  auto db = open_with_table(path, 20);
  {
    SQLite::Transaction txn(db);
    insert_rows(db, 0, 3000, 500, 'b');
    db.exec("UPDATE t SET v = replace(v, 'b', 'c') WHERE k % 2 = 0");
    CHECK(summary(db) == "3000|1500000|443101500\n");  // read back inside the transaction
    txn.commit();
  }
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  CHECK(summary(other) == "3000|1500000|443101500\n");
  {
    SQLite::Transaction txn(db);
    insert_rows(db, 3000, 6000, 500, 'x');  // spills, then is thrown away
    db.exec("DELETE FROM t WHERE k < 100");
  }  // rolled back
  db.exec("INSERT INTO t (k, v) VALUES (9000, 'z')");
  const std::string expected = "3001|1500001|444199500\n";
  CHECK(summary(db) == expected);
  CHECK(summary(other) == expected);
  CHECK(integrity(other) == "ok\n");
  // Copied into the database file, and still the same there.
  CHECK(dump(db, "PRAGMA wal_checkpoint(TRUNCATE)").starts_with("0|"));
  CHECK(summary(other) == expected);
  CHECK(integrity(db) == "ok\n");
}

// Two writers (the server and a CLI command, say): one rolls back a
// transaction that spilled pages into its WAL buffer, the other then
// commits frames at the same offsets. The first one's next read must not
// write the rolled-back frames over them (found in review: it did, and the
// database was "not a database" from then on).
TEST_CASE("WalCoalescingVfs.ARolledBackSpillNeverOverwritesAnotherWritersCommit") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  for (const bool other_through_vfs : {false, true}) {
    CAPTURE(other_through_vfs);
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto a = open_with_table(path, 20);
    a.exec("CREATE TABLE u (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    insert_rows(a, 0, 200, 500, 'a');
    a.exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the next frames start at the WAL's head
    SQLite::Database b(path, SQLite::OPEN_READWRITE, 5000, other_through_vfs ? wal_coalescing_vfs() : "");
    b.exec("PRAGMA synchronous=FULL");
    b.exec("PRAGMA wal_autocheckpoint=0");
    {
      SQLite::Transaction txn(a);
      insert_rows(a, 1000, 1400, 500, 'X');  // spills frames; rolled back below
    }
    {
      SQLite::Transaction txn(b);
      SQLite::Statement ins(b, "INSERT INTO u (k, v) VALUES (?, ?)");
      for (int k = 0; k < 100; ++k) {
        ins.bind(1, k);
        ins.bind(2, std::string(300, 'b'));
        ins.exec();
        ins.reset();
      }
      b.exec("UPDATE t SET v = replace(v, 'a', 'c') WHERE k < 50");
      txn.commit();
    }
    const std::string u = "100|30000\n";
    const std::string t = "200|100000|1932750\n";  // k < 50 now 'c'
    auto check = [&](SQLite::Database& db) {
      CHECK(dump(db, "SELECT count(*), sum(length(v)) FROM u") == u);
      CHECK(dump(db, "SELECT count(*), sum(length(v)), sum(k * unicode(v)) FROM t") == t);
      CHECK(integrity(db) == "ok\n");
    };
    check(a);  // a reads pages from the WAL
    check(b);
    {
      SQLite::Database fresh(path, SQLite::OPEN_READONLY);
      check(fresh);
    }
  }
  SQLite::Database after(path, SQLite::OPEN_READONLY);
  CHECK(integrity(after) == "ok\n");
}

// With synchronous=NORMAL there is no sync at commit: the frames reach the
// file when SQLite publishes them (the index barrier) or, at the latest,
// when the connection releases the write lock, before another connection
// reads them.
TEST_CASE("WalCoalescingVfs.ACommitWithoutASyncIsReadableAtOnce") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto db = open_with_table(path);
  db.exec("PRAGMA synchronous=NORMAL");
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  for (int round = 0; round < 3; ++round) {
    SQLite::Transaction txn(db);
    insert_rows(db, round * 100, round * 100 + 100, 1000, 'a');
    txn.commit();
    CHECK(dump(other, "SELECT count(*) FROM t") == std::to_string(round * 100 + 100) + "\n");
    CHECK(integrity(other) == "ok\n");
  }
}

// Disk full while gathered frames are written: the unix VFS's write calls
// fail with ENOSPC for WAL files while `g_wal_full` is set.
bool g_wal_full = false;
sqlite3_syscall_ptr g_real_pwrite = nullptr;
sqlite3_syscall_ptr g_real_pwrite64 = nullptr;
sqlite3_syscall_ptr g_real_write = nullptr;

bool is_wal_fd(int fd) {
  char link[64];
  char target[1024];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, target, sizeof target - 1);
  return n > 4 && std::string_view(target, static_cast<std::size_t>(n)).ends_with("-wal");
}
ssize_t full_write(int fd, const void* b, size_t n) {
  if (g_wal_full && is_wal_fd(fd)) return errno = ENOSPC, -1;
  return reinterpret_cast<ssize_t (*)(int, const void*, size_t)>(g_real_write)(fd, b, n);
}
ssize_t full_pwrite(int fd, const void* b, size_t n, off_t o) {
  if (g_wal_full && is_wal_fd(fd)) return errno = ENOSPC, -1;
  return reinterpret_cast<ssize_t (*)(int, const void*, size_t, off_t)>(g_real_pwrite)(fd, b, n, o);
}
ssize_t full_pwrite64(int fd, const void* b, size_t n, off64_t o) {
  if (g_wal_full && is_wal_fd(fd)) return errno = ENOSPC, -1;
  return reinterpret_cast<ssize_t (*)(int, const void*, size_t, off64_t)>(g_real_pwrite64)(fd, b, n, o);
}

// Installs the failing calls in the unix VFS for the test's life.
struct WalFullInjection {
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  WalFullInjection() {
    REQUIRE(unix_vfs != nullptr);
    g_real_write = unix_vfs->xGetSystemCall(unix_vfs, "write");
    g_real_pwrite = unix_vfs->xGetSystemCall(unix_vfs, "pwrite");
    g_real_pwrite64 = unix_vfs->xGetSystemCall(unix_vfs, "pwrite64");
    unix_vfs->xSetSystemCall(unix_vfs, "write", reinterpret_cast<sqlite3_syscall_ptr>(full_write));
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite", reinterpret_cast<sqlite3_syscall_ptr>(full_pwrite));
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite64", reinterpret_cast<sqlite3_syscall_ptr>(full_pwrite64));
  }
  ~WalFullInjection() {
    g_wal_full = false;
    unix_vfs->xSetSystemCall(unix_vfs, nullptr, nullptr);  // all back to the system's
  }
};

// A statement whose read makes the VFS write gathered (spilled) frames, and
// the disk is full: the statement fails and SQLite undoes it alone; the
// transaction goes on and commits. The frames of the statement before must
// still reach the file (found in review: they were dropped, and the commit
// made a malformed database).
TEST_CASE("WalCoalescingVfs.AFailedWriteKeepsItsBytesForTheNextFlush") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  WalFullInjection injection;
  auto db = open_coalescing(path);
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT UNIQUE)");
  db.exec("CREATE TABLE u (k INTEGER PRIMARY KEY, v TEXT)");
  db.exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300) "
          "INSERT INTO t SELECT x, printf('%04d%.400c', x, 'a') FROM c");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.exec("PRAGMA cache_size=10");
  db.exec("BEGIN");
  db.exec("UPDATE t SET v = printf('%04d%.400c', k, 'b')");  // spills into the buffer
  g_wal_full = true;
  CHECK_THROWS_AS(db.exec("UPDATE t SET v = printf('%04d%.400c', k, 'c') WHERE k > 150"), SQLite::Exception);
  g_wal_full = false;
  db.exec("INSERT INTO u VALUES (1, 'after')");
  db.exec("COMMIT");
  const std::string expected = "300|300|0\n";  // all 'b': the failed statement undone
  CHECK(dump(db, "SELECT count(*), sum(substr(v, 5, 1) = 'b'), sum(substr(v, 5, 1) = 'c') FROM t") == expected);
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  CHECK(dump(other, "SELECT count(*), sum(substr(v, 5, 1) = 'b'), sum(substr(v, 5, 1) = 'c') FROM t") ==
        expected);
  CHECK(dump(other, "SELECT count(*) FROM u") == "1\n");
  CHECK(integrity(other) == "ok\n");
}

TEST_CASE("WalCoalescingVfs.ACommitLargerThanTheBufferIsWhole") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  {
    auto db = open_with_table(path);
    SQLite::Transaction txn(db);
    insert_rows(db, 0, 1500, 8000, 'd');  // about 12 MiB: three buffers' worth
    txn.commit();
  }  // closed: checkpointed by SQLite, WAL removed
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(summary(db) == "1500|12000000|112425000\n");
  CHECK(integrity(db) == "ok\n");
}

TEST_CASE("WalCoalescingVfs.SqliteStoreUsesItWithSynchronousFull") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  for (const bool full : {false, true}) {
    CAPTURE(full);
    storage::SqliteOptions options;
    options.synchronous_full = full;
    auto store = must(storage::SqliteStore::open(path, options));
    const auto before = wal_write_stats();
    write(*store, [&](Transaction& t) {
      for (int i = 0; i < 50; ++i) {
        const std::string id = (full ? "f" : "n") + std::to_string(i);
        must(t.insert_response(sample_response(id, "acme", 2), at("2026-03-02T10:00:00Z")));
      }
    });
    const auto after = wal_write_stats();
    if (full) {
      CHECK(after.writes > before.writes);
      CHECK(after.file_writes - before.file_writes < after.writes - before.writes);
    } else {
      CHECK(after.writes == before.writes);  // the default VFS wrote the WAL itself
    }
  }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(dump(db, "SELECT count(*) FROM responses") == "100\n");
}

}  // namespace
}  // namespace turnaround::testing

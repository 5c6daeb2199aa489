// SqliteStore::begin_kept_read: a read transaction kept open between reads
// while nothing is committed. Every kept read must still see every commit
// made before it began, on any connection; a kept transaction holds back
// checkpoints only until end_kept_read() (or any other use of the store).

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "storage/sqlite_store.h"
#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

using storage::SqliteOptions;
using storage::SqliteStore;

std::int64_t kept_counter(SqliteStore& store, const std::string& name) {
  auto t = must(store.begin_kept_read());
  return must(t->get_counter(name));
}

struct ThreeConnections {
  TempDir dir;
  std::string path = dir.file("t.db");
  SqliteOptions manual = [] {
    SqliteOptions o;
    o.wal_autocheckpoint_pages = 0;  // only the test checkpoints
    return o;
  }();
  std::unique_ptr<SqliteStore> writer = must(SqliteStore::open(path, manual));
  std::unique_ptr<SqliteStore> reader = must(SqliteStore::open(path, manual));
  std::unique_ptr<SqliteStore> other = must(SqliteStore::open(path, manual));

  void set(std::int64_t n) {
    write(*writer, [&](Transaction& t) { must(t.set_counter("n", n)); });
  }
};

TEST_CASE("KeptRead.SeesEveryCommitMadeBeforeIt") {
  ThreeConnections c;
  c.set(0);
  std::int64_t last = 0;
  // Commits between some reads and not others, from two connections: each
  // read sees the last value written, whether it reuses the kept
  // transaction or has to begin afresh.
  for (int i = 1; i <= 300; ++i) {
    if (i % 3 == 1) {
      c.set(last = i);
    } else if (i % 7 == 0) {
      write(*c.other, [&](Transaction& t) { must(t.set_counter("n", i)); });
      last = i;
    }
    CAPTURE(i);
    REQUIRE(kept_counter(*c.reader, "n") == last);
  }
  // A checkpoint that restarts the WAL from its start, then a commit of the
  // same size as the previous one: still seen.
  c.reader->end_kept_read();
  REQUIRE(must(c.other->checkpoint()) == 0);
  CHECK(kept_counter(*c.reader, "n") == last);
  c.set(1000);
  CHECK(kept_counter(*c.reader, "n") == 1000);
}

TEST_CASE("KeptRead.HoldsBackCheckpointsUntilEnded") {
  ThreeConnections c;
  c.set(1);
  REQUIRE(must(c.other->checkpoint()) == 0);
  // The first kept read of a connection learns where the WAL index is; from
  // the second on, the transaction stays open after the read.
  CHECK(kept_counter(*c.reader, "n") == 1);
  CHECK(kept_counter(*c.reader, "n") == 1);
  c.set(2);
  // The reader's snapshot predates the commit: its frames cannot be copied.
  CHECK(must(c.other->checkpoint()) > 0);
  // The next kept read sees the commit (a new snapshot, the latest), so
  // everything can be copied again.
  CHECK(kept_counter(*c.reader, "n") == 2);
  CHECK(must(c.other->checkpoint()) == 0);
  c.set(3);
  CHECK(must(c.other->checkpoint()) > 0);
  c.reader->end_kept_read();
  CHECK(must(c.other->checkpoint()) == 0);
  CHECK(kept_counter(*c.reader, "n") == 3);
}

// Reads that never pause (a busy server) must not keep the WAL from
// restarting at its start: after a checkpoint has copied everything, the
// next kept read moves on, and the writer's next commit starts the WAL over.
// The -wal file then stops growing.
TEST_CASE("KeptRead.BusyReadsLetTheWalRestart") {
  ThreeConnections c;
  c.set(0);
  CHECK(kept_counter(*c.reader, "n") == 0);  // learns the WAL index
  std::uintmax_t size = 0;
  for (int i = 1; i <= 60; ++i) {
    CAPTURE(i);
    c.set(i);
    REQUIRE(kept_counter(*c.reader, "n") == i);
    REQUIRE(must(c.other->checkpoint()) == 0);
    REQUIRE(kept_counter(*c.reader, "n") == i);
    if (i == 10) size = std::filesystem::file_size(c.path + "-wal");
  }
  CHECK(std::filesystem::file_size(c.path + "-wal") == size);
}

TEST_CASE("KeptRead.OtherUsesOfTheStoreEndItFirst") {
  ThreeConnections c;
  c.set(1);
  CHECK(kept_counter(*c.reader, "n") == 1);
  CHECK(kept_counter(*c.reader, "n") == 1);  // kept from here
  // A write transaction on the same connection (BEGIN IMMEDIATE inside a
  // kept read would fail) and a plain read, both as if nothing were kept.
  write(*c.reader, [&](Transaction& t) { must(t.set_counter("n", 5)); });
  read(*c.reader, [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 5); });
  CHECK(kept_counter(*c.reader, "n") == 5);
  CHECK(kept_counter(*c.reader, "n") == 5);
  CHECK(must(c.reader->checkpoint()) == 0);  // its own checkpoint ends it too
  c.set(6);
  CHECK(must(c.other->checkpoint()) == 0);
  CHECK(kept_counter(*c.reader, "n") == 6);
}

TEST_CASE("KeptRead.MemoryDatabaseKeepsNothing") {
  auto store = must(SqliteStore::open(":memory:"));
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 3)); });
  CHECK(kept_counter(*store, "n") == 3);
  CHECK(kept_counter(*store, "n") == 3);
  write(*store, [&](Transaction& t) { must(t.set_counter("n", 4)); });
  CHECK(kept_counter(*store, "n") == 4);
  store->end_kept_read();
}

}  // namespace
}  // namespace turnaround::testing

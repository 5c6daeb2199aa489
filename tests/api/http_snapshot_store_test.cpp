// SnapshotStore (api/http/snapshot_store.h): the read transactions of one
// read-only request are one transaction; writes through it are refused.
#include "api/http/snapshot_store.h"

#include <doctest/doctest.h>

#include "storage/memory_store.h"
#include "storage/sqlite_store.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {
namespace {

TEST_CASE("SnapshotStore.ReadsShareOneTransaction") {
  storage::MemoryStore base;
  {
    auto w = base.begin(TxnMode::kWrite);
    REQUIRE(w.ok());
    REQUIRE((*w)->upsert_person({PersonId("p"), "P", {Role::kOwner}, {}, 0, true}).ok());
    REQUIRE((*w)->commit().ok());
  }
  api::SnapshotStore snapshot(base);
  // MemoryStore runs one transaction at a time per thread: a second real
  // begin() here would be refused, so two live views prove one transaction.
  auto a = snapshot.begin(TxnMode::kRead);
  auto b = snapshot.begin(TxnMode::kRead);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK((*a)->find_person(PersonId("p"))->has_value());
  CHECK((*b)->list_people()->size() == 1);
  CHECK((*a)->commit().ok());  // a no-op: the snapshot ends with the store
}

TEST_CASE("SnapshotStore.RefusesWrites") {
  TempDir dir;
  auto base = storage::SqliteStore::open(dir.file("s.db"));
  REQUIRE(base.ok());
  api::SnapshotStore snapshot(**base);
  CHECK(snapshot.begin(TxnMode::kWrite).status().code() == StatusCode::kInternal);
  auto txn = snapshot.begin(TxnMode::kRead);
  REQUIRE(txn.ok());
  CHECK((*txn)->upsert_person({PersonId("p"), "P", {}, {}, 0, true}).code() == StatusCode::kInternal);
  CHECK((*txn)->set_counter("k", 1).code() == StatusCode::kInternal);
  CHECK(!(*txn)->find_person(PersonId("p"))->has_value());
}

}  // namespace
}  // namespace turnaround::testing

// The server's WAL checkpointer (api/http/checkpointer.h): with automatic
// checkpoints off, commits stay in the WAL until the checkpointer copies
// them; it runs when poked and on its period, and once more on stop().
#include "api/http/checkpointer.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

using storage::SqliteOptions;
using storage::SqliteStore;

SqliteOptions no_autocheckpoint() {
  SqliteOptions o;
  o.wal_autocheckpoint_pages = 0;
  return o;
}

TEST_CASE("Checkpointer.CopiesTheWalWhenPokedAndOnStop") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto writer = must(SqliteStore::open(path, no_autocheckpoint()));
  api::CheckpointerOptions options;
  options.period = std::chrono::hours(1);  // only pokes and stop() run it here
  options.min_gap = std::chrono::milliseconds(1);
  Status failure;
  api::Checkpointer checkpointer(must(SqliteStore::open(path, no_autocheckpoint())), options,
                                 [&](const Status& s) { failure = s; });
  for (int i = 0; i < 40; ++i) {
    write(*writer, [&](Transaction& t) { must(t.set_counter("n" + std::to_string(i), i)); });
  }
  checkpointer.poke();
  // Wait (bounded) for the poked run; no timing is asserted.
  for (int i = 0; i < 1000 && checkpointer.runs() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(checkpointer.runs() >= 1);
  // Everything was copied: a checkpoint now finds nothing left, and the
  // next commits reuse the WAL from its start instead of growing it.
  CHECK(must(writer->checkpoint()) == 0);
  const auto wal_size = std::filesystem::file_size(path + "-wal");
  for (int i = 0; i < 20; ++i) {  // fewer pages than the first batch wrote
    write(*writer, [&](Transaction& t) { must(t.set_counter("m" + std::to_string(i), i)); });
  }
  CHECK(std::filesystem::file_size(path + "-wal") == wal_size);
  const auto runs = checkpointer.runs();
  checkpointer.stop();
  CHECK(checkpointer.runs() == runs + 1);  // the last run on stop()
  CHECK(must(writer->checkpoint()) == 0);
  checkpointer.stop();  // idempotent
  CHECK(failure.ok());
  read(*writer, [&](Transaction& t) { CHECK(must(t.get_counter("m19")) == 19); });
}

}  // namespace
}  // namespace turnaround::testing

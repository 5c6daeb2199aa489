// commit_bench: the floor for POST /v1/responses in bench/http_bench.sh:
// how many transactions per second SQLite commits on this disk when every
// request is its own transaction, with the settings the server uses (WAL,
// synchronous=FULL). Each transaction inserts one row of the size of a
// response. Writers are serialised by SQLite, so one thread measures it.
// Then the disk's own fsync rate in the same directory (one 4 KiB block
// rewritten and fdatasync()ed, over and over, for the same time).
//
//   commit_bench DIR [--seconds S]
//
// Prints "RESULT commit.per_s=N" and "RESULT fsync.per_s=N".

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "bench/bench_util.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: commit_bench DIR [--seconds S]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  double seconds = 5;
  if (argc >= 4 && std::string(argv[2]) == "--seconds") seconds = std::stod(argv[3]);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "commit_bench.db").string();
  std::filesystem::remove(path);
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=FULL");
  db.exec("CREATE TABLE responses (response_id TEXT PRIMARY KEY, customer_id TEXT, score INTEGER, "
          "comment TEXT, responded_at INTEGER)");
  SQLite::Statement insert(db, "INSERT INTO responses VALUES (?1, ?2, ?3, ?4, ?5)");
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  long n = 0;
  while (std::chrono::steady_clock::now() < end) {
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    insert.bind(1, "r-" + std::to_string(n));
    insert.bind(2, "c-" + std::to_string(n % 1000));
    insert.bind(3, static_cast<int>(n % 11));
    insert.bind(4, "Support was slow to answer and the invoice was wrong again");
    insert.bind(5, static_cast<std::int64_t>(1780000000 + n));
    insert.exec();
    insert.reset();
    txn.commit();
    ++n;
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld commits in %.2f s (synchronous=FULL, WAL, one row each): %.0f commits/s\n", n, took,
              n / took);
  std::printf("RESULT commit.per_s=%.0f\n", n / took);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  const double fsyncs = bench::fsync_rate_per_s(dir, seconds);
  std::printf("disk: %.0f fsyncs/s (one 4 KiB block rewritten and fdatasync()ed, %.0f s)\n",
              fsyncs, seconds);
  std::printf("RESULT fsync.per_s=%.0f\n", fsyncs);
  return 0;
}

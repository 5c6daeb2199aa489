#pragma once
// A SQLite VFS that gathers the writes of a commit to the write-ahead log
// into one system call.
//
// SQLite writes each WAL frame with two pwrite() calls (a 24-byte header,
// then the page), so a group commit of 30 intake items, which dirties about
// 200 pages, made about 400 system calls before its fsync. On this kind of
// virtual machine a system call is dear: 400 small writes took 950 us of
// CPU where one write of the same bytes took 260 us (docs/performance.md).
//
// This VFS wraps the default one. Database files and everything else pass
// through untouched; only a WAL file's writes are kept in a buffer while
// they are sequential (or overwrite bytes still in the buffer), and the
// buffer goes to the file in one write when SQLite syncs, reads, truncates
// or sizes the file, controls it, closes it, or when 4 MiB are gathered.
//
// Why it is safe: SQLite makes a commit's frames visible to other
// connections only after writing them and, with synchronous=FULL, after
// syncing the WAL, and the sync flushes the buffer first. With
// synchronous=NORMAL or OFF there is no sync at commit, and frames still in
// the buffer could be published in the WAL index before they reach the
// file: so SqliteStore uses this VFS only for connections with
// synchronous=FULL (SqliteOptions::synchronous_full). A crash loses only
// what was never synced, i.e. never committed.

#include <cstdint>

namespace turnaround::storage {

// Registers the VFS (once; thread-safe) and returns its name, for
// sqlite3_open_v2. Throws std::runtime_error if there is no default VFS.
const char* wal_coalescing_vfs();

// Process-wide counts, for tests and benchmarks.
struct WalWriteStats {
  std::uint64_t writes = 0;       // writes SQLite made to WAL files
  std::uint64_t file_writes = 0;  // writes this VFS made to them
};
WalWriteStats wal_write_stats();

}  // namespace turnaround::storage

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
// This VFS wraps the default one. Only a WAL file's writes are kept in a
// buffer while they are sequential (or overwrite bytes still in the
// buffer), and the buffer goes to the file in one write (in pieces of 124
// KiB) when SQLite syncs, reads, truncates or sizes the file, controls it,
// closes it, or when 4 MiB are gathered; database files and everything else
// go straight through to the default VFS.
//
// Why it is safe: frames become visible to other connections only when
// SQLite publishes them in the WAL index, and it calls the database file's
// xShmBarrier between the two copies of the index header it writes to do
// so; this VFS flushes the connection's WAL there, so the frames are in the
// file first (with synchronous=FULL the commit's sync has flushed them
// already). A write transaction rolled back after it spilled pages leaves
// frames in the buffer that SQLite would have written beyond the WAL's end:
// they are flushed when the connection releases the WAL write lock, while
// it still holds it (later, they could overwrite frames another writer
// committed at the same offsets). A crash loses only what was never synced,
// i.e. never committed. A write that fails keeps its bytes gathered for
// the next flush (SQLite believes them written) until the transaction ends.
//
// Use it with synchronous=FULL only, as SqliteStore does
// (SqliteOptions::synchronous_full): there the commit's sync is the flush,
// and a write that fails fails the commit. Without a sync at commit, the
// flush at the barrier still keeps readers from unwritten frames, but its
// failure could not fail the commit.

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

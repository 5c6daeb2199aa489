#pragma once
// `turnaround serve`: the HTTP/1.1 server of the v1 API (docs/api.md).
//
// Shape: `io_threads` I/O threads, each running an io_context of its own
// (io_threads.h); connections are dealt to them in turn, one coroutine per
// connection, which stays on its thread; handlers (handlers.h) run on a pool
// of `workers` threads, because Engine calls block on SQLite, and their
// results come back to the connection's thread (small bounded reads run on
// the I/O thread itself: inline_reads below). Intake goes through the group-commit IngestQueue; timers fire in
// the Scheduler; SIGINT and SIGTERM stop the server gracefully: it stops
// accepting, lets in-flight requests finish (up to shutdown_grace), closes
// idle keep-alive connections, and returns 0.
//
// Safeguards, each one option below: a body limit (413), a header limit
// (431), a deadline for reading each request from its first byte (so a
// client sending a byte a second is cut off), an idle timeout between
// keep-alive requests, a write timeout, and a cap on open connections
// (beyond it a connection gets 503 and is closed). None lets a slow client
// hold up others: each connection waits on its own.
//
// The header is free of Boost types so that the CLI can include it cheaply.

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace turnaround::api {

struct ServerOptions {
  // HOST:PORT to listen on; HOST an IP address; port 0 picks a free port.
  // Default 127.0.0.1:8080.
  std::string listen = "127.0.0.1:8080";
  // Threads running the I/O (accept, read, write). 0 (default): one per core.
  int io_threads = 0;
  // Threads running handlers (Engine calls), each with its own read
  // connection to the database. 0 (default): two per I/O thread, at least 2.
  int workers = 0;
  // Largest request body; larger gets 413. Default 1 MiB.
  std::size_t body_limit = 1024 * 1024;
  // Largest request header; larger gets 431. Default 16 KiB.
  std::size_t header_limit = 16 * 1024;
  // Time to read a whole request from its first byte. Default 10 s.
  std::chrono::milliseconds read_timeout{10000};
  // Time an idle keep-alive connection is kept for its next request.
  // Default 30 s.
  std::chrono::milliseconds idle_timeout{30000};
  // Time to write a response. Default 10 s.
  std::chrono::milliseconds write_timeout{10000};
  // Open connections beyond which new ones get 503 and are closed.
  // Default 1000.
  int max_connections = 1000;
  // Most items per group commit of the ingest queue. Default 2000.
  std::size_t ingest_batch_items = 2000;
  // Longest sleep of the timer scheduler between looks. Default 60 s.
  std::chrono::milliseconds scheduler_max_sleep{60000};
  // On SIGTERM/SIGINT, the time in-flight requests get before connections
  // are cut. Default 10 s.
  std::chrono::milliseconds shutdown_grace{10000};
  // One line per request on stderr. Default on.
  bool access_log = true;
  // Run small bounded reads (routes with Route::inline_read: GET
  // /v1/cases/{id}, GET /healthz), and the authentication and parsing of
  // intake bodies up to 16 KiB, on the I/O thread instead of the worker
  // pool. Saves two thread wake-ups per request (about as much CPU as the
  // whole HTTP exchange); the price is that while such a read waits for the
  // disk (a page not in the cache), the other connections served by that
  // I/O thread wait too. Writes, the ingest itself and lists always run on
  // worker threads. Default on.
  bool inline_reads = true;
  // Memory-mapped reads of the database by every connection of the server,
  // in MiB (storage::SqliteOptions::mmap_mib). 0: off, the default. Mapped,
  // the connections share the file's pages in the OS cache instead of each
  // copying them into a private cache: about 10% less CPU per GET
  // /v1/cases/{id} while nothing is written. But in WAL mode SQLite unmaps
  // the whole file at the start of every read transaction that follows
  // another connection's commit, and the pages are faulted in again: under
  // ingest it cost about 25% more CPU per POST (docs/performance.md).
  int mmap_mib = 0;
};

// Serves the database at `db_path` (which must exist and be initialised)
// until SIGINT or SIGTERM. The first line on `out` is "listening on
// http://ADDRESS:PORT" (with the actual port), flushed at once. Problems
// are reported on `err`. Returns the exit code: 0 after a clean shutdown,
// 1 if the server could not start.
int run_server(const std::string& db_path, const ServerOptions& options, std::ostream& out,
               std::ostream& err);

}  // namespace turnaround::api

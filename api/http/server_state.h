#pragma once
// What the listener and the sessions of one running server share. Internal
// to api/http (included by server.cpp and session.cpp only: it pulls in
// Asio).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "api/http/handlers.h"
#include "api/http/ingest_queue.h"
#include "api/http/metrics.h"
#include "api/http/router.h"
#include "api/http/scheduler.h"
#include "api/http/server.h"
#include "api/http/store_pool.h"

namespace turnaround::api {

// One connection as the shutdown sees it. Fields other than `executor` are
// touched only on that executor (the connection's I/O thread).
struct ConnectionState {
  boost::asio::any_io_executor executor;
  bool busy = false;            // a request is being read, handled or answered
  std::function<void()> cancel;  // cancels the connection's pending I/O; empty once closed
};

// The open connections, so that shutdown can close the idle ones at once.
// Thread-safety: safe.
class ConnectionRegistry {
 public:
  std::uint64_t add(std::shared_ptr<ConnectionState> c);
  void remove(std::uint64_t id);
  // On each connection's I/O thread: cancels its I/O unless it is busy.
  void close_idle();

 private:
  std::mutex mutex_;
  std::uint64_t next_id_ = 0;                                           // guarded by mutex_
  std::map<std::uint64_t, std::shared_ptr<ConnectionState>> connections_;  // guarded by mutex_
};

struct ServerState {
  const ServerOptions& options;
  const Router& router;
  Services& services;
  // What the I/O threads use for their own work (inline reads, intake
  // authentication): the same engine, reading through io_store.
  Services& io_services;
  KeptReadStore& io_store;
  Metrics& metrics;
  IngestQueue& ingest;
  Scheduler& scheduler;
  boost::asio::thread_pool& workers;
  std::atomic<bool> stopping{false};
  std::atomic<int> open_connections{0};
  ConnectionRegistry connections{};
  // Called (from any I/O thread) when the last connection closes after
  // `stopping` was set: ends the shutdown's grace period early.
  std::function<void()> on_drained{};

  // One access-log line on stderr (if enabled): JSON with ts, method,
  // route, status, ms and actor. Never the token.
  void log_request(std::string_view method, std::string_view route, int status, double seconds,
                   std::string_view actor) const;
  // One event line on stderr: {"ts", "event", "message"}.
  void log_event(std::string_view event, std::string_view message) const;
};

// Serves one connection until it closes (session.cpp).
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, ServerState& state);

}  // namespace turnaround::api

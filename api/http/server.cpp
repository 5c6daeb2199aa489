// run_server(): opens the database, builds the Engine, the ingest queue and
// the scheduler, listens, runs the io_context on its threads, and shuts
// down cleanly on SIGINT/SIGTERM.

#include "api/http/server.h"

#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <ostream>
#include <string_view>
#include <thread>
#include <vector>

#include "api/cli/context.h"
#include "api/http/checkpointer.h"
#include "api/http/config_watcher.h"
#include "api/http/io_threads.h"
#include "api/http/server_state.h"
#include "api/http/store_pool.h"
#include "engine/configuration.h"

namespace turnaround::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// "2026-11-02T08:00:00.123Z".
std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::string t = format_instant(Instant(secs.time_since_epoch()));
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms));
  t.insert(t.size() - 1, frac);
  return t;
}

// JSON string escaping for log fields (ids and route patterns are plain,
// but messages may hold anything).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void write_stderr(const std::string& line) {
  // One write(2) per line: lines of concurrent requests never interleave.
  [[maybe_unused]] auto n = ::write(2, line.data(), line.size());
}

// One event line on stderr: {"ts", "event", "message"}.
void log_event(std::string_view event, std::string_view message) {
  write_stderr("{\"ts\":\"" + timestamp() + "\",\"event\":" + quoted(event) +
               ",\"message\":" + quoted(message) + "}\n");
}

Result<tcp::endpoint> parse_listen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return invalid_argument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080", {"listen"});
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return invalid_argument("--listen: '" + host + "' is not an IP address", {"listen"});
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) return invalid_argument("--listen: bad port in '" + listen + "'", {"listen"});
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

// Over the connection cap: a short 503, then close. The whole exchange
// is bounded by one second, so refused clients cannot pile up.
asio::awaitable<void> refuse(tcp::socket socket) {
  static const std::string kBody =
      "{\"error\":{\"code\":\"unavailable\",\"message\":\"too many connections; retry later\"}}\n";
  static const std::string kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
      "Content-Length: " + std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
  asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(1));
  deadline.async_wait([&socket](boost::system::error_code ec) {
    if (!ec) socket.cancel(ec);
  });
  boost::system::error_code ec;
  std::tie(ec, std::ignore) = co_await asio::async_write(socket, asio::buffer(kBusy), kTuple);
  // Stop sending, then drain what the client sent (closing with unread
  // data would reset the connection and could lose the 503 on its way).
  socket.shutdown(tcp::socket::shutdown_send, ec);
  char sink[1024];
  for (int i = 0; i < 64 && !ec; ++i) {
    std::tie(ec, std::ignore) = co_await socket.async_read_some(asio::buffer(sink), kTuple);
  }
  deadline.cancel();
  co_await asio::post(socket.get_executor(), asio::use_awaitable);  // let the timer's handler run
  socket.close(ec);
}

// Accepts connections onto the I/O threads in turn (io_threads.h).
asio::awaitable<void> listen_loop(tcp::acceptor& acceptor, IoThreads& io, ServerState& st) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(io.next_executor(), kTuple);
    if (st.stopping) break;
    if (ec) {
      st.log_event("accept_failed", ec.message());
      // Out of descriptors or similar: back off instead of spinning.
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    if (st.open_connections.load() >= st.options.max_connections) {
      st.metrics.connection_refused();
      auto ex = socket.get_executor();
      asio::co_spawn(ex, refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++st.open_connections;
    st.metrics.connection_opened();
    auto ex = socket.get_executor();
    asio::co_spawn(ex, run_session(std::move(socket), st), [&st](std::exception_ptr e) {
      st.metrics.connection_closed();
      if (--st.open_connections == 0 && st.stopping && st.on_drained) st.on_drained();
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          st.log_event("session_failed", ex.what());
        }
      }
    });
  }
}

// glibc gives freed memory back to the kernel as soon as 128 KiB sit free at
// the top of a heap, and the heaps of its per-thread arenas are shrunk the
// same way. A server's request and commit buffers are freed and allocated
// again thousands of times a second, so under ingest load a third of the
// CPU went to madvise/shrink_heap and the page faults that refill the
// pages (perf, 64 clients posting). Keeping up to 256 MiB of freed memory
// in the process, and serving blocks up to 32 MiB from the heaps rather
// than from mmap, halves the CPU per POST; GETs are unchanged. An operator's
// GLIBC_TUNABLES setting of either threshold wins (docs/operations.md).
void keep_freed_memory() {
#ifdef __GLIBC__
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string_view set = tunables ? tunables : "";
  if (set.find("malloc.trim_threshold") == std::string_view::npos) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  }
  if (set.find("malloc.mmap_threshold") == std::string_view::npos) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
  }
#endif
}

int default_io_threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace

std::uint64_t ConnectionRegistry::add(std::shared_ptr<ConnectionState> c) {
  std::lock_guard lock(mutex_);
  connections_.emplace(++next_id_, std::move(c));
  return next_id_;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

void ConnectionRegistry::close_idle() {
  std::lock_guard lock(mutex_);
  for (auto& [id, c] : connections_) {
    asio::post(c->executor, [c = c] {
      if (!c->busy && c->cancel) c->cancel();
    });
  }
}

void ServerState::log_request(std::string_view method, std::string_view route, int status,
                              double seconds, std::string_view actor) const {
  if (!options.access_log) return;
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
  write_stderr("{\"ts\":\"" + timestamp() + "\",\"method\":" + quoted(method) +
               ",\"route\":" + quoted(route) + ",\"status\":" + std::to_string(status) +
               ",\"ms\":" + ms + ",\"actor\":" + quoted(actor) + "}\n");
}

void ServerState::log_event(std::string_view event, std::string_view message) const {
  api::log_event(event, message);
}

namespace {

boost::system::error_code open_acceptor(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  return ec;
}

// SIGINT/SIGTERM: stop accepting, close idle connections, give in-flight
// requests the grace period, then stop. The I/O threads' contexts are
// released (run() returns once each is out of work) when the last
// connection ends, or stopped when the grace period is over.
class GracefulStop {
 public:
  GracefulStop(IoThreads& io, tcp::acceptor& acceptor, ServerState& state)
      : io_(io), acceptor_(acceptor), state_(state), grace_(io.main()), signals_(io.main(), SIGINT, SIGTERM) {
    state_.on_drained = [this] {
      std::lock_guard lock(mutex_);
      grace_.cancel();
      io_.release();
    };
    signals_.async_wait([this](boost::system::error_code ec, int signo) {
      if (!ec) stop(signo);
    });
  }

 private:
  void stop(int signo) {
    state_.log_event("shutdown", "signal " + std::to_string(signo) + ": finishing in-flight requests");
    state_.stopping = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    state_.connections.close_idle();
    std::lock_guard lock(mutex_);  // orders arming the timer against on_drained
    if (state_.open_connections.load() == 0) {
      io_.release();
      return;
    }
    grace_.expires_after(state_.options.shutdown_grace);
    grace_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      state_.log_event("shutdown", "grace period over; closing remaining connections");
      io_.stop();
    });
  }

  IoThreads& io_;
  tcp::acceptor& acceptor_;
  ServerState& state_;
  std::mutex mutex_;
  asio::steady_timer grace_;  // guarded by mutex_
  asio::signal_set signals_;
};

void record_tick(Metrics& metrics, const Result<TickResult>& r) {
  if (!r.ok()) {
    metrics.record_tick(0, 0, 0, 0, false);
    log_event("tick_failed", r.status().message());
    return;
  }
  metrics.record_tick(r->fired, r->reminders, r->escalations, r->deadlines_missed, true);
  if (r->fired > 0) log_event("tick", "fired " + std::to_string(r->fired) + " timer(s)");
}

int startup_error(std::ostream& err, const std::string& message) {
  err << "turnaround: error: " << message << "\n";
  return 1;
}

}  // namespace

int run_server(const std::string& db_path, const ServerOptions& given, std::ostream& out,
               std::ostream& err) {
  keep_freed_memory();
  // A log reader that goes away (a pipe into `head`, a log shipper that
  // restarts) must cost the log lines, not the server: write(2) then fails
  // with EPIPE instead of raising SIGPIPE. Sockets never raise it (Asio
  // sends with MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  ServerOptions options = given;
  if (options.io_threads <= 0) options.io_threads = default_io_threads();
  if (options.workers <= 0) options.workers = std::max(2, 2 * options.io_threads);
  auto endpoint = parse_listen(options.listen);
  if (!endpoint.ok()) return startup_error(err, endpoint.status().message());
  storage::SqliteOptions sqlite;
  sqlite.create_if_missing = false;
  sqlite.synchronous_full = true;  // a 2xx means the data is on disk
  // Checkpoints run on the checkpointer's thread, not on commits (below).
  sqlite.wal_autocheckpoint_pages = 0;
  sqlite.mmap_mib = options.mmap_mib;
  // Every thread that reads gets its own reader connection: the workers, the
  // I/O threads (inline reads), the scheduler's thread, the ingest worker and
  // the configuration watcher.
  auto store = ReadPoolStore::open(db_path, options.workers + options.io_threads + 3, sqlite);
  if (!store.ok()) return startup_error(err, store.status().message());
  auto config = load_configuration(**store);
  if (!config.ok()) return startup_error(err, config.status().message());
  SystemClock clock;
  Engine engine(**store, clock, config->company, config->registry);
  // A later `turnaround init` is picked up within a second (config_watcher.h).
  ConfigWatcher config_watcher(engine, **store, config->generation, ConfigWatcherOptions{},
                               [](std::string_view event, std::string_view message) {
                                 log_event(event, message);
                               });
  Metrics metrics;
  Services services{engine, **store, &metrics};
  KeptReadStore io_store(**store);
  Services io_services{engine, io_store, &metrics};
  IoThreads io(options.io_threads);
  tcp::acceptor acceptor(io.main());
  if (auto ec = open_acceptor(acceptor, *endpoint)) {
    return startup_error(err, "cannot listen on " + options.listen + ": " + ec.message());
  }

  storage::SqliteOptions checkpoint_options = sqlite;
  checkpoint_options.cache_mib = 2;
  auto checkpoint_store = storage::SqliteStore::open(db_path, checkpoint_options);
  if (!checkpoint_store.ok()) return startup_error(err, checkpoint_store.status().message());
  Checkpointer checkpointer(std::move(*checkpoint_store), CheckpointerOptions{}, [](const Status& s) {
    log_event("checkpoint_failed", s.message());
  });

  SchedulerOptions scheduler_options;
  scheduler_options.max_sleep = options.scheduler_max_sleep;
  Scheduler scheduler(engine, **store, clock, scheduler_options,
                      [&metrics](const Result<TickResult>& r) { record_tick(metrics, r); });
  IngestQueueOptions ingest_options;
  ingest_options.max_batch_items = options.ingest_batch_items;
  IngestQueue ingest(engine, ingest_options, [&](std::size_t items, std::size_t requests, bool ok) {
    metrics.record_ingest_batch(items, requests, ok);
    if (ok) {
      scheduler.poke();  // the batch may have created an earlier timer
      checkpointer.poke();
    }
  });
  asio::thread_pool workers(static_cast<std::size_t>(options.workers));
  ServerState state{options, Router::standard(), services, io_services, io_store, metrics, ingest,
                    scheduler, workers};
  GracefulStop graceful_stop(io, acceptor, state);

  const auto bound = acceptor.local_endpoint();
  out << "listening on http://" << bound.address().to_string() << ":" << bound.port() << std::endl;
  log_event("listening", bound.address().to_string() + ":" + std::to_string(bound.port()));
  asio::co_spawn(io.main(), listen_loop(acceptor, io, state), asio::detached);
  scheduler.start();
  io.run("ta-io");
  // Every connection is closed: finish the work behind them.
  scheduler.stop();
  config_watcher.stop();
  workers.join();
  ingest.stop();
  checkpointer.stop();
  log_event("stopped", "clean shutdown");
  return 0;
}

}  // namespace turnaround::api

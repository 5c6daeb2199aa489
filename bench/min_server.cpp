// min_server: the floor for GET benchmarks of `turnaround serve`
// (bench/http_bench.sh). The same shape as the real server (Beast, one
// coroutine per keep-alive connection, connections dealt round robin to one
// io_context per I/O thread, one I/O thread per core: api/http/io_threads.h)
// but every request gets the same fixed body at once: no routing, no
// authentication, no database, no worker pool.
//
//   min_server [--listen 127.0.0.1:0] [--body-bytes N] [--threads N] [--work-us U]
//
// --work-us U: before answering, each request spends about U microseconds of
// CPU in a plain arithmetic loop (calibrated against the thread's CPU clock
// at start): the rate a server would reach whose only cost above this one
// were U us of work per request, such as a handler measured alone.
//
// Prints "listening on http://127.0.0.1:PORT" first, then serves until
// SIGINT/SIGTERM.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/http/io_threads.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Iterations of spin() per microsecond of CPU, and per request.
std::uint64_t g_spin_per_request = 0;

// A loop the compiler cannot fold: each step depends on the one before.
std::uint64_t spin(std::uint64_t iterations) {
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// Iterations of spin() in one microsecond of this thread's CPU: the fastest
// of a few 20 ms rounds (a round that was preempted only counts less CPU).
double spin_per_us() {
  constexpr std::uint64_t kRound = 1u << 22;
  double best = 0;
  volatile std::uint64_t sink = 0;
  for (int round = 0; round < 5; ++round) {
    const double t0 = thread_cpu_us();
    std::uint64_t done = 0;
    while (thread_cpu_us() - t0 < 20000) {
      sink = sink + spin(kRound);
      done += kRound;
    }
    best = std::max(best, static_cast<double>(done) / (thread_cpu_us() - t0));
  }
  return best;
}

volatile std::uint64_t g_sink = 0;

asio::awaitable<void> session(tcp::socket socket, const std::string& body) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await http::async_read(stream, buffer, req, kTuple);
    if (ec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "min_server");
    res.set(http::field::content_type, "application/json");
    res.body() = body;
    if (g_spin_per_request > 0) g_sink = g_sink + spin(g_spin_per_request);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, w] = co_await http::async_write(stream, res, kTuple);
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor, turnaround::api::IoThreads& io,
                             const std::string& body) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(io.next_executor(), kTuple);
    if (ec) co_return;
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket), body), asio::detached);
  }
}

struct Options {
  std::string listen_at = "127.0.0.1:0";
  std::size_t body_bytes = 1500;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double work_us = 0;
};

constexpr const char* kUsage =
    "usage: min_server [--listen HOST:PORT] [--body-bytes N] [--threads N] [--work-us U]\n";

// Parses the command line; on a mistake, says which option is wrong and why.
std::optional<Options> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "min_server: " << flag << " needs a value\n" << kUsage;
      return std::nullopt;
    }
    const std::string value = argv[i + 1];
    try {
      std::size_t used = 0;
      if (flag == "--listen") {
        o.listen_at = value;
        used = value.size();
      } else if (flag == "--body-bytes") {
        o.body_bytes = std::stoul(value, &used);
      } else if (flag == "--threads") {
        o.threads = std::stoi(value, &used);
      } else if (flag == "--work-us") {
        o.work_us = std::stod(value, &used);
      } else {
        std::cerr << "min_server: unknown option " << flag << "\n" << kUsage;
        return std::nullopt;
      }
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      std::cerr << "min_server: " << flag << ": not a number: '" << value << "'\n";
      return std::nullopt;
    }
  }
  if (o.threads < 1 || o.threads > 256) {
    std::cerr << "min_server: --threads must be between 1 and 256\n";
    return std::nullopt;
  }
  if (!(o.work_us >= 0 && o.work_us <= 1e6)) {
    std::cerr << "min_server: --work-us must be between 0 and 1000000\n";
    return std::nullopt;
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = parse_options(argc, argv);
  if (!options) return 2;
  const std::string& listen_at = options->listen_at;
  const auto colon = listen_at.rfind(':');
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(listen_at.substr(0, colon == std::string::npos ? 0 : colon), ec);
  int port = -1;
  if (colon != std::string::npos) {
    try {
      std::size_t used = 0;
      port = std::stoi(listen_at.substr(colon + 1), &used);
      if (used != listen_at.size() - colon - 1) port = -1;
    } catch (const std::exception&) {
      port = -1;
    }
  }
  if (ec || port < 0 || port > 65535) {
    std::cerr << "min_server: --listen: expected HOST:PORT, e.g. 127.0.0.1:0, not '" << listen_at
              << "'\n";
    return 2;
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  if (options->work_us > 0) {
    g_spin_per_request = static_cast<std::uint64_t>(spin_per_us() * options->work_us);
  }
  const std::size_t body_bytes = options->body_bytes;
  const int threads = options->threads;
  // A JSON body of about the requested size.
  std::string body = "{\"padding\":\"" + std::string(body_bytes > 16 ? body_bytes - 16 : 0, 'x') + "\"}\n";
  turnaround::api::IoThreads io(threads);
  tcp::acceptor acceptor(io.main(), endpoint);
  std::cout << "listening on http://" << acceptor.local_endpoint().address().to_string() << ":"
            << acceptor.local_endpoint().port() << std::endl;
  asio::co_spawn(io.main(), listen(acceptor, io, body), asio::detached);
  asio::signal_set signals(io.main(), SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { io.stop(); });
  io.run("min-io");
  return 0;
}

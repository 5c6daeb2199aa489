// min_server: the floor for GET benchmarks of `turnaround serve`
// (bench/http_bench.sh). The same shape as the real server (Beast, one
// coroutine per keep-alive connection, connections dealt round robin to one
// io_context per I/O thread, one I/O thread per core: api/http/io_threads.h)
// but every request gets the same fixed body at once: no routing, no
// authentication, no database, no worker pool.
//
//   min_server [--listen 127.0.0.1:0] [--body-bytes N] [--threads N]
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

#include <cstdio>
#include <iostream>
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

}  // namespace

int main(int argc, char** argv) {
  std::string listen_at = "127.0.0.1:0";
  std::size_t body_bytes = 1500;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--listen") listen_at = argv[i + 1];
    else if (a == "--body-bytes") body_bytes = std::stoul(argv[i + 1]);
    else if (a == "--threads") threads = std::stoi(argv[i + 1]);
    else {
      std::cerr << "usage: min_server [--listen HOST:PORT] [--body-bytes N] [--threads N]\n";
      return 2;
    }
  }
  const auto colon = listen_at.rfind(':');
  const tcp::endpoint endpoint(asio::ip::make_address(listen_at.substr(0, colon)),
                               static_cast<unsigned short>(std::stoi(listen_at.substr(colon + 1))));
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

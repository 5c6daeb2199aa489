// One HTTP/1.1 connection as one coroutine (Beast's awaitable server
// example), with the safeguards of its advanced server: body and header
// limits, a deadline per request read, an idle timeout between keep-alive
// requests, a write timeout. The connection's coroutine runs on its I/O
// thread's io_context (io_threads.h: one thread per context, so its handlers
// never run concurrently); handlers run on the worker pool and resume it
// there, except small bounded reads (Route::inline_read), which run on the
// I/O thread.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <exception>
#include <optional>

#include "api/http/errors.h"
#include "api/http/server_state.h"
#include "api/http/web_assets.h"

namespace turnaround::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Intake bodies up to this size are authenticated and parsed on the I/O
// thread (tens of microseconds); larger ones on a worker.
constexpr std::size_t kInlineIntakeBodyBytes = 16 * 1024;

// Runs f() on the worker pool and resumes the calling coroutine on its own
// executor (the connection's I/O thread) with the result. The work guard keeps
// the io_context running while the pool works (matters during shutdown).
template <typename R, typename F>
asio::awaitable<R> offload(asio::thread_pool& pool, F&& f) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [&pool, &f](auto handler) {
        auto work = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        asio::post(pool, [handler = std::move(handler), work = std::move(work), &f]() mutable {
          R result = f();
          asio::dispatch(work, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable);
}

// Queues a plan in the ingest queue and resumes with its results.
asio::awaitable<IngestQueue::Results> ingest(IngestQueue& queue,
                                             std::shared_ptr<const IntakePlan> plan) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(IngestQueue::Results)>(
      [&queue, plan](auto handler) {
        auto work = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        using Handler = decltype(handler);
        auto shared = std::make_shared<Handler>(std::move(handler));
        // post, not dispatch: submit() may refuse at once, on this thread,
        // and the coroutine must not be resumed from inside its own co_await.
        queue.submit(plan, [shared, work](IngestQueue::Results r) {
          asio::post(work, [shared, r = std::move(r)]() mutable { std::move(*shared)(std::move(r)); });
        });
      },
      asio::use_awaitable);
}

using RequestParser = http::request_parser<http::string_body>;

// Feeds what `buffer` holds to `parser` (consuming it) and adds the bytes
// consumed to `consumed`. need_more is not an error: the rest is read
// asynchronously. Beast throws on a field it cannot hold (a trailer field
// over 64 KiB): that is a malformed request here, not the end of the thread.
beast::error_code parse_buffered(RequestParser& parser, beast::flat_buffer& buffer,
                                 std::size_t& consumed) {
  beast::error_code ec;
  try {
    while (buffer.size() > 0 && !parser.is_done()) {
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      consumed += used;
      if (ec == http::error::need_more) return {};
      if (ec || used == 0) break;
    }
  } catch (const std::exception&) {
    ec = http::error::bad_field;
  }
  return ec;
}

// Whether `buffer` holds a whole request header (up to its empty line) of
// at most `limit` bytes; error header_limit once it cannot. The parser is fed
// only whole headers: Beast's own limit counts what one put() is given, and
// a header fed in pieces would get past it.
bool header_ready(const beast::flat_buffer& buffer, std::size_t limit, beast::error_code& ec) {
  const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  const std::size_t end = data.substr(0, limit).find("\r\n\r\n");
  if (end != std::string_view::npos) return true;
  if (data.size() >= limit) ec = http::error::header_limit;
  return false;
}

// Reads one request into `parser`, from what `buffer` already holds and then
// from the stream. Bounds, besides the parser's own body limit:
//  - the header must be whole within header_limit bytes (431);
//  - the buffer never holds more than header_limit + 8 KiB not yet parsed
//    (a chunk header or trailer section that would need more: 413,
//    error buffer_overflow);
//  - the whole request, framing and trailers included, is at most
//    header_limit + 2 x body_limit + 64 KiB (413, error body_limit).
// Answers "Expect: 100-continue" once the header is in.
asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream,
                                                beast::flat_buffer& buffer, RequestParser& parser,
                                                const ServerOptions& options) {
  const std::size_t max_unparsed = options.header_limit + 8192;
  const std::size_t max_request = options.header_limit + 2 * options.body_limit + 65536;
  std::size_t consumed = 0;
  bool continue_sent = false;
  for (;;) {
    beast::error_code ec;
    if (parser.is_header_done() || header_ready(buffer, options.header_limit, ec)) {
      ec = parse_buffered(parser, buffer, consumed);
    }
    if (!ec && consumed > max_request) ec = http::error::body_limit;
    if (ec || parser.is_done()) co_return ec;
    if (parser.is_header_done() && !continue_sent &&
        beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      continue_sent = true;
      http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
      auto [wec, w] = co_await http::async_write(stream, cont, kTuple);
      if (wec) co_return wec;
    }
    if (buffer.size() >= max_unparsed) co_return http::error::buffer_overflow;
    auto [rec, n] = co_await stream.async_read_some(
        buffer.prepare(std::min<std::size_t>(8192, max_unparsed - buffer.size())), kTuple);
    if (rec) co_return rec;
    buffer.commit(n);
  }
}

// The answer to a request that could not be read, sent before the
// connection closes; none when the client left or its time ran out.
struct ReadFailure {
  HttpResponse response;
  std::string_view what;  // the route named in the log and metrics
};

std::optional<ReadFailure> read_failure(const beast::error_code& ec, const ServerOptions& options) {
  if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
    return std::nullopt;  // timed out (the stream is closed), or the client left
  }
  const std::string header_limit = std::to_string(options.header_limit) + " bytes";
  if (ec == http::error::buffer_overflow) {
    return ReadFailure{error_response(413, "resource_exhausted",
                                      "a chunk header or the trailer section of the request is "
                                      "longer than " +
                                          header_limit),
                       "request_limit"};
  }
  if (ec == http::error::body_limit) {
    return ReadFailure{error_response(413, "resource_exhausted",
                                      "the request body is larger than " +
                                          std::to_string(options.body_limit) + " bytes"),
                       "body_limit"};
  }
  if (ec == http::error::header_limit) {
    return ReadFailure{error_response(431, "header_too_large",
                                      "the request header is larger than " + header_limit),
                       "header_limit"};
  }
  return ReadFailure{error_response(400, "bad_request", "malformed HTTP request: " + ec.message()),
                     "bad_request"};
}

// The method as metrics and the access log name it: one of HTTP's own, or
// "other" (a client must not be able to grow the metrics or fill the log
// with methods of its own making).
std::string_view method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                                "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  for (std::string_view m : kKnown) {
    if (method == m) return m;
  }
  return "other";
}

HttpRequest to_request(http::request<http::string_body>&& req) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  auto header = [&req](auto field, std::string& out) {
    if (auto it = req.find(field); it != req.end()) out = std::string(it->value());
  };
  header(http::field::authorization, r.authorization);
  header(http::field::cookie, r.cookie);
  header(http::field::origin, r.origin);
  header(http::field::host, r.host);
  header(http::field::if_none_match, r.if_none_match);
  header("X-Requested-With", r.requested_with);
  header("Sec-Fetch-Site", r.fetch_site);
  r.body = std::move(req.body());
  return r;
}

http::response<http::string_body> to_beast(HttpResponse&& res, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, "turnaround");
  out.set(http::field::content_type, res.content_type);
  for (auto& [name, value] : res.headers) out.set(name, value);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

struct Handled {
  HttpResponse response;
  std::string route = "unmatched";
  std::string actor;
};

// What handle_here() left for handle_rest(): nothing (the request is
// answered), an intake plan for the ingest queue, or a handler or intake
// body to run on the worker pool.
struct Handling {
  enum class Rest { kNone, kIngest, kWorker, kWorkerIntake };
  Rest rest = Rest::kNone;
  Handled out;
  RouteMatch match;
  std::shared_ptr<const IntakePlan> plan;
};

// The I/O thread's kept read transaction (KeptReadStore) holds back
// checkpoints, so it ends as soon as the thread has nothing else to do.
// After each request a check is posted behind the work already queued on
// the thread; if no request has come through since it was posted, it ends
// the transaction, else it looks again after the next round. Under load
// that is one posted handler per round of ready work, not per request.
struct KeptReadIdle {
  bool pending = false;
  std::uint64_t requests = 0;  // handled on this thread
  std::uint64_t seen = 0;      // `requests` when the pending check was posted
};
thread_local KeptReadIdle t_kept_read_idle;

void check_kept_read_idle(asio::any_io_executor ex, KeptReadStore& store) {
  KeptReadIdle& idle = t_kept_read_idle;
  if (idle.requests != idle.seen) {
    idle.seen = idle.requests;
    asio::post(ex, [ex, &store] { check_kept_read_idle(ex, store); });
    return;
  }
  idle.pending = false;
  store.end_kept_read();
}

void end_kept_read_when_idle(const asio::any_io_executor& ex, KeptReadStore& store) {
  KeptReadIdle& idle = t_kept_read_idle;
  ++idle.requests;
  if (idle.pending) return;
  idle.pending = true;
  idle.seen = idle.requests;
  asio::post(ex, [ex, &store] { check_kept_read_idle(ex, store); });
}

// Everything that needs no hop to another thread, done here on the
// connection's I/O thread: web pages, routing errors, inline reads, and the
// authentication and parsing of a small intake body. A plain function, not
// a coroutine: most GETs end here, and a coroutine frame this large is a
// malloc (and at times a heap consolidation) per request.
Handling handle_here(ServerState& st, const HttpRequest& req) {
  Handling h;
  if (auto page = web_asset_response(req)) {
    h.out.route = "web";
    h.out.response = std::move(*page);
    return h;
  }
  auto matched = st.router.match(req.method, req.path());
  if (auto* res = std::get_if<HttpResponse>(&matched)) {
    h.out.response = std::move(*res);
    return h;
  }
  h.match = std::get<RouteMatch>(std::move(matched));
  const Route& route = *h.match.route;
  h.out.route = route.pattern;
  if (route.kind == RouteKind::kIntake) {
    // Authentication (one indexed read) and parsing a small body are cheap
    // and bounded: done here when inline reads are on; a large body is
    // parsed on a worker. The ingest itself always runs on the ingest queue.
    if (!st.options.inline_reads || req.body.size() > kInlineIntakeBodyBytes) {
      h.rest = Handling::Rest::kWorkerIntake;
      return h;
    }
    IntakeStart start = start_intake(req, h.match, st.io_services, kMaxIntakeItems);
    h.out.actor = std::move(start.actor);
    if (!start.plan) {
      h.out.response = std::move(start.response);
      return h;
    }
    h.plan = std::make_shared<const IntakePlan>(std::move(*start.plan));
    if (h.plan->engine_items() > 0) {
      h.rest = Handling::Rest::kIngest;
    } else {
      h.out.response = intake_response(*h.plan, std::vector<IntakeItemResult>{});
    }
    return h;
  }
  if (!(route.inline_read && !route.writes && st.options.inline_reads)) {
    h.rest = Handling::Rest::kWorker;
    return h;
  }
  // A small bounded read (Route::inline_read): run it here, on the I/O
  // thread, rather than pay two thread wake-ups for the hop to a worker
  // and back. It reads through this thread's own reader connection, in a
  // read transaction that sees every commit acknowledged before (a kept
  // one, reused while nothing has been committed: end_kept_read_when_idle).
  Dispatched d = dispatch(req, h.match, st.io_services);
  h.out.response = std::move(d.response);
  h.out.actor = std::move(d.actor);
  return h;
}

// The rest of a request that handle_here() could not finish.
asio::awaitable<Handled> handle_rest(ServerState& st, HttpRequest req, Handling h) {
  Handled out = std::move(h.out);
  switch (h.rest) {
    case Handling::Rest::kNone:
      break;
    case Handling::Rest::kWorkerIntake: {
      IntakeStart start = co_await offload<IntakeStart>(
          st.workers, [&] { return start_intake(req, h.match, st.services, kMaxIntakeItems); });
      out.actor = std::move(start.actor);
      if (!start.plan) {
        out.response = std::move(start.response);
        break;
      }
      h.plan = std::make_shared<const IntakePlan>(std::move(*start.plan));
      IngestQueue::Results results = std::vector<IntakeItemResult>{};
      if (h.plan->engine_items() > 0) results = co_await ingest(st.ingest, h.plan);
      out.response = intake_response(*h.plan, results);
      break;
    }
    case Handling::Rest::kIngest: {
      IngestQueue::Results results = co_await ingest(st.ingest, h.plan);
      out.response = intake_response(*h.plan, results);
      break;
    }
    case Handling::Rest::kWorker: {
      Dispatched d =
          co_await offload<Dispatched>(st.workers, [&] { return dispatch(req, h.match, st.services); });
      if (h.match.route->writes && d.response.status < 300) st.scheduler.poke();
      out.response = std::move(d.response);
      out.actor = std::move(d.actor);
      break;
    }
  }
  co_return out;
}

// An error response for a request that could not be read, then close.
asio::awaitable<void> reply_and_close(beast::tcp_stream& stream, ServerState& st,
                                      HttpResponse res, std::string_view what) {
  st.log_request("-", what, res.status, 0, "");
  st.metrics.record_request("-", what, res.status, 0);
  auto msg = to_beast(std::move(res), 11, false);
  stream.expires_after(st.options.write_timeout);
  co_await http::async_write(stream, msg, kTuple);
  // Let the client read the reply before the close: stop sending, then
  // discard what it still sends for a moment.
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::seconds(1));
  char sink[4096];
  for (std::size_t total = 0; total < st.options.body_limit;) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    total += n;
  }
}

}  // namespace

asio::awaitable<void> run_session(asio::ip::tcp::socket socket, ServerState& st) {
  beast::tcp_stream stream(std::move(socket));
  auto conn = std::make_shared<ConnectionState>();
  conn->executor = stream.get_executor();
  conn->cancel = [&stream] { stream.cancel(); };
  const std::uint64_t id = st.connections.add(conn);
  // Unregistered however the loop ends, an exception too (rethrown after):
  // the registry must not keep a cancel callback into this frame's stream.
  // (Not in a destructor: a frame still suspended when the server's
  // io_contexts are destroyed outlives the registry.)
  std::exception_ptr failed;
  try {
    beast::flat_buffer buffer;
    for (;;) {
      if (buffer.size() == 0) {
        // Idle: wait for the first byte of the next request.
        conn->busy = false;
        if (st.stopping) break;
        stream.expires_after(st.options.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
        if (ec) break;
        buffer.commit(n);
      }
      conn->busy = true;
      // One deadline covers the whole request, header and body, from its first byte.
      stream.expires_after(st.options.read_timeout);
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(st.options.header_limit));
      parser.body_limit(st.options.body_limit);
      parser.eager(true);
      // Most requests arrive whole in the first read: read_request() parses
      // them from the buffer without another trip through the event loop.
      const beast::error_code ec = co_await read_request(stream, buffer, parser, st.options);
      if (ec) {
        if (auto failure = read_failure(ec, st.options)) {
          co_await reply_and_close(stream, st, std::move(failure->response), failure->what);
        }
        break;
      }
      const auto started = std::chrono::steady_clock::now();
      http::request<http::string_body> req = parser.release();
      const bool keep_alive = req.keep_alive();
      const unsigned version = req.version();
      const std::string_view method = method_label(req.method_string());
      const bool head = req.method() == http::verb::head;
      HttpRequest request = to_request(std::move(req));
      // HEAD is GET without the body (RFC 9110 9.3.2): routed as GET, and the
      // answer's body dropped below, its Content-Length kept.
      if (head) request.method = "GET";
      // Posted first, so that it is posted even if handle_here() throws.
      if (st.options.inline_reads) end_kept_read_when_idle(stream.get_executor(), st.io_store);
      Handling here = handle_here(st, request);
      Handled h;
      if (here.rest == Handling::Rest::kNone) {
        h = std::move(here.out);
      } else {
        h = co_await handle_rest(st, std::move(request), std::move(here));
      }
      const bool keep = keep_alive && !st.stopping;
      const int status = h.response.status;
      auto res = to_beast(std::move(h.response), version, keep);
      if (head) res.body().clear();  // prepare_payload() has set Content-Length
      stream.expires_after(st.options.write_timeout);
      auto [wec, written] = co_await http::async_write(stream, res, kTuple);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      st.metrics.record_request(method, h.route, status, seconds);
      st.log_request(method, h.route, status, seconds, h.actor);
      if (wec || !keep) break;
    }
  } catch (...) {
    failed = std::current_exception();
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
  conn->cancel = nullptr;
  st.connections.remove(id);
  if (failed) std::rethrow_exception(failed);
}

}  // namespace turnaround::api

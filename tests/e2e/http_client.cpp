#include "tests/e2e/http_client.h"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <stdexcept>

namespace turnaround::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

boost::json::value HttpReply::json() const { return boost::json::parse(body); }

std::string HttpReply::error_code() const {
  boost::json::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("code").as_string());
}

struct HttpClient::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;

  bool readable(std::chrono::milliseconds timeout) {
    if (buffer.size() > 0) return true;
    pollfd p{socket.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

  HttpReply read(http::response_parser<http::string_body>& parser) {
    http::read(socket, buffer, parser);
    auto& res = parser.get();
    HttpReply r;
    r.status = static_cast<int>(res.result_int());
    r.body = res.body();
    r.keep_alive = res.keep_alive();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    return r;
  }
};

HttpClient::HttpClient(int port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  impl_->socket.set_option(tcp::no_delay(true));
}

HttpClient::~HttpClient() = default;

HttpReply HttpClient::request(const std::string& method, const std::string& target,
                              const std::string& body, const std::string& token,
                              const std::map<std::string, std::string>& extra_headers) {
  http::request<http::string_body> req;
  req.method_string(method);  // any token, HTTP's own methods or not
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  for (const auto& [k, v] : extra_headers) req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  try {
    http::write(impl_->socket, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    // A response to HEAD has the headers of GET's, Content-Length included,
    // and no body: a body sent anyway would be read as the next response.
    if (method == "HEAD") parser.skip(true);
    return impl_->read(parser);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(method + " " + target + ": " + e.what());
  }
}

void HttpClient::send_raw(const std::string& bytes) {
  try {
    asio::write(impl_->socket, asio::buffer(bytes));
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(std::string("send: ") + e.what());
  }
}

std::optional<HttpReply> HttpClient::read_reply(std::chrono::milliseconds timeout) {
  if (!impl_->readable(timeout)) return std::nullopt;
  try {
    http::response_parser<http::string_body> parser;
    return impl_->read(parser);
  } catch (const boost::system::system_error&) {
    return std::nullopt;
  }
}

bool HttpClient::closed_by_server(std::chrono::milliseconds timeout) {
  if (!impl_->readable(timeout)) return false;
  char c;
  boost::system::error_code ec;
  const std::size_t n = impl_->socket.read_some(asio::buffer(&c, 1), ec);
  return ec || n == 0;
}

int HttpClient::local_port() const { return impl_->socket.local_endpoint().port(); }

}  // namespace turnaround::testing

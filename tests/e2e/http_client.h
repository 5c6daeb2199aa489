#pragma once
// A small synchronous HTTP/1.1 client for the end-to-end tests of `turnaround
// serve` (Beast's sync client inside http_client.cpp, so that only one test
// file compiles Beast). Always 127.0.0.1.

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace turnaround::testing {

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool keep_alive = true;

  boost::json::value json() const;
  // error.code of an error body, "" if none.
  std::string error_code() const;
};

// One keep-alive connection to 127.0.0.1:port. Methods throw
// std::runtime_error when the connection fails or the server closes it.
class HttpClient {
 public:
  explicit HttpClient(int port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& token = "",
                    const std::map<std::string, std::string>& extra_headers = {});
  HttpReply get(const std::string& target, const std::string& token = "") {
    return request("GET", target, "", token);
  }
  HttpReply post(const std::string& target, const std::string& body, const std::string& token = "") {
    return request("POST", target, body, token);
  }

  // Raw access for the limit tests.
  void send_raw(const std::string& bytes);
  // Reads one response, or nullopt if the server closed the connection
  // (or `timeout` passed) first.
  std::optional<HttpReply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True once the server has closed the connection (waits up to `timeout`).
  bool closed_by_server(std::chrono::milliseconds timeout);
  // The local port: the same one across requests proves keep-alive.
  int local_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace turnaround::testing

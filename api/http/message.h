#pragma once
// The HTTP request and response as the handlers see them: plain values with
// no Beast types, so handlers, the router and their tests compile without
// Beast (slow to compile) and run without sockets. The session
// (session.cpp) converts between these and Beast's messages.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace turnaround::api {

struct HttpRequest {
  std::string method;         // "GET", "POST", ... as sent
  std::string target;         // "/v1/cases?state=callback": path and query
  std::string authorization;  // the Authorization header's value, "" if none
  // Headers of the web page's requests (web_session.h, web_assets.h); ""
  // when absent.
  std::string cookie;           // Cookie
  std::string origin;           // Origin
  std::string host;             // Host
  std::string requested_with;   // X-Requested-With (the page sends "turnaround")
  std::string fetch_site;       // Sec-Fetch-Site
  std::string if_none_match;    // If-None-Match
  std::string body;

  // The target before '?', and after it ("" if none).
  std::string_view path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  std::string_view query() const {
    std::string_view t = target;
    const std::size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers (e.g. Allow for 405).
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace turnaround::api

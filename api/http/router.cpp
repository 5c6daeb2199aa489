#include "api/http/router.h"

#include "api/http/errors.h"

namespace turnaround::api {

namespace {

// Splits "/v1/cases/17" into {"v1", "cases", "17"}; empty segments kept
// (so "/v1/cases/" does not match "/v1/cases").
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool match_pattern(std::string_view pattern, std::string_view path, RouteParams* params) {
  const auto want = segments(pattern);
  const auto got = segments(path);
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{') && want[i].ends_with('}')) {
      if (got[i].empty()) return false;
      if (params) {
        (*params)[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(got[i]);
      }
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? hex_value(text[i + 1]) : -1;
      const int lo = complete ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return invalid_argument("bad %-escape in the query string: '" + std::string(text) + "'");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

std::variant<RouteMatch, HttpResponse> Router::match(std::string_view method,
                                                     std::string_view path) const {
  std::string allow;
  for (const Route& r : routes_) {
    if (!match_pattern(r.pattern, path, nullptr)) continue;
    if (r.method == method) {
      RouteMatch m;
      m.route = &r;
      match_pattern(r.pattern, path, &m.params);
      return m;
    }
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (allow.empty()) {
    return error_response(404, "not_found", "no route for " + std::string(path));
  }
  HttpResponse res = error_response(405, "method_not_allowed",
                                    std::string(method) + " is not allowed on " +
                                        std::string(path) + " (allowed: " + allow + ")");
  res.headers.emplace_back("Allow", allow);
  return res;
}

bool permitted(const Route& route, const Person& person) {
  for (Role r : route.roles) {
    if (person.has_role(r)) return true;
  }
  return false;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    TA_ASSIGN_OR_RETURN(std::string key, percent_decode(pair.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      TA_ASSIGN_OR_RETURN(value, percent_decode(pair.substr(eq + 1)));
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace turnaround::api

#include "api/http/router.h"

#include "api/http/errors.h"

namespace turnaround::api {

namespace {

// True if `path` matches `pattern` segment by segment ("/v1/cases/{id}"
// matches "/v1/cases/17"); empty segments count (so "/v1/cases/" does not
// match "/v1/cases"), and "{name}" matches one non-empty segment, stored in
// `params` if given. Walks both strings once, without allocating: every
// request is matched against every route.
bool match_pattern(std::string_view pattern, std::string_view path, RouteParams* params) {
  if (pattern.starts_with('/')) pattern.remove_prefix(1);
  if (path.starts_with('/')) path.remove_prefix(1);
  for (;;) {
    const std::size_t want_end = pattern.find('/');
    const std::size_t got_end = path.find('/');
    const std::string_view want = pattern.substr(0, want_end);
    const std::string_view got = path.substr(0, got_end);
    if (want.starts_with('{') && want.ends_with('}')) {
      if (got.empty()) return false;
      if (params) (*params)[std::string(want.substr(1, want.size() - 2))] = std::string(got);
    } else if (want != got) {
      return false;
    }
    // Both end here, or both go on.
    if (want_end == std::string_view::npos || got_end == std::string_view::npos) {
      return want_end == got_end;
    }
    pattern.remove_prefix(want_end + 1);
    path.remove_prefix(got_end + 1);
  }
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

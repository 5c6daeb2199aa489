#pragma once
// The route table of the HTTP API (version 1) and the matching of a request
// to a route: method + path pattern, where "{name}" matches one non-empty
// path segment ("/v1/cases/{id}" matches "/v1/cases/17" with id = "17").
//
// Each route carries what the server needs to run it: whether it needs a
// bearer token, the roles allowed to call it (any one suffices), and its
// handler. The pattern doubles as the route's label in metrics and logs, and
// the table is what docs/openapi.yaml documents (a test checks both ways).
//
// Thread-safety: a Router is immutable after construction; share it.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http/message.h"
#include "api/io/record_fields.h"
#include "engine/domain.h"

namespace turnaround::api {

struct RequestContext;
using Handler = HttpResponse (*)(const RequestContext&);
using RouteParams = std::map<std::string, std::string, std::less<>>;

enum class RouteKind {
  kPublic,   // no token (GET /healthz): handler runs with an anonymous actor
  kHandler,  // bearer token and a role; the handler makes the response
  kIntake,   // bearer token and a role; items go through the ingest queue
};

struct Route {
  std::string method;        // "GET", "POST"
  std::string pattern;       // "/v1/cases/{id}"
  std::string operation_id;  // "getCase": the OpenAPI operationId
  RouteKind kind = RouteKind::kHandler;
  std::vector<Role> roles;   // who may call it (kHandler, kIntake)
  Handler handler = nullptr;  // kPublic, kHandler
  RecordKind intake = RecordKind::kResponse;  // kIntake
  // True when a successful call may change data (and so create timers).
  bool writes = false;
  // True for a read whose cost is small and bounded (a few indexed rows, no
  // scan, no list): the server may run it on the I/O thread instead of the
  // worker pool (ServerOptions::inline_reads). Never set with `writes`.
  bool inline_read = false;
};

struct RouteMatch {
  const Route* route = nullptr;
  RouteParams params;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  // The table of the v1 API (handlers.h); built once.
  static const Router& standard();

  // The route for `method` and `path` (without the query), or the error
  // response: 404 not_found when no pattern matches the path, 405
  // method_not_allowed (with an Allow header) when some pattern matches
  // it for other methods.
  std::variant<RouteMatch, HttpResponse> match(std::string_view method,
                                               std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// True if `person` has one of `route`'s roles.
bool permitted(const Route& route, const Person& person);

// The query string's parameters, percent-decoded ('+' is a space), in
// order. kInvalidArgument on a bad %-escape.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace turnaround::api

#include "api/http/errors.h"

#include <boost/json.hpp>

namespace turnaround::api {

namespace json = boost::json;

int http_status(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kAborted: return 409;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

json::object error_object(const Status& s) {
  json::object e;
  e["code"] = status_code_name(s.code());
  e["message"] = s.message();
  if (!s.fields().empty()) {
    json::array fields;
    for (const auto& f : s.fields()) fields.emplace_back(json::string(f));
    e["fields"] = std::move(fields);
  }
  if (s.code() == StatusCode::kFailedPrecondition || !s.allowed().empty()) {
    json::array allowed;
    for (const auto& a : s.allowed()) allowed.emplace_back(json::string(a));
    e["allowed"] = std::move(allowed);
  }
  return e;
}

HttpResponse error_response(const Status& s) {
  json::object body;
  body["error"] = error_object(s);
  return json_response(http_status(s.code()), body);
}

HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  json::object e;
  e["code"] = code;
  e["message"] = message;
  json::object body;
  body["error"] = std::move(e);
  return json_response(status, body);
}

namespace {

// Serializes with `sr` (reset to the body) into a string, plus '\n'.
HttpResponse serialized(int status, json::serializer& sr) {
  HttpResponse r;
  r.status = status;
  std::string& out = r.body;
  out.resize(2048);
  std::size_t used = 0;
  for (;;) {
    const std::string_view part = sr.read(out.data() + used, out.size() - used);
    used += part.size();
    if (sr.done()) break;
    out.resize(out.size() * 2);
  }
  out.resize(used);
  out += '\n';
  return r;
}

}  // namespace

HttpResponse json_response(int status, const json::value& body) {
  json::serializer sr;
  sr.reset(&body);
  return serialized(status, sr);
}

HttpResponse json_response(int status, const json::object& body) {
  json::serializer sr;
  sr.reset(&body);
  return serialized(status, sr);
}

}  // namespace turnaround::api

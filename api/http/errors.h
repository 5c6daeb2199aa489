#pragma once
// Errors as HTTP: every Status code maps to one HTTP status, and every error
// body has one shape:
//
//   {"error": {"code": "invalid_argument", "message": "score: 11 is outside 0..10",
//              "fields": ["score"], "allowed": ["log_call", ...]}}
//
// `code` is stable (status_code_name(), or one of the HTTP-level codes
// below); `fields` is present when the input fields at fault are known;
// `allowed` when an event is not allowed in the case's state.
//
//   kInvalidArgument 400   kUnauthenticated 401   kPermissionDenied 403
//   kNotFound 404          kFailedPrecondition 409 (with "allowed")
//   kAborted 409 (stale version)   kAlreadyExists 409
//   kResourceExhausted 413 kUnavailable 503       kInternal 500
//
// HTTP-level errors that have no Status: "method_not_allowed" (405),
// "header_too_large" (431), "bad_request" (400: not parseable as HTTP),
// "request_timeout" (408).

#include <boost/json/fwd.hpp>

#include <string>

#include "api/http/message.h"
#include "engine/status.h"

namespace turnaround::api {

// The HTTP status of `code`. REQUIRES: code != kOk.
int http_status(StatusCode code);

// {"code", "message", "fields"?, "allowed"?} of a non-OK status.
boost::json::object error_object(const Status& s);

// The response for a non-OK status.
HttpResponse error_response(const Status& s);
// An HTTP-level error with its own code.
HttpResponse error_response(int status, const std::string& code, const std::string& message);

// A JSON response (compact, with a trailing newline).
HttpResponse json_response(int status, const boost::json::value& body);
// The same for an object, serialized where it is (passing an object to the
// overload above would first copy it into a value, on the heap).
HttpResponse json_response(int status, const boost::json::object& body);

}  // namespace turnaround::api

#pragma once
// One error vocabulary for the whole program, shaped like absl::Status.
//
// A Status is either OK (cheap: no allocation) or a code with a message and,
// optionally, the names of the input fields at fault. Every code maps to one
// HTTP status and every error is CLI exit 1 (see api/), so the engine never
// decides how an error is shown, only what it is.
//
// Result<T> holds either a value or a non-OK Status. Both are [[nodiscard]].
// Propagate with TA_RETURN_IF_ERROR(expr) and TA_ASSIGN_OR_RETURN(lhs, expr).

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace turnaround {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input: 400 / exit 1
  kNotFound,            // 404
  kAlreadyExists,       // unique key violated (storage)
  kPermissionDenied,    // 403: the actor's roles do not allow it
  kUnauthenticated,     // 401
  kFailedPrecondition,  // 409: event not allowed in the case's state
  kAborted,             // 409: stale version (optimistic concurrency)
  kResourceExhausted,   // 413: too large
  kUnavailable,         // 503: database busy
  kInternal,            // 500: a bug or an I/O failure
};

// Stable lower-case name of a code ("invalid_argument"), used in JSON errors.
const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  Status(StatusCode code, std::string message, std::vector<std::string> fields = {});

  static Status ok_status() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty when ok().
  const std::string& message() const;
  // Input fields at fault (may be empty).
  const std::vector<std::string>& fields() const;
  // For kFailedPrecondition on an event: the events allowed instead.
  const std::vector<std::string>& allowed() const;
  Status& with_allowed(std::vector<std::string> allowed);

  // "invalid_argument: message" (or "ok").
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context + ": "`.
  Status with_context(const std::string& context) const;

  void ignore_error() const {}

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::vector<std::string> fields;
    std::vector<std::string> allowed;
  };
  std::shared_ptr<Rep> rep_;  // null means OK; shared so copies are cheap
};

// Named factories, as leveldb and absl have them.
Status invalid_argument(std::string message, std::vector<std::string> fields = {});
Status not_found(std::string message);
Status already_exists(std::string message);
Status permission_denied(std::string message);
Status unauthenticated(std::string message);
Status failed_precondition(std::string message);
Status aborted(std::string message);
Status resource_exhausted(std::string message);
Status unavailable(std::string message);
Status internal_error(std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  // REQUIRES: ok().
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

namespace status_internal {
inline Status to_status(const Status& s) { return s; }
template <typename T>
Status to_status(const Result<T>& r) { return r.status(); }
}  // namespace status_internal

}  // namespace turnaround

#define TA_STATUS_CONCAT_INNER(a, b) a##b
#define TA_STATUS_CONCAT(a, b) TA_STATUS_CONCAT_INNER(a, b)

// Returns the Status of `expr` (a Status or a Result<T>) from the enclosing
// function if it is not OK.
#define TA_RETURN_IF_ERROR(expr)                                               \
  do {                                                                         \
    ::turnaround::Status ta_status_ = ::turnaround::status_internal::to_status((expr)); \
    if (!ta_status_.ok()) return ta_status_;                                   \
  } while (0)

// `lhs = value of expr` if `expr` (a Result<T>) is OK; else returns its Status.
#define TA_ASSIGN_OR_RETURN(lhs, expr) \
  TA_ASSIGN_OR_RETURN_IMPL(TA_STATUS_CONCAT(ta_result_, __LINE__), lhs, expr)
#define TA_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

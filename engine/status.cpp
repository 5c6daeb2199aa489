#include "engine/status.h"

namespace turnaround {

namespace {
const std::string& empty_string() {
  static const std::string kEmpty;
  return kEmpty;
}
const std::vector<std::string>& empty_list() {
  static const std::vector<std::string> kEmpty;
  return kEmpty;
}
}  // namespace

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message, std::vector<std::string> fields) {
  if (code == StatusCode::kOk) return;
  rep_ = std::make_shared<Rep>(Rep{code, std::move(message), std::move(fields), {}});
}

const std::string& Status::message() const { return rep_ ? rep_->message : empty_string(); }
const std::vector<std::string>& Status::fields() const {
  return rep_ ? rep_->fields : empty_list();
}
const std::vector<std::string>& Status::allowed() const {
  return rep_ ? rep_->allowed : empty_list();
}

Status& Status::with_allowed(std::vector<std::string> allowed) {
  if (rep_) {
    rep_ = std::make_shared<Rep>(*rep_);
    rep_->allowed = std::move(allowed);
  }
  return *this;
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(status_code_name(code())) + ": " + message();
}

Status Status::with_context(const std::string& context) const {
  if (ok()) return *this;
  Status copy(code(), context + ": " + message(), fields());
  copy.with_allowed(allowed());
  return copy;
}

Status invalid_argument(std::string m, std::vector<std::string> f) {
  return Status(StatusCode::kInvalidArgument, std::move(m), std::move(f));
}
Status not_found(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
Status already_exists(std::string m) { return Status(StatusCode::kAlreadyExists, std::move(m)); }
Status permission_denied(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
Status unauthenticated(std::string m) { return Status(StatusCode::kUnauthenticated, std::move(m)); }
Status failed_precondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
Status aborted(std::string m) { return Status(StatusCode::kAborted, std::move(m)); }
Status resource_exhausted(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
Status unavailable(std::string m) { return Status(StatusCode::kUnavailable, std::move(m)); }
Status internal_error(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

}  // namespace turnaround

#include "api/http/web_session.h"

#include "api/http/auth.h"

namespace turnaround::api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status no_session(const std::string& why) {
  return unauthenticated(why + "; sign in again with an API token");
}

}  // namespace

bool state_changing(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) == name) return trim(pair.substr(eq + 1));
  }
  return std::nullopt;
}

Status check_same_origin(const HttpRequest& request) {
  if (request.requested_with != kRequestedWith) {
    return permission_denied(
        "a state-changing request of the web page needs the header 'X-Requested-With: turnaround' "
        "(cross-site requests are refused)");
  }
  if (request.fetch_site == "cross-site" || request.fetch_site == "same-site") {
    return permission_denied("cross-site request refused (Sec-Fetch-Site: " + request.fetch_site + ")");
  }
  if (!request.origin.empty() && request.origin != "http://" + request.host) {
    return permission_denied("cross-site request refused (Origin " + request.origin +
                             " is not this server)");
  }
  return Status();
}

Result<std::optional<WebSession>> current_session(Store& store, const HttpRequest& request,
                                                  Instant now) {
  auto secret = cookie_value(request.cookie, kSessionCookie);
  if (!secret || !well_formed_token(*secret)) return std::optional<WebSession>();
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  return txn->find_session(token_hash(*secret), now);
}

Result<Person> authenticate_request(Store& store, const HttpRequest& request, Instant now) {
  if (!request.authorization.empty() || request.cookie.empty() ||
      !cookie_value(request.cookie, kSessionCookie)) {
    return authenticate(store, request.authorization);
  }
  auto secret = cookie_value(request.cookie, kSessionCookie);
  if (!well_formed_token(*secret)) return no_session("invalid or expired session");
  const std::string hash = token_hash(*secret);
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto session, txn->find_session(hash, now));
  if (!session) return no_session("invalid or expired session");
  TA_ASSIGN_OR_RETURN(auto person, txn->find_person(session->person));
  if (!person || !person->active) return no_session("the session's person is unknown or inactive");
  if (state_changing(request.method)) TA_RETURN_IF_ERROR(check_same_origin(request));
  return std::move(*person);
}

Result<NewSession> start_session(Store& store, std::string_view token, Instant now) {
  TA_ASSIGN_OR_RETURN(Person person, authenticate(store, "Bearer " + std::string(token)));
  TA_ASSIGN_OR_RETURN(std::string secret, generate_token());
  WebSession s{person.id, now, now + kSessionLifetime};
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kWrite));
  TA_RETURN_IF_ERROR(txn->insert_session(token_hash(secret), token_hash(token), s));
  TA_RETURN_IF_ERROR(txn->commit());
  return NewSession{std::move(secret), std::move(person), s.expires_at};
}

Result<bool> end_session(Store& store, const HttpRequest& request) {
  auto secret = cookie_value(request.cookie, kSessionCookie);
  if (!secret || !well_formed_token(*secret)) return false;
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kWrite));
  TA_ASSIGN_OR_RETURN(bool deleted, txn->delete_session(token_hash(*secret)));
  TA_RETURN_IF_ERROR(txn->commit());
  return deleted;
}

std::string session_cookie(std::string_view secret, std::chrono::seconds max_age) {
  return std::string(kSessionCookie) + "=" + std::string(secret) +
         "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict";
}

std::string cleared_session_cookie() {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
}

}  // namespace turnaround::api

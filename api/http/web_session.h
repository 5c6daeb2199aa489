#pragma once
// Web sessions: how the page signs in. The user pastes an API token once
// (POST /v1/session); the server checks it like a bearer token and answers
// with a session cookie:
//
//   Set-Cookie: ta_session=SECRET; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict
//
// SECRET is 256 random bits (generate_token's form); only its SHA-256 is
// stored (web_sessions, migration 6), with the token it was made from and an
// expiry: a session lives 12 hours, and ends early when signed out (DELETE
// /v1/session) or when its token is revoked. A request with the cookie acts
// as the session's person with that person's roles, through the same route
// roles and row rules as a bearer token (dispatch.cpp); a request with an
// Authorization header is a bearer request, cookie or not.
//
// Cross-site requests: besides SameSite=Strict, a state-changing request
// (any method but GET and HEAD) authenticated by the cookie, and the sign-in
// itself, must carry "X-Requested-With: turnaround" (a header a cross-site
// form cannot send and a cross-site script cannot send without a CORS
// preflight, which this server never grants), must not say
// "Sec-Fetch-Site: cross-site" or "same-site", and its Origin, when sent,
// must be this server's ("http://" + Host). Otherwise 403.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/message.h"
#include "engine/domain.h"
#include "engine/store.h"

namespace turnaround::api {

inline constexpr std::string_view kSessionCookie = "ta_session";
inline constexpr std::string_view kRequestedWith = "turnaround";
inline constexpr std::chrono::seconds kSessionLifetime = std::chrono::hours(12);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), if present.
std::optional<std::string_view> cookie_value(std::string_view cookie_header, std::string_view name);

// OK if `request` may change data on behalf of a cookie session (the
// rules above); kPermissionDenied saying why otherwise.
Status check_same_origin(const HttpRequest& request);

// The caller of `request`: a bearer token when there is an Authorization
// header (auth.h's authenticate), else the session cookie, checked live at
// `now` and, for a state-changing method, against cross-site use.
// kUnauthenticated when neither identifies an active person.
Result<Person> authenticate_request(Store& store, const HttpRequest& request, Instant now);

struct NewSession {
  std::string secret;  // the cookie's value; never stored
  Person person;
  Instant expires_at{};
};

// Signs in with `token` (an API token): checks it as authenticate() does and
// stores a new session in one write transaction of `store`.
Result<NewSession> start_session(Store& store, std::string_view token, Instant now);

// The live session of `request`'s cookie, if any.
Result<std::optional<WebSession>> current_session(Store& store, const HttpRequest& request,
                                                  Instant now);

// Deletes the session of `request`'s cookie; false if it had none.
Result<bool> end_session(Store& store, const HttpRequest& request);

// Set-Cookie values: the session cookie, and one that deletes it.
std::string session_cookie(std::string_view secret, std::chrono::seconds max_age);
std::string cleared_session_cookie();

// True for methods that may change data (not GET or HEAD).
bool state_changing(std::string_view method);

}  // namespace turnaround::api

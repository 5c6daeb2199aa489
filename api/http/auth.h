#pragma once
// API tokens and bearer authentication.
//
// A token is "ta_" followed by 43 base64url characters: 32 bytes (256 bits)
// from /dev/urandom. It is shown once (by `turnaround user add --token`) and
// stored only as its SHA-256 (lowercase hex, sha256.h) in the tokens table,
// so a copy of the database does not give access. A token authenticates the
// person it was issued to, with that person's roles, until revoked.
//
// Authentication failures (no or malformed Authorization header, unknown or
// revoked token, inactive person) are all kUnauthenticated with the same
// kind of message, so a caller learns nothing about which tokens exist.
// Messages never contain the token.

#include <optional>
#include <string>
#include <string_view>

#include "engine/domain.h"
#include "engine/store.h"

namespace turnaround::api {

inline constexpr std::string_view kTokenPrefix = "ta_";

// A new random token. kInternal if /dev/urandom cannot be read.
// Thread-safety: safe.
Result<std::string> generate_token();

// The stored form of `token`: 64 lowercase hex digits of its SHA-256.
std::string token_hash(std::string_view token);

// True if `token` has the shape generate_token() makes (prefix, length,
// alphabet): anything else is refused without a database lookup.
bool well_formed_token(std::string_view token);

// The token of an "Authorization: Bearer TOKEN" header value (the scheme is
// case-insensitive, as RFC 7235 says); nullopt if the value has another form.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// Makes a token for `person` and stores its hash in `txn` (which the caller
// commits). Returns the token text. kNotFound if there is no such person.
Result<std::string> issue_token(Transaction& txn, const PersonId& person, Instant now);

// The active person whose live token is in `authorization` (a header value),
// looked up in one read transaction of `store`; kUnauthenticated otherwise.
// Thread-safety: as safe as `store`.
Result<Person> authenticate(Store& store, std::string_view authorization);

}  // namespace turnaround::api

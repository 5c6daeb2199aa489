#include "api/http/auth.h"

#include <cstdio>
#include <memory>

#include "api/http/sha256.h"

namespace turnaround::api {

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kRandomBytes = 32;
constexpr std::size_t kEncodedLength = 43;  // ceil(32 * 8 / 6), unpadded

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    acc = (acc << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 0x3F];
  return out;
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Status denied(const std::string& why) {
  return unauthenticated(why + "; send 'Authorization: Bearer TOKEN' with a token made by "
                               "`turnaround user add ID --token`");
}

}  // namespace

Result<std::string> generate_token() {
  unsigned char bytes[kRandomBytes];
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen("/dev/urandom", "rb"), &std::fclose);
  if (!f || std::fread(bytes, 1, sizeof bytes, f.get()) != sizeof bytes) {
    return internal_error("cannot read /dev/urandom to make a token");
  }
  return std::string(kTokenPrefix) + base64url(bytes, sizeof bytes);
}

std::string token_hash(std::string_view token) { return sha256_hex(token); }

bool well_formed_token(std::string_view token) {
  if (!token.starts_with(kTokenPrefix)) return false;
  token.remove_prefix(kTokenPrefix.size());
  if (token.size() != kEncodedLength) return false;
  for (char c : token) {
    if (!is_base64url(c)) return false;
  }
  return true;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  const std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  if (!iequals(authorization.substr(0, space), "bearer")) return std::nullopt;
  std::string_view token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

Result<std::string> issue_token(Transaction& txn, const PersonId& person, Instant now) {
  TA_ASSIGN_OR_RETURN(std::string token, generate_token());
  TA_RETURN_IF_ERROR(txn.insert_token(token_hash(token), person, now));
  return token;
}

Result<Person> authenticate(Store& store, std::string_view authorization) {
  if (authorization.empty()) return denied("missing bearer token");
  auto token = bearer_token(authorization);
  if (!token) return denied("the Authorization header is not 'Bearer TOKEN'");
  if (!well_formed_token(*token)) return denied("invalid or revoked token");
  const std::string hash = token_hash(*token);
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  // One lookup: a revoked token (revoked_at set) or an unknown one finds no row.
  TA_ASSIGN_OR_RETURN(auto person, txn->find_token_person(hash));
  if (!person) return denied("invalid or revoked token");
  if (!person->active) return denied("the token's person is unknown or inactive");
  return std::move(*person);
}

}  // namespace turnaround::api

#pragma once
// SHA-256 (FIPS 180-4), for hashing API tokens before they are stored or
// looked up. Small and dependency-free; checked against the FIPS 180-2
// test vectors in tests/api/http_sha256_test.cpp.
//
// Not constant-time with respect to the message length (it is not secret:
// tokens have a fixed length), and not meant for passwords (tokens are 256
// random bits, so a plain hash suffices; no salt or stretching needed).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace turnaround::api {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental hashing: update() any number of times, then finish() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  // The digest of everything passed to update(). REQUIRES: called once.
  Sha256Digest finish();

 private:
  void block(const std::uint8_t* p);

  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

// The digest of `text`.
Sha256Digest sha256(std::string_view text);
// The digest of `text` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view text);

}  // namespace turnaround::api

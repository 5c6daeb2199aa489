// SHA-256 against the FIPS 180-2 test vectors (Appendix B) and NIST's
// empty-message digest.
#include "api/http/sha256.h"

#include <doctest/doctest.h>

#include <string>

namespace turnaround::api {
namespace {

TEST_CASE("Sha256.Fips180_2Vectors") {
  // B.1: one block.
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // B.2: two blocks (448 bits: the padding needs a second block).
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // B.3: one million 'a'.
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("Sha256.PaddingBoundaries") {
  // 55, 56 and 64 bytes cross the one/two padding block boundary;
  // digests from coreutils' sha256sum.
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("Sha256.IncrementalEqualsOneShot") {
  const std::string text(1000, 'x');
  for (std::size_t split : {0u, 1u, 63u, 64u, 65u, 500u, 999u}) {
    Sha256 h;
    h.update(std::string_view(text).substr(0, split));
    h.update(std::string_view(text).substr(split));
    CHECK(h.finish() == sha256(text));
  }
}

}  // namespace
}  // namespace turnaround::api

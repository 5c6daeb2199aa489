// The JSON column codec (storage/json_codec.h): round trips of every value
// kind, the empty shortcuts, values larger than the decoder's stack arena,
// and corrupt text.

#include "storage/json_codec.h"

#include <doctest/doctest.h>

#include <string>

namespace turnaround::testing {
namespace {

using storage::decode_deadlines;
using storage::decode_fields;
using storage::decode_strings;
using storage::encode_fields;
using storage::encode_strings;

TEST_CASE("JsonCodec.FieldsRoundTrip") {
  FieldValues f;
  f["none"] = Value();
  f["yes"] = Value(true);
  f["whole"] = Value(42.0);
  f["fraction"] = Value(0.1 + 0.2);  // must read back bit-exactly
  f["text"] = Value(std::string("Charged \"twice\" \\ é"));
  f["list"] = Value(Value::List{"billing", "support"});
  auto back = decode_fields(encode_fields(f));
  REQUIRE(back.ok());
  CHECK(*back == f);
}

TEST_CASE("JsonCodec.EmptyShortcuts") {
  CHECK(decode_fields("{}")->empty());
  CHECK(decode_strings("[]")->empty());
  CHECK(decode_deadlines("[]")->empty());
  CHECK(encode_fields({}) == "{}");
  CHECK(encode_strings({}) == "[]");
}

TEST_CASE("JsonCodec.ValuesLargerThanTheStackArena") {
  // Far beyond the decoder's 2 KiB arena and 1 KiB parser stack.
  FieldValues f;
  for (int i = 0; i < 200; ++i) f["field_" + std::to_string(i)] = Value(std::string(100, 'a' + i % 26));
  f["list"] = Value(Value::List(500, "theme"));
  auto back = decode_fields(encode_fields(f));
  REQUIRE(back.ok());
  CHECK(*back == f);
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back("R-" + std::to_string(i));
  auto list = decode_strings(encode_strings(ids));
  REQUIRE(list.ok());
  CHECK(*list == ids);
}

TEST_CASE("JsonCodec.CorruptTextIsInternal") {
  for (const char* bad : {"", "{", "[]", "{\"a\":{}}", "{} x", "nul"}) {
    CAPTURE(bad);
    CHECK(decode_fields(bad).status().code() == StatusCode::kInternal);
  }
  for (const char* bad : {"", "{}", "[1]", "[\"a\""}) {
    CAPTURE(bad);
    CHECK(decode_strings(bad).status().code() == StatusCode::kInternal);
  }
  CHECK(decode_deadlines("[{}]").status().code() == StatusCode::kInternal);
}

}  // namespace
}  // namespace turnaround::testing

// The JSON column codec (storage/json_codec.h): round trips of every value
// kind, the empty shortcuts, values larger than the decoder's stack arena,
// and corrupt text.

#include "storage/json_codec.h"

#include <doctest/doctest.h>

#include <cmath>
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

// Plain texts take a fast path; anything else the full parser. Both must
// give the same values and refuse the same texts.
TEST_CASE("JsonCodec.FastAndFullPathsAgree") {
  auto field = [](std::string_view text, const char* name) {
    auto f = decode_fields(text);
    REQUIRE_MESSAGE(f.ok(), text);
    REQUIRE(f->count(name) == 1);
    return f->at(name);
  };
  // Escapes, non-ASCII text and whitespace: the full parser.
  CHECK(field(R"({"a":"x\"y\\z\n"})", "a") == Value(std::string("x\"y\\z\n")));
  CHECK(field(R"({"a":"\u00e9"})", "a") == Value(std::string("\xc3\xa9")));
  CHECK(field("{\"a\":\"\xc3\xa9\"}", "a") == Value(std::string("\xc3\xa9")));
  CHECK(field(R"( { "a" : [ "x" , "y" ] } )", "a") == Value(Value::List{"x", "y"}));
  // Numbers: as the full parser reads them.
  CHECK(field(R"({"a":0.1})", "a") == Value(0.1));
  CHECK(field(R"({"a":1e2})", "a") == Value(100.0));
  CHECK(field(R"({"a":-2.5E-3})", "a") == Value(-0.0025));
  CHECK(field(R"({"a":123456789012345678901})", "a") == Value(123456789012345678901.0));
  CHECK(field(R"({"a":9007199254740993})", "a") == Value(9007199254740992.0));
  const Value zero = field(R"({"a":-0})", "a");
  CHECK(!std::signbit(zero.as_number()));  // the integer 0
  CHECK(std::signbit(field(R"({"a":-0.0})", "a").as_number()));
  // Every kind in one plain object, and an empty list.
  auto all = decode_fields(R"({"b":true,"f":false,"l":[],"n":null,"s":"a/b c","x":-17})");
  REQUIRE(all.ok());
  CHECK(all->at("b") == Value(true));
  CHECK(all->at("f") == Value(false));
  CHECK(all->at("l") == Value(Value::List{}));
  CHECK(all->at("n") == Value());
  CHECK(all->at("s") == Value(std::string("a/b c")));
  CHECK(all->at("x") == Value(-17.0));
  // String lists.
  CHECK(*decode_strings(R"(["a","b"])") == std::vector<std::string>{"a", "b"});
  CHECK(*decode_strings(R"(["a\n", "\u00e9"])") == std::vector<std::string>{"a\n", "\xc3\xa9"});
  // Malformed: refused by both paths.
  for (const char* bad : {R"({"a":01})", R"({"a":1.})", R"({"a":-})", R"({"a":.5})", R"({"a":1e})",
                          R"({"a":1,})", R"({"a" 1})", R"({"a":tru})", R"({"a":nul})", R"({"a":["x",]})",
                          R"({"a":"x)", R"({"a":1}})", R"({a:1})", "{\"a\":\"\x01\"}"}) {
    CAPTURE(bad);
    CHECK(decode_fields(bad).status().code() == StatusCode::kInternal);
  }
  for (const char* bad : {R"(["a",])", R"(["a")", R"(["a"]])", R"([1,"a"])"}) {
    CAPTURE(bad);
    CHECK(decode_strings(bad).status().code() == StatusCode::kInternal);
  }
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

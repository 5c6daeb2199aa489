#include "api/io/jsonl_reader.h"

#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "tests/support/test_util.h"

namespace turnaround::api {
namespace {

using testing::at;

// "LINE ok ID" or "LINE error: MESSAGE", one per line.
std::string read_all(const std::string& text, RecordKind kind = RecordKind::kResponse) {
  JsonlReader reader(std::make_unique<std::istringstream>(text), kind, text.size());
  std::string out;
  ParsedRow row;
  while (reader.next(row)) {
    out += std::to_string(row.line);
    if (const RowError* e = row.error()) {
      out += " error: " + e->message;
    } else if (const Response* r = row.response()) {
      out += " ok " + r->response_id.value;
    } else {
      out += " ok " + row.churn()->customer_id.value;
    }
    out += "\n";
  }
  CHECK(reader.status().ok());
  CHECK(reader.bytes_read() == text.size());
  return out;
}

TEST_CASE("JsonlReader.GoodLines") {
  const std::string text =
      "\xEF\xBB\xBF"
      R"({"response_id":"r-1","customer_id":"c-1","customer_name":"José Álvarez","segment":"smb","arr":12000.5,"score":3,"comment":"Slow \"support\",\nreally","responded_at":"2026-03-01T09:30:00+01:00"})"
      "\r\n"
      "\n"
      "   \r\n"
      R"({"response_id":42,"customer_id":7,"score":9.0,"responded_at":"2026-03-02T00:00:00Z","comment":null,"arr":null})"
      "\n";
  JsonlReader reader(std::make_unique<std::istringstream>(text), RecordKind::kResponse);
  ParsedRow row;
  REQUIRE(reader.next(row));
  REQUIRE_MESSAGE(row.ok(), row.error()->message);
  const Response& r = *row.response();
  CHECK(row.line == 1);
  CHECK(r.response_id.value == "r-1");
  CHECK(r.customer_id.value == "c-1");
  CHECK(r.customer_name == "José Álvarez");
  CHECK(r.segment == "smb");
  CHECK(r.arr == 12000.5);
  CHECK(r.score == 3);
  CHECK(r.comment == "Slow \"support\",\nreally");
  CHECK(r.responded_at == at("2026-03-01T08:30:00Z"));

  REQUIRE(reader.next(row));  // blank lines 2 and 3 are skipped but counted
  REQUIRE_MESSAGE(row.ok(), row.error()->message);
  CHECK(row.line == 4);
  CHECK(row.response()->response_id.value == "42");
  CHECK(row.response()->customer_id.value == "7");
  CHECK(row.response()->score == 9);
  CHECK(row.response()->comment.empty());
  CHECK(row.response()->arr == 0);
  CHECK_FALSE(reader.next(row));
  CHECK(reader.bytes_read() == text.size());
}

TEST_CASE("JsonlReader.BadLinesNameTheirFields") {
  const std::string ok = R"("customer_id":"c","responded_at":"2026-03-01T00:00:00Z")";
  const std::string text =
      R"({"response_id":"r-1","score":5,)" + ok + "}\n" +                 // 1
      R"({"response_id":"r-2","score":11,)" + ok + "}\n" +                // 2
      R"({"response_id":"r-3","score":"9",)" + ok + "}\n" +               // 3
      R"({"response_id":"r-4","score":7.5,)" + ok + "}\n" +               // 4
      R"({"response_id":"r-5","score":5,"nps":5,)" + ok + "}\n" +         // 5
      R"({"response_id":"r-6",)" + ok + "}\n" +                           // 6
      R"({"response_id":"r-7","score":5,"arr":"12,000",)" + ok + "}\n" +  // 7
      R"({"response_id":"r-8","score":5,"customer_id":"c","responded_at":"2026-03-01 09:30"})"
      "\n" +  // 8
      R"({"response_id":"r-9","score":5,"customer_id":"c","responded_at":1772323200})"
      "\n" +  // 9
      R"({"response_id":"r-10","score":5,)" +
      ok + "\n" +    // 10 no }
      "[1,2,3]\n" +  // 11
      R"({"response_id":true,"score":-1,"segment":["a"],"responded_at":"x"})"
      "\n" +  // 12
      R"({"response_id":"r-13","score":10,"arr":-3,)" +
      ok + "}\n" +                                       // 13
      R"({"response_id":"r-14","score":0,)" + ok + "}";  // 14, no final \n
  CHECK(read_all(text) ==
        "1 ok r-1\n"
        "2 error: score: 11 is outside 0..10\n"
        "3 error: score: expected an integer 0..10, got a string (\"9\")\n"
        "4 error: score: expected an integer 0..10, got a number (7.5)\n"
        "5 error: unknown field 'nps'\n"
        "6 error: missing field 'score'\n"
        "7 error: arr: expected a number, got a string (\"12,000\")\n"
        "8 error: responded_at: '2026-03-01 09:30' has no UTC offset (write one, like "
        "2026-03-01T09:30:00Z, or set time_zone in the mapping file)\n"
        "9 error: responded_at: expected a string, got a number (1772323200)\n"
        "10 error: invalid JSON at column 88: incomplete JSON\n"
        "11 error: expected a JSON object, got an array\n"
        "12 error: response_id: expected a string, got a boolean; segment: expected a string, "
        "got an array; responded_at: 'x' is not a valid time (expected ISO 8601 with an "
        "offset, like 2026-03-01T09:30:00Z); missing field 'customer_id'; score: -1 is outside "
        "0..10\n"
        "13 error: arr: must be a non-negative number\n"
        "14 ok r-14\n");
}

TEST_CASE("JsonlReader.InvalidJsonColumnCountsCharacters") {
  CHECK(read_all(R"({"customer_name":"渡辺", oops})") ==
        "1 error: invalid JSON at column 24: syntax error\n");
}

// Boost.JSON keeps the last of repeated keys without a word: the reader
// refuses such a line (the score 3 followed by 10 was a promoter's answer).
TEST_CASE("JsonlReader.RepeatedKeyIsAnError") {
  CHECK(read_all(R"({"response_id":"r-1","customer_id":"c","customer_name":"C","segment":"smb",)"
                 R"("arr":1,"score":3,"comment":"","responded_at":"2026-03-01T09:30:00Z","score":10})") ==
        "1 error: duplicate key 'score' in the object\n");
}

TEST_CASE("JsonlReader.ChurnEvents") {
  CHECK(read_all(
            R"({"customer_id":"c-1","lost_at":"2026-04-01T00:00:00Z","reason":"price","arr":9000})"
            "\n"
            R"({"customer_id":"c-2","lost_at":"2026-04-01T00:00:00Z","score":3})"
            "\n"
            R"({"customer_id":"c-3"})"
            "\n",
            RecordKind::kChurn) ==
        "1 ok c-1\n"
        "2 error: unknown field 'score'\n"
        "3 error: missing field 'lost_at'\n");
}

TEST_CASE("JsonlReader.MapJsonObjectForOtherInputs") {
  RecordBuilder builder(RecordKind::kResponse, TimeReader());
  ParsedRow row;
  const auto value = boost::json::parse(
      R"({"response_id":"r-1","customer_id":"c-1","score":6,"responded_at":"2026-03-01T00:00:00Z"})");
  map_json_object(value.as_object(), 0, builder, row);
  REQUIRE(row.ok());
  CHECK(row.response()->score == 6);
  // The builder is reusable: nothing leaks from one object into the next.
  map_json_object(boost::json::parse(R"({"response_id":"r-2"})").as_object(), 0, builder, row);
  REQUIRE_FALSE(row.ok());
  CHECK(row.error()->message ==
        "missing field 'customer_id'; missing field 'score'; missing field 'responded_at'");
  CHECK(row.error()->fields == std::vector<std::string>{"customer_id", "score", "responded_at"});
}

}  // namespace
}  // namespace turnaround::api

// Rows of CSV files through RecordSource: good rows become Responses or
// ChurnEvents, bad rows become RowErrors with their line numbers, and
// file-level problems stop the import before any row.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/io/column_map.h"
#include "api/io/record_source.h"
#include "tests/support/test_util.h"

namespace turnaround::api {
namespace {

using testing::at;
using Lines = std::vector<std::string>;

// Rows one per line, so a failed CHECK shows them.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

const std::string kHeader =
    "response_id,customer_id,customer_name,segment,arr,score,comment,responded_at\n";

std::unique_ptr<std::istream> text_stream(const std::string& text) {
  return std::make_unique<std::istringstream>(text);
}

// "LINE ok RESPONSE_ID" or "LINE error: MESSAGE" for each row.
Lines rows_of(RecordSource& source) {
  Lines out;
  ParsedRow row;
  while (source.next(row)) {
    if (const RowError* e = row.error()) {
      CHECK(e->line == row.line);
      out.push_back(std::to_string(row.line) + " error: " + e->message);
    } else if (const Response* r = row.response()) {
      out.push_back(std::to_string(row.line) + " ok " + r->response_id.value);
    } else {
      out.push_back(std::to_string(row.line) + " ok churn " + row.churn()->customer_id.value);
    }
  }
  CHECK(source.status().ok());
  return out;
}

Lines csv_rows(const std::string& text, const ColumnMap& map) {
  auto source = open_csv_source(text_stream(text), "in.csv", map, text.size());
  REQUIRE_MESSAGE(source.ok(), source.status().message());
  return rows_of(**source);
}

Lines response_rows(const std::string& text) {
  return csv_rows(text, default_column_map(RecordKind::kResponse));
}

ColumnMap map_of(const std::string& yaml, RecordKind kind = RecordKind::kResponse) {
  Diagnostics diags;
  auto map = parse_column_map(yaml, "map.yaml", kind, diags);
  REQUIRE_MESSAGE(map.ok(), map.status().message());
  return *map;
}

TEST_CASE("CsvRows.DefaultColumnsGoodRow") {
  const std::string text =
      kHeader +
      "r-1, c-9 ,Zoë Müller,smb,12000.50,3,\"Slow, \"\"very\"\" slow\",2026-03-01T09:30:00+01:00\n";
  auto source = open_csv_source(text_stream(text), "in.csv",
                                default_column_map(RecordKind::kResponse), text.size());
  REQUIRE(source.ok());
  ParsedRow row;
  REQUIRE((*source)->next(row));
  REQUIRE(row.ok());
  const Response& r = *row.response();
  CHECK(row.line == 2);
  CHECK(r.response_id.value == "r-1");
  CHECK(r.customer_id.value == "c-9");  // trimmed
  CHECK(r.customer_name == "Zoë Müller");
  CHECK(r.segment == "smb");
  CHECK(r.arr == 12000.5);
  CHECK(r.score == 3);
  CHECK(r.comment == "Slow, \"very\" slow");
  CHECK(r.responded_at == at("2026-03-01T08:30:00Z"));
  CHECK_FALSE((*source)->next(row));
  CHECK((*source)->bytes_read() == text.size());
  CHECK((*source)->total_bytes() == text.size());
}

TEST_CASE("CsvRows.ColumnsInAnyOrderAndOptionalOnesAbsent") {
  const std::string text =
      "score,responded_at,response_id,customer_id\n"
      "10,2026-03-01T00:00:00Z,r-1,c-1\n";
  auto source =
      open_csv_source(text_stream(text), "in.csv", default_column_map(RecordKind::kResponse));
  REQUIRE(source.ok());
  ParsedRow row;
  REQUIRE((*source)->next(row));
  REQUIRE(row.ok());
  CHECK(row.response()->score == 10);
  CHECK(row.response()->arr == 0);
  CHECK(row.response()->segment.empty());
}

TEST_CASE("CsvRows.BadRowsAreReportedWithTheirLines") {
  const std::string text =
      kHeader +
      "r-1,c-1,Ann,smb,100,9,fine,2026-03-01T09:30:00Z\n"               // 2
      "r-2,c-2,Bob,smb,100,11,,2026-03-01T09:30:00Z\n"                  // 3 score 11
      "r-3,c-3,Cyd,smb,100,eleven,,2026-03-01T09:30:00Z\n"              // 4 score not a number
      ",c-4,Dee,smb,100,5,,2026-03-01T09:30:00Z\n"                      // 5 no response_id
      "r-5,c-5,Eve,smb,100,5,,2026-13-01\n"                             // 6 bad time
      "r-6,c-6,Fay,smb,100,5,,2026-03-01T09:30:00\n"                    // 7 no offset, no zone
      "r-7,c-7,Gus,smb,-5,5,,2026-03-01T09:30:00Z\n"                    // 8 negative arr
      "r-8,c-8,Hal,smb,100,5,2026-03-01T09:30:00Z\n"                    // 9 7 fields
      "r-9,c-9,Ida,smb,\"12,000\",5,,2026-03-01T09:30:00Z\n"            // 10 thousands separator
      "r-10,c-10,Jo,smb,100,,,2026-03-01T09:30:00Z\n"                   // 11 empty score
      "r-11,c-11,Kim,smb,100,3,\"multi\nline\",2026-03-01T09:30:00Z\n"  // 12-13 ok
      "r-12,c-12,Lou,smb,100,4,5\"th,2026-03-01T09:30:00Z\n"            // 14 stray quote
      "r-13,,Max,smb,$100,12,,yesterday\n"                              // 15 several problems
      "r-14,c-14,Ned,smb,100,7,ok,2026-03-01T09:30:00Z\n"               // 16 ok
      "r-15,c-15,Oli,smb,100,7,\"never closed,2026-03-01T09:30:00Z\n"   // 17 unterminated
      "r-16,c-16,Pat,smb,100,7,,2026-03-01T09:30:00Z\n";
  const Lines rows = response_rows(text);
  CHECK(joined(rows) ==
        joined(Lines{
            "2 ok r-1",
            "3 error: score: 11 is outside 0..10",
            "4 error: score: 'eleven' is not an integer 0..10",
            "5 error: response_id: missing",
            "6 error: responded_at: '2026-13-01' is not a valid time (expected ISO 8601 "
            "with an offset, like 2026-03-01T09:30:00Z)",
            "7 error: responded_at: '2026-03-01T09:30:00' has no UTC offset (write one, "
            "like 2026-03-01T09:30:00Z, or set time_zone in the mapping file)",
            "8 error: arr: must be a non-negative number",
            "9 error: expected 8 fields (as in the header), found 7",
            "10 error: arr: '12,000' is not a plain number (write 12000 or 12000.50, "
            "without thousands separators or currency)",
            "11 error: score: missing",
            "12 ok r-11",
            "14 error: column 26: stray quote in an unquoted field (quote the whole "
            "field and write the quote twice)",
            "15 error: arr: '$100' is not a plain number (write 12000 or 12000.50, "
            "without thousands separators or currency); responded_at: 'yesterday' is "
            "not a valid time (expected ISO 8601 with an offset, like "
            "2026-03-01T09:30:00Z); customer_id: missing; score: 12 is outside 0..10",
            "16 ok r-14",
            "17 error: column 25: unterminated quoted field: the quote opened here is "
            "never closed",
        }));
}

TEST_CASE("CsvRows.RowErrorsNameTheirFields") {
  const std::string text = kHeader + "r-1,c-1,Ann,smb,x,11,,2026-03-01T09:30:00Z\n";
  auto source =
      open_csv_source(text_stream(text), "in.csv", default_column_map(RecordKind::kResponse));
  REQUIRE(source.ok());
  ParsedRow row;
  REQUIRE((*source)->next(row));
  REQUIRE_FALSE(row.ok());
  CHECK(row.error()->fields == std::vector<std::string>{"arr", "score"});
}

// Text must be UTF-8 (it is written out as JSON later) and ids hold no
// control characters; NUL is refused everywhere. A review stored the bytes
// \xff\xfe as a name, and the case then came back as invalid JSON.
TEST_CASE("CsvRows.TextIsUtf8AndIdsHaveNoControlCharacters") {
  const std::string text = kHeader +
                           "r-1,c-1,\xff\xfe bad,smb,10,3,,2026-03-01T09:30:00Z\n"
                           "r-2,c-2,Overlong \xc0\xaf,smb,10,3,,2026-03-01T09:30:00Z\n"
                           "r-3,c-3,Cut \xe6\xb8,smb,10,3,,2026-03-01T09:30:00Z\n"
                           "r-4,c\t4,Tab,smb,10,3,,2026-03-01T09:30:00Z\n" +
                           "r-5" + std::string(1, '\0') + "x,c-5,Nul,smb,10,3,,2026-03-01T09:30:00Z\n" +
                           "r-6,c-6,\xe6\xb8\xa1\xe8\xbe\xba \xf0\x9f\x99\x82,smb,10,3,\"two\nlines\","
                           "2026-03-01T09:30:00Z\n";
  CHECK(response_rows(text) == Lines{"2 error: customer_name: not valid UTF-8 text",
                                     "3 error: customer_name: not valid UTF-8 text",
                                     "4 error: customer_name: not valid UTF-8 text",
                                     "5 error: customer_id: contains a control character (byte 9)",
                                     "6 error: response_id: contains a control character (byte 0)",
                                     "7 ok r-6"});
}

TEST_CASE("CsvRows.MissingRequiredColumnIsOneFileLevelError") {
  const std::string text =
      "response_id,customer_id,comment,responded_at\nr-1,c-1,x,2026-03-01T00:00:00Z\n";
  auto source =
      open_csv_source(text_stream(text), "in.csv", default_column_map(RecordKind::kResponse));
  REQUIRE_FALSE(source.ok());
  CHECK(source.status().code() == StatusCode::kInvalidArgument);
  CHECK(source.status().message() == "in.csv:1: missing column 'score' in the header");
}

TEST_CASE("CsvRows.EmptyFileAndBrokenHeader") {
  const ColumnMap map = default_column_map(RecordKind::kResponse);
  auto empty = open_csv_source(text_stream(""), "in.csv", map);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message() ==
        "in.csv: the file ends before its 1 header row(s) (it is empty)");
  auto broken = open_csv_source(text_stream("response_id,\"score\n"), "in.csv", map);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message() ==
        "in.csv:1:13: unterminated quoted field: the quote opened here is never closed");
}

TEST_CASE("CsvRows.ChurnDefaultColumns") {
  const std::string text =
      "customer_id,lost_at,reason,arr\r\n"
      "c-1,2026-04-01T00:00:00Z,\"Price, mostly\",12000\r\n"
      "c-2,2026-04-02T00:00:00+02:00,,\r\n"
      ",2026-04-03T00:00:00Z,x,1\r\n"
      "c-4,,x,1\r\n"
      "c-5,2026-04-05T00:00:00Z,x,-1\r\n";
  auto source =
      open_csv_source(text_stream(text), "churn.csv", default_column_map(RecordKind::kChurn));
  REQUIRE(source.ok());
  ParsedRow row;
  REQUIRE((*source)->next(row));
  REQUIRE(row.churn() != nullptr);
  CHECK(row.churn()->customer_id.value == "c-1");
  CHECK(row.churn()->lost_at == at("2026-04-01T00:00:00Z"));
  CHECK(row.churn()->reason == "Price, mostly");
  CHECK(row.churn()->arr == 12000);
  REQUIRE((*source)->next(row));
  REQUIRE(row.churn() != nullptr);
  CHECK(row.churn()->lost_at == at("2026-04-01T22:00:00Z"));
  CHECK(row.churn()->arr == 0);
  CHECK(joined(rows_of(**source)) ==
        joined(Lines{"4 error: customer_id: missing", "5 error: lost_at: missing",
                     "6 error: arr: must be a non-negative number"}));
}

TEST_CASE("CsvRows.ZoneForTimesWithoutOffset") {
  const ColumnMap map = map_of(
      "time_zone: Europe/Berlin\n"
      "fields:\n"
      "  response_id: response_id\n"
      "  customer_id: customer_id\n"
      "  score: score\n"
      "  responded_at: responded_at\n");
  const std::string text =
      "response_id,customer_id,score,responded_at\n"
      "r-1,c-1,5,2026-03-01T09:30:00\n"    // CET
      "r-2,c-1,5,2026-07-01 09:30\n"       // CEST
      "r-3,c-1,5,2026-03-29T02:30:00\n"    // in the spring-forward gap
      "r-4,c-1,5,2026-10-25T02:30:00\n"    // ambiguous: the earlier instant
      "r-5,c-1,5,2026-03-01T09:30:00Z\n";  // an offset wins over the zone
  auto source = open_csv_source(text_stream(text), "in.csv", map);
  REQUIRE(source.ok());
  std::vector<Instant> times;
  ParsedRow row;
  while ((*source)->next(row)) {
    REQUIRE_MESSAGE(row.ok(), row.error()->message);
    times.push_back(row.response()->responded_at);
  }
  CHECK(times == std::vector<Instant>{at("2026-03-01T08:30:00Z"), at("2026-07-01T07:30:00Z"),
                                      at("2026-03-29T01:00:00Z"), at("2026-10-25T00:30:00Z"),
                                      at("2026-03-01T09:30:00Z")});
}

TEST_CASE("CsvRows.SemicolonsPositionsAndConstants") {
  const ColumnMap map = map_of(
      "header_rows: 0\n"
      "delimiter: \";\"\n"
      "timestamp_format: \"%d.%m.%Y %H:%M\"\n"
      "time_zone: Europe/Berlin\n"
      "fields:\n"
      "  response_id: {position: 1}\n"
      "  customer_id: {position: 2}\n"
      "  score: {position: 3}\n"
      "  responded_at: {position: 4}\n"
      "  segment: {value: enterprise}\n");
  const std::string text =
      "r-1;c-1;8;01.03.2026 09:30\nr-2;c-2;9\nr-3;c-3;7;31.02.2026 09:30;extra\n";
  CHECK(joined(csv_rows(text, map)) ==
        joined(Lines{"1 ok r-1", "2 error: expected at least 4 fields, found 3",
                     "3 error: responded_at: '31.02.2026 09:30' is not a valid time (expected the "
                     "format \"%d.%m.%Y %H:%M\")"}));
  auto source = open_csv_source(text_stream(text), "in.csv", map);
  REQUIRE(source.ok());
  ParsedRow row;
  REQUIRE((*source)->next(row));
  REQUIRE(row.ok());
  CHECK(row.response()->segment == "enterprise");
  CHECK(row.response()->responded_at == at("2026-03-01T08:30:00Z"));
}

TEST_CASE("CsvRows.TwelveHourTimes") {
  const TimeReader us("%m/%d/%Y %I:%M:%S %p", *Calendar::find_zone("America/New_York"));
  auto read = [&](const char* text) {
    auto t = us.read(text);
    REQUIRE_MESSAGE(t.ok(), t.status().message());
    return format_instant(*t);
  };
  CHECK(read("03/07/2026 12:05:00 PM") == "2026-03-07T17:05:00Z");  // noon, EST
  CHECK(read("03/07/2026 12:05:00 AM") == "2026-03-07T05:05:00Z");  // just after midnight
  CHECK(read("3/8/2026 1:59:59 AM") == "2026-03-08T06:59:59Z");     // last second of EST
  CHECK(read("03/08/2026 02:30:00 AM") == "2026-03-08T07:00:00Z");  // in the gap: moved forward
  CHECK(read("03/08/2026 03:00:00 AM") == "2026-03-08T07:00:00Z");  // EDT
  CHECK(read("11/01/2026 01:30:00 AM") == "2026-11-01T05:30:00Z");  // ambiguous: EDT, earlier
  CHECK(read("11/01/2026 11:30:00 PM") == "2026-11-02T04:30:00Z");  // EST again
  CHECK_FALSE(us.read("03/07/2026 13:05:00 PM").ok());
  CHECK_FALSE(us.read("03/07/2026 12:05:00").ok());
  CHECK(us.read("2026-03-07T12:05:00Z").status().message() ==
        "'2026-03-07T12:05:00Z' is not a valid time (expected the format \"%m/%d/%Y %I:%M:%S "
        "%p\")");
}

TEST_CASE("RecordSource.ChooseFormat") {
  CHECK(*choose_format("a/b/export.csv", "") == InputFormat::kCsv);
  CHECK(*choose_format("export.CSV", "") == InputFormat::kCsv);
  CHECK(*choose_format("events.jsonl", "") == InputFormat::kJsonl);
  CHECK(*choose_format("events.ndjson", "") == InputFormat::kJsonl);
  CHECK(*choose_format("events.txt", "jsonl") == InputFormat::kJsonl);
  CHECK(*choose_format("events.jsonl", "csv") == InputFormat::kCsv);
  CHECK(choose_format("events.txt", "").status().message() ==
        "cannot tell the format of 'events.txt' from its extension (.csv, .jsonl or .ndjson); "
        "pass --format csv or --format jsonl");
  CHECK(choose_format("a.csv", "xml").status().message() ==
        "unknown input format 'xml'; expected csv or jsonl");
}

TEST_CASE("RecordSource.OpenFiles") {
  testing::TempDir dir;
  Diagnostics diags;
  SourceOptions options;
  auto missing = open_record_source(dir.file("none.csv"), options, diags);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().starts_with("cannot open '" + dir.file("none.csv") + "'"));

  const std::string csv = dir.file("in.csv");
  std::ofstream(csv) << kHeader << "r-1,c-1,Ann,smb,1,2,x,2026-03-01T00:00:00Z\n";
  auto source = open_record_source(csv, options, diags);
  REQUIRE(source.ok());
  CHECK((*source)->total_bytes() == std::filesystem::file_size(csv));
  CHECK(joined(rows_of(**source)) == joined(Lines{"2 ok r-1"}));
  CHECK((*source)->bytes_read() == (*source)->total_bytes());

  const std::string jsonl = dir.file("in.jsonl");
  std::ofstream(jsonl) << R"({"customer_id":"c-1","lost_at":"2026-04-01T00:00:00Z"})"
                       << "\n";
  options.kind = RecordKind::kChurn;
  auto churn = open_record_source(jsonl, options, diags);
  REQUIRE(churn.ok());
  CHECK(joined(rows_of(**churn)) == joined(Lines{"1 ok churn c-1"}));

  options.map_path = dir.file("map.yaml");
  auto refused = open_record_source(jsonl, options, diags);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().starts_with("--map applies to CSV input only"));

  // A bad mapping file: its diagnostics come back located.
  std::ofstream(options.map_path) << "fields:\n  customer_id: id\n  lost_at: {colum: x}\n";
  options.kind = RecordKind::kResponse;
  auto bad_map = open_record_source(csv, options, diags);
  REQUIRE_FALSE(bad_map.ok());
  CHECK(diags.size() >= 1);
  CHECK(bad_map.status().message().find("map.yaml:3:3: unknown field 'lost_at' for responses") !=
        std::string::npos);
}

}  // namespace
}  // namespace turnaround::api

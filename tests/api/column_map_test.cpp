#include "api/io/column_map.h"

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_util.h"

namespace turnaround::api {
namespace {

// The required fields of a response, mapped by header text (4 lines).
const std::string kRequired =
    "  response_id: id\n"
    "  customer_id: {column: cust}\n"
    "  score: {column: NPS}\n"
    "  responded_at: {column: when}\n";

// All diagnostics of loading `yaml` as "map.yaml", one per line.
std::string errors_of(const std::string& yaml, RecordKind kind = RecordKind::kResponse) {
  Diagnostics diags;
  auto map = parse_column_map(yaml, "map.yaml", kind, diags);
  CHECK(map.ok() == diags.empty());
  if (!map.ok()) CHECK(map.status().code() == StatusCode::kInvalidArgument);
  return diags.to_string();
}

ColumnMap load_ok(const std::string& yaml, RecordKind kind = RecordKind::kResponse) {
  Diagnostics diags;
  auto map = parse_column_map(yaml, "map.yaml", kind, diags);
  REQUIRE_MESSAGE(map.ok(), map.status().message());
  return *map;
}

TEST_CASE("ColumnMap.LoadsEveryKey") {
  const ColumnMap map = load_ok(
      "description: \"an export\"\n"
      "header_rows: 3\n"
      "header_row: 2\n"
      "delimiter: \";\"\n"
      "timestamp_format: \"%m/%d/%Y %I:%M:%S %p\"\n"
      "time_zone: America/New_York\n"
      "fields:\n" +
      kRequired +
      "  segment: {value: smb}\n"
      "  comment: {position: 7}\n");
  CHECK(map.header_rows == 3);
  CHECK(map.header_row == 2);
  CHECK(map.delimiter == ';');
  CHECK(map.csv_options().delimiter == ';');
  CHECK(map.timestamp_format == "%m/%d/%Y %I:%M:%S %p");
  REQUIRE(map.time_zone != nullptr);
  CHECK(map.time_zone->name() == "America/New_York");
  CHECK(map.source(Field::kResponseId).kind == FieldSource::Kind::kColumn);
  CHECK(map.source(Field::kResponseId).text == "id");
  CHECK(map.source(Field::kScore).text == "NPS");
  CHECK(map.source(Field::kScore).where.line == 10);
  CHECK(map.source(Field::kScore).where.column == 3);
  CHECK(map.source(Field::kSegment).kind == FieldSource::Kind::kConstant);
  CHECK(map.source(Field::kSegment).text == "smb");
  CHECK(map.source(Field::kComment).kind == FieldSource::Kind::kPosition);
  CHECK(map.source(Field::kComment).position == 7);
  CHECK(map.source(Field::kArr).kind == FieldSource::Kind::kUnmapped);
}

TEST_CASE("ColumnMap.TabDelimiterAndDefaults") {
  const ColumnMap map = load_ok("delimiter: \"\\t\"\nfields:\n" + kRequired);
  CHECK(map.delimiter == '\t');
  CHECK(map.header_rows == 1);
  CHECK(map.header_row == 1);
  CHECK(map.timestamp_format.empty());
  CHECK(map.time_zone == nullptr);
  CHECK(load_ok("delimiter: semicolon\nfields:\n" + kRequired).delimiter == ';');
}

TEST_CASE("ColumnMap.DefaultMaps") {
  const ColumnMap responses = default_column_map(RecordKind::kResponse);
  CHECK(responses.file.empty());
  CHECK(responses.header_rows == 1);
  for (Field f : fields_of(RecordKind::kResponse)) {
    CHECK(responses.source(f).kind == FieldSource::Kind::kColumn);
    CHECK(responses.source(f).text == field_name(f));
    CHECK(responses.source(f).optional == !is_required(RecordKind::kResponse, f));
  }
  const ColumnMap churn = default_column_map(RecordKind::kChurn);
  CHECK(churn.source(Field::kLostAt).text == "lost_at");
  CHECK(churn.source(Field::kScore).kind == FieldSource::Kind::kUnmapped);
}

TEST_CASE("ColumnMap.ChurnMap") {
  const ColumnMap map = load_ok(
      "fields:\n"
      "  customer_id: Account\n"
      "  lost_at: {column: \"Closed Date\"}\n"
      "  reason: {column: Reason}\n",
      RecordKind::kChurn);
  CHECK(map.kind == RecordKind::kChurn);
  CHECK(map.source(Field::kLostAt).text == "Closed Date");
  // A response field is unknown in a churn map.
  CHECK(errors_of("fields:\n  customer_id: a\n  lost_at: b\n  score: c\n", RecordKind::kChurn) ==
        "map.yaml:4:3: unknown field 'score' for churn; expected one of: customer_id, lost_at, "
        "reason, arr\n");
}

// ---- malformed mapping files: every error at its FILE:LINE:COLUMN ----

TEST_CASE("ColumnMap.YamlSyntaxError") {
  CHECK(errors_of("fields:\n  score: {column: \"NPS\"\n  comment: x\n").starts_with("map.yaml:3:"));
  CHECK(errors_of("fields: [unclosed\n").find("YAML syntax error") != std::string::npos);
}

TEST_CASE("ColumnMap.UnknownTopLevelKey") {
  CHECK(errors_of("header_rowz: 2\nfields:\n" + kRequired) ==
        "map.yaml:1:1: unknown key 'header_rowz'; expected one of: description, header_rows, "
        "header_row, delimiter, timestamp_format, time_zone, fields\n");
}

TEST_CASE("ColumnMap.UnknownField") {
  CHECK(errors_of("fields:\n" + kRequired + "  nps_score: {column: x}\n") ==
        "map.yaml:6:3: unknown field 'nps_score' for responses; expected one of: response_id, "
        "customer_id, customer_name, segment, arr, score, comment, responded_at, account_owner\n");
}

TEST_CASE("ColumnMap.UnknownKeyInField") {
  CHECK(errors_of("fields:\n" + kRequired + "  comment: {colum: \"Why?\"}\n") ==
        "map.yaml:6:13: unknown key 'colum' in field 'comment'; expected one of: column, "
        "position, value\n");
}

TEST_CASE("ColumnMap.TwoSourcesForOneField") {
  CHECK(errors_of("fields:\n" + kRequired + "  comment: {column: Why, position: 3}\n") ==
        "map.yaml:6:26: field 'comment' has more than one of column, position, value\n");
}

TEST_CASE("ColumnMap.FieldWithoutSource") {
  CHECK(errors_of("fields:\n" + kRequired + "  comment: {}\n") ==
        "map.yaml:6:12: field 'comment' needs one of column, position, value\n");
  CHECK(errors_of("fields:\n" + kRequired + "  comment: [a, b]\n") ==
        "map.yaml:6:12: field 'comment' needs one of column, position, value\n");
}

TEST_CASE("ColumnMap.BadPosition") {
  CHECK(errors_of("fields:\n" + kRequired + "  comment: {position: 0}\n") ==
        "map.yaml:6:23: 'position' must be an integer 1..100000, not '0'\n");
  CHECK(errors_of("fields:\n" + kRequired + "  comment: {position: third}\n") ==
        "map.yaml:6:23: 'position' must be an integer 1..100000, not 'third'\n");
}

TEST_CASE("ColumnMap.HeaderRowsNotAnInteger") {
  CHECK(errors_of("header_rows: two\nfields:\n" + kRequired) ==
        "map.yaml:1:14: 'header_rows' must be an integer 0..10, not 'two'\n");
}

TEST_CASE("ColumnMap.HeaderRowBeyondHeaderRows") {
  CHECK(errors_of("header_rows: 2\nheader_row: 3\nfields:\n" + kRequired) ==
        "map.yaml:2:13: header_row 3 is beyond header_rows 2\n");
}

TEST_CASE("ColumnMap.ColumnNamesNeedAHeader") {
  CHECK(errors_of("header_rows: 0\nfields:\n"
                  "  response_id: {position: 1}\n"
                  "  customer_id: {position: 2}\n"
                  "  score: {column: NPS}\n"
                  "  responded_at: {position: 4}\n") ==
        "map.yaml:5:3: field 'score' names a column but header_rows is 0; use position\n");
}

TEST_CASE("ColumnMap.BadDelimiter") {
  CHECK(errors_of("delimiter: \"::\"\nfields:\n" + kRequired) ==
        "map.yaml:1:12: delimiter must be one of \",\", \";\", \"\\t\", \"|\", not '::'\n");
}

TEST_CASE("ColumnMap.UnknownTimeZone") {
  CHECK(errors_of("fields:\n" + kRequired + "time_zone: Mars/Olympus_Mons\n") ==
        "map.yaml:6:12: unknown time zone 'Mars/Olympus_Mons' (expected an IANA name like "
        "America/New_York)\n");
}

TEST_CASE("ColumnMap.FormatWithoutOffsetNeedsAZone") {
  CHECK(errors_of("timestamp_format: \"%m/%d/%Y %H:%M\"\nfields:\n" + kRequired) ==
        "map.yaml:1:19: timestamp_format reads no UTC offset (%z), so time_zone is required\n");
  // With %z in the format, no zone is needed.
  CHECK(errors_of("timestamp_format: \"%Y-%m-%d %H:%M:%S %z\"\nfields:\n" + kRequired).empty());
  CHECK(errors_of("timestamp_format: \"Y-m-d\"\nfields:\n" + kRequired) ==
        "map.yaml:1:19: timestamp_format 'Y-m-d' has no conversion (write it like "
        "\"%m/%d/%Y %I:%M:%S %p\")\n");
}

TEST_CASE("ColumnMap.RequiredFieldNotMapped") {
  CHECK(errors_of("header_rows: 1\nfields:\n"
                  "  response_id: id\n"
                  "  customer_id: cust\n"
                  "  comment: Why\n") ==
        "map.yaml:2:1: required field 'score' is not mapped\n"
        "map.yaml:2:1: required field 'responded_at' is not mapped\n");
  CHECK(errors_of("header_rows: 1\n") ==
        "map.yaml:1:1: missing 'fields': map at least "
        "response_id, customer_id, score, responded_at\n");
}

TEST_CASE("ColumnMap.DuplicateKeys") {
  CHECK(errors_of("fields:\n" + kRequired + "  score: {column: Other}\n") ==
        "map.yaml:6:3: duplicate key 'score' in 'fields'\n");
  CHECK(errors_of("header_rows: 1\nheader_rows: 2\nfields:\n" + kRequired) ==
        "map.yaml:2:1: duplicate key 'header_rows' in the mapping file\n");
}

TEST_CASE("ColumnMap.EmptyOrNotAMapping") {
  CHECK(errors_of("") == "map.yaml:1:1: the mapping file is empty; it needs at least 'fields'\n");
  CHECK(errors_of("# only a comment\n") ==
        "map.yaml:1:1: the mapping file is empty; it needs at least 'fields'\n");
  CHECK(errors_of("- a\n- b\n") ==
        "map.yaml:1:1: the mapping file must be a mapping of keys "
        "(fields, header_rows, ...)\n");
  CHECK(errors_of("fields: [a]\n") ==
        "map.yaml:1:9: 'fields' must be a mapping of field: source\n");
}

TEST_CASE("ColumnMap.EveryErrorIsCollected") {
  const std::string errors = errors_of(
      "header_rows: -1\n"
      "delimiter: x\n"
      "colour: blue\n"
      "fields:\n"
      "  response_id: {position: 1, value: r}\n"
      "  customer_id: cust\n"
      "  score: {column: NPS}\n"
      "  responded_at: when\n"
      "  mood: happy\n");
  CHECK(errors ==
        "map.yaml:1:14: 'header_rows' must be an integer 0..10, not '-1'\n"
        "map.yaml:2:12: delimiter must be one of \",\", \";\", \"\\t\", \"|\", not 'x'\n"
        "map.yaml:3:1: unknown key 'colour'; expected one of: description, header_rows, "
        "header_row, delimiter, timestamp_format, time_zone, fields\n"
        "map.yaml:5:30: field 'response_id' has more than one of column, position, value\n"
        "map.yaml:9:3: unknown field 'mood' for responses; expected one of: response_id, "
        "customer_id, customer_name, segment, arr, score, comment, responded_at, account_owner\n");
}

TEST_CASE("ColumnMap.LoadFromFile") {
  testing::TempDir dir;
  Diagnostics diags;
  auto missing = load_column_map(dir.file("nope.yaml"), RecordKind::kResponse, diags);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("cannot read the mapping file") != std::string::npos);
  CHECK(diags.empty());

  const std::string path = dir.file("bad.yaml");
  {
    std::ofstream out(path);
    out << "fields:\n  score: {column: NPS, colour: red}\n";
  }
  auto bad = load_column_map(path, RecordKind::kResponse, diags);
  REQUIRE_FALSE(bad.ok());
  REQUIRE(diags.size() == 4);
  CHECK(diags.items()[0].to_string() ==
        path +
            ":2:24: unknown key 'colour' in field 'score'; expected one of: column, "
            "position, value");
  // The status carries the same lines, so a caller may print either.
  CHECK(bad.status().message().starts_with(path + ":2:24: unknown key 'colour'"));
}

// ---- RowMapper: resolving the map against a header ----

TEST_CASE("RowMapper.MissingRequiredColumnInDefaultHeader") {
  const ColumnMap map = default_column_map(RecordKind::kResponse);
  auto mapper = RowMapper::create(
      map, {"response_id", "customer_id", "customer_name", "comment", "responded_at"}, "in.csv", 1);
  REQUIRE_FALSE(mapper.ok());
  CHECK(mapper.status().message() == "in.csv:1: missing column 'score' in the header");
  // Optional columns (segment, arr, ...) may be absent.
  CHECK(RowMapper::create(map, {"score", "responded_at", "customer_id", "response_id"}, "in.csv", 1)
            .ok());
}

TEST_CASE("RowMapper.MappedColumnNotInHeaderPointsAtTheMap") {
  const ColumnMap map = load_ok("fields:\n" + kRequired + "  comment: {column: Why}\n");
  auto mapper = RowMapper::create(map, {"id", "cust", "Score", "when", "Why"}, "in.csv", 1);
  REQUIRE_FALSE(mapper.ok());
  CHECK(mapper.status().message() ==
        "map.yaml:4:3: column 'NPS' for score is not in the header of in.csv (line 1), which "
        "has: \"id\", \"cust\", \"Score\", \"when\", \"Why\"");
}

TEST_CASE("RowMapper.AmbiguousAndOutOfRangeColumns") {
  const ColumnMap map = load_ok("fields:\n" + kRequired + "  comment: {position: 9}\n");
  auto mapper = RowMapper::create(map, {"id", "cust", "NPS", "when", "NPS"}, "in.csv", 2);
  REQUIRE_FALSE(mapper.ok());
  CHECK(mapper.status().message() ==
        "map.yaml:4:3: column 'NPS' for score appears 2 times in the header of in.csv (columns "
        "3 and 5); map it by position\n"
        "map.yaml:6:3: position 9 for comment is beyond the 5 columns of in.csv");
}

}  // namespace
}  // namespace turnaround::api

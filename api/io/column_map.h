#pragma once
// Column mappings: which column of a CSV export holds which field
// (`turnaround import responses FILE --map MAP.yaml`), and the RowMapper that
// applies a mapping to the records of one file.
//
// A mapping file (YAML; every key optional except as noted, unknown keys are
// errors, every error is reported as MAP:LINE:COLUMN: message):
//
//   description: "SurveyMonkey export"  # free text, ignored
//   header_rows: 2            # rows before the data; default 1, 0..10
//   header_row: 1             # which of them holds the column names; default 1
//   delimiter: ","            # one of "," ";" "\t" "|"; default ","
//   timestamp_format: "%m/%d/%Y %I:%M:%S %p"  # date::parse format; default ISO 8601
//   time_zone: America/New_York  # IANA zone of times without an offset
//   fields:                   # required
//     response_id: {column: "Respondent ID"}   # by header text (trimmed, exact)
//     score: {position: 10}                    # by 1-based column number
//     segment: {value: "smb"}                  # a constant
//     customer_name: "Name"                    # short for {column: "Name"}
//
// Fields (record_fields.h): response_id, customer_id, customer_name, segment,
// arr, score, comment, responded_at for responses; customer_id, lost_at,
// reason, arr for churn. The required ones (response_id, customer_id, score,
// responded_at; customer_id, lost_at) must be mapped; the others are empty
// (arr 0) when not mapped. A timestamp_format that reads no offset (%z)
// needs a time_zone.
//
// Without --map, default_column_map() reads the default header:
//   responses: response_id,customer_id,customer_name,segment,arr,score,comment,responded_at
//   churn:     customer_id,lost_at,reason,arr
// by name, in any order; the optional columns may be absent from the file.

#include <array>
#include <string>
#include <vector>

#include <date/tz.h>

#include "api/io/csv_reader.h"
#include "api/io/record_fields.h"
#include "engine/diagnostics.h"
#include "engine/status.h"

namespace turnaround::api {

// Where one field's value comes from.
struct FieldSource {
  enum class Kind { kUnmapped, kColumn, kPosition, kConstant };
  Kind kind = Kind::kUnmapped;
  std::string text;       // kColumn: the header text; kConstant: the value
  int position = 0;       // kPosition: 1-based column number
  bool optional = false;  // kColumn: if the header lacks it, the field is unset
  SourceLocation where;   // of the field in the mapping file (file empty: default)
};

struct ColumnMap {
  RecordKind kind = RecordKind::kResponse;
  std::string file;                               // the mapping file; empty for a default map
  std::array<FieldSource, kFieldCount> fields{};  // indexed by Field
  int header_rows = 1;                            // rows before the data
  int header_row = 1;                             // 1-based row among them that names the columns
  char delimiter = ',';
  std::string timestamp_format;                // empty: ISO 8601
  const date::time_zone* time_zone = nullptr;  // null: times must carry offsets

  const FieldSource& source(Field f) const { return fields[static_cast<int>(f)]; }
  FieldSource& source(Field f) { return fields[static_cast<int>(f)]; }
  CsvOptions csv_options() const;
  TimeReader time_reader() const { return TimeReader(timestamp_format, time_zone); }
};

// The map used without --map (see above).
ColumnMap default_column_map(RecordKind kind);

// Loads a mapping file for records of `kind`. On error returns
// kInvalidArgument whose message is every diagnostic, one per line, and
// adds the diagnostics (FILE:LINE:COLUMN from yaml-cpp marks) to
// `diagnostics`. An unreadable file is an error without diagnostics.
Result<ColumnMap> load_column_map(const std::string& path, RecordKind kind,
                                  Diagnostics& diagnostics);
// The same, from text; `file` names it in diagnostics.
Result<ColumnMap> parse_column_map(const std::string& yaml, const std::string& file,
                                   RecordKind kind, Diagnostics& diagnostics);

// Applies a ColumnMap to the records of one CSV file.
// Thread-safety: one thread at a time (map() reuses its buffers).
class RowMapper {
 public:
  // Resolves the map's columns against `header` (the cells of the map's
  // header_row; empty when header_rows is 0). Fails with kInvalidArgument,
  // one line per problem, when a mapped column is missing or appears twice
  // in the header, or a position lies beyond it. Missing columns of the
  // default map are reported against the data file
  // ("FILE:LINE: missing column 'score' in the header"), those of a mapping
  // file against the map ("MAP:LINE:COLUMN: ..."). `header_line` is the
  // header row's line in `data_file`.
  static Result<RowMapper> create(const ColumnMap& map, const std::vector<std::string>& header,
                                  const std::string& data_file, int header_line);

  // Turns one data record into a record or a RowError in `out`. A record
  // whose field count differs from the header's is refused as a whole.
  void map(const CsvRecord& record, ParsedRow& out);

  RecordKind kind() const { return builder_.kind(); }

 private:
  struct Slot {
    Field field = Field::kResponseId;
    int index = -1;        // column, 0-based; -1 with a constant or unset
    std::string constant;  // used when index < 0 and has_constant
    bool has_constant = false;
  };

  RowMapper(RecordKind kind, TimeReader time) : builder_(kind, std::move(time)) {}

  RecordBuilder builder_;
  std::vector<Slot> slots_;
  std::size_t width_ = 0;      // expected fields per record; 0 = unknown (no header)
  std::size_t min_width_ = 0;  // 1 + the largest column index used
};

}  // namespace turnaround::api

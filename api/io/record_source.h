#pragma once
// RecordSource: the input side of `turnaround import responses|churn FILE`.
//
// One interface over CSV (with its column mapping) and JSON Lines, yielding
// the file's rows one at a time, each a Response / ChurnEvent or a RowError
// with the row's line number, so a bad row is reported and the rest of the
// file still imported. Problems with the whole file (unreadable, unknown
// format, a bad mapping file, a header without a required column) are
// returned by open_record_source instead, before any row is read.
//
// Typical use:
//   Diagnostics diags;
//   TA_ASSIGN_OR_RETURN(auto source, open_record_source(path, options, diags));
//   ParsedRow row;
//   while (source->next(row)) {
//     if (const Response* r = row.response()) ... else report(*row.error());
//     progress(source->bytes_read(), source->total_bytes());
//   }
//   TA_RETURN_IF_ERROR(source->status());  // the file could not be read to its end

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "api/io/column_map.h"
#include "api/io/record_fields.h"
#include "engine/diagnostics.h"
#include "engine/status.h"

namespace turnaround::api {

enum class InputFormat { kCsv, kJsonl };

// "csv" or "jsonl".
const char* input_format_name(InputFormat format);

// The format named by `flag` ("csv", "jsonl" or "ndjson"), or when `flag` is
// empty the one of `path`'s extension (.csv; .jsonl, .ndjson; any case).
// kInvalidArgument otherwise, saying which flags and extensions are known.
Result<InputFormat> choose_format(std::string_view path, std::string_view flag);

// A sequence of parsed rows. Thread-safety: one thread at a time.
class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Reads the next row into `row` (replacing it). Returns false at the end
  // of the input, leaving `row` unspecified.
  virtual bool next(ParsedRow& row) = 0;

  // OK, or kInternal if reading stopped on an I/O error before the end.
  virtual Status status() const = 0;

  // Bytes of the file consumed so far and its size (0 if unknown), for a
  // progress indicator. bytes_read() <= total_bytes() when the size is known.
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t total_bytes() const = 0;
};

struct SourceOptions {
  // What the rows are. Default: responses.
  RecordKind kind = RecordKind::kResponse;
  // "csv", "jsonl", "ndjson", or empty (default) to go by the extension.
  std::string format;
  // A mapping file (CSV only); empty (default) for default_column_map(kind).
  std::string map_path;
};

// Opens `path` as described above. Mapping file errors are added to
// `diagnostics` (FILE:LINE:COLUMN) and returned, one per line, as the
// message of a kInvalidArgument; so are the other file-level errors
// (without adding diagnostics). For CSV the header rows are read here.
Result<std::unique_ptr<RecordSource>> open_record_source(const std::string& path,
                                                         const SourceOptions& options,
                                                         Diagnostics& diagnostics);

// CSV rows of `in` under `map`; `name` names the input in messages.
// Reads the header rows now; fails as open_record_source does.
// `total_bytes` is the input's size if known, else 0.
Result<std::unique_ptr<RecordSource>> open_csv_source(std::unique_ptr<std::istream> in,
                                                      const std::string& name, const ColumnMap& map,
                                                      std::uint64_t total_bytes = 0);

// JSON Lines rows of `in` (see jsonl_reader.h).
std::unique_ptr<RecordSource> open_jsonl_source(std::unique_ptr<std::istream> in, RecordKind kind,
                                                std::uint64_t total_bytes = 0);

}  // namespace turnaround::api

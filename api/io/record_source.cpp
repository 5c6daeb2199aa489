#include "api/io/record_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "api/io/csv_reader.h"
#include "api/io/jsonl_reader.h"

namespace turnaround::api {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// CSV rows through a RowMapper. The header rows are read by open_csv_source.
class CsvSource final : public RecordSource {
 public:
  CsvSource(std::unique_ptr<std::istream> in, std::string name, const ColumnMap& map,
            std::uint64_t total_bytes)
      : in_(std::move(in)),
        name_(std::move(name)),
        reader_(*in_, map.csv_options()),
        total_bytes_(total_bytes) {}

  // Reads the header rows and resolves the map against them.
  Status start(const ColumnMap& map) {
    std::vector<std::string> header;
    int header_line = 1;
    for (int i = 1; i <= map.header_rows; ++i) {
      switch (reader_.next(record_)) {
        case CsvReader::Read::kEnd:
          if (reader_.stream_failed()) return status();
          return invalid_argument(name_ + ": the file ends before its " +
                                  std::to_string(map.header_rows) + " header row(s)" +
                                  (i == 1 ? " (it is empty)" : ""));
        case CsvReader::Read::kError: {
          const CsvError& e = reader_.error();
          return invalid_argument(name_ + ":" + std::to_string(e.line) + ":" +
                                  std::to_string(e.column) + ": " + e.message);
        }
        case CsvReader::Read::kRecord:
          if (i == map.header_row) {
            header = record_.to_strings();
            header_line = record_.line();
          }
          break;
      }
    }
    auto mapper = RowMapper::create(map, header, name_, header_line);
    if (!mapper.ok()) return mapper.status();
    mapper_.emplace(std::move(mapper).value());
    return Status();
  }

  bool next(ParsedRow& row) override {
    switch (reader_.next(record_)) {
      case CsvReader::Read::kEnd:
        return false;
      case CsvReader::Read::kRecord:
        mapper_->map(record_, row);
        return true;
      case CsvReader::Read::kError: {
        const CsvError& e = reader_.error();
        row.line = e.line;
        row.value = RowError{e.line, "column " + std::to_string(e.column) + ": " + e.message, {}};
        return true;
      }
    }
    return false;
  }

  Status status() const override {
    if (!reader_.stream_failed()) return Status();
    return internal_error(name_ + ": reading stopped on an I/O error after " +
                          std::to_string(reader_.bytes_read()) + " bytes");
  }
  std::uint64_t bytes_read() const override { return reader_.bytes_read(); }
  std::uint64_t total_bytes() const override { return total_bytes_; }

 private:
  std::unique_ptr<std::istream> in_;
  std::string name_;
  CsvReader reader_;
  CsvRecord record_;
  std::optional<RowMapper> mapper_;
  const std::uint64_t total_bytes_;
};

}  // namespace

const char* input_format_name(InputFormat format) {
  return format == InputFormat::kCsv ? "csv" : "jsonl";
}

Result<InputFormat> choose_format(std::string_view path, std::string_view flag) {
  if (!flag.empty()) {
    const std::string f = lower(flag);
    if (f == "csv") return InputFormat::kCsv;
    if (f == "jsonl" || f == "ndjson") return InputFormat::kJsonl;
    return invalid_argument("unknown input format '" + std::string(flag) +
                            "'; expected csv or jsonl");
  }
  const std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext == ".csv") return InputFormat::kCsv;
  if (ext == ".jsonl" || ext == ".ndjson") return InputFormat::kJsonl;
  return invalid_argument("cannot tell the format of '" + std::string(path) +
                          "' from its extension (.csv, .jsonl or .ndjson); pass --format "
                          "csv or --format jsonl");
}

Result<std::unique_ptr<RecordSource>> open_csv_source(std::unique_ptr<std::istream> in,
                                                      const std::string& name, const ColumnMap& map,
                                                      std::uint64_t total_bytes) {
  auto source = std::make_unique<CsvSource>(std::move(in), name, map, total_bytes);
  TA_RETURN_IF_ERROR(source->start(map));
  return std::unique_ptr<RecordSource>(std::move(source));
}

std::unique_ptr<RecordSource> open_jsonl_source(std::unique_ptr<std::istream> in, RecordKind kind,
                                                std::uint64_t total_bytes) {
  return std::make_unique<JsonlReader>(std::move(in), kind, total_bytes);
}

Result<std::unique_ptr<RecordSource>> open_record_source(const std::string& path,
                                                         const SourceOptions& options,
                                                         Diagnostics& diagnostics) {
  TA_ASSIGN_OR_RETURN(const InputFormat format, choose_format(path, options.format));
  if (format == InputFormat::kJsonl && !options.map_path.empty()) {
    return invalid_argument(
        "--map applies to CSV input only; JSON Lines use the field names "
        "as keys");
  }
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    return invalid_argument("cannot open '" + path + "': " + std::strerror(errno));
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const std::uint64_t total = ec ? 0 : static_cast<std::uint64_t>(size);
  if (format == InputFormat::kJsonl) return open_jsonl_source(std::move(in), options.kind, total);

  ColumnMap map = default_column_map(options.kind);
  if (!options.map_path.empty()) {
    TA_ASSIGN_OR_RETURN(map, load_column_map(options.map_path, options.kind, diagnostics));
  }
  return open_csv_source(std::move(in), path, map, total);
}

}  // namespace turnaround::api

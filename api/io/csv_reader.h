#pragma once
// A streaming RFC 4180 CSV reader.
//
// Reads records one at a time from a std::istream through a fixed-size buffer
// (it never holds the whole file), so a million-row export costs the memory
// of its longest record. Accepted input, a superset of RFC 4180 that real
// survey exports need:
//  - an optional UTF-8 byte order mark at the very start (skipped);
//  - records ended by CRLF, LF or a lone CR; the last one may lack an end;
//  - fields quoted with '"', where '""' is one quote and the delimiter and
//    line ends are plain text (kept byte for byte, CRLF included);
//  - a configurable one-byte delimiter (',', ';', '\t', '|');
//  - empty lines between records are skipped (they are not records).
// Refused, with the line and column of the offending character:
//  - a '"' inside an unquoted field ("stray quote");
//  - anything but a delimiter or a line end after a closing quote;
//  - a quoted field still open at the end of the input;
//  - a record longer than CsvOptions::max_record_bytes.
// After an error the reader skips the rest of that physical line and goes on
// with the next one, so one bad row does not lose the rest of the file.
//
// Columns are 1-based and count characters (UTF-8 code points) from the
// start of the physical line, as editors show them.
//
// Thread-safety: a CsvReader is used by one thread at a time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace turnaround::api {

struct CsvOptions {
  // Field separator. Default ','. Exports from European spreadsheets use ';'.
  char delimiter = ',';
  // Size of the read buffer in bytes. Default 64 KiB; grows only when one
  // record does not fit.
  std::size_t buffer_bytes = 64 * 1024;
  // A record (all its fields and line ends) longer than this is refused, so
  // an unterminated quote cannot swallow a whole large file into memory.
  // Default 16 MiB.
  std::size_t max_record_bytes = 16 * 1024 * 1024;
};

// One record. Reuse one CsvRecord across CsvReader::next calls: its storage
// is kept, so reading does not allocate once the buffers have grown.
class CsvRecord {
 public:
  // 1-based physical line on which the record starts.
  int line() const { return line_; }
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  // The i-th field, unquoted and unescaped. Valid until the next call of
  // CsvReader::next with this record. REQUIRES: i < size().
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  // All fields, copied (for headers and tests).
  std::vector<std::string> to_strings() const;

 private:
  friend class CsvReader;
  void clear() {
    data_.clear();
    ends_.clear();
  }
  void end_field() { ends_.push_back(static_cast<std::uint32_t>(data_.size())); }

  int line_ = 0;
  std::string data_;                 // the fields' bytes, back to back
  std::vector<std::uint32_t> ends_;  // end offset in data_ of each field
};

// A malformed record: where and why.
struct CsvError {
  int line = 0;    // 1-based physical line of the offending character
  int column = 0;  // 1-based, in characters
  std::string message;
};

class CsvReader {
 public:
  enum class Read {
    kRecord,  // `record` holds the next record
    kError,   // a malformed record; see error(). Reading may go on.
    kEnd,     // no more input (or the stream failed: see stream_failed())
  };

  // `in` must outlive the reader. Reads from the stream's current position.
  // REQUIRES: options.delimiter is not '"', '\r' or '\n'.
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `record` (its previous contents are
  // replaced). On kError, `record` is unspecified and error() describes the
  // problem; calling next() again continues after the bad line.
  Read next(CsvRecord& record);

  // The last error returned by next(). Meaningful after kError.
  const CsvError& error() const { return error_; }

  // Bytes consumed from the stream so far (BOM included): for progress.
  std::uint64_t bytes_read() const { return consumed_base_ + pos_; }

  // True if the stream reported a read error (badbit), not a plain end.
  bool stream_failed() const { return in_.bad(); }

 private:
  // How a field ended.
  enum class Step { kNextField, kEndRecord, kError };

  bool ensure();  // true if at least one unread byte is buffered
  bool refill();
  void skip_bom();
  void new_line() {
    ++line_;
    line_start_ = pos_;
  }
  // REQUIRES: buf_[pos_] is '\r' or '\n'. Consumes CRLF, LF or CR; `keep`
  // appends the bytes to the current field.
  void consume_line_end(CsvRecord& record, bool keep);
  Step read_unquoted(CsvRecord& record);
  Step read_quoted(CsvRecord& record);
  Step finish_field(CsvRecord& record);
  Step check_size(const CsvRecord& record);
  Step fail(int line, std::size_t line_start, std::size_t at, std::string message);
  void skip_rest_of_line();
  int column_of(std::size_t line_start, std::size_t at) const;

  std::istream& in_;
  const CsvOptions options_;

  // buf_[pos_, end_) is unread. Everything from rec_start_ on is kept in the
  // buffer when it is refilled, so error columns can be computed.
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t rec_start_ = 0;        // first byte of the record being read
  std::size_t line_start_ = 0;       // first byte of the current physical line
  std::uint64_t consumed_base_ = 0;  // stream offset of buf_[0]
  // Where the quoted field being read opened (for "unterminated" errors).
  int quote_line_ = 0;
  std::size_t quote_line_start_ = 0;
  std::size_t quote_pos_ = 0;
  // Bytes that stop the scan of a field's plain run.
  std::array<bool, 256> special_quoted_{};
  std::array<bool, 256> special_unquoted_{};
  bool at_eof_ = false;
  bool bom_checked_ = false;
  int line_ = 1;
  CsvError error_;
};

}  // namespace turnaround::api

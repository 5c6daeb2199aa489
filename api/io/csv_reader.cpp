#include "api/io/csv_reader.h"

#include <algorithm>
#include <cassert>
#include <cstring>

// The reader is a small state machine over a sliding buffer. Fields are
// copied run by run (memcpy-sized appends between special characters) into
// the record's single byte string, so a record costs no allocation once the
// record's buffers have grown to the widest row. The buffer keeps every byte
// of the record being read (from rec_start_), which bounds memory by the
// longest record and lets errors report a column on any line of the record.

namespace turnaround::api {

namespace {

constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

}  // namespace

std::vector<std::string> CsvRecord::to_strings() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(options), buf_(std::max<std::size_t>(options.buffer_bytes, 16)) {
  for (unsigned char c : {'\n', '\r', '"'}) special_quoted_[c] = true;
  special_unquoted_ = special_quoted_;
  assert(options_.delimiter != '"' && options_.delimiter != '\n' && options_.delimiter != '\r');
  special_unquoted_[static_cast<unsigned char>(options_.delimiter)] = true;
}

bool CsvReader::ensure() { return pos_ < end_ || refill(); }

bool CsvReader::refill() {
  if (at_eof_) return false;
  // Drop what precedes the current record; keep the record for columns.
  const std::size_t drop = rec_start_;
  if (drop > 0) {
    std::memmove(buf_.data(), buf_.data() + drop, end_ - drop);
    end_ -= drop;
    pos_ -= drop;
    // Positions before the kept bytes are only stale after an error; clamp.
    line_start_ -= std::min(line_start_, drop);
    quote_line_start_ -= std::min(quote_line_start_, drop);
    quote_pos_ -= std::min(quote_pos_, drop);
    rec_start_ = 0;
    consumed_base_ += drop;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (got == 0) {
    at_eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

void CsvReader::skip_bom() {
  bom_checked_ = true;
  while (end_ - pos_ < sizeof kBom && refill()) {
  }
  if (end_ - pos_ >= sizeof kBom && std::memcmp(buf_.data() + pos_, kBom, sizeof kBom) == 0) {
    pos_ += sizeof kBom;
    line_start_ = pos_;
  }
}

void CsvReader::consume_line_end(CsvRecord& record, bool keep) {
  const char c = buf_[pos_++];
  if (keep) record.data_ += c;
  if (c == '\r' && ensure() && buf_[pos_] == '\n') {
    if (keep) record.data_ += '\n';
    ++pos_;
  }
  new_line();
}

int CsvReader::column_of(std::size_t line_start, std::size_t at) const {
  int column = 1;
  for (std::size_t i = line_start; i < at && i < end_; ++i) {
    // Count code points: skip UTF-8 continuation bytes (10xxxxxx).
    if ((static_cast<unsigned char>(buf_[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

CsvReader::Step CsvReader::fail(int line, std::size_t line_start, std::size_t at,
                                std::string message) {
  error_ = CsvError{line, column_of(line_start, at), std::move(message)};
  return Step::kError;
}

void CsvReader::skip_rest_of_line() {
  while (ensure()) {
    if (is_line_end(buf_[pos_])) {
      CsvRecord scratch;
      consume_line_end(scratch, false);
      return;
    }
    ++pos_;
  }
}

CsvReader::Step CsvReader::check_size(const CsvRecord& record) {
  if (record.data_.size() <= options_.max_record_bytes) return Step::kNextField;
  return fail(line_, line_start_, pos_,
              "record is longer than " + std::to_string(options_.max_record_bytes) +
                  " bytes (an unterminated quote?)");
}

CsvReader::Step CsvReader::finish_field(CsvRecord& record) {
  // At a delimiter, a line end or the end of input, right after a field.
  record.end_field();
  if (!ensure()) return Step::kEndRecord;
  if (buf_[pos_] == options_.delimiter) {
    ++pos_;
    return Step::kNextField;
  }
  consume_line_end(record, false);
  return Step::kEndRecord;
}

CsvReader::Step CsvReader::read_unquoted(CsvRecord& record) {
  while (ensure()) {
    const char* const begin = buf_.data() + pos_;
    const char* const stop = buf_.data() + end_;
    const char* p = begin;
    while (p < stop && !special_unquoted_[static_cast<unsigned char>(*p)]) ++p;
    record.data_.append(begin, p);
    pos_ += static_cast<std::size_t>(p - begin);
    if (check_size(record) == Step::kError) return Step::kError;
    if (p == stop) continue;
    if (*p == '"') {
      return fail(line_, line_start_, pos_,
                  "stray quote in an unquoted field (quote the whole field and write the "
                  "quote twice)");
    }
    break;
  }
  return finish_field(record);
}

CsvReader::Step CsvReader::read_quoted(CsvRecord& record) {
  quote_line_ = line_;
  quote_line_start_ = line_start_;
  quote_pos_ = pos_;
  ++pos_;  // the opening quote
  for (;;) {
    if (!ensure()) {
      return fail(quote_line_, quote_line_start_, quote_pos_,
                  "unterminated quoted field: the quote opened here is never closed");
    }
    const char* const begin = buf_.data() + pos_;
    const char* const stop = buf_.data() + end_;
    const char* p = begin;
    while (p < stop && !special_quoted_[static_cast<unsigned char>(*p)]) ++p;
    record.data_.append(begin, p);
    pos_ += static_cast<std::size_t>(p - begin);
    if (check_size(record) == Step::kError) return Step::kError;
    if (p == stop) continue;
    if (*p != '"') {
      consume_line_end(record, true);  // a line end inside quotes is data
      continue;
    }
    ++pos_;
    if (ensure() && buf_[pos_] == '"') {  // "" is one quote
      record.data_ += '"';
      ++pos_;
      continue;
    }
    break;
  }
  if (ensure() && buf_[pos_] != options_.delimiter && !is_line_end(buf_[pos_])) {
    if (quote_line_ != line_) {
      // Most likely a quote left open on an earlier line, closed by the
      // first quote of a later row: say where it opened and which lines
      // were swallowed, not only where the reading finally failed.
      return fail(quote_line_, quote_line_start_, quote_pos_,
                  "this quote is closed only on line " + std::to_string(line_) + " (column " +
                      std::to_string(column_of(line_start_, pos_) - 1) +
                      "), where a character follows it: lines " + std::to_string(quote_line_) +
                      "-" + std::to_string(line_) +
                      " were read as one field and are skipped (is this quote unbalanced?)");
    }
    return fail(line_, line_start_, pos_,
                "unexpected character after a closing quote (expected a delimiter or the "
                "end of the line)");
  }
  return finish_field(record);
}

CsvReader::Read CsvReader::next(CsvRecord& record) {
  record.clear();
  if (!bom_checked_) skip_bom();
  for (;;) {  // skip empty lines
    rec_start_ = pos_;
    if (!ensure()) return Read::kEnd;
    if (!is_line_end(buf_[pos_])) break;
    consume_line_end(record, false);
  }
  record.line_ = line_;
  for (;;) {
    const Step step = (ensure() && buf_[pos_] == '"') ? read_quoted(record) : read_unquoted(record);
    if (step == Step::kEndRecord) return Read::kRecord;
    if (step == Step::kError) {
      rec_start_ = pos_;  // the error is recorded: no need to keep the bad bytes
      skip_rest_of_line();
      return Read::kError;
    }
  }
}

}  // namespace turnaround::api

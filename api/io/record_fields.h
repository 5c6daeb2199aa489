#pragma once
// The fields of the two kinds of input record (responses and churn events),
// how each field's text is read, and what one parsed row is.
//
// Shared by the CSV path (column_map.h: RowMapper) and the JSON Lines path
// (jsonl_reader.h), so both accept and refuse the same values with the same
// messages. Row error messages have the form "FIELD: what is wrong", several
// joined by "; ", e.g. "score: 'eleven' is not an integer 0..10".
//
// Field values, as text (CSV) or as JSON (see jsonl_reader.h for the types):
//  - ids, names, segment, comment, reason: surrounding whitespace trimmed;
//  - score: an integer; the range 0..10 is checked by validate_response;
//  - arr: empty (= 0) or a plain decimal number ("12000", "12000.50",
//    "-5" is read and then refused as negative); no thousands separators,
//    currency signs or exponents;
//  - responded_at / lost_at: see TimeReader.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <date/tz.h>

#include "engine/calendar.h"
#include "engine/domain.h"
#include "engine/status.h"
#include "engine/time.h"

namespace turnaround::api {

enum class RecordKind { kResponse, kChurn };

// "responses" or "churn".
const char* record_kind_name(RecordKind kind);

// Every field of both kinds. The numeric values index arrays (kFieldCount).
enum class Field {
  kResponseId,
  kCustomerId,
  kCustomerName,
  kSegment,
  kArr,
  kScore,
  kComment,
  kRespondedAt,
  kLostAt,
  kReason,
  kAccountOwner,  // optional: the person who owns the customer's account
};
inline constexpr int kFieldCount = 11;

// The fields of a kind, in the order of the default CSV header:
// responses: response_id,customer_id,customer_name,segment,arr,score,comment,responded_at
//            (then the optional account_owner)
// churn:     customer_id,lost_at,reason,arr
std::span<const Field> fields_of(RecordKind kind);
// "response_id", "customer_id", ... (the CSV header and JSON key).
const char* field_name(Field field);
// The field of `kind` named `name`, or nullopt.
std::optional<Field> parse_field(RecordKind kind, std::string_view name);
// Required fields must have a source and a non-empty value: response_id,
// customer_id, score, responded_at; customer_id, lost_at.
bool is_required(RecordKind kind, Field field);

// A row that could not be turned into a record.
struct RowError {
  int line = 0;                     // 1-based line where the row starts
  std::string message;              // "score: 'x' is not an integer 0..10"
  std::vector<std::string> fields;  // the fields at fault (may be empty)
};

// One row of an input file: a record or the reason it was refused.
struct ParsedRow {
  int line = 0;  // 1-based line where the row starts
  std::variant<RowError, Response, ChurnEvent> value;

  bool ok() const { return value.index() != 0; }
  // Null unless the row holds that alternative.
  const RowError* error() const { return std::get_if<RowError>(&value); }
  const Response* response() const { return std::get_if<Response>(&value); }
  const ChurnEvent* churn() const { return std::get_if<ChurnEvent>(&value); }
};

// Reads the times of an input file.
//  - No format (the default): ISO 8601 through turnaround::parse_instant. A
//    time without an offset ("2026-03-01T09:30:00", "2026-03-01 09:30") is
//    read in the zone if one is set, and refused otherwise.
//  - A format: a date::parse format such as "%m/%d/%Y %I:%M:%S %p" that must
//    match the whole (trimmed) text. If it reads an offset (%z) the offset
//    is used; otherwise the time is local to the zone.
// Local times become instants by Calendar::to_instant: a time in a DST gap
// moves forward to the transition, an ambiguous one takes the earlier
// instant.
// Thread-safety: immutable after construction.
class TimeReader {
 public:
  // ISO 8601 with offset, no zone.
  TimeReader() = default;
  // `format` empty = ISO 8601; `zone` null = none. The zone must outlive
  // the reader (zones from date::locate_zone live for the program).
  TimeReader(std::string format, const date::time_zone* zone);

  // kInvalidArgument, message without the field name: "'x' is not a valid
  // time (expected ...)" or "'x' has no UTC offset ...".
  Result<Instant> read(std::string_view text) const;

  const std::string& format() const { return format_; }
  const date::time_zone* zone() const { return zone_; }

 private:
  Result<Instant> read_with_format(std::string_view text) const;
  Result<Instant> read_iso(std::string_view text) const;

  std::string format_;
  const date::time_zone* zone_ = nullptr;
  std::optional<Calendar> calendar_;  // set iff zone_ is
};

// Surrounding ASCII whitespace removed.
std::string_view trim(std::string_view text);
// An optionally signed decimal integer that fits an int, else nullopt.
std::optional<int> parse_int(std::string_view text);
// [-]DIGITS[.DIGITS], else nullopt.
std::optional<double> parse_plain_number(std::string_view text);

// Builds one record from its fields' values, collecting every problem.
// Usage: start(); set_*() for each field present; finish(line, out).
// Thread-safety: one thread at a time.
class RecordBuilder {
 public:
  RecordBuilder(RecordKind kind, TimeReader time);

  RecordKind kind() const { return kind_; }

  // Clears the record being built.
  void start();
  // The value of `field` as text (CSV, JSON strings); parsed by field type.
  void set_text(Field field, std::string_view text);
  // Typed values (JSON numbers). REQUIRES: field is kScore / kArr.
  void set_score(long long score);
  void set_arr(double arr);
  // A problem with `field` found by the caller (wrong JSON type, ...).
  void add_error(Field field, std::string message);
  // A problem not tied to one field (wrong column count).
  void add_row_error(std::string message);
  // Marks `field` as given (even if empty) without a value: required
  // fields never set are reported as missing.
  void mark_seen(Field field) { seen_[static_cast<int>(field)] = true; }

  // Checks required fields and ranges (validate_response / validate_churn)
  // and stores the record, or a RowError with every message, in `out`.
  void finish(int line, ParsedRow& out);

 private:
  void set_time(Field field, std::string_view text);
  // "score: missing", as validate_response says it.
  void add_empty_error(Field field);
  // Adds validate_response's problems for fields not already at fault.
  void add_validation_errors(const Status& valid);

  const RecordKind kind_;
  const TimeReader time_;
  Response response_;
  ChurnEvent churn_;
  bool seen_[kFieldCount] = {};
  std::string message_;
  std::vector<std::string> error_fields_;
};

}  // namespace turnaround::api

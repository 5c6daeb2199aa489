#include "api/io/jsonl_reader.h"

#include <cmath>
#include <limits>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/codec/json_input.h"

namespace turnaround::api {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// "a string (\"9\")", "a number (7.5)", "a boolean", ...: for type errors.
std::string describe(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "a number (" + boost::json::serialize(v) + ")";
    case boost::json::kind::double_: {
      std::ostringstream text;  // serialize() would write 7.5 as 7.5E0
      text.precision(15);
      text << v.get_double();
      return "a number (" + text.str() + ")";
    }
    case boost::json::kind::string:
      return "a string (" + boost::json::serialize(v) + ")";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

int count_code_points(std::string_view text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// A JSON number with no fraction, as a long long.
std::optional<long long> as_integer(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    const auto u = v.get_uint64();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<long long>::max())) return std::nullopt;
    return static_cast<long long>(u);
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::trunc(d) == d && std::fabs(d) < 1e15) return static_cast<long long>(d);
  }
  return std::nullopt;
}

void map_value(Field field, const boost::json::value& v, RecordBuilder& builder) {
  auto wrong_type = [&](const char* expected) {
    builder.mark_seen(field);
    builder.add_error(field, std::string("expected ") + expected + ", got " + describe(v));
  };
  switch (field) {
    case Field::kScore:
      if (auto n = as_integer(v)) return builder.set_score(*n);
      return wrong_type("an integer 0..10");
    case Field::kArr:
      if (v.is_number()) return builder.set_arr(v.to_number<double>());
      return wrong_type("a number");
    case Field::kResponseId:
    case Field::kCustomerId:
      if (v.is_int64() || v.is_uint64()) return builder.set_text(field, boost::json::serialize(v));
      [[fallthrough]];
    default:
      if (v.is_string()) return builder.set_text(field, v.get_string());
      return wrong_type("a string");
  }
}

}  // namespace

void map_json_object(const boost::json::object& object, int line, RecordBuilder& builder,
                     ParsedRow& out) {
  builder.start();
  for (const auto& kv : object) {
    const auto field = parse_field(builder.kind(), kv.key());
    if (!field) {
      builder.add_row_error("unknown field '" + std::string(kv.key()) + "'");
      continue;
    }
    if (kv.value().is_null()) continue;  // same as absent
    map_value(*field, kv.value(), builder);
  }
  builder.finish(line, out);
}

JsonlReader::JsonlReader(std::unique_ptr<std::istream> in, RecordKind kind,
                         std::uint64_t total_bytes)
    : in_(std::move(in)), builder_(kind, TimeReader()), total_bytes_(total_bytes) {}

bool JsonlReader::next(ParsedRow& row) {
  while (std::getline(*in_, line_text_)) {
    ++line_;
    bytes_read_ += line_text_.size() + (in_->eof() ? 0 : 1);
    std::string_view text = line_text_;
    if (line_ == 1 && text.starts_with(kBom)) text.remove_prefix(kBom.size());
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) continue;

    boost::json::error_code ec;
    parser_.reset();
    const std::size_t used = parser_.write(text.data(), text.size(), ec);
    if (ec) {
      row.line = line_;
      row.value = RowError{line_,
                           "invalid JSON at column " +
                               std::to_string(count_code_points(text.substr(0, used)) + 1) + ": " +
                               ec.message(),
                           {}};
      return true;
    }
    const boost::json::value value = parser_.release();
    if (std::string key = repeated_key(text); !key.empty()) {
      row.line = line_;
      row.value = RowError{line_, "duplicate key '" + key + "' in the object", {key}};
      return true;
    }
    if (!value.is_object()) {
      row.line = line_;
      row.value = RowError{line_, "expected a JSON object, got " + describe(value), {}};
      return true;
    }
    map_json_object(value.get_object(), line_, builder_, row);
    return true;
  }
  return false;
}

Status JsonlReader::status() const {
  if (in_->bad())
    return internal_error("reading stopped on an I/O error at line " + std::to_string(line_ + 1));
  return Status();
}

}  // namespace turnaround::api

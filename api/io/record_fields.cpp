// date::from_stream (date.h) trips a false -Wmaybe-uninitialized at -O2 on
// its fractional-seconds temporary; the warning is located in date.h, so it
// is silenced for the header's text only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "api/io/record_fields.h"

#include <date/date.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <set>
#include <sstream>

namespace turnaround::api {

namespace {

constexpr Field kResponseFields[] = {Field::kResponseId, Field::kCustomerId, Field::kCustomerName,
                                     Field::kSegment,    Field::kArr,        Field::kScore,
                                     Field::kComment,    Field::kRespondedAt, Field::kAccountOwner};
constexpr Field kChurnFields[] = {Field::kCustomerId, Field::kLostAt, Field::kReason, Field::kArr};

// Local ISO forms tried when a time has no offset. %S reads fractional
// seconds into the microsecond time point; they are truncated afterwards.
constexpr const char* kLocalIsoFormats[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                                            "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"};

std::string quoted(std::string_view text) {
  std::string out = "'";
  out.append(text);
  out += '\'';
  return out;
}

// Parses all of `text` with `format`; nullopt unless everything matched.
template <typename Duration>
std::optional<date::local_time<Duration>> parse_local(std::string_view text, const char* format,
                                                      std::chrono::minutes* offset) {
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  date::local_time<Duration> t{};
  date::from_stream(in, format, t, static_cast<std::string*>(nullptr), offset);
  if (in.fail()) return std::nullopt;
  if (in.peek() != std::char_traits<char>::eof()) return std::nullopt;  // trailing text
  return t;
}

}  // namespace

const char* record_kind_name(RecordKind kind) {
  return kind == RecordKind::kResponse ? "responses" : "churn";
}

std::span<const Field> fields_of(RecordKind kind) {
  if (kind == RecordKind::kResponse) return kResponseFields;
  return kChurnFields;
}

const char* field_name(Field field) {
  switch (field) {
    case Field::kResponseId:
      return "response_id";
    case Field::kCustomerId:
      return "customer_id";
    case Field::kCustomerName:
      return "customer_name";
    case Field::kSegment:
      return "segment";
    case Field::kArr:
      return "arr";
    case Field::kScore:
      return "score";
    case Field::kComment:
      return "comment";
    case Field::kRespondedAt:
      return "responded_at";
    case Field::kLostAt:
      return "lost_at";
    case Field::kReason:
      return "reason";
    case Field::kAccountOwner:
      return "account_owner";
  }
  return "?";
}

std::optional<Field> parse_field(RecordKind kind, std::string_view name) {
  for (Field f : fields_of(kind)) {
    if (name == field_name(f)) return f;
  }
  return std::nullopt;
}

bool is_required(RecordKind kind, Field field) {
  if (kind == RecordKind::kResponse) {
    return field == Field::kResponseId || field == Field::kCustomerId || field == Field::kScore ||
           field == Field::kRespondedAt;
  }
  return field == Field::kCustomerId || field == Field::kLostAt;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::optional<int> parse_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_plain_number(std::string_view text) {
  // Checked by hand first: from_chars would also take "1e5", "inf", "nan".
  std::size_t i = (!text.empty() && text.front() == '-') ? 1 : 0;
  const std::size_t int_begin = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == int_begin) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_begin = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == frac_begin) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  return value;
}

TimeReader::TimeReader(std::string format, const date::time_zone* zone)
    : format_(std::move(format)), zone_(zone) {
  if (zone_ != nullptr)
    calendar_.emplace(zone_, std::set<date::weekday>{}, std::set<date::local_days>{});
}

Result<Instant> TimeReader::read(std::string_view text) const {
  text = trim(text);
  if (!format_.empty()) return read_with_format(text);
  return read_iso(text);
}

Result<Instant> TimeReader::read_iso(std::string_view text) const {
  auto with_offset = parse_instant(text);
  if (with_offset.ok()) return with_offset;
  for (const char* format : kLocalIsoFormats) {
    auto local = parse_local<std::chrono::microseconds>(text, format, nullptr);
    if (!local) continue;
    if (zone_ == nullptr) {
      return invalid_argument(quoted(text) +
                              " has no UTC offset (write one, like 2026-03-01T09:30:00Z, or "
                              "set time_zone in the mapping file)");
    }
    return calendar_->to_instant(date::floor<std::chrono::seconds>(*local));
  }
  return invalid_argument(quoted(text) +
                          " is not a valid time (expected ISO 8601 with an offset, like "
                          "2026-03-01T09:30:00Z)");
}

Result<Instant> TimeReader::read_with_format(std::string_view text) const {
  std::chrono::minutes offset = std::chrono::minutes::min();  // untouched unless %z read
  auto local = parse_local<std::chrono::seconds>(text, format_.c_str(), &offset);
  if (!local) {
    return invalid_argument(quoted(text) + " is not a valid time (expected the format \"" +
                            format_ + "\")");
  }
  if (offset != std::chrono::minutes::min()) {
    return Instant{local->time_since_epoch() - offset};
  }
  if (zone_ == nullptr) {
    // The mapping loader refuses a format without %z and no zone; kept
    // for callers that build a TimeReader by hand.
    return invalid_argument(quoted(text) + " has no UTC offset and no time_zone is set");
  }
  return calendar_->to_instant(*local);
}

RecordBuilder::RecordBuilder(RecordKind kind, TimeReader time)
    : kind_(kind), time_(std::move(time)) {}

void RecordBuilder::start() {
  response_ = Response{};
  churn_ = ChurnEvent{};
  std::fill(std::begin(seen_), std::end(seen_), false);
  message_.clear();
  error_fields_.clear();
}

void RecordBuilder::add_error(Field field, std::string message) {
  add_row_error(std::string(field_name(field)) + ": " + message);
  error_fields_.emplace_back(field_name(field));
}

void RecordBuilder::add_empty_error(Field field) {
  add_row_error(std::string(field_name(field)) + ": missing");
  error_fields_.emplace_back(field_name(field));
}

void RecordBuilder::add_row_error(std::string message) {
  if (!message_.empty()) message_ += "; ";
  message_ += message;
}

void RecordBuilder::set_score(long long score) {
  mark_seen(Field::kScore);
  if (score < std::numeric_limits<int>::min() || score > std::numeric_limits<int>::max()) {
    add_error(Field::kScore, std::to_string(score) + " is not an integer 0..10");
    return;
  }
  response_.score = static_cast<int>(score);
}

void RecordBuilder::set_arr(double arr) {
  mark_seen(Field::kArr);
  response_.arr = arr;
  churn_.arr = arr;
}

void RecordBuilder::set_time(Field field, std::string_view text) {
  if (text.empty()) return add_empty_error(field);
  auto t = time_.read(text);
  if (!t.ok()) {
    add_error(field, t.status().message());
    return;
  }
  if (field == Field::kRespondedAt) response_.responded_at = *t;
  if (field == Field::kLostAt) churn_.lost_at = *t;
}

namespace {

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF): what Boost.JSON requires of JSON input, so that
// every text stored can be written out again as valid JSON.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07;
    else return false;
    if (i + n >= s.size()) return false;  // cut short
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool is_id_field(Field field) {
  return field == Field::kResponseId || field == Field::kCustomerId || field == Field::kAccountOwner;
}

}  // namespace

void RecordBuilder::set_text(Field field, std::string_view raw) {
  mark_seen(field);
  const std::string_view text = trim(raw);
  if (!valid_utf8(text)) return add_error(field, "not valid UTF-8 text");
  // Ids are looked up and shown: no control characters. Other text may hold
  // line breaks and tabs (a quoted CSV field), but not NUL.
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0 || (is_id_field(field) && (c < 0x20 || c == 0x7F))) {
      return add_error(field, "contains a control character (byte " + std::to_string(c) + ")");
    }
  }
  switch (field) {
    case Field::kResponseId:
      response_.response_id = ResponseId(std::string(text));
      return;
    case Field::kCustomerId:
      response_.customer_id = CustomerId(std::string(text));
      churn_.customer_id = response_.customer_id;
      return;
    case Field::kCustomerName:
      response_.customer_name.assign(text);
      return;
    case Field::kSegment:
      response_.segment.assign(text);
      return;
    case Field::kComment:
      response_.comment.assign(text);
      return;
    case Field::kReason:
      churn_.reason.assign(text);
      return;
    case Field::kAccountOwner:
      response_.account_owner = PersonId(std::string(text));
      return;
    case Field::kRespondedAt:
    case Field::kLostAt:
      set_time(field, text);
      return;
    case Field::kScore: {
      if (text.empty()) return add_empty_error(field);
      const auto score = parse_int(text);
      if (!score) return add_error(field, quoted(text) + " is not an integer 0..10");
      response_.score = *score;
      return;
    }
    case Field::kArr: {
      if (text.empty()) return set_arr(0);
      const auto arr = parse_plain_number(text);
      if (!arr) {
        return add_error(field, quoted(text) +
                                    " is not a plain number (write 12000 or 12000.50, without "
                                    "thousands separators or currency)");
      }
      return set_arr(*arr);
    }
  }
}

void RecordBuilder::add_validation_errors(const Status& valid) {
  // The engine joins one "field: problem" per field with "; ", in the order
  // of fields(). Keep only the problems of fields not already at fault here:
  // an unreadable score reads as 0 and a missing id as empty, and repeating
  // them would only confuse. If the message does not split that way, keep
  // it whole.
  std::vector<std::string> parts;
  std::string_view rest = valid.message();
  for (std::size_t cut; (cut = rest.find("; ")) != std::string_view::npos;) {
    parts.emplace_back(rest.substr(0, cut));
    rest.remove_prefix(cut + 2);
  }
  parts.emplace_back(rest);
  const auto& fields = valid.fields();
  if (parts.size() != fields.size()) {
    add_row_error(valid.message());
    error_fields_.insert(error_fields_.end(), fields.begin(), fields.end());
    return;
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (std::find(error_fields_.begin(), error_fields_.end(), fields[i]) != error_fields_.end()) {
      continue;
    }
    add_row_error(parts[i]);
    error_fields_.push_back(fields[i]);
  }
}

void RecordBuilder::finish(int line, ParsedRow& out) {
  out.line = line;
  for (Field f : fields_of(kind_)) {
    if (is_required(kind_, f) && !seen_[static_cast<int>(f)]) {
      add_row_error(std::string("missing field '") + field_name(f) + "'");
      error_fields_.emplace_back(field_name(f));
    }
  }
  const Status valid =
      kind_ == RecordKind::kResponse ? validate_response(response_) : validate_churn(churn_);
  if (!valid.ok()) add_validation_errors(valid);
  if (!message_.empty()) {
    out.value = RowError{line, message_, error_fields_};
  } else if (kind_ == RecordKind::kResponse) {
    out.value = std::move(response_);
  } else {
    out.value = std::move(churn_);
  }
}

}  // namespace turnaround::api

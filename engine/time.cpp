#include "engine/time.h"

#include <cctype>
#include <cstdio>
#include <iterator>
#include <limits>

namespace turnaround {

namespace {

// Amounts above this are refused: they are typos, and they would make the
// calendar arithmetic (days as int, business days one at a time) misbehave.
constexpr std::int64_t kMaxDurationAmount = 100000;

constexpr const char* kInstantExample = "e.g. 2026-03-29T01:30:00Z or 2026-03-29T03:30:00+02:00";

constexpr const char* kDurationForms =
    "expected a non-negative whole number and a unit: 90m, 48h, 14d, 2w, 3bd, or "
    "90 minutes, 1 hour, 14 days, 2 weeks, 3 business days";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string two_digits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// A cursor over the instant text; each read_* consumes on success only.
class InstantReader {
 public:
  explicit InstantReader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip() { ++pos_; }
  std::string_view rest() const { return text_.substr(pos_); }

  // Exactly `n` digits as a number; false (nothing consumed) otherwise.
  bool read_digits(int n, int* out) {
    if (pos_ + n > text_.size()) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = text_[pos_ + i];
      if (!is_digit(c)) return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    *out = v;
    return true;
  }

  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Status instant_error(std::string_view text, const std::string& problem) {
  return invalid_argument("invalid instant '" + std::string(text) + "': " + problem);
}

// Reads "+HH:MM", "+HHMM", "+HH" or "Z" into a signed offset.
Result<std::chrono::seconds> read_offset(InstantReader& in, std::string_view text) {
  if (in.at_end()) {
    return instant_error(text, std::string("missing UTC offset; an offset like Z or +01:00 is "
                                           "required (") +
                                   kInstantExample + ")");
  }
  if (in.accept('Z') || in.accept('z')) return std::chrono::seconds(0);
  int sign = 0;
  if (in.accept('+'))
    sign = 1;
  else if (in.accept('-'))
    sign = -1;
  if (sign == 0) {
    return instant_error(
        text, "unexpected '" + std::string(in.rest()) + "'; expected an offset like Z or +01:00");
  }
  int hh = 0, mm = 0;
  if (!in.read_digits(2, &hh)) {
    return instant_error(text, "malformed UTC offset; expected Z, +HH:MM, +HHMM or +HH");
  }
  if (in.accept(':')) {
    if (!in.read_digits(2, &mm)) {
      return instant_error(text, "malformed UTC offset; expected Z, +HH:MM, +HHMM or +HH");
    }
  } else {
    (void)in.read_digits(2, &mm);  // "+HHMM" or just "+HH"
  }
  if (hh > 23)
    return instant_error(text, "offset hour " + two_digits(hh) + " out of range (00-23)");
  if (mm > 59) {
    return instant_error(text, "offset minute " + two_digits(mm) + " out of range (00-59)");
  }
  return std::chrono::seconds(sign * (hh * 3600 + mm * 60));
}

// Reads "HH:MM[:SS[.fff]]" into the time of day; fractions are truncated.
Result<std::chrono::seconds> read_time_of_day(InstantReader& in, std::string_view text) {
  int hh = 0, mm = 0, ss = 0;
  if (!in.read_digits(2, &hh) || !in.accept(':') || !in.read_digits(2, &mm)) {
    return instant_error(
        text, std::string("malformed time; expected HH:MM or HH:MM:SS (") + kInstantExample + ")");
  }
  bool has_seconds = in.accept(':');
  if (has_seconds && !in.read_digits(2, &ss)) {
    return instant_error(text, "malformed seconds; expected two digits after HH:MM:");
  }
  if (has_seconds && (in.peek() == '.' || in.peek() == ',')) {
    in.skip();
    if (!is_digit(in.peek())) return instant_error(text, "expected digits after the decimal point");
    while (is_digit(in.peek())) in.skip();
  }
  if (hh > 23) return instant_error(text, "hour " + two_digits(hh) + " out of range (00-23)");
  if (mm > 59) return instant_error(text, "minute " + two_digits(mm) + " out of range (00-59)");
  if (ss > 59) return instant_error(text, "second " + two_digits(ss) + " out of range (00-59)");
  return std::chrono::seconds(hh * 3600 + mm * 60 + ss);
}

Result<date::sys_days> read_date(InstantReader& in, std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (!in.read_digits(4, &y) || !in.accept('-') || !in.read_digits(2, &m) || !in.accept('-') ||
      !in.read_digits(2, &d)) {
    return instant_error(
        text, std::string("malformed date; expected YYYY-MM-DD (") + kInstantExample + ")");
  }
  if (m < 1 || m > 12)
    return instant_error(text, "month " + two_digits(m) + " out of range (01-12)");
  date::year_month ym{date::year{y}, date::month{static_cast<unsigned>(m)}};
  unsigned last = static_cast<unsigned>((ym / date::last).day());
  if (d < 1 || static_cast<unsigned>(d) > last) {
    return instant_error(text, "day " + two_digits(d) + " out of range for " + std::to_string(y) +
                                   "-" + two_digits(m) + " (01-" + std::to_string(last) + ")");
  }
  return date::sys_days(ym / date::day{static_cast<unsigned>(d)});
}

struct UnitName {
  std::string_view name;
  Duration::Unit unit;
};

// Every spelling a duration unit may take (lower case, single spaces).
constexpr UnitName kUnitNames[] = {
    {"m", Duration::Unit::kMinutes},
    {"min", Duration::Unit::kMinutes},
    {"minute", Duration::Unit::kMinutes},
    {"minutes", Duration::Unit::kMinutes},
    {"h", Duration::Unit::kHours},
    {"hour", Duration::Unit::kHours},
    {"hours", Duration::Unit::kHours},
    {"d", Duration::Unit::kDays},
    {"day", Duration::Unit::kDays},
    {"days", Duration::Unit::kDays},
    {"w", Duration::Unit::kWeeks},
    {"week", Duration::Unit::kWeeks},
    {"weeks", Duration::Unit::kWeeks},
    {"bd", Duration::Unit::kBusinessDays},
    {"business day", Duration::Unit::kBusinessDays},
    {"business days", Duration::Unit::kBusinessDays},
};

// Lower-cases and collapses runs of blanks, so "3 Business  Days" matches.
std::string normalize_unit(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

Status duration_error(std::string_view text, const std::string& problem) {
  return invalid_argument("invalid duration '" + std::string(text) + "': " + problem + "; " +
                          kDurationForms);
}

}  // namespace

Result<Instant> parse_instant(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return instant_error(text, std::string("empty text (") + kInstantExample + ")");
  InstantReader in(s);
  auto day = read_date(in, text);
  if (!day.ok()) return day.status();
  if (in.at_end()) {
    return instant_error(text,
                         "missing time and UTC offset; an offset like Z or +01:00 is "
                         "required (e.g. 2026-03-29T00:00:00Z)");
  }
  if (!in.accept('T') && !in.accept('t')) {
    return instant_error(text, "expected 'T' between the date and the time");
  }
  auto tod = read_time_of_day(in, text);
  if (!tod.ok()) return tod.status();
  auto offset = read_offset(in, text);
  if (!offset.ok()) return offset.status();
  if (!in.at_end()) {
    return instant_error(text, "unexpected trailing text '" + std::string(in.rest()) + "'");
  }
  return Instant(*day) + *tod - *offset;
}

bool format_instant_to(Instant t, char* buf) {
  // By hand rather than date::format (an ostringstream and a locale per
  // call) or snprintf (a format-string interpreter, ~1,500 instructions):
  // JSON output formats many instants per case, and GET /v1/cases/{id} spent
  // an eighth of its time here with snprintf.
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return false;
  const date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  // buf: YYYY-MM-DDTHH:MM:SSZ (kInstantTextSize bytes)
  auto two = [](char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  two(buf, static_cast<unsigned>(year) / 100);
  two(buf + 2, static_cast<unsigned>(year) % 100);
  buf[4] = '-';
  two(buf + 5, static_cast<unsigned>(ymd.month()));
  buf[7] = '-';
  two(buf + 8, static_cast<unsigned>(ymd.day()));
  buf[10] = 'T';
  two(buf + 11, static_cast<unsigned>(hms.hours().count()));
  buf[13] = ':';
  two(buf + 14, static_cast<unsigned>(hms.minutes().count()));
  buf[16] = ':';
  two(buf + 17, static_cast<unsigned>(hms.seconds().count()));
  buf[19] = 'Z';
  return true;
}

std::string format_instant(Instant t) {
  char buf[kInstantTextSize];
  if (!format_instant_to(t, buf)) return date::format("%FT%TZ", t);
  return std::string(buf, sizeof buf);
}

Result<Duration> parse_duration(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return duration_error(text, "empty text");
  if (s.front() == '-') return duration_error(text, "negative amounts are not allowed");
  if (!is_digit(s.front())) return duration_error(text, "missing amount");
  std::int64_t amount = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (amount > (std::numeric_limits<std::int64_t>::max() - 9) / 10) {
      return duration_error(text, "amount too large");
    }
    amount = amount * 10 + (s[i] - '0');
  }
  if (amount > kMaxDurationAmount) {
    return duration_error(text,
                          "amount too large (at most " + std::to_string(kMaxDurationAmount) + ")");
  }
  std::string unit = normalize_unit(s.substr(i));
  if (unit.empty()) return duration_error(text, "missing unit");
  for (const auto& u : kUnitNames) {
    if (u.name == unit) return Duration{amount, u.unit};
  }
  if (unit.front() == '.' || unit.front() == ',') {
    return duration_error(text, "the amount must be a whole number");
  }
  return duration_error(text, "unknown unit '" + unit + "'");
}

std::string to_string(const Duration& d) {
  const char* suffix = "d";
  switch (d.unit) {
    case Duration::Unit::kMinutes:
      suffix = "m";
      break;
    case Duration::Unit::kHours:
      suffix = "h";
      break;
    case Duration::Unit::kDays:
      suffix = "d";
      break;
    case Duration::Unit::kWeeks:
      suffix = "w";
      break;
    case Duration::Unit::kBusinessDays:
      suffix = "bd";
      break;
  }
  return std::to_string(d.amount) + suffix;
}

std::string format_elapsed(std::int64_t seconds) {
  // Work on the magnitude as unsigned so INT64_MIN cannot overflow.
  std::string sign = seconds < 0 ? "-" : "";
  std::uint64_t s =
      seconds < 0 ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  struct Part {
    std::uint64_t size;
    const char* suffix;
  };
  constexpr Part kParts[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  // The two largest units, the second one omitted when zero: "3d 4h", "3d", "42s".
  for (std::size_t i = 0; i < std::size(kParts); ++i) {
    if (s < kParts[i].size && kParts[i].size != 1) continue;
    std::string out = sign + std::to_string(s / kParts[i].size) + kParts[i].suffix;
    if (i + 1 < std::size(kParts)) {
      std::uint64_t rest = (s % kParts[i].size) / kParts[i + 1].size;
      if (rest != 0) out += " " + std::to_string(rest) + kParts[i + 1].suffix;
    }
    return out;
  }
  return "0s";  // unreachable: the seconds part always matches
}

}  // namespace turnaround

#include "storage/json_codec.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

namespace turnaround::storage {

namespace json = boost::json;

namespace {

// Boost.JSON 1.81's parser may round a double's last bit differently from
// the (shortest, round-trip) text its serializer wrote. This handler builds
// the same value tree as json::parse but converts number text with
// std::from_chars, which is correctly rounded.
struct PreciseHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  // `temp`: scratch memory for the stack of values under construction.
  PreciseHandler(unsigned char* temp, std::size_t size) : st(json::storage_ptr(), temp, size) {}

  json::value_stack st;
  std::string number;  // number text split across write_some calls

  using sv = json::string_view;
  using ec_t = json::error_code;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t n, ec_t&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t n, ec_t&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(sv s, std::size_t, ec_t&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(sv s, std::size_t, ec_t&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(sv s, ec_t&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, sv, ec_t&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, sv, ec_t&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, sv s, ec_t&) {
    number.append(s.data(), s.size());
    double exact = d;
    auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), exact);
    st.push_double(err == std::errc() ? exact : d);
    number.clear();
    return true;
  }
  bool on_bool(bool b, ec_t&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(ec_t&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

// The columns parsed here are small and their value tree is thrown away as
// soon as it is converted: callers keep it in an Arena on their stack, so a
// parse allocates nothing on the heap (it used to be a third of its cost).
struct Arena {
  unsigned char buffer[2048];
  json::monotonic_resource resource{buffer, sizeof buffer};
  json::storage_ptr sp{&resource};
};

// The value of `text`, allocated in `arena`; nullopt if it is not JSON.
std::optional<json::value> parse_precise(std::string_view text, Arena& arena) {
  unsigned char temp[1024];
  json::basic_parser<PreciseHandler> p{json::parse_options{}, temp, sizeof temp};
  p.handler().st.reset(arena.sp);
  json::error_code ec;
  std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (ec || n != text.size()) return std::nullopt;
  return p.handler().st.release();
}

// --- A fast path for the texts the encoders below write.
//
// Stored columns are small flat JSON written by this file: {"key":VALUE,...}
// with VALUE null, true, false, a number, a string or an array of strings,
// and no whitespace. The functions below read exactly that, when every
// string is "plain" (printable ASCII without escapes), straight into the
// result without a JSON tree; on anything else (an escape, non-ASCII text,
// whitespace, a nested object, a duplicate key, a malformed number) they
// give up (nullopt / false) and the caller runs the full parser, so
// results and errors are always the full parser's. GET /v1/cases/{id}
// decodes one such object per history entry.

// A plain string starting at t[i] (a quote); advances i past it.
std::optional<std::string_view> plain_string(std::string_view t, std::size_t& i) {
  if (i >= t.size() || t[i] != '"') return std::nullopt;
  const std::size_t start = i + 1;
  for (std::size_t j = start; j < t.size(); ++j) {
    const unsigned char c = static_cast<unsigned char>(t[j]);
    if (c == '"') {
      i = j + 1;
      return t.substr(start, j - start);
    }
    if (c < 0x20 || c >= 0x80 || c == '\\') return std::nullopt;
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A JSON number at t[i] (strict grammar), as the full parser would read it.
bool plain_number(std::string_view t, std::size_t& i, double& out) {
  std::size_t j = i;
  if (j < t.size() && t[j] == '-') ++j;
  if (j >= t.size() || !is_digit(t[j])) return false;
  if (t[j] == '0') {
    ++j;
  } else {
    while (j < t.size() && is_digit(t[j])) ++j;
  }
  bool integral = true;
  if (j < t.size() && t[j] == '.') {
    integral = false;
    ++j;
    if (j >= t.size() || !is_digit(t[j])) return false;
    while (j < t.size() && is_digit(t[j])) ++j;
  }
  if (j < t.size() && (t[j] == 'e' || t[j] == 'E')) {
    integral = false;
    ++j;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    if (j >= t.size() || !is_digit(t[j])) return false;
    while (j < t.size() && is_digit(t[j])) ++j;
  }
  const std::string_view text = t.substr(i, j - i);
  // The full parser reads "-0" as the integer 0 (positive zero).
  if (integral && text == "-0") return false;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (err != std::errc() || end != text.data() + text.size()) return false;
  i = j;
  return true;
}

// An array of plain strings at t[i]; advances i past it.
bool plain_list(std::string_view t, std::size_t& i, std::vector<std::string>& out) {
  if (i >= t.size() || t[i] != '[') return false;
  ++i;
  if (i < t.size() && t[i] == ']') {
    ++i;
    return true;
  }
  for (;;) {
    auto s = plain_string(t, i);
    if (!s) return false;
    out.emplace_back(*s);
    if (i >= t.size()) return false;
    if (t[i] == ']') {
      ++i;
      return true;
    }
    if (t[i] != ',') return false;
    ++i;
  }
}

bool plain_value(std::string_view t, std::size_t& i, Value& out) {
  if (i >= t.size()) return false;
  const std::string_view rest = t.substr(i);
  switch (t[i]) {
    case 'n':
      if (!rest.starts_with("null")) return false;
      i += 4;
      out = Value();
      return true;
    case 't':
      if (!rest.starts_with("true")) return false;
      i += 4;
      out = Value(true);
      return true;
    case 'f':
      if (!rest.starts_with("false")) return false;
      i += 5;
      out = Value(false);
      return true;
    case '"': {
      auto s = plain_string(t, i);
      if (!s) return false;
      out = Value(std::string(*s));
      return true;
    }
    case '[': {
      Value::List list;
      if (!plain_list(t, i, list)) return false;
      out = Value(std::move(list));
      return true;
    }
    default: {
      double d = 0;
      if (!plain_number(t, i, d)) return false;
      out = Value(d);
      return true;
    }
  }
}

std::optional<FieldValues> plain_fields(std::string_view t) {
  if (t.size() < 2 || t[0] != '{') return std::nullopt;
  std::size_t i = 1;
  FieldValues out;
  if (t[i] == '}') return i + 1 == t.size() ? std::optional<FieldValues>(std::move(out)) : std::nullopt;
  for (;;) {
    auto key = plain_string(t, i);
    if (!key || i >= t.size() || t[i] != ':') return std::nullopt;
    ++i;
    Value v;
    if (!plain_value(t, i, v)) return std::nullopt;
    if (!out.emplace(std::string(*key), std::move(v)).second) return std::nullopt;
    if (i >= t.size()) return std::nullopt;
    if (t[i] == '}') return i + 1 == t.size() ? std::optional<FieldValues>(std::move(out)) : std::nullopt;
    if (t[i] != ',') return std::nullopt;
    ++i;
  }
}

Status corrupt(const char* what, std::string_view text) {
  constexpr std::size_t kShown = 80;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return internal_error(std::string("corrupt ") + what + " column: " + shown);
}

json::value number_to_json(double d) {
  if (!std::isfinite(d)) return nullptr;
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::trunc(d) == d && std::fabs(d) < kExactIntegers && !(d == 0 && std::signbit(d))) {
    return static_cast<std::int64_t>(d);
  }
  return d;
}

std::optional<double> json_to_number(const json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

json::value value_to_json(const Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_number()) return number_to_json(v.as_number());
  if (v.is_text()) return json::string(v.as_text());
  if (v.is_list()) {
    json::array a;
    a.reserve(v.as_list().size());
    for (const auto& s : v.as_list()) a.emplace_back(json::string(s));
    return a;
  }
  return nullptr;
}

std::optional<Value> json_to_value(const json::value& j) {
  switch (j.kind()) {
    case json::kind::null:
      return Value();
    case json::kind::bool_:
      return Value(j.get_bool());
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return Value(*json_to_number(j));
    case json::kind::string:
      return Value(std::string(j.get_string()));
    case json::kind::array: {
      Value::List list;
      list.reserve(j.get_array().size());
      for (const auto& e : j.get_array()) {
        if (!e.is_string()) return std::nullopt;
        list.emplace_back(e.get_string());
      }
      return Value(std::move(list));
    }
    case json::kind::object:
      break;
  }
  return std::nullopt;
}

json::value instant_to_json(const std::optional<Instant>& t) {
  if (!t) return nullptr;
  return static_cast<std::int64_t>(t->time_since_epoch().count());
}

// Reads an optional instant member (absent or null: nullopt); sets `ok` to
// false if it is neither null nor an integer.
std::optional<Instant> json_to_instant(const json::value* v, bool& ok) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_int64()) {
    ok = false;
    return std::nullopt;
  }
  return Instant(std::chrono::seconds(v->get_int64()));
}

std::optional<CaseDeadline> json_to_deadline(const json::value& j) {
  const json::object* o = j.if_object();
  if (o == nullptr) return std::nullopt;
  const json::value* name = o->if_contains("name");
  const json::value* state = o->if_contains("state");
  const json::value* status = o->if_contains("status");
  const json::value* done = o->if_contains("done");
  if (!name || !name->is_string() || !state || !state->is_string() || !status ||
      !status->is_string() || !done || !done->is_bool()) {
    return std::nullopt;
  }
  CaseDeadline d;
  d.name = name->get_string();
  d.state = state->get_string();
  auto parsed_status = parse_deadline_status(status->get_string());
  if (!parsed_status) return std::nullopt;
  d.status = *parsed_status;
  d.done = done->get_bool();
  bool ok = true;
  auto due = json_to_instant(o->if_contains("due_at"), ok);
  if (!due) return std::nullopt;
  d.due_at = *due;
  d.paused_at = json_to_instant(o->if_contains("paused_at"), ok);
  d.resolved_at = json_to_instant(o->if_contains("resolved_at"), ok);
  if (!ok) return std::nullopt;
  return d;
}

}  // namespace

std::string encode_fields(const FieldValues& fields) {
  json::object o;
  o.reserve(fields.size());
  for (const auto& [name, value] : fields) o.emplace(name, value_to_json(value));
  return json::serialize(o);
}

Result<FieldValues> decode_fields(std::string_view text) {
  if (auto plain = plain_fields(text)) return std::move(*plain);
  Arena arena;
  auto parsed = parse_precise(text, arena);
  if (!parsed || !parsed->is_object()) return corrupt("data", text);
  FieldValues out;
  for (const auto& [key, j] : parsed->get_object()) {
    auto v = json_to_value(j);
    if (!v) return corrupt("data", text);
    out.emplace(std::string(key), std::move(*v));
  }
  return out;
}

std::string encode_deadlines(const std::vector<CaseDeadline>& deadlines) {
  json::array a;
  a.reserve(deadlines.size());
  for (const auto& d : deadlines) {
    a.emplace_back(json::object{
        {"name", d.name},
        {"state", d.state},
        {"due_at", instant_to_json(d.due_at)},
        {"status", deadline_status_name(d.status)},
        {"done", d.done},
        {"paused_at", instant_to_json(d.paused_at)},
        {"resolved_at", instant_to_json(d.resolved_at)},
    });
  }
  return json::serialize(a);
}

Result<std::vector<CaseDeadline>> decode_deadlines(std::string_view text) {
  if (text == "[]") return std::vector<CaseDeadline>();
  Arena arena;
  auto parsed = parse_precise(text, arena);
  if (!parsed || !parsed->is_array()) return corrupt("deadlines", text);
  std::vector<CaseDeadline> out;
  out.reserve(parsed->get_array().size());
  for (const auto& j : parsed->get_array()) {
    auto d = json_to_deadline(j);
    if (!d) return corrupt("deadlines", text);
    out.push_back(std::move(*d));
  }
  return out;
}

std::string encode_strings(const std::vector<std::string>& list) {
  json::array a;
  a.reserve(list.size());
  for (const auto& s : list) a.emplace_back(json::string(s));
  return json::serialize(a);
}

Result<std::vector<std::string>> decode_strings(std::string_view text) {
  {
    std::vector<std::string> plain;
    std::size_t i = 0;
    if (plain_list(text, i, plain) && i == text.size()) return plain;
  }
  Arena arena;
  auto parsed = parse_precise(text, arena);
  if (!parsed || !parsed->is_array()) return corrupt("list", text);
  std::vector<std::string> out;
  out.reserve(parsed->get_array().size());
  for (const auto& j : parsed->get_array()) {
    if (!j.is_string()) return corrupt("list", text);
    out.emplace_back(j.get_string());
  }
  return out;
}

}  // namespace turnaround::storage

// case_json_text(): the text of case_to_json() written straight into a
// string. Building the Boost.JSON tree (a few hundred values) and then
// serializing it was about a third of the CPU of GET /v1/cases/{id}; this
// writes the same bytes in one pass. Doubles that are not whole numbers
// (rare: an arr or a data field) go through Boost.JSON's own serializer so
// that their text stays identical. A test compares both on many cases.

#include <boost/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>

#include "api/codec/case_json.h"

namespace turnaround::api {

namespace {

// The bytes a JSON string must escape.
constexpr std::array<bool, 256> kEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

// True if one of the 8 bytes at p is a control character, '"' or '\\'
// (exact: the classic "has zero byte" / "has byte less than" word tests).
inline bool needs_escape8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }
  void raw(char c) { out_.push_back(c); }

  // A JSON string, escaped as Boost.JSON's serializer does: quote,
  // backslash and control characters; everything else (UTF-8 too) as is.
  void string(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    const char* run = s.data();  // start of the bytes not yet copied
    const char* const end = s.data() + s.size();
    for (const char* p = run; p != end; ++p) {
      // Eight bytes at a time while none needs escaping (most strings).
      while (end - p >= 8 && !needs_escape8(p)) p += 8;
      if (p == end) break;
      const unsigned char c = static_cast<unsigned char>(*p);
      if (!kEscape[c]) continue;
      out_.append(run, static_cast<std::size_t>(p - run));
      run = p + 1;
      char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      std::size_t n = 6;
      switch (c) {
        case '"': esc[1] = '"'; n = 2; break;
        case '\\': esc[1] = '\\'; n = 2; break;
        case '\b': esc[1] = 'b'; n = 2; break;
        case '\t': esc[1] = 't'; n = 2; break;
        case '\n': esc[1] = 'n'; n = 2; break;
        case '\f': esc[1] = 'f'; n = 2; break;
        case '\r': esc[1] = 'r'; n = 2; break;
        default: break;
      }
      out_.append(esc, n);
    }
    out_.append(run, static_cast<std::size_t>(end - run));
    out_.push_back('"');
  }

  void integer(std::int64_t v) {
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    std::uint64_t u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    do {
      *--p = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) *--p = '-';
    out_.append(p, static_cast<std::size_t>(end - p));
  }

  void boolean(bool b) { raw(b ? "true" : "false"); }
  void null() { raw("null"); }

  // "key": (with the comma before it unless it is the first) for a key
  // that needs no escaping (the constant keys below).
  void key(std::string_view k, bool first = false) {
    if (!first) out_.push_back(',');
    out_.push_back('"');
    out_.append(k);
    out_.append("\":", 2);
  }

  void text_or_null(const std::string& s) { s.empty() ? null() : string(s); }

  // An instant's text (digits, '-', ':', 'T', 'Z') needs no escaping; written
  // without the std::string that format_instant() allocates (20 bytes: over
  // the small-string buffer).
  void instant(Instant t) {
    char buf[kInstantTextSize + 2];
    if (!format_instant_to(t, buf + 1)) return string(format_instant(t));
    buf[0] = '"';
    buf[kInstantTextSize + 1] = '"';
    out_.append(buf, sizeof buf);
  }
  void instant(const std::optional<Instant>& t) { t ? instant(*t) : null(); }

  // As value_to_json(): whole numbers below 1e15 as integers, other
  // doubles as Boost.JSON writes them.
  void value(const Value& v) {
    if (v.is_null()) return null();
    if (v.is_bool()) return boolean(v.as_bool());
    if (v.is_number()) {
      const double d = v.as_number();
      if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -1e15 && d < 1e15) {
        return integer(static_cast<std::int64_t>(d));
      }
      return raw(boost::json::serialize(boost::json::value(d)));
    }
    if (v.is_text()) return string(v.as_text());
    out_.push_back('[');
    bool first = true;
    for (const auto& s : v.as_list()) {
      if (!first) out_.push_back(',');
      first = false;
      string(s);
    }
    out_.push_back(']');
  }

  void fields(const FieldValues& f) {
    out_.push_back('{');
    bool first = true;
    for (const auto& [k, v] : f) {
      if (!first) out_.push_back(',');
      first = false;
      string(k);  // field names are data: escaped
      out_.push_back(':');
      value(v);
    }
    out_.push_back('}');
  }

 private:
  std::string& out_;
};

}  // namespace

std::string case_json_text(const Case& c, Instant now, bool with_history,
                           const std::vector<std::string>* allowed) {
  std::string out;
  out.reserve(2048 + (with_history ? 256 * c.history.size() : 0));
  Writer w(out);
  w.raw('{');
  w.key("id", true);
  w.integer(c.id.value);
  w.key("workflow");
  w.string(c.workflow);
  w.key("workflow_version");
  w.integer(c.workflow_version);
  w.key("state");
  w.string(c.state);
  w.key("owner");
  w.text_or_null(c.owner.value);
  w.key("queue");
  w.text_or_null(c.queue);
  w.key("priority");
  w.string(priority_name(c.priority));
  w.key("customer_id");
  w.string(c.customer_id.value);
  w.key("customer_name");
  w.string(c.customer_name);
  w.key("segment");
  w.string(c.segment);
  w.key("arr");
  w.value(Value(c.arr));
  w.key("score");
  c.score ? w.integer(*c.score) : w.null();
  w.key("responses");
  w.raw('[');
  for (std::size_t i = 0; i < c.responses.size(); ++i) {
    if (i > 0) w.raw(',');
    w.string(c.responses[i].value);
  }
  w.raw(']');
  w.key("responded_at");
  w.instant(c.responded_at);
  w.key("opened_at");
  w.instant(c.opened_at);
  w.key("state_entered_at");
  w.instant(c.state_entered_at);
  w.key("closed_at");
  w.instant(c.closed_at);
  w.key("version");
  w.integer(c.version);
  w.key("overdue");
  w.boolean(c.overdue(now));
  w.key("data");
  w.fields(c.data);
  w.key("deadlines");
  w.raw('[');
  for (std::size_t i = 0; i < c.deadlines.size(); ++i) {
    const CaseDeadline& d = c.deadlines[i];
    if (i > 0) w.raw(',');
    w.raw('{');
    w.key("name", true);
    w.string(d.name);
    w.key("state");
    w.string(d.state);
    w.key("due_at");
    w.instant(d.due_at);
    w.key("status");
    w.string(deadline_status_name(d.status));
    w.key("paused");
    w.boolean(d.paused_at.has_value());
    w.key("resolved_at");
    w.instant(d.resolved_at);
    w.raw('}');
  }
  w.raw(']');
  if (with_history) {
    w.key("history");
    w.raw('[');
    for (std::size_t i = 0; i < c.history.size(); ++i) {
      const HistoryEntry& h = c.history[i];
      if (i > 0) w.raw(',');
      w.raw('{');
      w.key("at", true);
      w.instant(h.at);
      w.key("event");
      w.string(h.event);
      w.key("from");
      w.text_or_null(h.from);
      w.key("to");
      w.string(h.to);
      w.key("by");
      w.string(h.by);
      if (auto it = h.data.find("deadline"); it != h.data.end()) {
        w.key("deadline");
        w.value(it->second);
      }
      w.key("data");
      w.fields(h.data);
      w.raw('}');
    }
    w.raw(']');
  }
  if (allowed) {
    w.key("allowed_events");
    w.raw('[');
    for (std::size_t i = 0; i < allowed->size(); ++i) {
      if (i > 0) w.raw(',');
      w.string((*allowed)[i]);
    }
    w.raw(']');
  }
  w.raw('}');
  return out;
}

}  // namespace turnaround::api

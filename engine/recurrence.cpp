#include "engine/recurrence.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace turnaround {

namespace {

using date::days;
using date::local_days;

constexpr const char* kDayCodes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

std::optional<date::weekday> weekday_code(std::string_view s) {
  for (unsigned i = 0; i < 7; ++i) {
    if (s == kDayCodes[i]) return date::weekday(i);
  }
  return std::nullopt;
}

// An optionally signed decimal integer, nothing around it.
std::optional<int> parse_int(std::string_view s, bool allow_sign) {
  bool negative = false;
  if (allow_sign && !s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 6) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

struct Part {
  std::string_view name, value;
  std::size_t name_at = 0, value_at = 0;
};

class RruleParser {
 public:
  explicit RruleParser(std::string_view text) : text_(text) {}

  Result<RecurrenceRule> parse(RruleError* error) {
    std::size_t base = 0;
    std::string_view t = text_;
    if (t.starts_with("RRULE:")) {
      t.remove_prefix(6);
      base = 6;
    }
    std::set<std::string_view> seen;
    bool has_freq = false;
    while (ok_) {
      std::size_t semi = t.find(';');
      std::string_view item = t.substr(0, semi);
      if (!item.empty()) {
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) {
          fail(base, "expected NAME=VALUE, not '" + std::string(item) + "'");
          break;
        }
        Part p{item.substr(0, eq), item.substr(eq + 1), base, base + eq + 1};
        if (!seen.insert(p.name).second) {
          fail(p.name_at, std::string(p.name) + " is given twice");
          break;
        }
        if (p.name == "FREQ") has_freq = true;
        read_part(p);
      }
      if (semi == std::string_view::npos) break;
      t.remove_prefix(semi + 1);
      base += semi + 1;
    }
    if (ok_ && !has_freq) fail(0, "FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)");
    if (ok_) check_combinations();
    if (ok_) return rule_;
    if (error) *error = error_;
    return invalid_argument("invalid RRULE '" + std::string(text_) + "': " + error_.message);
  }

 private:
  void fail(std::size_t at, std::string message) {
    if (!ok_) return;
    ok_ = false;
    error_ = {at, std::move(message)};
  }

  // Calls `item(value, offset)` for each comma-separated value of `p`.
  template <typename F>
  void each(const Part& p, F item) {
    std::string_view v = p.value;
    std::size_t at = p.value_at;
    if (v.empty()) fail(at, std::string(p.name) + " has no value");
    while (ok_ && !v.empty()) {
      std::size_t comma = v.find(',');
      item(v.substr(0, comma), at);
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
      at += comma + 1;
      if (v.empty()) fail(at, std::string(p.name) + " ends with a comma");
    }
  }

  void int_list(const Part& p, int lo, int hi, std::vector<int>& out, bool allow_negative) {
    each(p, [&](std::string_view s, std::size_t at) {
      auto n = parse_int(s, allow_negative);
      int a = n ? (*n < 0 ? -*n : *n) : 0;
      if (!n || a < lo || a > hi || (*n < 0 && !allow_negative)) {
        fail(at, std::string(p.name) + ": '" + std::string(s) + "' is not " +
                     (allow_negative ? "±" : "") + std::to_string(lo) + ".." + std::to_string(hi));
        return;
      }
      out.push_back(*n);
    });
  }

  void read_part(const Part& p) {
    if (p.name == "FREQ") {
      if (p.value == "DAILY") rule_.frequency = Frequency::kDaily;
      else if (p.value == "WEEKLY") rule_.frequency = Frequency::kWeekly;
      else if (p.value == "MONTHLY") rule_.frequency = Frequency::kMonthly;
      else if (p.value == "YEARLY") rule_.frequency = Frequency::kYearly;
      else fail(p.value_at, "FREQ: '" + std::string(p.value) + "' is not DAILY, WEEKLY, MONTHLY or YEARLY");
    } else if (p.name == "INTERVAL") {
      auto n = parse_int(p.value, false);
      if (!n || *n < 1 || *n > 1000) fail(p.value_at, "INTERVAL: '" + std::string(p.value) + "' is not 1..1000");
      else rule_.interval = *n;
    } else if (p.name == "COUNT") {
      auto n = parse_int(p.value, false);
      if (!n || *n < 1) fail(p.value_at, "COUNT: '" + std::string(p.value) + "' is not a positive number");
      else rule_.count = *n;
    } else if (p.name == "UNTIL") {
      read_until(p);
    } else if (p.name == "BYDAY") {
      each(p, [&](std::string_view s, std::size_t at) { read_weekday_num(s, at); });
    } else if (p.name == "BYMONTHDAY") {
      int_list(p, 1, 31, rule_.by_month_day, true);
    } else if (p.name == "BYMONTH") {
      int_list(p, 1, 12, rule_.by_month, false);
    } else if (p.name == "BYSETPOS") {
      int_list(p, 1, 366, rule_.by_set_pos, true);
    } else if (p.name == "WKST") {
      auto d = weekday_code(p.value);
      if (!d) fail(p.value_at, "WKST: '" + std::string(p.value) + "' is not MO, TU, WE, TH, FR, SA or SU");
      else rule_.week_start = *d;
    } else {
      fail(p.name_at, "unsupported RRULE part '" + std::string(p.name) +
                          "'; supported: FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, "
                          "COUNT, UNTIL, WKST");
    }
  }

  void read_weekday_num(std::string_view s, std::size_t at) {
    if (s.size() < 2) {
      fail(at, "BYDAY: '" + std::string(s) + "' is not a weekday like TU, 2TU or -1FR");
      return;
    }
    auto day = weekday_code(s.substr(s.size() - 2));
    std::string_view num = s.substr(0, s.size() - 2);
    auto n = num.empty() ? std::optional<int>(0) : parse_int(num, true);
    if (!day || !n || (!num.empty() && (*n == 0 || *n > 53 || *n < -53))) {
      fail(at, "BYDAY: '" + std::string(s) + "' is not a weekday like TU, 2TU or -1FR");
      return;
    }
    rule_.by_day.push_back({*day, *n});
  }

  void read_until(const Part& p) {
    const std::string_view v = p.value;
    // YYYYMMDD, YYYYMMDDTHHMMSS (local) or YYYYMMDDTHHMMSSZ (UTC).
    const bool has_time = v.size() == 15 || (v.size() == 16 && v[15] == 'Z');
    const bool utc = v.size() == 16;
    bool ok = (v.size() == 8 || has_time) && (!has_time || v[8] == 'T');
    int field[6] = {0, 0, 0, 0, 0, 0};
    const std::size_t at[6] = {0, 4, 6, 9, 11, 13}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; ok && i < (has_time ? 6 : 3); ++i) {
      auto n = parse_int(v.substr(at[i], len[i]), false);
      ok = n.has_value();
      field[i] = n.value_or(0);
    }
    date::year_month_day ymd = date::year{field[0]} / field[1] / field[2];
    if (!ok || !ymd.ok() || field[3] > 23 || field[4] > 59 || field[5] > 59) {
      fail(p.value_at, "UNTIL: '" + std::string(v) +
                           "' is not a date YYYYMMDD or a time YYYYMMDDTHHMMSS[Z]");
      return;
    }
    auto t = local_days(ymd) + std::chrono::hours(field[3]) + std::chrono::minutes(field[4]) +
             std::chrono::seconds(field[5]);
    if (utc) rule_.until_utc = Instant(t.time_since_epoch());
    else if (has_time) rule_.until_local = t;
    else rule_.until_local = t + std::chrono::hours(24) - std::chrono::seconds(1);  // whole day
  }

  void check_combinations() {
    const Frequency f = rule_.frequency;
    if (rule_.count && (rule_.until_utc || rule_.until_local)) {
      fail(0, "COUNT and UNTIL cannot both be given");
    }
    bool ordinals = std::any_of(rule_.by_day.begin(), rule_.by_day.end(),
                                [](const WeekdayNum& w) { return w.ordinal != 0; });
    if (ordinals && (f == Frequency::kDaily || f == Frequency::kWeekly)) {
      fail(0, std::string("BYDAY: ordinals like 2TU need FREQ=MONTHLY or YEARLY, not ") +
                  frequency_name(f));
    }
    if (!rule_.by_month_day.empty() && f == Frequency::kWeekly) {
      fail(0, "BYMONTHDAY cannot be used with FREQ=WEEKLY");
    }
  }

  std::string_view text_;
  RecurrenceRule rule_;
  bool ok_ = true;
  RruleError error_;
};

// --- Expansion.

local_days nth_weekday(date::year_month ym, date::weekday wd, int ordinal, bool* ok) {
  if (ordinal > 0) {
    local_days d = local_days(ym / wd[static_cast<unsigned>(std::min(ordinal, 5))]);
    *ok = ordinal <= 5 && date::year_month_day(d).ok() &&
          date::year_month_weekday(ym / wd[static_cast<unsigned>(ordinal)]).ok();
    return d;
  }
  local_days last = local_days(ym / wd[date::last]);
  local_days d = last - days(7 * (-ordinal - 1));
  *ok = date::year_month(date::year_month_day(d).year(), date::year_month_day(d).month()) == ym;
  return d;
}

bool weekday_listed(const RecurrenceRule& r, date::weekday wd) {
  return std::any_of(r.by_day.begin(), r.by_day.end(),
                     [&](const WeekdayNum& w) { return w.day == wd; });
}

bool month_listed(const RecurrenceRule& r, local_days d) {
  if (r.by_month.empty()) return true;
  unsigned m = static_cast<unsigned>(date::year_month_day(d).month());
  return std::find(r.by_month.begin(), r.by_month.end(), static_cast<int>(m)) != r.by_month.end();
}

// The days of month `ym` the rule selects (before BYSETPOS).
std::vector<local_days> month_days(const RecurrenceRule& r, date::year_month ym,
                                   date::day default_day) {
  std::vector<local_days> out;
  const local_days first = local_days(ym / 1);
  const int length = static_cast<int>(static_cast<unsigned>((ym / date::last).day()));
  if (!r.by_month_day.empty()) {
    for (int md : r.by_month_day) {
      int day = md > 0 ? md : length + md + 1;
      if (day < 1 || day > length) continue;
      local_days d = first + days(day - 1);
      if (r.by_day.empty() || weekday_listed(r, date::weekday(d))) out.push_back(d);
    }
  } else if (!r.by_day.empty()) {
    for (const WeekdayNum& w : r.by_day) {
      if (w.ordinal == 0) {
        for (local_days d = local_days(ym / w.day[1]); d < first + days(length); d += days(7)) {
          out.push_back(d);
        }
      } else {
        bool ok = false;
        local_days d = nth_weekday(ym, w.day, w.ordinal, &ok);
        if (ok) out.push_back(d);
      }
    }
  } else if ((ym / default_day).ok()) {
    out.push_back(local_days(ym / default_day));
  }
  return out;
}

// The days of year `y` for BYDAY without BYMONTH/BYMONTHDAY in a YEARLY rule
// (ordinals count within the year).
std::vector<local_days> year_weekdays(const RecurrenceRule& r, date::year y) {
  std::vector<local_days> out;
  const local_days first = local_days(y / 1 / 1), end = local_days((y + date::years(1)) / 1 / 1);
  for (const WeekdayNum& w : r.by_day) {
    std::vector<local_days> all;
    for (local_days d = first + (w.day - date::weekday(first)); d < end; d += days(7)) {
      all.push_back(d);
    }
    if (w.ordinal == 0) out.insert(out.end(), all.begin(), all.end());
    else if (w.ordinal > 0 && w.ordinal <= static_cast<int>(all.size())) out.push_back(all[w.ordinal - 1]);
    else if (w.ordinal < 0 && -w.ordinal <= static_cast<int>(all.size())) out.push_back(all[all.size() + w.ordinal]);
  }
  return out;
}

void apply_set_pos(const RecurrenceRule& r, std::vector<local_days>& set) {
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  if (r.by_set_pos.empty()) return;
  std::vector<local_days> kept;
  const int n = static_cast<int>(set.size());
  for (int pos : r.by_set_pos) {
    int i = pos > 0 ? pos - 1 : n + pos;
    if (i >= 0 && i < n) kept.push_back(set[i]);
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  set = std::move(kept);
}

// Yields the rule's days (nominal, before holiday moves) from the start's day
// on, in order, honouring COUNT and UNTIL.
class Expander {
 public:
  explicit Expander(const MeetingSchedule& s)
      : s_(s), start_day_(date::floor<days>(s.start)), time_of_day_(s.start - start_day_) {}

  std::optional<local_days> next() {
    const RecurrenceRule& r = s_.rule;
    if (r.count && emitted_ >= *r.count) return std::nullopt;
    while (index_ >= buffer_.size()) {
      // A rule that matches nothing (BYMONTHDAY=30;BYMONTH=2) must end.
      if (empty_periods_ > 2000) return std::nullopt;
      buffer_ = period_days(period_++);
      std::erase_if(buffer_, [&](local_days d) { return d < start_day_; });
      index_ = 0;
      empty_periods_ = buffer_.empty() ? empty_periods_ + 1 : 0;
    }
    local_days d = buffer_[index_++];
    if (r.until_local && d + time_of_day_ > *r.until_local) return std::nullopt;
    if (r.until_utc && s_.calendar.to_instant(d + time_of_day_) > *r.until_utc) return std::nullopt;
    ++emitted_;
    return d;
  }

 private:
  std::vector<local_days> period_days(long p) const {
    const RecurrenceRule& r = s_.rule;
    const long step = p * r.interval;
    const date::year_month_day start{start_day_};
    std::vector<local_days> set;
    switch (r.frequency) {
      case Frequency::kDaily: {
        local_days d = start_day_ + days(step);
        bool keep = month_listed(r, d) && (r.by_day.empty() || weekday_listed(r, date::weekday(d)));
        if (keep && !r.by_month_day.empty()) {
          // BYMONTHDAY limits a DAILY rule to those days of the month.
          date::year_month_day ymd{d};
          auto md = month_days(r, ymd.year() / ymd.month(), ymd.day());
          keep = std::find(md.begin(), md.end(), d) != md.end();
        }
        if (keep) set.push_back(d);
        break;
      }
      case Frequency::kWeekly: {
        local_days week = start_day_ - (date::weekday(start_day_) - r.week_start) + days(7 * step);
        for (int i = 0; i < 7; ++i) {
          local_days d = week + days(i);
          bool listed = r.by_day.empty() ? date::weekday(d) == date::weekday(start_day_)
                                         : weekday_listed(r, date::weekday(d));
          if (listed && month_listed(r, d)) set.push_back(d);
        }
        break;
      }
      case Frequency::kMonthly: {
        date::year_month ym = start.year() / start.month() + date::months(step);
        if (r.by_month.empty() || std::find(r.by_month.begin(), r.by_month.end(),
                                            static_cast<int>(static_cast<unsigned>(ym.month()))) !=
                                      r.by_month.end()) {
          set = month_days(r, ym, start.day());
        }
        break;
      }
      case Frequency::kYearly: {
        date::year y = start.year() + date::years(step);
        if (!r.by_day.empty() && r.by_month.empty() && r.by_month_day.empty()) {
          set = year_weekdays(r, y);
        } else {
          std::vector<int> months = r.by_month;
          if (months.empty()) months.push_back(static_cast<int>(static_cast<unsigned>(start.month())));
          for (int m : months) {
            auto days_of = month_days(r, y / date::month(static_cast<unsigned>(m)), start.day());
            set.insert(set.end(), days_of.begin(), days_of.end());
          }
        }
        break;
      }
    }
    apply_set_pos(r, set);
    return set;
  }

  const MeetingSchedule& s_;
  const local_days start_day_;
  const std::chrono::seconds time_of_day_;
  long period_ = 0;
  std::vector<local_days> buffer_;
  std::size_t index_ = 0;
  int emitted_ = 0;
  int empty_periods_ = 0;
};

// The meeting for nominal day `day`, after the holiday policy; nullopt when
// the policy skips it.
std::optional<Meeting> make_meeting(const MeetingSchedule& s, local_days nominal) {
  const Calendar& cal = s.calendar;
  const std::chrono::seconds tod = s.start - date::floor<days>(s.start);
  local_days day = nominal;
  if (!cal.is_business_day(day)) {
    switch (s.on_holiday) {
      case HolidayPolicy::kKeep: break;
      case HolidayPolicy::kSkip: return std::nullopt;
      case HolidayPolicy::kNextBusinessDay:
        for (int i = 0; i < 366 && !cal.is_business_day(day); ++i) day += days(1);
        break;
      case HolidayPolicy::kPreviousBusinessDay:
        for (int i = 0; i < 366 && !cal.is_business_day(day); ++i) day -= days(1);
        break;
    }
  }
  Meeting m;
  m.nominal_day = nominal;
  m.moved = day != nominal;
  m.local = day + tod;
  m.starts_at = cal.to_instant(m.local);
  m.ends_at = cal.add(m.starts_at, s.duration);
  m.cutoff_at = cal.subtract(m.starts_at, s.cutoff_before);
  if (s.cutoff_time) {
    local_days cutoff_day = date::floor<days>(cal.to_local(m.cutoff_at));
    m.cutoff_at = cal.to_instant(cutoff_day + *s.cutoff_time);
  }
  date::year_month_day ymd{day};
  m.month = format_month(ymd.year() / ymd.month());
  return m;
}

// Upper bound on the rule days looked at by one query (a daily rule over
// centuries); keeps every call bounded.
constexpr int kMaxSteps = 200000;

}  // namespace

const char* frequency_name(Frequency f) {
  switch (f) {
    case Frequency::kDaily: return "DAILY";
    case Frequency::kWeekly: return "WEEKLY";
    case Frequency::kMonthly: return "MONTHLY";
    case Frequency::kYearly: return "YEARLY";
  }
  return "?";
}

const char* holiday_policy_name(HolidayPolicy p) {
  switch (p) {
    case HolidayPolicy::kKeep: return "keep";
    case HolidayPolicy::kNextBusinessDay: return "next_business_day";
    case HolidayPolicy::kPreviousBusinessDay: return "previous_business_day";
    case HolidayPolicy::kSkip: return "skip";
  }
  return "?";
}

std::optional<HolidayPolicy> parse_holiday_policy(std::string_view name) {
  for (HolidayPolicy p : {HolidayPolicy::kKeep, HolidayPolicy::kNextBusinessDay,
                          HolidayPolicy::kPreviousBusinessDay, HolidayPolicy::kSkip}) {
    if (name == holiday_policy_name(p)) return p;
  }
  return std::nullopt;
}

std::string RecurrenceRule::to_string() const {
  std::string out = std::string("FREQ=") + frequency_name(frequency);
  auto ints = [&](const char* name, const std::vector<int>& v) {
    if (v.empty()) return;
    out += std::string(";") + name + "=";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
  };
  if (interval != 1) out += ";INTERVAL=" + std::to_string(interval);
  ints("BYMONTH", by_month);
  ints("BYMONTHDAY", by_month_day);
  if (!by_day.empty()) {
    out += ";BYDAY=";
    for (std::size_t i = 0; i < by_day.size(); ++i) {
      if (i) out += ",";
      if (by_day[i].ordinal != 0) out += std::to_string(by_day[i].ordinal);
      out += kDayCodes[by_day[i].day.c_encoding()];
    }
  }
  ints("BYSETPOS", by_set_pos);
  if (count) out += ";COUNT=" + std::to_string(*count);
  if (until_utc) out += ";UNTIL=" + date::format("%Y%m%dT%H%M%SZ", *until_utc);
  if (until_local) out += ";UNTIL=" + date::format("%Y%m%dT%H%M%S", *until_local);
  if (week_start != date::Monday) out += std::string(";WKST=") + kDayCodes[week_start.c_encoding()];
  return out;
}

Result<RecurrenceRule> parse_rrule(std::string_view text, RruleError* error) {
  return RruleParser(text).parse(error);
}

Status validate_schedule(const MeetingSchedule& s) {
  Expander e(s);
  auto first = e.next();
  const local_days start_day = date::floor<days>(s.start);
  if (!first) return invalid_argument("the rule " + s.rule.to_string() + " yields no meeting");
  if (*first != start_day) {
    return invalid_argument("the start " + date::format("%F (%A)", start_day) +
                            " is not an occurrence of " + s.rule.to_string() +
                            "; the first one after it is " + date::format("%F (%A)", *first));
  }
  return Status();
}

std::vector<Meeting> meetings_from(const MeetingSchedule& s, Instant from, int count) {
  std::vector<Meeting> out;
  Expander e(s);
  for (int step = 0; step < kMaxSteps && static_cast<int>(out.size()) < count; ++step) {
    auto day = e.next();
    if (!day) break;
    auto m = make_meeting(s, *day);
    if (m && m->starts_at >= from) out.push_back(std::move(*m));
  }
  return out;
}

std::optional<Meeting> meeting_in_month(const MeetingSchedule& s, date::year_month month) {
  const std::string wanted = format_month(month);
  // Holiday moves shift a meeting by days, not weeks: stop well past the month.
  const local_days beyond = local_days((month + date::months(1)) / 1) + days(31);
  Expander e(s);
  for (int step = 0; step < kMaxSteps; ++step) {
    auto day = e.next();
    if (!day || *day > beyond) break;
    auto m = make_meeting(s, *day);
    if (m && m->month == wanted) return m;
  }
  return std::nullopt;
}

std::optional<Meeting> previous_meeting(const MeetingSchedule& s, const Meeting& m) {
  std::optional<Meeting> last;
  Expander e(s);
  for (int step = 0; step < kMaxSteps; ++step) {
    auto day = e.next();
    if (!day || *day >= m.nominal_day) break;
    auto candidate = make_meeting(s, *day);
    if (candidate && candidate->starts_at < m.starts_at) last = std::move(candidate);
  }
  return last;
}

Result<date::year_month> parse_month(std::string_view text, const std::string& field) {
  auto bad = [&] {
    return invalid_argument(field + " must be a month YYYY-MM, not '" + std::string(text) + "'",
                            {field});
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  auto y = parse_int(text.substr(0, 4), false);
  auto m = parse_int(text.substr(5, 2), false);
  if (!y || !m || *m < 1 || *m > 12 || *y < 1970) return bad();
  return date::year{*y} / date::month(static_cast<unsigned>(*m));
}

std::string format_month(date::year_month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()),
                static_cast<unsigned>(m.month()));
  return buf;
}

}  // namespace turnaround

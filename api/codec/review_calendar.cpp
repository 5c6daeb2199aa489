#include "api/codec/review_calendar.h"

#include <boost/json.hpp>

namespace turnaround::api {

namespace json = boost::json;

namespace {

std::string ics_time(Instant t) { return date::format("%Y%m%dT%H%M%SZ", t); }

// RFC 5545 TEXT escaping: backslash, semicolon, comma, newline.
std::string ics_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Folds a content line at 75 octets (continuation lines start with a space),
// never inside a UTF-8 sequence, and ends it with CRLF.
void add_line(std::string& out, const std::string& line) {
  std::size_t start = 0, limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out += line.substr(start) + "\r\n";
}

// A UID-safe token of the company name.
std::string slug(const std::string& name) {
  std::string out;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "company" : out;
}

}  // namespace

json::object schedule_json(const LossReviewConfig& lr, const std::vector<Meeting>& meetings) {
  const Calendar& cal = lr.schedule.calendar;
  json::array list;
  for (const Meeting& m : meetings) {
    json::object o;
    o["month"] = m.month;
    o["starts_at"] = format_instant(m.starts_at);
    o["ends_at"] = format_instant(m.ends_at);
    o["local"] = cal.format_local(m.starts_at);
    o["zone"] = lr.time_zone;
    o["agenda_cutoff"] = format_instant(m.cutoff_at);
    o["agenda_cutoff_local"] = cal.format_local(m.cutoff_at);
    o["moved"] = m.moved;
    list.push_back(std::move(o));
  }
  json::object out;
  out["rrule"] = lr.schedule.rule.to_string();
  out["zone"] = lr.time_zone;
  out["meetings"] = std::move(list);
  return out;
}

std::string meetings_ics(const CompanyConfig& company, const std::vector<Meeting>& meetings,
                         Instant now) {
  const LossReviewConfig& lr = *company.loss_review;
  const Calendar& cal = lr.schedule.calendar;
  std::string attendees;
  for (const auto& a : lr.attendees) attendees += (attendees.empty() ? "" : ", ") + a;
  std::string out;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "VERSION:2.0");
  add_line(out, "PRODID:-//Turnaround//Loss review//EN");
  add_line(out, "CALSCALE:GREGORIAN");
  add_line(out, "METHOD:PUBLISH");
  add_line(out, "X-WR-CALNAME:" + ics_text(company.name + " loss review"));
  for (const Meeting& m : meetings) {
    add_line(out, "BEGIN:VEVENT");
    add_line(out, "UID:loss-review-" + m.month + "@" + slug(company.name) + ".turnaround");
    add_line(out, "DTSTAMP:" + ics_time(now));
    add_line(out, "DTSTART:" + ics_time(m.starts_at));
    add_line(out, "DTEND:" + ics_time(m.ends_at));
    add_line(out, "SUMMARY:" + ics_text("Loss review " + m.month + " (" + company.name + ")"));
    std::string desc = "Monthly loss review, " + cal.format_local(m.starts_at) + " " +
                       lr.time_zone + ".\nAgenda frozen at " + cal.format_local(m.cutoff_at) +
                       ": turnaround review agenda --month " + m.month + ".";
    if (m.moved) desc += "\nMoved off a holiday (rule day " + date::format("%F", m.nominal_day) + ").";
    if (!attendees.empty()) desc += "\nAttendees: " + attendees + ".";
    add_line(out, "DESCRIPTION:" + ics_text(desc));
    add_line(out, "END:VEVENT");
  }
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace turnaround::api

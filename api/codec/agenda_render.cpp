#include "api/codec/agenda_render.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "api/cli/table.h"

namespace turnaround::api {

namespace {

// "456,000" (whole currency units; arr is annual revenue).
std::string money(double v) {
  long long n = std::llround(v);
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string day(Instant t) { return date::format("%F", t); }

std::string reason_text(const std::string& r) { return r.empty() ? "(no reason given)" : r; }

// Markdown table cells: no pipes or newlines.
std::string cell(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "no target set";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string owner_text(const PersonId& p) { return p.empty() ? "(unassigned)" : p.value; }

std::string rate_text(const OnTimeCounts& c) {
  auto r = c.rate();
  if (!r) return "n/a";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * *r);
  return buf;
}

std::string fixed(const std::optional<double>& v, const char* fmt) {
  if (!v) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, *v);
  return buf;
}

std::string signed_count(std::int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

// --- A small document model rendered to Markdown or HTML, so both formats
// hold the same content.
struct Block {
  enum Kind { kHeading, kParagraph, kTable } kind;
  int level = 2;
  std::string text;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

void case_table(std::vector<Block>& doc, const CaseList& list, const std::string& empty) {
  if (list.cases.empty()) {
    doc.push_back({Block::kParagraph, 0, empty, {}, {}});
    return;
  }
  Block t{Block::kTable, 0, "", {"case", "customer", "segment", "arr", "state", "owner", "opened", "overdue"}, {}};
  for (const auto& c : list.cases) {
    t.rows.push_back({"#" + std::to_string(c.id.value),
                      c.customer_name.empty() ? c.customer_id.value
                                              : c.customer_name + " (" + c.customer_id.value + ")",
                      c.segment, money(c.arr), c.state, owner_text(c.owner), day(c.opened_at),
                      c.overdue ? "**overdue**" : ""});
  }
  doc.push_back(std::move(t));
  if (list.truncated()) {
    doc.push_back({Block::kParagraph, 0,
                   "First " + std::to_string(list.cases.size()) + " of " + std::to_string(list.total) +
                       " listed (by case id); `turnaround cases list` has them all.",
                   {}, {}});
  }
}

std::vector<Block> document(const Agenda& a, const std::string& company) {
  std::vector<Block> doc;
  auto h = [&](int level, std::string text) { doc.push_back({Block::kHeading, level, std::move(text), {}, {}}); };
  auto p = [&](std::string text) { doc.push_back({Block::kParagraph, 0, std::move(text), {}, {}}); };
  h(1, "Loss review " + a.month + " — " + company);
  p("Meeting: " + a.local + " (" + a.zone + "). Period reviewed: " + format_instant(a.period_from) +
    " to " + format_instant(a.period_to) + " (the previous agenda cut-off to this one). " +
    (a.frozen ? "Agenda frozen at " + format_instant(*a.frozen_at) + "."
              : "Live view at " + format_instant(a.as_of) + " (not frozen)."));

  h(2, "1. Customers lost (" + std::to_string(a.lost_customers) + ", arr " + money(a.lost_arr) + ")");
  if (a.losses_by_segment.empty()) p("No customer was lost in the period.");
  for (const auto& s : a.losses_by_segment) {
    h(3, (s.segment.empty() ? "(no segment)" : s.segment) + ": " + std::to_string(s.customers) +
             " lost, arr " + money(s.arr));
    std::string reasons;
    for (const auto& [r, n] : s.reasons) {
      reasons += (reasons.empty() ? "" : "; ") + reason_text(r) + " (" + std::to_string(n) + ")";
    }
    p("Reasons: " + reasons + ".");
    Block t{Block::kTable, 0, "", {"customer", "arr", "lost", "reason", "loss case"}, {}};
    for (const auto& l : s.lost) {
      t.rows.push_back({l.name.empty() ? l.customer_id.value : l.name + " (" + l.customer_id.value + ")",
                        money(l.arr), day(l.lost_at), reason_text(l.reason),
                        l.case_id.valid() ? "#" + std::to_string(l.case_id.value) + " " + l.case_state : ""});
    }
    doc.push_back(std::move(t));
  }

  h(2, "2. Callback sample (" + std::to_string(a.callback_sample.size()) + " of " +
           std::to_string(a.lost_customers) + ", stratified by segment)");
  if (a.callback_sample.empty()) {
    p("Nobody to call back.");
  } else {
    Block t{Block::kTable, 0, "", {"customer", "segment", "arr", "reason", "loss case"}, {}};
    for (const auto& l : a.callback_sample) {
      t.rows.push_back({l.name.empty() ? l.customer_id.value : l.name + " (" + l.customer_id.value + ")",
                        l.segment, money(l.arr), reason_text(l.reason),
                        l.case_id.valid() ? "#" + std::to_string(l.case_id.value) : ""});
    }
    doc.push_back(std::move(t));
  }

  h(2, "3. Loss follow-up cases (" + std::to_string(a.loss_cases.total) + ")");
  case_table(doc, a.loss_cases, "No loss follow-up case is open or was opened in the period.");

  h(2, "4. Detractor cases");
  h(3, "Opened in the period: " + std::to_string(a.detractors_opened.total));
  case_table(doc, a.detractors_opened, "None.");
  h(3, "Closed in the period: " + std::to_string(a.detractors_closed.total));
  case_table(doc, a.detractors_closed, "None.");
  h(3, "Open by state");
  if (a.detractors_open_by_state.empty()) {
    p("No open detractor case.");
  } else {
    Block t{Block::kTable, 0, "", {"state", "open", "of them overdue"}, {}};
    for (const auto& s : a.detractors_open_by_state) {
      t.rows.push_back({s.state, std::to_string(s.open), std::to_string(s.overdue)});
    }
    doc.push_back(std::move(t));
  }

  h(2, "5. Overdue cases (" + std::to_string(a.overdue.total) + ")");
  if (!a.overdue_by_owner.empty()) {
    std::string owners;
    for (const auto& o : a.overdue_by_owner) {
      owners += (owners.empty() ? "" : ", ") + owner_text(o.owner) + " " + std::to_string(o.count);
    }
    p("By owner: " + owners + ".");
  }
  case_table(doc, a.overdue, "Nothing is overdue.");

  h(2, "6. Outreach");
  p("Detractors contacted in the period: " + std::to_string(a.outreach_contacted) + " of a target of " +
    std::to_string(a.outreach_target) + " a month (" + percent(a.outreach_contacted, a.outreach_target) +
    ").");

  const AgendaAnalytics& x = a.analytics;
  const std::string days = date::format("%F", date::sys_days(date::days(x.from_day))) + " to " +
                           date::format("%F", date::sys_days(date::days(x.to_day)) - date::days(1));
  h(2, "7. On-time rate of the accountability steps");
  p("Deadlines due " + days + " (local days): " + rate_text(x.on_time_overall) + " on time overall (" +
    std::to_string(x.on_time_overall.met) + " met, " + std::to_string(x.on_time_overall.missed) +
    " missed, " + std::to_string(x.on_time_overall.pending) + " pending).");
  if (!x.on_time_steps.empty()) {
    Block t{Block::kTable, 0, "", {"step", "on time", "met", "missed", "pending"}, {}};
    for (const auto& l : x.on_time_steps) {
      t.rows.push_back({l.key, rate_text(l.counts), std::to_string(l.counts.met),
                        std::to_string(l.counts.missed), std::to_string(l.counts.pending)});
    }
    doc.push_back(std::move(t));
  }
  if (!x.on_time_owners.empty()) {
    Block t{Block::kTable, 0, "", {"owner", "on time", "met", "missed", "pending"}, {}};
    for (const auto& l : x.on_time_owners) {
      t.rows.push_back({owner_text(PersonId(l.key)), rate_text(l.counts), std::to_string(l.counts.met),
                        std::to_string(l.counts.missed), std::to_string(l.counts.pending)});
    }
    doc.push_back(std::move(t));
  }

  h(2, "8. Top themes by segment");
  if (x.top_themes.empty()) {
    p("No case recorded a theme in the period.");
  } else {
    p("Cases opened " + days + " per theme (top " + std::to_string(x.themes_per_segment) +
      " per segment), and the change against the " + std::to_string(x.to_day - x.from_day) +
      " days before.");
    Block t{Block::kTable, 0, "", {"segment", "theme", "cases", "detractors", "arr", "before", "change"}, {}};
    for (const auto& th : x.top_themes) {
      t.rows.push_back({th.segment, th.theme, std::to_string(th.cases), std::to_string(th.detractors),
                        money(th.arr), std::to_string(th.previous_cases), signed_count(th.change)});
    }
    doc.push_back(std::move(t));
  }

  h(2, "9. Flare-ups");
  if (x.flare_ups.empty()) {
    p("No segment's detractor share rose significantly above its trailing baseline (" + x.flare_up_test + ").");
  } else {
    p("Segment-months whose detractor share is significantly above the segment's trailing baseline (" +
      x.flare_up_test + ").");
    Block t{Block::kTable, 0, "", {"month", "segment", "detractor share", "baseline", "z", "p-value"}, {}};
    for (const auto& f : x.flare_ups) {
      t.rows.push_back({f.period, f.segment,
                        fixed(f.test.share ? std::optional<double>(*f.test.share * 100) : std::nullopt, "%.1f%%") +
                            " (" + std::to_string(f.test.detractors) + "/" + std::to_string(f.test.responses) + ")",
                        fixed(f.test.baseline_share ? std::optional<double>(*f.test.baseline_share * 100) : std::nullopt, "%.1f%%") +
                            " (" + std::to_string(f.test.baseline_detractors) + "/" +
                            std::to_string(f.test.baseline_responses) + ")",
                        fixed(f.test.z, "%.2f"), fixed(f.test.p_value, "%.4f")});
    }
    doc.push_back(std::move(t));
  }

  h(2, "10. Top-five issues");
  if (a.top_issues.empty()) {
    p("No top-five issue is open.");
  } else {
    p("Company-level issues (the Week 2/3/4/6 process), ranked; the detractor share of the segment "
      "before each issue and after its action shows whether the fix worked.");
    Block t{Block::kTable, 0, "", {"issue", "theme", "segment", "state", "owner", "linked open / closed",
                                   "arr linked", "share before", "share after", "fix worked"}, {}};
    for (const auto& i : a.top_issues) {
      t.rows.push_back({"#" + std::to_string(i.id.value) + (i.overdue ? " (overdue)" : ""), i.theme,
                        i.segment.empty() ? "all" : i.segment, i.state, owner_text(i.owner),
                        std::to_string(i.linked_open) + " / " + std::to_string(i.linked_closed),
                        money(i.linked_arr),
                        fixed(i.share_before ? std::optional<double>(*i.share_before * 100) : std::nullopt, "%.1f%%"),
                        fixed(i.share_after ? std::optional<double>(*i.share_after * 100) : std::nullopt, "%.1f%%"),
                        i.fell ? (*i.fell ? "yes" : "no") : "not yet"});
    }
    doc.push_back(std::move(t));
  }
  return doc;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// **x** -> <strong>x</strong>, `x` -> <code>x</code>, on escaped text.
std::string html_inline(const std::string& s) {
  std::string e = html_escape(s), out;
  bool strong = false, code = false;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e.compare(i, 2, "**") == 0) {
      out += strong ? "</strong>" : "<strong>";
      strong = !strong;
      ++i;
    } else if (e[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else {
      out += e[i];
    }
  }
  return out;
}

void csv_lost(Table& t, const std::string& section, const LostCustomer& l) {
  t.add({section, l.segment, l.case_id.valid() ? std::to_string(l.case_id.value) : "",
         l.customer_id.value, l.name, l.segment, money(l.arr), l.case_state, "", "",
         reason_text(l.reason) + " (lost " + day(l.lost_at) + ")", ""});
}

void csv_cases(Table& t, const std::string& section, const CaseList& list) {
  for (const auto& c : list.cases) {
    t.add({section, c.workflow, std::to_string(c.id.value), c.customer_id.value, c.customer_name,
           c.segment, money(c.arr), c.state, c.owner.value, c.overdue ? "yes" : "no",
           "opened " + day(c.opened_at) + (c.closed_at ? ", closed " + day(*c.closed_at) : ""), ""});
  }
  t.add({section + "_total", "", "", "", "", "", "", "", "", "", "", std::to_string(list.total)});
}

}  // namespace

bool known_agenda_format(const std::string& f) {
  return f == "json" || f == "md" || f == "csv" || f == "html";
}

std::string agenda_markdown(const Agenda& a, const std::string& company) {
  std::string out;
  for (const Block& b : document(a, company)) {
    switch (b.kind) {
      case Block::kHeading: out += std::string(static_cast<std::size_t>(b.level), '#') + " " + b.text + "\n\n"; break;
      case Block::kParagraph: out += b.text + "\n\n"; break;
      case Block::kTable: {
        auto row = [&](const std::vector<std::string>& cells) {
          out += "|";
          for (const auto& c : cells) out += " " + cell(c) + " |";
          out += "\n";
        };
        row(b.header);
        out += "|";
        for (std::size_t i = 0; i < b.header.size(); ++i) out += " --- |";
        out += "\n";
        for (const auto& r : b.rows) row(r);
        out += "\n";
        break;
      }
    }
  }
  return out;
}

std::string agenda_html(const Agenda& a, const std::string& company) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Loss review " +
      html_escape(a.month + " — " + company) +
      "</title>\n<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
      "padding:0 1rem}table{border-collapse:collapse;margin:0 0 1rem}th,td{border:1px solid #ccc;"
      "padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}strong{color:#a40000}</style>\n"
      "</head>\n<body>\n";
  for (const Block& b : document(a, company)) {
    switch (b.kind) {
      case Block::kHeading: {
        std::string tag = "h" + std::to_string(b.level);
        out += "<" + tag + ">" + html_inline(b.text) + "</" + tag + ">\n";
        break;
      }
      case Block::kParagraph: out += "<p>" + html_inline(b.text) + "</p>\n"; break;
      case Block::kTable:
        out += "<table>\n<tr>";
        for (const auto& c : b.header) out += "<th>" + html_inline(c) + "</th>";
        out += "</tr>\n";
        for (const auto& r : b.rows) {
          out += "<tr>";
          for (const auto& c : r) out += "<td>" + html_inline(c) + "</td>";
          out += "</tr>\n";
        }
        out += "</table>\n";
        break;
    }
  }
  return out + "</body>\n</html>\n";
}

std::string agenda_csv(const Agenda& a) {
  Table t({"section", "group", "case_id", "customer_id", "customer_name", "segment", "arr", "state",
           "owner", "overdue", "detail", "count"});
  t.add({"meeting", a.month, "", "", "", "", "", a.frozen ? "frozen" : "live", "", "",
         a.local + " " + a.zone + "; period " + format_instant(a.period_from) + " to " +
             format_instant(a.period_to),
         ""});
  for (const auto& s : a.losses_by_segment) {
    t.add({"lost_segment", s.segment, "", "", "", s.segment, money(s.arr), "", "", "", "",
           std::to_string(s.customers)});
    for (const auto& [r, n] : s.reasons) {
      t.add({"lost_reason", s.segment, "", "", "", s.segment, "", "", "", "", reason_text(r),
             std::to_string(n)});
    }
    for (const auto& l : s.lost) csv_lost(t, "lost_customer", l);
  }
  for (const auto& l : a.callback_sample) csv_lost(t, "callback_sample", l);
  csv_cases(t, "loss_case", a.loss_cases);
  csv_cases(t, "detractor_opened", a.detractors_opened);
  csv_cases(t, "detractor_closed", a.detractors_closed);
  for (const auto& s : a.detractors_open_by_state) {
    t.add({"detractor_open_state", s.state, "", "", "", "", "", s.state, "", "",
           std::to_string(s.overdue) + " overdue", std::to_string(s.open)});
  }
  csv_cases(t, "overdue", a.overdue);
  for (const auto& o : a.overdue_by_owner) {
    t.add({"overdue_owner", o.owner.value, "", "", "", "", "", "", o.owner.value, "yes", "",
           std::to_string(o.count)});
  }
  t.add({"outreach", "", "", "", "", "", "", "", "", "", "target " + std::to_string(a.outreach_target),
         std::to_string(a.outreach_contacted)});
  const AgendaAnalytics& x = a.analytics;
  auto on_time = [&](const std::string& section, const std::string& group, const std::string& owner,
                     const OnTimeCounts& c) {
    t.add({section, group, "", "", "", "", "", "", owner, "",
           "on time " + rate_text(c) + "; met " + std::to_string(c.met) + ", missed " +
               std::to_string(c.missed) + ", pending " + std::to_string(c.pending),
           std::to_string(c.met + c.missed)});
  };
  on_time("on_time_overall", "", "", x.on_time_overall);
  for (const auto& l : x.on_time_steps) on_time("on_time_step", l.key, "", l.counts);
  for (const auto& l : x.on_time_owners) on_time("on_time_owner", l.key, l.key, l.counts);
  for (const auto& th : x.top_themes) {
    t.add({"theme", th.theme, "", "", "", th.segment, money(th.arr), "", "", "",
           "before " + std::to_string(th.previous_cases) + ", change " + signed_count(th.change),
           std::to_string(th.cases)});
  }
  for (const auto& f : x.flare_ups) {
    t.add({"flare_up", f.period, "", "", "", f.segment, "", "", "", "",
           x.flare_up_test + ": z " + fixed(f.test.z, "%.2f") + ", p " + fixed(f.test.p_value, "%.4f"),
           std::to_string(f.test.detractors)});
  }
  for (const auto& i : a.top_issues) {
    t.add({"top_issue", i.theme, std::to_string(i.id.value), "", i.title, i.segment,
           money(i.linked_arr), i.state, i.owner.value, i.overdue ? "yes" : "no",
           "linked open " + std::to_string(i.linked_open) + ", closed " + std::to_string(i.linked_closed) +
               "; share before " + fixed(i.share_before ? std::optional<double>(*i.share_before * 100) : std::nullopt, "%.1f%%") +
               ", after " + fixed(i.share_after ? std::optional<double>(*i.share_after * 100) : std::nullopt, "%.1f%%") +
               "; fix worked: " + (i.fell ? (*i.fell ? "yes" : "no") : "not yet"),
           std::to_string(i.linked_open + i.linked_closed)});
  }
  return t.render_csv();
}

}  // namespace turnaround::api

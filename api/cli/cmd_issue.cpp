// `turnaround issue open|list|show|candidates|link|top`: top-five issues
// (docs/issues.md). The issue's own events go through `turnaround cases fire`.
#include <boost/json.hpp>

#include <cstdio>
#include <iostream>
#include <limits>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/codec/issue_json.h"

namespace turnaround::api {

namespace {

std::optional<std::int64_t> positive(const std::string& text) {
  return parse_whole_number(text, 1, std::numeric_limits<long long>::max());
}

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string percent(const std::optional<double>& share) {
  if (!share) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *share * 100);
  return buf;
}

std::string seg_text(const std::string& s) { return s.empty() ? "(all)" : s; }

// The next pending deadline of the issue, with "(overdue)" when past.
std::string next_due(const Case& c, Instant now) {
  const CaseDeadline* next = nullptr;
  for (const auto& d : c.deadlines) {
    if (d.done || d.status == DeadlineStatus::kCancelled) continue;
    if (!next || d.due_at < next->due_at) next = &d;
  }
  if (!next) return "";
  bool overdue = next->status == DeadlineStatus::kMissed || next->due_at < now;
  return next->name + " " + format_instant(next->due_at) + (overdue ? " (overdue)" : "");
}

std::string verdict(const IssueVerification& v) {
  if (!v.action_done_at) return "action not done";
  if (!v.fell) return "no data";
  return std::string(*v.fell ? "fell" : "did not fall") + (v.after_complete ? "" : " (so far)");
}

Table issue_table(const std::vector<IssueView>& issues, Instant now) {
  Table t({"ID", "THEME", "SEGMENT", "STATE", "OWNER", "LINKED OPEN", "LINKED CLOSED", "NEXT DUE",
           "OVERDUE", "VERIFICATION"});
  for (const auto& v : issues) {
    t.add({std::to_string(v.record.id.value), v.record.theme, seg_text(v.record.segment),
           v.issue.state, v.issue.owner.empty() ? "-" : v.issue.owner.value,
           std::to_string(v.linked_open), std::to_string(v.linked_closed), next_due(v.issue, now),
           v.overdue ? "yes" : "", verdict(v.verification)});
  }
  return t;
}

void print_window(Io& io, const char* name, const ShareWindow& w) {
  io.out << "  " << name << format_instant(w.from) << " .. " << format_instant(w.to) << ": "
         << w.counts.detractors << " detractors of " << w.counts.responses << " responses ("
         << percent(w.counts.share()) << ")\n";
}

int show_issue(Io& io, const IssueView& v, Instant now, const std::string& format) {
  if (format == "json") {
    io.out << to_json_text(issue_to_json(v, now, true));
    return kExitOk;
  }
  const Case& c = v.issue;
  io.out << "Issue " << v.record.id.value << "  " << v.record.title << "\n"
         << "Theme      " << v.record.theme << "   segment " << seg_text(v.record.segment) << "\n"
         << "State      " << c.state << "   owner " << (c.owner.empty() ? "-" : c.owner.value)
         << "   priority " << priority_name(c.priority) << "   version " << c.version << "\n"
         << "Opened     " << format_instant(v.record.opened_at) << " by " << v.record.opened_by.value
         << (c.closed_at ? "   closed " + format_instant(*c.closed_at) : "") << "\n"
         << "Linked     " << v.linked_open << " open, " << v.linked_closed << " closed, arr "
         << money(v.linked_arr) << "\n";
  const IssueVerification& ver = v.verification;
  io.out << "\nVerification (detractor share of " << (ver.segment.empty() ? "all segments" : ver.segment)
         << ", " << ver.window_days << "-day windows): " << verdict(ver) << "\n";
  print_window(io, "before  ", ver.before);
  if (ver.after) print_window(io, "after   ", *ver.after);
  if (!c.data.empty()) {
    io.out << "\n";
    Table data({"FIELD", "VALUE"});
    for (const auto& [k, val] : c.data) data.add({k, val.to_display()});
    io.out << data.render();
  }
  if (!c.deadlines.empty()) {
    io.out << "\n";
    Table dl({"DEADLINE", "DUE", "STATUS"});
    for (const auto& d : c.deadlines) dl.add({d.name, format_instant(d.due_at), deadline_status_name(d.status)});
    io.out << dl.render();
  }
  if (!v.linked.empty()) {
    io.out << "\n";
    Table lt({"CASE", "CUSTOMER", "SEGMENT", "ARR", "STATE", "OWNER", "LINKED", "HOW"});
    for (const auto& l : v.linked) {
      lt.add({std::to_string(l.link.case_id.value), l.customer_name, l.segment, money(l.arr), l.state,
              l.owner.empty() ? "-" : l.owner.value, format_instant(l.link.linked_at), l.link.how});
    }
    io.out << lt.render();
  }
  io.out << "\n";
  Table h({"AT", "EVENT", "FROM", "TO", "BY"});
  for (const auto& e : c.history) h.add({format_instant(e.at), e.event, e.from, e.to, e.by});
  io.out << h.render();
  return kExitOk;
}

struct Parsed {
  Args args;
  std::string format;
};

// Parses `argv` with `spec` plus --db, --now, --format and --help.
std::variant<Parsed, int> parse(const Argv& argv, Io& io, const std::string& name, ArgSpec spec,
                                const std::string& help, std::vector<std::string> formats) {
  spec.options.insert({"db", "now", "format"});
  spec.flags.insert("help");
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, name);
  Args args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << help;
    return kExitOk;
  }
  if (args.positional().size() < spec.min_positional) return usage(io, "expected: " + help, name);
  std::string format = args.get("format").value_or("table");
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    std::string list;
    for (const auto& f : formats) list += (list.empty() ? "" : ", ") + f;
    return usage(io, "--format must be one of: " + list, name);
  }
  return Parsed{std::move(args), format};
}

int issue_open(const Argv& argv, Io& io) {
  const std::string help =
      "turnaround issue open --theme THEME [--segment SEGMENT] --as PERSON [--title TEXT]\n"
      "                      [--workflow W] --db PATH [--format table|json] [--now T]\n";
  auto p = parse(argv, io, "issue open", ArgSpec{{"theme", "segment", "as", "title", "workflow"}, {}, {}, 0, 0},
                 help, {"table", "json"});
  if (auto* rc = std::get_if<int>(&p)) return *rc;
  auto& [args, format] = std::get<Parsed>(p);
  auto theme = args.get("theme");
  if (!theme || theme->empty()) return usage(io, "--theme THEME is required", "issue open");
  auto as = args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "issue open");
  CliContext ctx;
  if (int rc = open_context(args, io, "issue open", ctx)) return rc;
  OpenIssueRequest req{*theme, args.get("segment").value_or(""), args.get("title").value_or(""),
                       PersonId(*as), args.get("workflow").value_or("")};
  auto v = ctx.engine->open_issue(req);
  if (!v.ok()) return fail(io, v.status());
  return show_issue(io, *v, ctx.clock->now(), format);
}

int issue_list(const Argv& argv, Io& io, bool top) {
  const std::string name = top ? "issue top" : "issue list";
  const std::string help = top ? "turnaround issue top --db PATH [--limit N] [--format table|json|csv] [--now T]\n"
                               : "turnaround issue list --db PATH [--open] [--format table|json|csv] [--now T]\n";
  ArgSpec spec = top ? ArgSpec{{"limit"}, {}, {}, 0, 0} : ArgSpec{{}, {}, {"open"}, 0, 0};
  auto p = parse(argv, io, name, spec, help, {"table", "json", "csv"});
  if (auto* rc = std::get_if<int>(&p)) return *rc;
  auto& [args, format] = std::get<Parsed>(p);
  std::size_t limit = 5;
  if (auto l = args.get("limit")) {
    auto n = positive(*l);
    if (!n) return usage(io, "--limit must be a positive number", name);
    limit = static_cast<std::size_t>(*n);
  }
  CliContext ctx;
  if (int rc = open_context(args, io, name, ctx)) return rc;
  auto issues = top ? ctx.engine->top_issues(limit) : ctx.engine->issues(args.flag("open"));
  if (!issues.ok()) return fail(io, issues.status());
  Instant now = ctx.clock->now();
  if (format == "json") {
    boost::json::array arr;
    for (const auto& v : *issues) arr.emplace_back(issue_to_json(v, now, false));
    boost::json::object o;
    o["issues"] = std::move(arr);
    io.out << to_json_text(o);
  } else if (format == "csv") {
    io.out << issue_table(*issues, now).render_csv();
  } else {
    io.out << issue_table(*issues, now).render() << issues->size() << " issue(s)\n";
  }
  return kExitOk;
}

int issue_show(const Argv& argv, Io& io) {
  const std::string help = "turnaround issue show ID --db PATH [--format table|json] [--now T]\n";
  auto p = parse(argv, io, "issue show", ArgSpec{{}, {}, {}, 1, 1}, help, {"table", "json"});
  if (auto* rc = std::get_if<int>(&p)) return *rc;
  auto& [args, format] = std::get<Parsed>(p);
  auto id = positive(args.positional()[0]);
  if (!id) return usage(io, "issue id must be a positive number, not '" + args.positional()[0] + "'", "issue show");
  CliContext ctx;
  if (int rc = open_context(args, io, "issue show", ctx)) return rc;
  auto v = ctx.engine->issue(CaseId(*id), true);
  if (!v.ok()) return fail(io, v.status());
  return show_issue(io, *v, ctx.clock->now(), format);
}

int issue_candidates(const Argv& argv, Io& io) {
  const std::string help = "turnaround issue candidates --db PATH [--format table|json|csv]\n";
  auto p = parse(argv, io, "issue candidates", ArgSpec{}, help, {"table", "json", "csv"});
  if (auto* rc = std::get_if<int>(&p)) return *rc;
  auto& [args, format] = std::get<Parsed>(p);
  CliContext ctx;
  if (int rc = open_context(args, io, "issue candidates", ctx)) return rc;
  auto cands = ctx.engine->issue_candidates();
  if (!cands.ok()) return fail(io, cands.status());
  if (format == "json") {
    boost::json::array arr;
    for (const auto& c : *cands) arr.emplace_back(candidate_to_json(c));
    boost::json::object o;
    o["candidates"] = std::move(arr);
    io.out << to_json_text(o);
    return kExitOk;
  }
  Table t({"RANK", "THEME", "SEGMENT", "DETRACTORS", "OPEN", "CUSTOMERS", "ARR AT STAKE", "ISSUE"});
  int rank = 0;
  for (const auto& c : *cands) {
    t.add({std::to_string(++rank), c.theme, seg_text(c.segment), std::to_string(c.cases),
           std::to_string(c.open_cases), std::to_string(c.customers), money(c.arr_at_stake),
           c.open_issue ? std::to_string(c.open_issue->value) : ""});
  }
  io.out << (format == "csv" ? t.render_csv() : t.render());
  return kExitOk;
}

int issue_link(const Argv& argv, Io& io) {
  const std::string help =
      "turnaround issue link ISSUE (--case ID | --all-matching) --as PERSON --db PATH [--format table|json] [--now T]\n";
  auto p = parse(argv, io, "issue link", ArgSpec{{"case", "as"}, {}, {"all-matching"}, 1, 1}, help,
                 {"table", "json"});
  if (auto* rc = std::get_if<int>(&p)) return *rc;
  auto& [args, format] = std::get<Parsed>(p);
  auto id = positive(args.positional()[0]);
  if (!id) return usage(io, "issue id must be a positive number, not '" + args.positional()[0] + "'", "issue link");
  auto as = args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "issue link");
  auto one = args.get("case");
  if (one.has_value() == args.flag("all-matching")) {
    return usage(io, "give exactly one of --case ID and --all-matching", "issue link");
  }
  std::optional<CaseId> case_id;
  if (one) {
    auto n = positive(*one);
    if (!n) return usage(io, "--case must be a positive number, not '" + *one + "'", "issue link");
    case_id = CaseId(*n);
  }
  CliContext ctx;
  if (int rc = open_context(args, io, "issue link", ctx)) return rc;
  auto r = ctx.engine->link_to_issue(CaseId(*id), case_id, PersonId(*as));
  if (!r.ok()) return fail(io, r.status());
  if (format == "json") {
    io.out << to_json_text(link_result_to_json(*r));
    return kExitOk;
  }
  io.out << "Linked " << r->linked.size() << " case(s) to issue " << *id;
  if (!r->already.empty()) io.out << " (" << r->already.size() << " already linked)";
  io.out << "\n";
  for (CaseId c : r->linked) io.out << "  case " << c.value << "\n";
  return kExitOk;
}

}  // namespace

int cmd_issue(const Argv& argv, Io& io) {
  const char* subs = "open, list, show, candidates, link, top";
  if (argv.empty()) return usage(io, std::string("expected: issue ") + subs, "issue");
  Argv rest(argv.begin() + 1, argv.end());
  const std::string& sub = argv[0];
  if (sub == "open") return issue_open(rest, io);
  if (sub == "list") return issue_list(rest, io, false);
  if (sub == "top") return issue_list(rest, io, true);
  if (sub == "show") return issue_show(rest, io);
  if (sub == "candidates") return issue_candidates(rest, io);
  if (sub == "link") return issue_link(rest, io);
  if (sub == "--help" || sub == "help") {
    io.out << "turnaround issue " << subs << " (see docs/issues.md)\n";
    return kExitOk;
  }
  return usage(io, "unknown subcommand 'issue " + sub + "' (" + subs + ")", "issue");
}

}  // namespace turnaround::api

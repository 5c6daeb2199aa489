// `turnaround cases list|show|fire|assign|claim`.
#include <boost/json.hpp>
#include <iostream>
#include <limits>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/codec/issue_json.h"
#include "engine/field_text.h"

namespace turnaround::api {

namespace {

std::optional<CaseId> parse_case_id(const std::string& text) {
  if (auto v = parse_whole_number(text, 1, std::numeric_limits<long long>::max())) return CaseId(*v);
  return std::nullopt;
}

std::string due_text(const Case& c, Instant now) {
  std::optional<Instant> next;
  for (const auto& d : c.deadlines) {
    if (d.done || d.status != DeadlineStatus::kPending || d.paused_at) continue;
    if (!next || d.due_at < *next) next = d.due_at;
  }
  if (!next) return "";
  auto secs = (*next - now).count();
  return format_instant(*next) + (secs < 0 ? " (overdue " + format_elapsed(-secs) + ")" : "");
}

Table case_table(const std::vector<Case>& cases, Instant now) {
  Table t({"ID", "CUSTOMER", "SEGMENT", "SCORE", "PRIORITY", "STATE", "OWNER", "NEXT DUE", "OVERDUE"});
  for (const auto& c : cases) {
    t.add({std::to_string(c.id.value), c.customer_name, c.segment,
           c.score ? std::to_string(*c.score) : "", priority_name(c.priority), c.state,
           c.owner.empty() ? (c.queue.empty() ? "-" : "queue:" + c.queue) : c.owner.value,
           due_text(c, now), c.overdue(now) ? "yes" : ""});
  }
  return t;
}

int show_case(Io& io, const Case& c, Instant now, const std::string& format,
              const std::vector<std::string>& allowed, const std::vector<CaseIssue>& issues) {
  if (format == "json") {
    auto o = case_to_json(c, now, true);
    o["issues"] = case_issues_to_json(issues);
    io.out << to_json_text(o);
    return kExitOk;
  }
  io.out << "Case " << c.id.value << "  " << c.workflow << " v" << c.workflow_version
         << "  state " << c.state << "  version " << c.version << "\n"
         << "Customer   " << c.customer_name << " (" << c.customer_id.value << "), " << c.segment
         << ", arr " << Value(c.arr).to_display()
         << (c.score ? ", score " + std::to_string(*c.score) : "") << "\n"
         << "Owner      " << (c.owner.empty() ? (c.queue.empty() ? "-" : "queue " + c.queue) : c.owner.value)
         << "   priority " << priority_name(c.priority) << "\n"
         << "Opened     " << format_instant(c.opened_at)
         << (c.closed_at ? "   closed " + format_instant(*c.closed_at) : "") << "\n";
  if (!allowed.empty()) {
    io.out << "Events     ";
    for (std::size_t i = 0; i < allowed.size(); ++i) io.out << (i ? ", " : "") << allowed[i];
    io.out << "\n";
  }
  if (!c.data.empty()) {
    io.out << "\n";
    Table data({"FIELD", "VALUE"});
    for (const auto& [k, v] : c.data) data.add({k, v.to_display()});
    io.out << data.render();
  }
  if (!c.deadlines.empty()) {
    io.out << "\n";
    Table dl({"DEADLINE", "DUE", "STATUS"});
    for (const auto& d : c.deadlines) {
      dl.add({d.name, format_instant(d.due_at),
              std::string(deadline_status_name(d.status)) + (d.paused_at ? " (paused)" : "")});
    }
    io.out << dl.render();
  }
  if (!issues.empty()) {
    io.out << "\n";
    Table it({"ISSUE", "TITLE", "STATUS", "LINKED", "HOW", "BY"});
    for (const CaseIssue& ci : issues) {
      it.add({std::to_string(ci.issue.id.value), ci.issue.title, ci.issue.open ? "open" : "closed",
              format_instant(ci.link.linked_at), ci.link.how, ci.link.linked_by.value});
    }
    io.out << it.render();
  }
  io.out << "\n";
  Table h({"AT", "EVENT", "FROM", "TO", "BY", "DETAILS"});
  for (const auto& e : c.history) {
    std::string details;
    for (const auto& [k, v] : e.data) {
      std::string text = v.to_display();
      if (text.size() > 60) text = text.substr(0, 57) + "...";
      details += (details.empty() ? "" : "; ") + k + "=" + text;
    }
    h.add({format_instant(e.at), e.event, e.from, e.to, e.by, details});
  }
  io.out << h.render();
  return kExitOk;
}

int cases_list(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "state", "owner", "workflow", "segment", "queue", "limit", "format", "now"},
               {}, {"overdue", "open", "help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "cases list");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround cases list --db PATH [--state S] [--owner P] [--workflow W] [--segment G]\n"
              "                      [--queue ROLE] [--open] [--overdue] [--limit N] [--format table|json|csv] [--now T]\n";
    return kExitOk;
  }
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    return usage(io, "--format must be table, json or csv", "cases list");
  }
  CaseFilter f;
  f.state = args.get("state");
  if (auto o = args.get("owner")) f.owner = PersonId(*o);
  f.workflow = args.get("workflow");
  f.segment = args.get("segment");
  f.queue = args.get("queue");
  f.open_only = args.flag("open");
  if (auto l = args.get("limit")) {
    auto limit = parse_whole_number(*l, 1, std::numeric_limits<long long>::max());
    if (!limit) return usage(io, "--limit must be a positive number", "cases list");
    f.limit = *limit;
  }
  CliContext ctx;
  if (int rc = open_context(args, io, "cases list", ctx)) return rc;
  Instant now = ctx.clock->now();
  if (args.flag("overdue")) f.overdue_at = now;
  auto cases = ctx.engine->list_cases(f);
  if (!cases.ok()) return fail(io, cases.status());
  if (format == "json") {
    boost::json::array arr;
    for (const auto& c : *cases) arr.emplace_back(case_to_json(c, now, false));
    boost::json::object o;
    o["cases"] = std::move(arr);
    io.out << to_json_text(o);
  } else if (format == "csv") {
    io.out << case_table(*cases, now).render_csv();
  } else {
    io.out << case_table(*cases, now).render() << cases->size() << " case(s)\n";
  }
  return kExitOk;
}

// The shared shape of show/fire/assign/claim: ID [more positionals] options.
struct CaseCommand {
  Args args;
  CaseId id;
  std::string format;
};

std::variant<CaseCommand, int> case_command(const Argv& argv, Io& io, const std::string& name,
                                            ArgSpec spec, const std::string& help) {
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
  auto id = parse_case_id(args.positional()[0]);
  if (!id) return usage(io, "case id must be a positive number, not '" + args.positional()[0] + "'", name);
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json") return usage(io, "--format must be table or json", name);
  return CaseCommand{std::move(args), *id, format};
}

int print_result(Io& io, CliContext& ctx, const Result<Case>& c, const std::string& format,
                 const PersonId& viewer) {
  if (!c.ok()) return fail(io, c.status());
  auto allowed = ctx.engine->allowed_events(*c, viewer);
  auto issues = ctx.engine->case_issues(c->id);
  if (!issues.ok()) return fail(io, issues.status());
  return show_case(io, *c, ctx.clock->now(), format, allowed.ok() ? *allowed : std::vector<std::string>{},
                   *issues);
}

std::optional<std::int64_t> version_option(const Args& args, Io& io, const std::string& name, bool& bad) {
  auto v = args.get("version");
  if (!v) return std::nullopt;
  auto version = parse_whole_number(*v, 1, std::numeric_limits<long long>::max());
  if (!version) {
    bad = true;
    usage(io, "--version must be a case version (a positive number)", name);
  }
  return version;
}

int cases_show(const Argv& argv, Io& io) {
  auto cmd = case_command(argv, io, "cases show", ArgSpec{{}, {}, {}, 1, 1},
                          "turnaround cases show ID --db PATH [--format table|json] [--now T]\n");
  if (auto* rc = std::get_if<int>(&cmd)) return *rc;
  auto& c = std::get<CaseCommand>(cmd);
  CliContext ctx;
  if (int rc = open_context(c.args, io, "cases show", ctx)) return rc;
  return print_result(io, ctx, ctx.engine->get_case(c.id, true), c.format, PersonId());
}

int cases_fire(const Argv& argv, Io& io) {
  auto cmd = case_command(argv, io, "cases fire", ArgSpec{{"as", "version"}, {"set"}, {}, 2, 2},
                          "turnaround cases fire ID EVENT --db PATH --as PERSON [--set FIELD=VALUE]... [--version N] [--now T]\n");
  if (auto* rc = std::get_if<int>(&cmd)) return *rc;
  auto& c = std::get<CaseCommand>(cmd);
  auto as = c.args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "cases fire");
  bool bad = false;
  auto version = version_option(c.args, io, "cases fire", bad);
  if (bad) return kExitUsage;
  CliContext ctx;
  if (int rc = open_context(c.args, io, "cases fire", ctx)) return rc;
  auto current = ctx.engine->get_case(c.id, false);
  if (!current.ok()) return fail(io, current.status());
  const WorkflowDefinition* wf =
      ctx.config.registry.get(current->workflow, current->workflow_version);
  if (!wf) return fail(io, internal_error("case runs an unknown workflow version"));
  FieldValues data;
  for (const auto& s : c.args.all("set")) {
    if (Status st = parse_assignment(*wf, s, data); !st.ok()) return fail(io, st);
  }
  auto result = ctx.engine->fire_event(c.id, c.args.positional()[1], PersonId(*as), data, version);
  return print_result(io, ctx, result, c.format, PersonId(*as));
}

int cases_assign(const Argv& argv, Io& io) {
  auto cmd = case_command(argv, io, "cases assign", ArgSpec{{"as", "version"}, {}, {}, 2, 2},
                          "turnaround cases assign ID PERSON --db PATH --as PERSON [--now T]\n");
  if (auto* rc = std::get_if<int>(&cmd)) return *rc;
  auto& c = std::get<CaseCommand>(cmd);
  auto as = c.args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "cases assign");
  bool bad = false;
  auto version = version_option(c.args, io, "cases assign", bad);
  if (bad) return kExitUsage;
  CliContext ctx;
  if (int rc = open_context(c.args, io, "cases assign", ctx)) return rc;
  auto result = ctx.engine->assign(c.id, PersonId(c.args.positional()[1]), PersonId(*as), version);
  return print_result(io, ctx, result, c.format, PersonId(*as));
}

int cases_claim(const Argv& argv, Io& io) {
  auto cmd = case_command(argv, io, "cases claim", ArgSpec{{"as", "version"}, {}, {}, 1, 1},
                          "turnaround cases claim ID --db PATH --as PERSON [--now T]\n");
  if (auto* rc = std::get_if<int>(&cmd)) return *rc;
  auto& c = std::get<CaseCommand>(cmd);
  auto as = c.args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "cases claim");
  bool bad = false;
  auto version = version_option(c.args, io, "cases claim", bad);
  if (bad) return kExitUsage;
  CliContext ctx;
  if (int rc = open_context(c.args, io, "cases claim", ctx)) return rc;
  auto result = ctx.engine->claim(c.id, PersonId(*as), version);
  return print_result(io, ctx, result, c.format, PersonId(*as));
}

}  // namespace

int cmd_cases(const Argv& argv, Io& io) {
  if (argv.empty()) return usage(io, "expected: cases list|show|fire|assign|claim", "cases");
  Argv rest(argv.begin() + 1, argv.end());
  const std::string& sub = argv[0];
  if (sub == "--help" || sub == "help") {
    io.out << "turnaround cases list --db PATH [--state S] [--owner P] [--workflow W] [--segment G] [--overdue] [--format table|json|csv]\n"
              "turnaround cases show ID --db PATH [--format table|json]\n"
              "turnaround cases fire ID EVENT --db PATH --as PERSON [--set FIELD=VALUE]... [--now T]\n"
              "turnaround cases assign ID PERSON --db PATH --as PERSON [--now T]\n"
              "turnaround cases claim ID --db PATH --as PERSON [--now T]\n"
              "Each subcommand takes --help for its options. Reference: docs/cli.md.\n";
    return kExitOk;
  }
  if (sub == "list") return cases_list(rest, io);
  if (sub == "show") return cases_show(rest, io);
  if (sub == "fire") return cases_fire(rest, io);
  if (sub == "assign") return cases_assign(rest, io);
  if (sub == "claim") return cases_claim(rest, io);
  return usage(io, "unknown subcommand 'cases " + sub + "' (list, show, fire, assign, claim)", "cases");
}

}  // namespace turnaround::api

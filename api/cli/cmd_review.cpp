// `turnaround review schedule|ics|agenda|mark`: the monthly loss review.
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <limits>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/codec/agenda_render.h"
#include "api/codec/review_calendar.h"
#include "storage/agenda_codec.h"

namespace turnaround::api {

namespace {

const char* kReviewUsage =
    "usage: turnaround review schedule|ics|agenda|mark ...\n"
    "  schedule  the next meetings and their agenda cut-offs\n"
    "  ics       the next meetings as an iCalendar file (Outlook, Google Calendar)\n"
    "  agenda    the agenda of a month's meeting (frozen at its cut-off, or --live)\n"
    "  mark      record that a case was reviewed at a meeting\n"
    "Reference: docs/loss-review.md.\n";

// The company's loss review, or an error naming what to add.
Result<const LossReviewConfig*> loss_review_of(const CliContext& ctx) {
  if (!ctx.config.company.loss_review) {
    return failed_precondition(
        "the company configuration has no loss_review: section; add one to company.yaml "
        "(docs/company-reference.md) and run turnaround init again");
  }
  return &*ctx.config.company.loss_review;
}

// Shared by schedule and ics: the meetings from --from (default now), --count.
struct MeetingsQuery {
  std::vector<Meeting> meetings;
  int rc = kExitOk;
};

MeetingsQuery query_meetings(const Args& args, Io& io, const std::string& command,
                             CliContext& ctx, int default_count) {
  MeetingsQuery q;
  int count = default_count;
  if (auto c = args.get("count")) {
    auto n = parse_whole_number(*c, 1, 1000);
    if (!n) {
      q.rc = usage(io, "--count must be a whole number from 1 to 1000", command);
      return q;
    }
    count = *n;
  }
  Instant from{};
  if (auto f = args.get("from")) {
    auto t = parse_instant(*f);
    if (!t.ok()) {
      q.rc = usage(io, "--from: " + t.status().message(), command);
      return q;
    }
    from = *t;
  }
  if ((q.rc = open_context(args, io, command, ctx))) return q;
  if (!args.get("from")) from = ctx.clock->now();
  auto lr = loss_review_of(ctx);
  if (!lr.ok()) {
    q.rc = fail(io, lr.status());
    return q;
  }
  q.meetings = meetings_from((*lr)->schedule, from, count);
  return q;
}

int review_schedule(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "now", "from", "count", "format"}, {}, {"help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "review schedule");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround review schedule --db PATH [--from T] [--count N] [--format table|json]\n"
              "Lists the next N (default 12) loss-review meetings starting at or after T\n"
              "(default: now), with their agenda cut-offs.\n";
    return kExitOk;
  }
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json") {
    return usage(io, "--format must be table or json", "review schedule");
  }
  CliContext ctx;
  auto q = query_meetings(args, io, "review schedule", ctx, 12);
  if (q.rc != kExitOk) return q.rc;
  const LossReviewConfig& lr = *ctx.config.company.loss_review;
  if (format == "json") {
    io.out << to_json_text(schedule_json(lr, q.meetings));
    return kExitOk;
  }
  const Calendar& cal = lr.schedule.calendar;
  Table t({"month", "local", "starts_at (UTC)", "agenda cut-off (local)", "note"});
  for (const Meeting& m : q.meetings) {
    t.add({m.month, cal.format_local(m.starts_at), format_instant(m.starts_at),
           cal.format_local(m.cutoff_at),
           m.moved ? "moved off " + date::format("%F", m.nominal_day) : ""});
  }
  io.out << lr.schedule.rule.to_string() << " in " << lr.time_zone << "\n" << t.render();
  return kExitOk;
}

int review_ics(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "now", "from", "count", "out"}, {}, {"help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "review ics");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround review ics --db PATH [--from T] [--count N] [--out FILE]\n"
              "Writes the next N (default 12) meetings as an iCalendar (.ics) file for\n"
              "Outlook, Google Calendar and others (to FILE, or to standard output).\n";
    return kExitOk;
  }
  CliContext ctx;
  auto q = query_meetings(args, io, "review ics", ctx, 12);
  if (q.rc != kExitOk) return q.rc;
  std::string text = meetings_ics(ctx.config.company, q.meetings, ctx.clock->now());
  if (auto out = args.get("out")) {
    std::ofstream f(*out, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) return fail(io, invalid_argument("cannot write '" + *out + "'", {"out"}));
    io.out << "wrote " << q.meetings.size() << " meeting(s) to " << *out << "\n";
  } else {
    io.out << text;
  }
  return kExitOk;
}

int review_agenda(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "now", "month", "format", "out"}, {}, {"help", "live"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "review agenda");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround review agenda --db PATH --month YYYY-MM [--format json|md|csv|html]\n"
              "                         [--live] [--now T] [--out FILE]\n"
              "The agenda of the month's loss review: frozen at its cut-off once that has\n"
              "passed (and tick has run), else live; --live always builds it from the data\n"
              "now. Default format: md.\n";
    return kExitOk;
  }
  auto month_text = args.get("month");
  if (!month_text) return usage(io, "--month YYYY-MM is required", "review agenda");
  auto month = parse_month(*month_text, "--month");
  if (!month.ok()) return usage(io, month.status().message(), "review agenda");
  std::string format = args.get("format").value_or("md");
  if (!known_agenda_format(format)) {
    return usage(io, "--format must be json, md, csv or html", "review agenda");
  }
  CliContext ctx;
  if (int rc = open_context(args, io, "review agenda", ctx)) return rc;
  auto agenda = ctx.engine->review_agenda(*month, args.flag("live"));
  if (!agenda.ok()) return fail(io, agenda.status());
  const std::string& company = ctx.config.company.name;
  std::string text = format == "json"   ? storage::encode_agenda(*agenda, true)
                     : format == "csv"  ? agenda_csv(*agenda)
                     : format == "html" ? agenda_html(*agenda, company)
                                        : agenda_markdown(*agenda, company);
  if (auto out = args.get("out")) {
    std::ofstream f(*out, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) return fail(io, invalid_argument("cannot write '" + *out + "'", {"out"}));
    io.out << "wrote the " << agenda->month << " agenda (" << (agenda->frozen ? "frozen" : "live")
           << ") to " << *out << "\n";
    return kExitOk;
  }
  io.out << text;
  return kExitOk;
}

int review_mark(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "now", "month", "as", "notes", "format"}, {}, {"help"}, 1, 1};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "review mark");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround review mark CASE --db PATH --month YYYY-MM --as PERSON [--notes TEXT]\n"
              "                       [--now T] [--format table|json]\n"
              "Records in the case's history that it was reviewed at the month's loss review\n"
              "and, where the case's state has the review event (loss-followup:\n"
              "mark_reviewed), fires it with the notes. Ops leads and admins only.\n";
    return kExitOk;
  }
  const auto case_id =
      parse_whole_number(args.positional()[0], 1, std::numeric_limits<long long>::max());
  if (!case_id) {
    return usage(io, "CASE must be a case id (a positive number), not '" + args.positional()[0] + "'",
                 "review mark");
  }
  auto month_text = args.get("month");
  if (!month_text) return usage(io, "--month YYYY-MM is required", "review mark");
  auto month = parse_month(*month_text, "--month");
  if (!month.ok()) return usage(io, month.status().message(), "review mark");
  auto as = args.get("as");
  if (!as) return usage(io, "--as PERSON is required", "review mark");
  std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json") return usage(io, "--format must be table or json", "review mark");
  CliContext ctx;
  if (int rc = open_context(args, io, "review mark", ctx)) return rc;
  auto c = ctx.engine->mark_reviewed(CaseId(*case_id), *month, PersonId(*as),
                                     args.get("notes").value_or(""));
  if (!c.ok()) return fail(io, c.status());
  if (format == "json") {
    io.out << to_json_text(case_to_json(*c, ctx.clock->now(), true));
  } else {
    io.out << "case " << c->id.value << " marked reviewed at the " << format_month(*month)
           << " loss review; state " << c->state << "\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_review(const Argv& argv, Io& io) {
  if (argv.empty()) {
    io.err << kReviewUsage;
    return kExitUsage;
  }
  const std::string& sub = argv[0];
  Argv rest(argv.begin() + 1, argv.end());
  if (sub == "--help" || sub == "help") {
    io.out << kReviewUsage;
    return kExitOk;
  }
  if (sub == "schedule") return review_schedule(rest, io);
  if (sub == "ics") return review_ics(rest, io);
  if (sub == "agenda") return review_agenda(rest, io);
  if (sub == "mark") return review_mark(rest, io);
  io.err << "turnaround: unknown review command '" << sub << "'\n" << kReviewUsage;
  return kExitUsage;
}

}  // namespace turnaround::api

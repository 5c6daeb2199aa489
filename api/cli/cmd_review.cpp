// `turnaround review schedule|ics|agenda|mark`: the monthly loss review.
#include <boost/json.hpp>

#include <fstream>
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/codec/review_calendar.h"

namespace turnaround::api {

namespace {

const char* kReviewUsage =
    "usage: turnaround review schedule|ics|agenda|mark ...\n"
    "  schedule  the next meetings and their agenda cut-offs\n"
    "  ics       the next meetings as an iCalendar file (Outlook, Google Calendar)\n"
    "  agenda    the agenda of a month's meeting (frozen at its cut-off, or --live)\n"
    "  mark      record that a case was reviewed at a meeting\n"
    "Reference: docs/loss-review.md.\n";

// A whole number from 1 to max, else nullopt.
std::optional<int> count_option(const std::string& text, int max) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n > max) return std::nullopt;
  return n;
}

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
    auto n = count_option(*c, 1000);
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
  io.err << "turnaround: unknown review command '" << sub << "'\n" << kReviewUsage;
  return kExitUsage;
}

}  // namespace turnaround::api

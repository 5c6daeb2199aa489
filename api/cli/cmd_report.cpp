// `turnaround report nps|detractors|themes|ranking|timing|scorecard|saturation`:
// the reports of engine/reports.h through the shared request parser and
// JSON of api/codec/report_json.h (the HTTP API answers the same shapes).
// --format json prints the JSON; table and csv print its rows.
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "api/cli/commands.h"
#include "api/cli/table.h"
#include "api/codec/case_json.h"
#include "api/codec/report_json.h"

namespace turnaround::api {

namespace {

const char* kHelp =
    "usage: turnaround report KIND --db PATH [options] [--format table|json|csv] [--now T]\n"
    "\n"
    "Reports (docs/reports.md):\n"
    "  nps         NPS and mix by period   [--period day|week|month|quarter] [--by segment] [--weighted]\n"
    "  detractors  detractor share by segment and period, flare-ups marked\n"
    "              [--period P] [--baseline N] [--alpha A] [--min-sample N]\n"
    "  themes      theme counts by segment, change vs the previous window  [--workflow W] [--segment S]\n"
    "  ranking     themes ranked by detractor cases and arr at stake  [--by segment] [--workflow W]\n"
    "  timing      time to first contact and to close  [--by segment] [--workflow W]\n"
    "  scorecard   on-time rate per step, owner and team  [--workflow W]\n"
    "  saturation  new themes per further callback  [--limit N]\n"
    "\n"
    "Every report takes --from DATE and --to DATE (local dates YYYY-MM-DD or ISO 8601\n"
    "instants; --to is exclusive). Default: the last 12 periods (months unless --period).\n";

// CLI option name <-> request parameter name.
std::string param_name(const std::string& option) {
  return option == "min-sample" ? "min_sample" : option;
}
std::string param_option(const std::string& param) {
  return param == "min_sample" ? "min-sample" : param;
}

std::string cell(const std::string& column, const boost::json::value* v) {
  if (v == nullptr || v->is_null()) return "-";
  if (v->is_bool()) return v->get_bool() ? "yes" : "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) {
    if (column.size() > 2 && column.ends_with("_s")) return format_elapsed(v->get_int64());
    return std::to_string(v->get_int64());
  }
  if (v->is_double()) {
    char buf[48];
    const double d = v->get_double();
    if (column == "p_value") {
      std::snprintf(buf, sizeof buf, "%.4g", d);
    } else if (column == "on_time_rate") {
      std::snprintf(buf, sizeof buf, "%.1f%%", d * 100);
    } else {
      std::snprintf(buf, sizeof buf, "%.2f", d);
    }
    return buf;
  }
  return boost::json::serialize(*v);
}

Table rows_table(const boost::json::object& report, const std::vector<std::string>& columns) {
  std::vector<std::string> header;
  for (const auto& c : columns) {
    std::string h = c;
    for (auto& ch : h) ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    header.push_back(h);
  }
  Table t(header);
  for (const auto& row : report.at("rows").as_array()) {
    std::vector<std::string> cells;
    for (const auto& c : columns) cells.push_back(cell(c, row.as_object().if_contains(c)));
    t.add(std::move(cells));
  }
  return t;
}

// One summary line under the table.
std::string summary(const ReportRequest& r, const boost::json::object& o) {
  std::string s = r.kind + " " + std::string(o.at("from").as_string()) + " .. " +
                  std::string(o.at("to").as_string()) + " (to exclusive, " +
                  std::string(o.at("zone").as_string()) + ")";
  if (r.kind == "nps") {
    const auto& t = o.at("total").as_object();
    s += "; total: " + cell("responses", t.if_contains("responses")) + " responses, NPS " +
         cell("nps", t.if_contains("nps"));
    if (r.weighted) s += ", revenue-weighted NPS " + cell("weighted_nps", t.if_contains("weighted_nps"));
  } else if (r.kind == "detractors") {
    s += "; test: " + std::string(o.at("test").at("name").as_string()) + ", alpha " +
         cell("alpha", o.at("test").as_object().if_contains("alpha")) + ", flare-ups: " +
         cell("flare_ups", o.if_contains("flare_ups"));
  } else if (r.kind == "saturation") {
    s += "; " + cell("calls", o.if_contains("calls")) + " callbacks, " +
         cell("distinct_themes", o.if_contains("distinct_themes")) +
         " themes, the last new one at call " +
         cell("last_new_theme_at_call", o.if_contains("last_new_theme_at_call"));
  }
  return s + "\n";
}

}  // namespace

int cmd_report(const Argv& argv, Io& io) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "help") {
    (argv.empty() ? io.err : io.out) << kHelp;
    return argv.empty() ? kExitUsage : kExitOk;
  }
  const std::string kind = argv[0];
  const std::string command = "report " + kind;
  if (report_parameters(kind).empty()) {
    return usage(io, "unknown report '" + kind + "'", "report");
  }
  ArgSpec spec{{"db", "now", "format", "from", "to", "period", "by", "baseline", "alpha",
                "min-sample", "limit", "workflow", "segment"},
               {}, {"weighted", "help"}, 0, 0};
  auto parsed = Args::parse(Argv(argv.begin() + 1, argv.end()), spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, command);
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << kHelp;
    return kExitOk;
  }
  const std::string format = args.get("format").value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    return usage(io, "--format must be table, json or csv", command);
  }
  ReportParams params;
  for (const auto& name : spec.options) {
    if (name == "db" || name == "now" || name == "format") continue;
    if (auto v = args.get(name)) params[param_name(name)] = *v;
  }
  if (args.flag("weighted")) params["weighted"] = "true";

  CliContext ctx;
  if (int rc = open_context(args, io, command, ctx)) return rc;
  Reports reports(*ctx.store, ctx.config.company);
  auto request = parse_report_request(kind, params, reports, ctx.config.company, ctx.clock->now());
  if (!request.ok()) {
    // A bad option value is a usage error; name it as the CLI spells it.
    std::string message = request.status().message();
    const auto& fields = request.status().fields();
    if (!fields.empty() && message.rfind(fields.front() + ":", 0) == 0) {
      message = "--" + param_option(fields.front()) + message.substr(fields.front().size());
    }
    return usage(io, message, command);
  }
  auto report = run_report(*request, reports, ctx.config.company);
  if (!report.ok()) return fail(io, report.status());
  if (format == "json") {
    io.out << to_json_text(*report);
  } else if (format == "csv") {
    io.out << rows_table(*report, report_columns(*request)).render_csv();
  } else {
    io.out << rows_table(*report, report_columns(*request)).render() << summary(*request, *report);
  }
  return kExitOk;
}

}  // namespace turnaround::api

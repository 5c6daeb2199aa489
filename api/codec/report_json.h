#pragma once
// The reports (engine/reports.h) as the CLI (`turnaround report KIND`) and
// the HTTP API (GET /v1/reports/KIND) speak them: one parameter set, parsed
// and validated once, and one JSON shape per report, so both doors answer
// the same thing. docs/reports.md documents every parameter and shape.
//
// Every report's JSON is an object with "report", "zone", "from" and "to"
// (local dates, `to` exclusive), its parameters, and "rows": an array of
// flat objects (numbers, strings, booleans or null), one per table line, so
// the CLI prints the same rows as a table or CSV.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "engine/reports.h"
#include "engine/status.h"

namespace turnaround::api {

// The report kinds, in the order `turnaround report --help` lists them:
// nps, detractors, themes, ranking, timing, scorecard, saturation.
const std::vector<std::string>& report_kinds();

// Parameter name -> value, as given (CLI `--name value`, HTTP `?name=value`).
// Flags given without a value (CLI --weighted) carry "true".
using ReportParams = std::map<std::string, std::string>;

// The parameters `kind` accepts (besides the door's own, such as format).
// Empty when the kind is unknown.
std::vector<std::string> report_parameters(std::string_view kind);

// A validated report request.
struct ReportRequest {
  std::string kind;
  DayRange range;
  Period period = Period::kMonth;
  bool by_segment = false;
  bool weighted = false;
  FlareUpOptions flare_up;
  std::optional<std::string> workflow;
  std::optional<std::string> segment;
  std::int64_t limit = 200;
};

// Parses and checks `params` for `kind`: every parameter is known for the
// kind and well formed, or kInvalidArgument naming it (fields = the
// parameter names at fault). Ranges: `from` / `to` are local dates
// (YYYY-MM-DD) or ISO 8601 instants (their local date); `to` is exclusive
// and defaults to the end of the current period at `now`; `from` defaults
// to 11 periods before the current one (12 in all). kNotFound for an
// unknown kind.
Result<ReportRequest> parse_report_request(std::string_view kind, const ReportParams& params,
                                           const Reports& reports,
                                           const CompanyConfig& company, Instant now);

// Runs the request and renders its JSON (see the header comment).
Result<boost::json::object> run_report(const ReportRequest& request, Reports& reports,
                                       const CompanyConfig& company);

// The columns a table of `request`'s rows shows, in order (a subset of the
// row keys: the CLI's table hides the weighted columns unless asked).
std::vector<std::string> report_columns(const ReportRequest& request);

}  // namespace turnaround::api

// GET /v1/reports/{nps,detractors,themes,ranking,timing,scorecard,saturation}:
// the reports of engine/reports.h, with the CLI's parameters as query
// parameters and the same JSON (api/codec/report_json.h, docs/reports.md).

#include <boost/json.hpp>

#include "api/codec/report_json.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"

namespace turnaround::api {

HttpResponse get_report(const RequestContext& ctx) {
  std::string_view path = ctx.request.target;
  path = path.substr(0, path.find('?'));
  const std::string kind(path.substr(path.rfind('/') + 1));
  auto query = parse_query(ctx.request.query());
  if (!query.ok()) return fail(query.status());
  ReportParams params;
  for (const auto& [k, v] : *query) {
    if (!params.emplace(k, v).second) {
      return fail(invalid_argument("query parameter '" + k + "' is given twice", {k}));
    }
  }
  Engine& engine = ctx.services.engine;
  Reports reports(ctx.services.store, engine.company());
  auto request = parse_report_request(kind, params, reports, engine.company(), engine.clock().now());
  if (!request.ok()) return fail(request.status());
  auto report = run_report(*request, reports, engine.company());
  if (!report.ok()) return fail(report.status());
  return json_response(200, *report);
}

}  // namespace turnaround::api

// GET /v1/reviews/{month}/agenda, POST /v1/reviews/{month}/reviewed: the
// monthly loss review over HTTP (the same Engine calls as `turnaround
// review agenda|mark`).

#include <boost/json.hpp>

#include "api/codec/agenda_render.h"
#include "api/http/errors.h"
#include "api/http/handler_util.h"
#include "storage/agenda_codec.h"

namespace turnaround::api {

namespace json = boost::json;

namespace {

Result<date::year_month> month_param(const RequestContext& ctx) {
  auto it = ctx.params.find("month");
  const std::string text = it == ctx.params.end() ? "" : it->second;
  return parse_month(text, "month");
}

}  // namespace

HttpResponse get_review_agenda(const RequestContext& ctx) {
  auto month = month_param(ctx);
  if (!month.ok()) return fail(month.status());
  auto params = parse_query(ctx.request.query());
  if (!params.ok()) return fail(params.status());
  std::string format = "json";
  bool live = false;
  for (const auto& [k, v] : *params) {
    if (k == "format") {
      if (!known_agenda_format(v)) {
        return fail(invalid_argument("format must be json, md, csv or html, not '" + v + "'", {"format"}));
      }
      format = v;
    } else if (k == "live") {
      if (v != "" && v != "true" && v != "1" && v != "false" && v != "0") {
        return fail(invalid_argument("live must be true or false, not '" + v + "'", {"live"}));
      }
      live = v == "" || v == "true" || v == "1";
    } else {
      return fail(invalid_argument("unknown query parameter '" + k + "' (known: format, live)", {k}));
    }
  }
  Engine& engine = ctx.services.engine;
  auto agenda = engine.review_agenda(*month, live);
  if (!agenda.ok()) return fail(agenda.status());
  HttpResponse res;
  const std::string& company = engine.company().name;
  if (format == "json") {
    res.body = storage::encode_agenda(*agenda);
  } else if (format == "md") {
    res.content_type = "text/markdown; charset=utf-8";
    res.body = agenda_markdown(*agenda, company);
  } else if (format == "csv") {
    res.content_type = "text/csv; charset=utf-8";
    res.body = agenda_csv(*agenda);
  } else {
    res.content_type = "text/html; charset=utf-8";
    res.body = agenda_html(*agenda, company);
  }
  return res;
}

HttpResponse post_review_reviewed(const RequestContext& ctx) {
  auto body = object_body(ctx.request.body, false);
  if (!body.ok()) return fail(body.status());
  if (Status s = check_keys(*body, {"case_id", "notes", "version"}); !s.ok()) return fail(s);
  const json::value* id = body->if_contains("case_id");
  if (!id || !id->is_int64() || id->get_int64() <= 0) {
    return fail(invalid_argument("case_id must be a case id (a positive integer)", {"case_id"}));
  }
  std::string notes;
  if (const json::value* n = body->if_contains("notes")) {
    if (!n->is_string()) return fail(invalid_argument("notes must be a string", {"notes"}));
    notes = std::string(n->get_string());
  }
  auto version = version_of(*body);
  if (!version.ok()) return fail(version.status());
  auto month = month_param(ctx);
  if (!month.ok()) return fail(month.status());
  auto after = ctx.services.engine.mark_reviewed(CaseId(id->get_int64()), *month, ctx.actor.id,
                                                 notes, *version);
  if (!after.ok()) return fail(after.status());
  return case_response(ctx.services, *after, ctx.actor);
}

}  // namespace turnaround::api

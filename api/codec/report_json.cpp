#include "api/codec/report_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include <boost/json.hpp>

namespace turnaround::api {

namespace json = boost::json;

namespace {

// --- Parameters.

const std::map<std::string, std::vector<std::string>, std::less<>>& kind_params() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> k = {
      {"nps", {"from", "to", "period", "by", "weighted"}},
      {"detractors", {"from", "to", "period", "baseline", "alpha", "min_sample"}},
      {"themes", {"from", "to", "workflow", "segment"}},
      {"ranking", {"from", "to", "by", "workflow"}},
      {"timing", {"from", "to", "by", "workflow"}},
      {"scorecard", {"from", "to", "workflow"}},
      {"saturation", {"from", "to", "limit"}},
  };
  return k;
}

Status bad(const std::string& name, const std::string& message) {
  return invalid_argument(name + ": " + message, {name});
}

// A local date "YYYY-MM-DD" or an ISO 8601 instant, as a local day.
Result<LocalDay> parse_day(const std::string& name, const std::string& text,
                           const Reports& reports) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3) {
    const date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
    if (!ymd.ok()) return bad(name, "'" + text + "' is not a calendar date");
    return static_cast<LocalDay>(date::sys_days(ymd).time_since_epoch().count());
  }
  auto t = parse_instant(text);
  if (!t.ok()) {
    return bad(name, "'" + text + "' is neither a date (YYYY-MM-DD) nor an ISO 8601 instant with offset");
  }
  return reports.local_day(*t);
}

Result<std::int64_t> parse_int(const std::string& name, const std::string& text, std::int64_t lo,
                               std::int64_t hi) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size() && v >= lo && v <= hi) return static_cast<std::int64_t>(v);
  } catch (const std::exception&) {
  }
  return bad(name, "'" + text + "' is not a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
}

Result<bool> parse_bool(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return bad(name, "'" + text + "' is not true or false");
}

// --- JSON values.

json::value opt(const std::optional<double>& v, int digits = 2) {
  if (!v || !std::isfinite(*v)) return nullptr;
  const double scale = std::pow(10.0, digits);
  return std::round(*v * scale) / scale;
}
json::value opt(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

std::string day_text(LocalDay d) {
  return period_label(Period::kDay, date::sys_days(date::days(d)));
}

json::object header(const ReportRequest& r, const CompanyConfig& company) {
  return {{"report", r.kind},
          {"zone", company.time_zone},
          {"from", day_text(r.range.from)},
          {"to", day_text(r.range.to)}};
}

void put_nps(json::object& o, const Nps& n) {
  o["responses"] = n.responses;
  o["promoters"] = n.promoters;
  o["passives"] = n.passives;
  o["detractors"] = n.detractors;
  o["promoter_pct"] = opt(n.promoter_pct);
  o["passive_pct"] = opt(n.passive_pct);
  o["detractor_pct"] = opt(n.detractor_pct);
  o["nps"] = opt(n.nps);
  o["arr"] = opt(std::optional<double>(n.total_arr));
  o["weighted_promoter_pct"] = opt(n.weighted_promoter_pct);
  o["weighted_detractor_pct"] = opt(n.weighted_detractor_pct);
  o["weighted_nps"] = opt(n.weighted_nps);
}

void put_counts(json::object& o, const OnTimeCounts& c) {
  o["met"] = c.met;
  o["missed"] = c.missed;
  o["pending"] = c.pending;
  o["cancelled"] = c.cancelled;
  o["on_time_rate"] = opt(c.rate(), 4);
}

void put_duration(json::object& o, const std::string& prefix, const DurationStats& s) {
  o[prefix + "_count"] = s.count;
  o[prefix + "_median_s"] = opt(s.median_s);
  o[prefix + "_p90_s"] = opt(s.p90_s);
  o[prefix + "_mean_s"] = opt(s.mean_s);
}

std::string segment_or_all(const std::string& s) { return s.empty() ? "all" : s; }

// --- One renderer per kind.

Result<json::object> nps_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto rep, reports.nps({r.range, r.period, r.by_segment}));
  out["period"] = period_name(r.period);
  out["by"] = r.by_segment ? "segment" : "none";
  json::array rows;
  for (const auto& row : rep.rows) {
    json::object o{{"period", row.period}, {"start", day_text(row.start)},
                   {"segment", segment_or_all(row.segment)}};
    put_nps(o, row.nps);
    rows.push_back(std::move(o));
  }
  out["rows"] = std::move(rows);
  json::object total;
  put_nps(total, rep.total);
  out["total"] = std::move(total);
  return out;
}

Result<json::object> detractors_json(const ReportRequest& r, Reports& reports, json::object out) {
  DetractorQuery q{r.range, r.period, r.flare_up};
  TA_ASSIGN_OR_RETURN(auto rep, reports.detractors(q));
  out["period"] = period_name(r.period);
  out["test"] = json::object{{"name", kFlareUpTestName},
                             {"baseline_periods", r.flare_up.baseline_periods},
                             {"alpha", r.flare_up.alpha},
                             {"min_period_responses", r.flare_up.min_period_responses},
                             {"min_baseline_responses", r.flare_up.min_baseline_responses}};
  json::array rows;
  std::int64_t flagged = 0;
  for (const auto& row : rep.rows) {
    const FlareUpTest& t = row.test;
    rows.push_back(json::object{{"period", row.period},
                                {"start", day_text(row.start)},
                                {"segment", row.segment},
                                {"responses", t.responses},
                                {"detractors", t.detractors},
                                {"share_pct", opt(t.share ? std::optional<double>(*t.share * 100) : std::nullopt)},
                                {"baseline_periods", row.baseline_periods},
                                {"baseline_responses", t.baseline_responses},
                                {"baseline_detractors", t.baseline_detractors},
                                {"baseline_share_pct", opt(t.baseline_share ? std::optional<double>(*t.baseline_share * 100) : std::nullopt)},
                                {"z", opt(t.z, 4)},
                                {"p_value", opt(t.p_value, 6)},
                                {"enough_sample", t.enough_sample},
                                {"flare_up", t.flagged}});
    flagged += t.flagged ? 1 : 0;
  }
  out["flare_ups"] = flagged;
  out["rows"] = std::move(rows);
  return out;
}

Result<json::object> themes_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto rep, reports.themes({r.range, r.workflow, r.segment}));
  out["previous_from"] = day_text(rep.previous.from);
  out["previous_to"] = day_text(rep.previous.to);
  json::array rows;
  for (const auto& t : rep.rows) {
    rows.push_back(json::object{{"segment", t.segment},
                                {"theme", t.theme},
                                {"cases", t.cases},
                                {"detractors", t.detractors},
                                {"arr", opt(std::optional<double>(t.arr))},
                                {"detractor_arr", opt(std::optional<double>(t.detractor_arr))},
                                {"previous_cases", t.previous_cases},
                                {"change", t.change},
                                {"open_cases", t.open_cases}});
  }
  out["rows"] = std::move(rows);
  return out;
}

Result<json::object> ranking_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto ranks, reports.theme_ranking(r.range, r.by_segment, r.workflow));
  out["by"] = r.by_segment ? "segment" : "none";
  json::array rows;
  for (const auto& t : ranks) {
    rows.push_back(json::object{{"segment", segment_or_all(t.segment)},
                                {"rank_by_detractors", t.rank_by_detractors},
                                {"rank_by_arr", t.rank_by_arr},
                                {"theme", t.theme},
                                {"detractors", t.detractors},
                                {"arr_at_stake", opt(std::optional<double>(t.detractor_arr))},
                                {"open_detractors", t.open_detractors},
                                {"open_arr_at_stake", opt(std::optional<double>(t.open_detractor_arr))}});
  }
  out["rows"] = std::move(rows);
  return out;
}

Result<json::object> timing_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto rep, reports.timing({r.range, r.workflow, r.by_segment}));
  out["workflow"] = rep.workflow;
  out["by"] = r.by_segment ? "segment" : "none";
  json::array rows;
  for (const auto& t : rep.rows) {
    json::object o{{"segment", segment_or_all(t.segment)}, {"opened", t.opened}};
    put_duration(o, "first_contact", t.first_contact);
    o["not_contacted"] = t.not_contacted;
    put_duration(o, "close", t.close);
    o["open"] = t.open;
    rows.push_back(std::move(o));
  }
  out["rows"] = std::move(rows);
  return out;
}

Result<json::object> scorecard_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto rep, reports.scorecard({r.range, r.workflow}));
  out["workflow"] = r.workflow ? json::value(*r.workflow) : json::value(nullptr);
  json::array steps;
  for (const auto& s : rep.step_names) steps.push_back(json::string(s));
  out["steps"] = std::move(steps);
  json::object overall;
  put_counts(overall, rep.overall);
  out["overall"] = std::move(overall);
  json::array rows;
  auto emit = [&](const char* group, const std::vector<ScoreLine>& lines) {
    for (const auto& line : lines) {
      json::object all{{"group", group}, {"key", line.key}, {"step", "all"}};
      put_counts(all, line.total);
      rows.push_back(std::move(all));
      if (std::string(group) == "step") continue;  // a step's own line is its total
      for (const auto& [step, counts] : line.steps) {
        json::object o{{"group", group}, {"key", line.key}, {"step", step}};
        put_counts(o, counts);
        rows.push_back(std::move(o));
      }
    }
  };
  emit("step", rep.steps);
  emit("owner", rep.owners);
  emit("team", rep.teams);
  out["rows"] = std::move(rows);
  return out;
}

Result<json::object> saturation_json(const ReportRequest& r, Reports& reports, json::object out) {
  TA_ASSIGN_OR_RETURN(auto rep, reports.saturation({r.range, r.limit}));
  out["limit"] = r.limit;
  out["calls"] = rep.calls;
  out["distinct_themes"] = rep.saturation.curve.empty() ? 0 : rep.saturation.curve.back().distinct;
  out["last_new_theme_at_call"] = rep.saturation.last_new_at;
  json::array rows;
  for (std::size_t i = 0; i < rep.saturation.curve.size(); ++i) {
    const auto& p = rep.saturation.curve[i];
    rows.push_back(json::object{{"call", p.call},
                                {"case_id", rep.case_ids[i].value},
                                {"new_themes", p.new_themes},
                                {"distinct_themes", p.distinct}});
  }
  out["rows"] = std::move(rows);
  return out;
}

}  // namespace

const std::vector<std::string>& report_kinds() {
  static const std::vector<std::string> k = {"nps",    "detractors", "themes",    "ranking",
                                             "timing", "scorecard",  "saturation"};
  return k;
}

std::vector<std::string> report_parameters(std::string_view kind) {
  auto it = kind_params().find(kind);
  return it == kind_params().end() ? std::vector<std::string>{} : it->second;
}

Result<ReportRequest> parse_report_request(std::string_view kind, const ReportParams& params,
                                           const Reports& reports,
                                           const CompanyConfig& company, Instant now) {
  auto known = kind_params().find(kind);
  if (known == kind_params().end()) {
    std::string list;
    for (const auto& k : report_kinds()) list += (list.empty() ? "" : ", ") + k;
    return not_found("no report '" + std::string(kind) + "'; reports: " + list);
  }
  ReportRequest r;
  r.kind = std::string(kind);
  std::vector<std::string> unknown;
  for (const auto& [name, value] : params) {
    if (std::find(known->second.begin(), known->second.end(), name) == known->second.end()) {
      unknown.push_back(name);
    }
  }
  if (!unknown.empty()) {
    std::string list, allowed;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    for (const auto& a : known->second) allowed += (allowed.empty() ? "" : ", ") + a;
    return invalid_argument("report " + r.kind + " does not take: " + list + " (it takes: " +
                                allowed + ")",
                            unknown);
  }
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  };
  if (auto p = get("period")) {
    auto parsed = parse_period(*p);
    if (!parsed) return bad("period", "'" + *p + "' is not one of: day, week, month, quarter");
    r.period = *parsed;
  }
  if (auto b = get("by")) {
    if (*b != "segment" && *b != "none") return bad("by", "'" + *b + "' is not segment or none");
    r.by_segment = *b == "segment";
  }
  if (auto w = get("weighted")) {
    TA_ASSIGN_OR_RETURN(r.weighted, parse_bool("weighted", *w));
  }
  if (auto b = get("baseline")) {
    TA_ASSIGN_OR_RETURN(auto v, parse_int("baseline", *b, 1, 24));
    r.flare_up.baseline_periods = static_cast<int>(v);
  }
  if (auto a = get("alpha")) {
    char* end = nullptr;
    const double v = std::strtod(a->c_str(), &end);
    if (a->empty() || end != a->c_str() + a->size() || !(v > 0 && v < 0.5)) {
      return bad("alpha", "'" + *a + "' is not a significance level between 0 and 0.5");
    }
    r.flare_up.alpha = v;
  }
  if (auto m = get("min_sample")) {
    TA_ASSIGN_OR_RETURN(auto v, parse_int("min_sample", *m, 1, 1000000));
    r.flare_up.min_period_responses = v;
    r.flare_up.min_baseline_responses = v;
  }
  if (auto l = get("limit")) {
    TA_ASSIGN_OR_RETURN(r.limit, parse_int("limit", *l, 0, 1000000));
  }
  if (auto w = get("workflow")) {
    if (w->empty()) return bad("workflow", "empty");
    r.workflow = *w;
  }
  if (auto s = get("segment")) {
    if (!company.known_segment(*s)) return bad("segment", "'" + *s + "' is not a configured segment");
    r.segment = *s;
  }
  // The range: `period` sizes the default (12 periods, months unless given).
  const DayRange def = reports.recent(r.period, 11, now);
  r.range = def;
  if (auto t = get("to")) {
    TA_ASSIGN_OR_RETURN(r.range.to, parse_day("to", *t, reports));
    if (!get("from")) {
      r.range.from = reports.recent(r.period, 11, reports.day_start(r.range.to - 1)).from;
    }
  }
  if (auto f = get("from")) {
    TA_ASSIGN_OR_RETURN(r.range.from, parse_day("from", *f, reports));
  }
  if (r.range.empty()) {
    return invalid_argument("from: must be before to (to is exclusive)", {"from", "to"});
  }
  if (r.range.to - r.range.from > 366 * 20) {
    return invalid_argument("the range spans more than 20 years", {"from", "to"});
  }
  return r;
}

Result<json::object> run_report(const ReportRequest& r, Reports& reports,
                                const CompanyConfig& company) {
  json::object out = header(r, company);
  if (r.kind == "nps") return nps_json(r, reports, std::move(out));
  if (r.kind == "detractors") return detractors_json(r, reports, std::move(out));
  if (r.kind == "themes") return themes_json(r, reports, std::move(out));
  if (r.kind == "ranking") return ranking_json(r, reports, std::move(out));
  if (r.kind == "timing") return timing_json(r, reports, std::move(out));
  if (r.kind == "scorecard") return scorecard_json(r, reports, std::move(out));
  if (r.kind == "saturation") return saturation_json(r, reports, std::move(out));
  return not_found("no report '" + r.kind + "'");
}

std::vector<std::string> report_columns(const ReportRequest& r) {
  if (r.kind == "nps") {
    std::vector<std::string> c = {"period", "segment", "responses", "promoters", "passives",
                                  "detractors", "promoter_pct", "passive_pct", "detractor_pct", "nps"};
    if (r.weighted) {
      c.insert(c.end(), {"arr", "weighted_promoter_pct", "weighted_detractor_pct", "weighted_nps"});
    }
    return c;
  }
  if (r.kind == "detractors") {
    return {"period", "segment", "responses", "detractors", "share_pct", "baseline_share_pct",
            "baseline_responses", "z", "p_value", "flare_up"};
  }
  if (r.kind == "themes") {
    return {"segment", "theme", "cases", "detractors", "detractor_arr", "previous_cases", "change",
            "open_cases"};
  }
  if (r.kind == "ranking") {
    return {"segment", "rank_by_detractors", "rank_by_arr", "theme", "detractors", "arr_at_stake",
            "open_detractors", "open_arr_at_stake"};
  }
  if (r.kind == "timing") {
    return {"segment", "opened", "first_contact_count", "first_contact_median_s",
            "first_contact_p90_s", "not_contacted", "close_count", "close_median_s", "close_p90_s",
            "open"};
  }
  if (r.kind == "scorecard") {
    return {"group", "key", "step", "met", "missed", "pending", "cancelled", "on_time_rate"};
  }
  if (r.kind == "saturation") return {"call", "case_id", "new_themes", "distinct_themes"};
  return {};
}

}  // namespace turnaround::api

#include "storage/agenda_codec.h"

#include <boost/json.hpp>

namespace turnaround::storage {

namespace json = boost::json;

namespace {

// --- Encoding.

json::value instant(Instant t) { return json::value(format_instant(t)); }
json::value instant(const std::optional<Instant>& t) {
  return t ? instant(*t) : json::value(nullptr);
}

json::object lost_json(const LostCustomer& l) {
  json::object o;
  o["customer_id"] = l.customer_id.value;
  o["name"] = l.name;
  o["segment"] = l.segment;
  o["arr"] = l.arr;
  o["reason"] = l.reason;
  o["lost_at"] = instant(l.lost_at);
  o["case_id"] = l.case_id.valid() ? json::value(l.case_id.value) : json::value(nullptr);
  o["case_state"] = l.case_state;
  return o;
}

json::array lost_list(const std::vector<LostCustomer>& list) {
  json::array a;
  for (const auto& l : list) a.push_back(lost_json(l));
  return a;
}

json::object case_json(const CaseDigest& c) {
  json::object o;
  o["id"] = c.id.value;
  o["workflow"] = c.workflow;
  o["state"] = c.state;
  o["owner"] = c.owner.value;
  o["customer_id"] = c.customer_id.value;
  o["customer_name"] = c.customer_name;
  o["segment"] = c.segment;
  o["arr"] = c.arr;
  o["opened_at"] = instant(c.opened_at);
  o["closed_at"] = instant(c.closed_at);
  o["overdue"] = c.overdue;
  return o;
}

json::object list_json(const CaseList& l) {
  json::object o;
  o["total"] = l.total;
  o["truncated"] = l.truncated();
  json::array cases;
  for (const auto& c : l.cases) cases.push_back(case_json(c));
  o["cases"] = std::move(cases);
  return o;
}

json::value opt_number(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object counts_json(const OnTimeCounts& c) {
  return json::object{{"met", c.met},           {"missed", c.missed},
                      {"pending", c.pending},   {"cancelled", c.cancelled},
                      {"rate", opt_number(c.rate())}};
}

std::string local_date(std::int32_t day) {
  return date::format("%F", date::sys_days(date::days(day)));
}

void analytics_json(json::object& o, const AgendaAnalytics& x) {
  o["analytics_days"] = json::object{{"from", local_date(x.from_day)}, {"to", local_date(x.to_day)}};
  json::array steps, owners;
  for (const auto& l : x.on_time_steps) {
    json::object e = counts_json(l.counts);
    e["step"] = l.key;
    steps.push_back(std::move(e));
  }
  for (const auto& l : x.on_time_owners) {
    json::object e = counts_json(l.counts);
    e["owner"] = l.key;
    json::array per;
    for (const auto& [step, c] : l.steps) {
      json::object s = counts_json(c);
      s["step"] = step;
      per.push_back(std::move(s));
    }
    e["steps"] = std::move(per);
    owners.push_back(std::move(e));
  }
  o["on_time"] = json::object{
      {"overall", counts_json(x.on_time_overall)}, {"steps", std::move(steps)}, {"by_owner", std::move(owners)}};
  json::array themes;
  for (const auto& t : x.top_themes) {
    themes.push_back(json::object{{"segment", t.segment},
                                  {"theme", t.theme},
                                  {"cases", t.cases},
                                  {"detractors", t.detractors},
                                  {"arr", t.arr},
                                  {"previous_cases", t.previous_cases},
                                  {"change", t.change}});
  }
  o["themes"] = json::object{{"per_segment", x.themes_per_segment}, {"top", std::move(themes)}};
  json::array flare;
  for (const auto& f : x.flare_ups) {
    flare.push_back(json::object{{"period", f.period},
                                 {"segment", f.segment},
                                 {"detractors", f.test.detractors},
                                 {"responses", f.test.responses},
                                 {"share", opt_number(f.test.share)},
                                 {"baseline_detractors", f.test.baseline_detractors},
                                 {"baseline_responses", f.test.baseline_responses},
                                 {"baseline_share", opt_number(f.test.baseline_share)},
                                 {"z", opt_number(f.test.z)},
                                 {"p_value", opt_number(f.test.p_value)}});
  }
  o["flare_ups"] = json::object{{"test", x.flare_up_test}, {"rows", std::move(flare)}};
}

json::object to_json(const Agenda& a) {
  json::object o;
  o["month"] = a.month;
  o["zone"] = a.zone;
  o["starts_at"] = instant(a.starts_at);
  o["local"] = a.local;
  o["agenda_cutoff"] = instant(a.cutoff_at);
  o["period"] = json::object{{"from", instant(a.period_from)}, {"to", instant(a.period_to)}};
  o["as_of"] = instant(a.as_of);
  o["frozen"] = a.frozen;
  o["frozen_at"] = instant(a.frozen_at);

  json::array segments;
  for (const auto& s : a.losses_by_segment) {
    json::array reasons;
    for (const auto& [reason, n] : s.reasons) reasons.push_back(json::object{{"reason", reason}, {"count", n}});
    segments.push_back(json::object{{"segment", s.segment},
                                    {"customers", s.customers},
                                    {"arr", s.arr},
                                    {"reasons", std::move(reasons)},
                                    {"lost", lost_list(s.lost)}});
  }
  o["lost_customers"] = json::object{
      {"count", a.lost_customers}, {"arr", a.lost_arr}, {"by_segment", std::move(segments)}};
  o["callback_sample"] =
      json::object{{"size", a.sample_size}, {"customers", lost_list(a.callback_sample)}};
  o["loss_cases"] = list_json(a.loss_cases);

  json::array states;
  for (const auto& s : a.detractors_open_by_state) {
    states.push_back(json::object{{"state", s.state}, {"open", s.open}, {"overdue", s.overdue}});
  }
  o["detractor_cases"] = json::object{{"opened", list_json(a.detractors_opened)},
                                      {"closed", list_json(a.detractors_closed)},
                                      {"open_by_state", std::move(states)}};
  json::object overdue = list_json(a.overdue);
  json::array owners;
  for (const auto& oc : a.overdue_by_owner) {
    owners.push_back(json::object{{"owner", oc.owner.value}, {"count", oc.count}});
  }
  overdue["by_owner"] = std::move(owners);
  o["overdue"] = std::move(overdue);
  json::value progress = nullptr;
  if (a.outreach_target > 0) {
    progress = static_cast<double>(a.outreach_contacted) / static_cast<double>(a.outreach_target);
  }
  o["outreach"] = json::object{
      {"target", a.outreach_target}, {"contacted", a.outreach_contacted}, {"progress", progress}};
  analytics_json(o, a.analytics);
  json::array issues;
  for (const AgendaIssue& i : a.top_issues) {
    issues.push_back(json::object{{"id", i.id.value},
                                  {"theme", i.theme},
                                  {"segment", i.segment},
                                  {"title", i.title},
                                  {"state", i.state},
                                  {"owner", i.owner.value},
                                  {"overdue", i.overdue},
                                  {"linked_open", i.linked_open},
                                  {"linked_closed", i.linked_closed},
                                  {"linked_arr", i.linked_arr},
                                  {"share_before", opt_number(i.share_before)},
                                  {"share_after", opt_number(i.share_after)},
                                  {"fell", i.fell ? json::value(*i.fell) : json::value(nullptr)}});
  }
  o["top_issues"] = std::move(issues);
  return o;
}

void pretty_print(std::string& out, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += inner + json::serialize(json::value(kv.key())) + ": ";
      pretty_print(out, kv.value(), indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& e : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += inner;
      pretty_print(out, e, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

// --- Decoding: a reader that turns any shape error into one status.

struct Corrupt {};

const json::value& field(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) throw Corrupt{};
  return it->value();
}
const json::object& obj(const json::value& v) {
  if (!v.is_object()) throw Corrupt{};
  return v.get_object();
}
const json::array& arr(const json::value& v) {
  if (!v.is_array()) throw Corrupt{};
  return v.get_array();
}
std::string str(const json::object& o, const char* key) {
  const auto& v = field(o, key);
  if (!v.is_string()) throw Corrupt{};
  return std::string(v.get_string());
}
std::int64_t integer(const json::object& o, const char* key) {
  const auto& v = field(o, key);
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  throw Corrupt{};
}
double number(const json::object& o, const char* key) {
  const auto& v = field(o, key);
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  throw Corrupt{};
}
bool boolean(const json::object& o, const char* key) {
  const auto& v = field(o, key);
  if (!v.is_bool()) throw Corrupt{};
  return v.get_bool();
}
Instant inst(const json::object& o, const char* key) {
  auto t = parse_instant(str(o, key));
  if (!t.ok()) throw Corrupt{};
  return *t;
}
std::optional<Instant> opt_inst(const json::object& o, const char* key) {
  if (field(o, key).is_null()) return std::nullopt;
  return inst(o, key);
}

LostCustomer lost_from(const json::value& v) {
  const auto& o = obj(v);
  LostCustomer l;
  l.customer_id = CustomerId(str(o, "customer_id"));
  l.name = str(o, "name");
  l.segment = str(o, "segment");
  l.arr = number(o, "arr");
  l.reason = str(o, "reason");
  l.lost_at = inst(o, "lost_at");
  if (!field(o, "case_id").is_null()) l.case_id = CaseId(integer(o, "case_id"));
  l.case_state = str(o, "case_state");
  return l;
}

std::vector<LostCustomer> lost_list_from(const json::value& v) {
  std::vector<LostCustomer> out;
  for (const auto& e : arr(v)) out.push_back(lost_from(e));
  return out;
}

CaseList list_from(const json::value& v) {
  const auto& o = obj(v);
  CaseList l;
  l.total = integer(o, "total");
  for (const auto& e : arr(field(o, "cases"))) {
    const auto& c = obj(e);
    CaseDigest d;
    d.id = CaseId(integer(c, "id"));
    d.workflow = str(c, "workflow");
    d.state = str(c, "state");
    d.owner = PersonId(str(c, "owner"));
    d.customer_id = CustomerId(str(c, "customer_id"));
    d.customer_name = str(c, "customer_name");
    d.segment = str(c, "segment");
    d.arr = number(c, "arr");
    d.opened_at = inst(c, "opened_at");
    d.closed_at = opt_inst(c, "closed_at");
    d.overdue = boolean(c, "overdue");
    l.cases.push_back(std::move(d));
  }
  return l;
}

std::optional<double> opt_num(const json::object& o, const char* key) {
  if (field(o, key).is_null()) return std::nullopt;
  return number(o, key);
}

OnTimeCounts counts_from(const json::object& o) {
  OnTimeCounts c;
  c.met = integer(o, "met");
  c.missed = integer(o, "missed");
  c.pending = integer(o, "pending");
  c.cancelled = integer(o, "cancelled");
  return c;
}

std::int32_t day_from(const json::object& o, const char* key) {
  auto t = parse_instant(str(o, key) + "T00:00:00Z");
  if (!t.ok()) throw Corrupt{};
  return static_cast<std::int32_t>(date::floor<date::days>(*t).time_since_epoch().count());
}

AgendaAnalytics analytics_from(const json::object& o) {
  AgendaAnalytics x;
  const auto& days = obj(field(o, "analytics_days"));
  x.from_day = day_from(days, "from");
  x.to_day = day_from(days, "to");
  const auto& on_time = obj(field(o, "on_time"));
  x.on_time_overall = counts_from(obj(field(on_time, "overall")));
  for (const auto& e : arr(field(on_time, "steps"))) {
    x.on_time_steps.push_back({str(obj(e), "step"), counts_from(obj(e)), {}});
  }
  for (const auto& e : arr(field(on_time, "by_owner"))) {
    OnTimeLine l{str(obj(e), "owner"), counts_from(obj(e)), {}};
    for (const auto& s : arr(field(obj(e), "steps"))) l.steps.emplace_back(str(obj(s), "step"), counts_from(obj(s)));
    x.on_time_owners.push_back(std::move(l));
  }
  const auto& themes = obj(field(o, "themes"));
  x.themes_per_segment = static_cast<int>(integer(themes, "per_segment"));
  for (const auto& e : arr(field(themes, "top"))) {
    const auto& t = obj(e);
    x.top_themes.push_back({str(t, "segment"), str(t, "theme"), integer(t, "cases"),
                            integer(t, "detractors"), number(t, "arr"), integer(t, "previous_cases"),
                            integer(t, "change")});
  }
  const auto& flare = obj(field(o, "flare_ups"));
  x.flare_up_test = str(flare, "test");
  for (const auto& e : arr(field(flare, "rows"))) {
    const auto& f = obj(e);
    AgendaFlareUp r{str(f, "period"), str(f, "segment"), {}};
    r.test.detractors = integer(f, "detractors");
    r.test.responses = integer(f, "responses");
    r.test.share = opt_num(f, "share");
    r.test.baseline_detractors = integer(f, "baseline_detractors");
    r.test.baseline_responses = integer(f, "baseline_responses");
    r.test.baseline_share = opt_num(f, "baseline_share");
    r.test.z = opt_num(f, "z");
    r.test.p_value = opt_num(f, "p_value");
    r.test.enough_sample = true;
    r.test.flagged = true;
    x.flare_ups.push_back(std::move(r));
  }
  return x;
}

Agenda from_json(const json::object& o) {
  Agenda a;
  a.month = str(o, "month");
  a.zone = str(o, "zone");
  a.starts_at = inst(o, "starts_at");
  a.local = str(o, "local");
  a.cutoff_at = inst(o, "agenda_cutoff");
  const auto& period = obj(field(o, "period"));
  a.period_from = inst(period, "from");
  a.period_to = inst(period, "to");
  a.as_of = inst(o, "as_of");
  a.frozen = boolean(o, "frozen");
  a.frozen_at = opt_inst(o, "frozen_at");
  const auto& lost = obj(field(o, "lost_customers"));
  a.lost_customers = integer(lost, "count");
  a.lost_arr = number(lost, "arr");
  for (const auto& e : arr(field(lost, "by_segment"))) {
    const auto& s = obj(e);
    SegmentLosses sl;
    sl.segment = str(s, "segment");
    sl.customers = integer(s, "customers");
    sl.arr = number(s, "arr");
    for (const auto& r : arr(field(s, "reasons"))) {
      sl.reasons.emplace_back(str(obj(r), "reason"), integer(obj(r), "count"));
    }
    sl.lost = lost_list_from(field(s, "lost"));
    a.losses_by_segment.push_back(std::move(sl));
  }
  const auto& sample = obj(field(o, "callback_sample"));
  a.sample_size = static_cast<int>(integer(sample, "size"));
  a.callback_sample = lost_list_from(field(sample, "customers"));
  a.loss_cases = list_from(field(o, "loss_cases"));
  const auto& det = obj(field(o, "detractor_cases"));
  a.detractors_opened = list_from(field(det, "opened"));
  a.detractors_closed = list_from(field(det, "closed"));
  for (const auto& e : arr(field(det, "open_by_state"))) {
    const auto& s = obj(e);
    a.detractors_open_by_state.push_back({str(s, "state"), integer(s, "open"), integer(s, "overdue")});
  }
  a.overdue = list_from(field(o, "overdue"));
  for (const auto& e : arr(field(obj(field(o, "overdue")), "by_owner"))) {
    a.overdue_by_owner.push_back({PersonId(str(obj(e), "owner")), integer(obj(e), "count")});
  }
  const auto& outreach = obj(field(o, "outreach"));
  a.outreach_target = integer(outreach, "target");
  a.outreach_contacted = integer(outreach, "contacted");
  a.analytics = analytics_from(o);
  if (const json::value* issues = o.if_contains("top_issues")) {  // absent before it existed
    for (const auto& e : arr(*issues)) {
      const auto& i = obj(e);
      AgendaIssue x;
      x.id = CaseId(integer(i, "id"));
      x.theme = str(i, "theme");
      x.segment = str(i, "segment");
      x.title = str(i, "title");
      x.state = str(i, "state");
      x.owner = PersonId(str(i, "owner"));
      x.overdue = boolean(i, "overdue");
      x.linked_open = integer(i, "linked_open");
      x.linked_closed = integer(i, "linked_closed");
      x.linked_arr = number(i, "linked_arr");
      x.share_before = opt_num(i, "share_before");
      x.share_after = opt_num(i, "share_after");
      const json::value& fell = field(i, "fell");
      if (!fell.is_null()) x.fell = fell.is_bool() ? fell.get_bool() : throw Corrupt{};
      a.top_issues.push_back(std::move(x));
    }
  }
  return a;
}

}  // namespace

std::string encode_agenda(const Agenda& a, bool pretty) {
  json::value v = to_json(a);
  if (!pretty) return json::serialize(v);
  std::string out;
  pretty_print(out, v, 0);
  out += "\n";
  return out;
}

Result<Agenda> decode_agenda(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object()) return internal_error("corrupt agenda column: not a JSON object");
  try {
    return from_json(v.get_object());
  } catch (const Corrupt&) {
    return internal_error("corrupt agenda column: unexpected shape");
  }
}

}  // namespace turnaround::storage

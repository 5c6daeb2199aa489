#include "api/codec/case_json.h"

#include <boost/json.hpp>

namespace turnaround::api {

namespace json = boost::json;

json::value value_to_json(const Value& v, json::storage_ptr sp) {
  if (v.is_null()) return json::value(nullptr, sp);
  if (v.is_bool()) return json::value(v.as_bool(), sp);
  if (v.is_number()) {
    double d = v.as_number();
    if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -1e15 && d < 1e15) {
      return json::value(static_cast<std::int64_t>(d), sp);
    }
    return json::value(d, sp);
  }
  if (v.is_text()) return json::value(v.as_text(), sp);
  json::array a(sp);
  a.reserve(v.as_list().size());
  for (const auto& s : v.as_list()) a.emplace_back(s);
  return a;
}

Result<Value> value_from_json(const FieldDef& field, const json::value& v) {
  const std::string& name = field.name;
  if (v.is_null()) return Value();
  auto wrong = [&](const char* expected) {
    return invalid_argument(name + " must be " + expected, {name});
  };
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kPerson:
    case FieldType::kTheme:
      if (!v.is_string()) return wrong("a string");
      return Value(std::string(v.get_string()));
    case FieldType::kNumber:
      if (v.is_int64()) return Value(static_cast<double>(v.get_int64()));
      if (v.is_uint64()) return Value(static_cast<double>(v.get_uint64()));
      if (v.is_double()) return Value(v.get_double());
      return wrong("a number");
    case FieldType::kBoolean:
      if (!v.is_bool()) return wrong("true or false");
      return Value(v.get_bool());
    case FieldType::kThemes: {
      if (!v.is_array()) return wrong("a list of themes");
      Value::List items;
      for (const auto& item : v.get_array()) {
        if (!item.is_string()) return wrong("a list of strings");
        items.emplace_back(item.get_string());
      }
      return Value(items);
    }
  }
  return wrong("a known type");
}

namespace {
json::value opt_instant(const std::optional<Instant>& t, const json::storage_ptr& sp) {
  if (!t) return json::value(nullptr, sp);
  return json::value(format_instant(*t), sp);
}
json::value text_or_null(const std::string& s, const json::storage_ptr& sp) {
  if (s.empty()) return json::value(nullptr, sp);
  return json::value(s, sp);
}
json::object fields_to_json(const FieldValues& fields, const json::storage_ptr& sp) {
  json::object o(sp);
  o.reserve(fields.size());
  for (const auto& [k, v] : fields) o.emplace(k, value_to_json(v, sp));
  return o;
}
}  // namespace

json::object case_to_json(const Case& c, Instant now, bool with_history, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(24);
  o["id"] = c.id.value;
  o["workflow"] = c.workflow;
  o["workflow_version"] = c.workflow_version;
  o["state"] = c.state;
  o["owner"] = text_or_null(c.owner.value, sp);
  o["queue"] = text_or_null(c.queue, sp);
  o["priority"] = priority_name(c.priority);
  o["customer_id"] = c.customer_id.value;
  o["customer_name"] = c.customer_name;
  o["segment"] = c.segment;
  o["arr"] = value_to_json(Value(c.arr), sp);
  o["score"] = c.score ? json::value(*c.score) : json::value(nullptr);
  json::array responses(sp);
  responses.reserve(c.responses.size());
  for (const auto& r : c.responses) responses.emplace_back(r.value);
  o["responses"] = std::move(responses);
  o["responded_at"] = opt_instant(c.responded_at, sp);
  o["opened_at"] = format_instant(c.opened_at);
  o["state_entered_at"] = format_instant(c.state_entered_at);
  o["closed_at"] = opt_instant(c.closed_at, sp);
  o["version"] = c.version;
  o["overdue"] = c.overdue(now);
  o["data"] = fields_to_json(c.data, sp);
  json::array deadlines(sp);
  deadlines.reserve(c.deadlines.size());
  for (const auto& d : c.deadlines) {
    json::object jd(sp);
    jd.reserve(6);
    jd["name"] = d.name;
    jd["state"] = d.state;
    jd["due_at"] = format_instant(d.due_at);
    jd["status"] = deadline_status_name(d.status);
    jd["paused"] = d.paused_at.has_value();
    jd["resolved_at"] = opt_instant(d.resolved_at, sp);
    deadlines.emplace_back(std::move(jd));
  }
  o["deadlines"] = std::move(deadlines);
  if (with_history) {
    json::array history(sp);
    history.reserve(c.history.size());
    for (const auto& h : c.history) {
      json::object jh(sp);
      jh.reserve(7);
      jh["at"] = format_instant(h.at);
      jh["event"] = h.event;
      jh["from"] = text_or_null(h.from, sp);
      jh["to"] = h.to;
      jh["by"] = h.by;
      if (auto it = h.data.find("deadline"); it != h.data.end()) jh["deadline"] = value_to_json(it->second, sp);
      jh["data"] = fields_to_json(h.data, sp);
      history.emplace_back(std::move(jh));
    }
    o["history"] = std::move(history);
  }
  return o;
}

json::object person_to_json(const Person& p) {
  json::object o;
  o["id"] = p.id.value;
  o["name"] = p.name;
  json::array roles;
  for (Role r : p.roles) roles.emplace_back(role_name(r));
  o["roles"] = std::move(roles);
  json::array teams;
  for (const auto& t : p.teams) teams.emplace_back(json::string(t));
  o["teams"] = std::move(teams);
  o["capacity"] = p.capacity;
  o["active"] = p.active;
  return o;
}

namespace {
void pretty_print(std::string& out, const json::value& v, int indent) {
  auto pad = [&](int n) { out.append(static_cast<std::size_t>(n) * 2, ' '); };
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) { out += "{}"; return; }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& kv : o) {
      pad(indent + 1);
      out += json::serialize(json::string(kv.key()));
      out += ": ";
      pretty_print(out, kv.value(), indent + 1);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    pad(indent);
    out += "}";
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) { out += "[]"; return; }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      pad(indent + 1);
      pretty_print(out, a[i], indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    pad(indent);
    out += "]";
  } else {
    out += json::serialize(v);
  }
}
}  // namespace

std::string to_json_text(const json::value& v, bool pretty) {
  std::string out;
  if (pretty) pretty_print(out, v, 0);
  else out = json::serialize(v);
  out += "\n";
  return out;
}

}  // namespace turnaround::api

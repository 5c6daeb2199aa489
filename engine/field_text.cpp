#include "engine/field_text.h"

#include <cmath>
#include <string>

namespace turnaround {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

Result<Value> parse_field_text(const FieldDef& field, std::string_view text) {
  const std::string name = field.name;
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kPerson:
    case FieldType::kTheme:
      if (text.empty()) return Value();
      return Value(std::string(text));
    case FieldType::kNumber: {
      std::string t(trim(text));
      try {
        std::size_t used = 0;
        double d = std::stod(t, &used);
        if (used == t.size() && std::isfinite(d)) return Value(d);
      } catch (const std::exception&) {
      }
      return invalid_argument(name + ": '" + std::string(text) + "' is not a number", {name});
    }
    case FieldType::kBoolean: {
      std::string_view t = trim(text);
      if (t == "true" || t == "yes") return Value(true);
      if (t == "false" || t == "no") return Value(false);
      return invalid_argument(name + ": '" + std::string(text) + "' is not true or false", {name});
    }
    case FieldType::kThemes: {
      Value::List items;
      std::string_view rest = text;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return Value(items);
    }
  }
  return invalid_argument(name + ": unsupported type", {name});
}

Status parse_assignment(const WorkflowDefinition& wf, std::string_view assignment,
                        FieldValues& out) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return invalid_argument("--set needs FIELD=VALUE, not '" + std::string(assignment) + "'");
  }
  std::string name(assignment.substr(0, eq));
  const FieldDef* f = wf.field(name);
  if (!f) {
    std::string known;
    for (const auto& fd : wf.fields) known += (known.empty() ? "" : ", ") + fd.name;
    return invalid_argument("unknown field '" + name + "' (workflow " + wf.name +
                                " has: " + known + ")",
                            {name});
  }
  TA_ASSIGN_OR_RETURN(Value v, parse_field_text(*f, assignment.substr(eq + 1)));
  out[name] = std::move(v);
  return Status();
}

}  // namespace turnaround

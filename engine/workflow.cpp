#include "engine/workflow.h"

#include <set>

namespace turnaround {

const char* field_type_name(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kNumber: return "number";
    case FieldType::kBoolean: return "boolean";
    case FieldType::kTheme: return "theme";
    case FieldType::kThemes: return "themes";
    case FieldType::kPerson: return "person";
  }
  return "?";
}

const char* misfire_policy_name(MisfirePolicy p) {
  switch (p) {
    case MisfirePolicy::kFireOnce: return "fire_once";
    case MisfirePolicy::kFireAll: return "fire_all";
    case MisfirePolicy::kSkip: return "skip";
  }
  return "?";
}

const char* workflow_subject_name(WorkflowSubject s) {
  switch (s) {
    case WorkflowSubject::kCustomer: return "customer";
    case WorkflowSubject::kTheme: return "theme";
  }
  return "?";
}

const StateDef* WorkflowDefinition::state(std::string_view n) const {
  for (const auto& s : states) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

const FieldDef* WorkflowDefinition::field(std::string_view n) const {
  for (const auto& f : fields) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

std::vector<const TransitionDef*> WorkflowDefinition::transitions(std::string_view st,
                                                                  std::string_view event) const {
  std::vector<const TransitionDef*> out;
  if (const StateDef* s = state(st)) {
    for (const auto& t : s->transitions) {
      if (t.event == event) out.push_back(&t);
    }
  }
  return out;
}

const DeadlineDef* WorkflowDefinition::deadline(std::string_view n) const {
  for (const auto& s : states) {
    for (const auto& d : s.deadlines) {
      if (d.name == n) return &d;
    }
  }
  return nullptr;
}

std::vector<std::string> WorkflowDefinition::theme_fields() const {
  std::vector<std::string> out;
  for (const auto& f : fields) {
    if (f.type == FieldType::kTheme || f.type == FieldType::kThemes) out.push_back(f.name);
  }
  return out;
}

std::vector<std::string> WorkflowDefinition::first_contact_events() const {
  std::set<std::string> events;
  for (const auto& s : states) {
    for (const auto& t : s.transitions) {
      if (t.first_contact) events.insert(t.event);
    }
  }
  return {events.begin(), events.end()};
}

std::vector<std::string> WorkflowDefinition::themes_of(const FieldValues& data) const {
  std::set<std::string> found;
  for (const auto& f : fields) {
    if (f.type != FieldType::kTheme && f.type != FieldType::kThemes) continue;
    auto it = data.find(f.name);
    if (it == data.end()) continue;
    if (it->second.is_text() && !it->second.as_text().empty()) found.insert(it->second.as_text());
    if (it->second.is_list()) {
      for (const auto& t : it->second.as_list()) {
        if (!t.empty()) found.insert(t);
      }
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace turnaround

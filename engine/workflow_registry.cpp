#include "engine/workflow_registry.h"

#include "engine/workflow_loader.h"

namespace turnaround {

Result<WorkflowRegistry> WorkflowRegistry::from_stored(const std::vector<StoredWorkflow>& stored) {
  WorkflowRegistry reg;
  for (const auto& s : stored) {
    Diagnostics diags;
    auto wf = load_workflow(s.source, s.file, diags);
    if (!wf) {
      return internal_error("stored workflow " + s.name + " v" + std::to_string(s.version) +
                            " no longer loads: " + diags.to_string());
    }
    wf->version = s.version;
    reg.add(std::move(*wf));
  }
  return reg;
}

void WorkflowRegistry::add(WorkflowDefinition wf) {
  std::string name = wf.name;
  int version = wf.version;
  by_name_[name][version] = std::make_shared<const WorkflowDefinition>(std::move(wf));
}

const WorkflowDefinition* WorkflowRegistry::latest(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end() || it->second.empty()) return nullptr;
  return it->second.rbegin()->second.get();
}

const WorkflowDefinition* WorkflowRegistry::get(std::string_view name, int version) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  auto v = it->second.find(version);
  return v == it->second.end() ? nullptr : v->second.get();
}

std::vector<std::string> WorkflowRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : by_name_) out.push_back(name);
  return out;
}

std::vector<const WorkflowDefinition*> WorkflowRegistry::versions(std::string_view name) const {
  std::vector<const WorkflowDefinition*> out;
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return out;
  for (const auto& [version, wf] : it->second) out.push_back(wf.get());
  return out;
}

}  // namespace turnaround

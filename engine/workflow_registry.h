#pragma once
// WorkflowRegistry: every stored version of every workflow, by name. A
// running case keeps the version it started with; new cases use the latest.
//
// Thread-safety: immutable after construction; shared read-only.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"
#include "engine/workflow.h"

namespace turnaround {

class WorkflowRegistry {
 public:
  WorkflowRegistry() = default;

  // Parses every stored version. A stored file that no longer parses is
  // kInternal (it was valid when stored).
  static Result<WorkflowRegistry> from_stored(const std::vector<StoredWorkflow>& stored);

  // Adds a definition (its name and version must be set).
  void add(WorkflowDefinition wf);

  // Null when unknown.
  const WorkflowDefinition* latest(std::string_view name) const;
  const WorkflowDefinition* get(std::string_view name, int version) const;
  std::vector<std::string> names() const;
  // Every version of `name`, oldest first (empty when unknown).
  std::vector<const WorkflowDefinition*> versions(std::string_view name) const;

 private:
  std::map<std::string, std::map<int, std::shared_ptr<const WorkflowDefinition>>, std::less<>>
      by_name_;
};

}  // namespace turnaround

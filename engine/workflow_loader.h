#pragma once
// Loading and validating workflow YAML files (the key tree is described at
// the top of workflow_loader.cpp and, for users, in docs/workflow-reference.md).

#include <memory>
#include <optional>
#include <string>

#include "engine/diagnostics.h"
#include "engine/workflow.h"

namespace turnaround {

// Roles a workflow may name besides the domain roles: the case's owner.
bool is_known_actor_role(std::string_view name);

// Names every guard may use whatever the workflow declares (case attributes,
// derived flags and the actor).
bool is_builtin_guard_name(std::string_view name);

// Parses and validates `text` (the content of `file`). Every problem found is
// added to `diags` as FILE:LINE:COLUMN: message; returns nullopt if there was
// any. The result's version is 0 (the registry numbers versions) and its
// content_hash is computed from `text`.
std::optional<WorkflowDefinition> load_workflow(const std::string& text, const std::string& file,
                                                Diagnostics& diags);

// Reads `path` and loads it; an unreadable file is a diagnostic at line 0.
std::optional<WorkflowDefinition> load_workflow_file(const std::string& path, Diagnostics& diags);

// Stable content hash (FNV-1a 64, hex) used to tell workflow versions apart.
std::string content_hash(const std::string& text);

// Reads a whole file; kNotFound if it cannot be opened.
Result<std::string> read_text_file(const std::string& path);

// The workflow as a Mermaid state diagram (for `validate --graph`).
std::string to_mermaid(const WorkflowDefinition& wf);

}  // namespace turnaround

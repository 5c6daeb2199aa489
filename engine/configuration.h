#pragma once
// Installing and loading the company configuration.
//
// `turnaround init --config DIR` validates DIR/company.yaml and every
// workflow file it names (all errors, FILE:LINE:COLUMN), then stores them in
// the database: the company file's text as a setting, each workflow as a new
// version when its content changed, and the people it lists. Every later
// command loads the configuration from the database, so a running company
// does not depend on files that might have changed under it.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/company_config.h"
#include "engine/diagnostics.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace turnaround {

struct LoadedConfig {
  CompanyConfig company;
  WorkflowRegistry registry;
  // The install it came from: install_configuration counts 1, 2, ... (0: a
  // database installed before the count was kept).
  std::int64_t generation = 0;
};

struct InstalledWorkflow {
  std::string name;
  int version = 0;
  bool is_new = false;  // a new version was stored
};

struct InstallReport {
  std::vector<InstalledWorkflow> workflows;
  int people = 0;
};

// Validates a company file and the workflows it names without touching any
// database. Problems go to `diags`; returns the parsed configuration (with
// workflow versions 0) when there are none.
std::optional<LoadedConfig> validate_configuration(const std::string& company_file,
                                                   Diagnostics& diags);

// Checks that a company configuration and a set of workflows fit together:
// intake rules name existing workflows, states' `assign` name existing rule
// sets. Problems go to `diags`.
void cross_check(const CompanyConfig& company, const std::vector<const WorkflowDefinition*>& wfs,
                 const std::string& company_file, Diagnostics& diags);

// Validates and stores the configuration in one transaction. Nothing is
// written if there is any diagnostic (then the result is kInvalidArgument
// and `diags` says why).
Result<InstallReport> install_configuration(Store& store, const std::string& company_file,
                                            Instant now, Diagnostics& diags);

// Loads the configuration stored by install_configuration, then
// sync_analytics(). kFailedPrecondition if the database was never
// initialised.
Result<LoadedConfig> load_configuration(Store& store);

// The generation of the stored configuration (LoadedConfig::generation), in
// one read of one setting: a running server compares it with the one it
// loaded to notice a later `turnaround init`.
Result<std::int64_t> stored_configuration_generation(Store& store);

// Brings the store's analytics summaries (engine/report_rows.h) in line
// with the configuration: the company zone's UTC offsets (the store then
// rebuilds its local-day summaries) and, per workflow, the themes and first
// contacts of cases written before their workflow's keys were known
// (Transaction::backfill_case_analytics). A fingerprint of the keys (zone,
// workflow versions) is kept as the setting "analytics.keys", so when
// nothing changed this costs one read; otherwise one write transaction
// (seconds on a million responses). Run by install_configuration and
// load_configuration, so an upgraded database is filled on first use.
Status sync_analytics(Store& store, const LoadedConfig& config);

}  // namespace turnaround

#include "engine/configuration.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "engine/workflow_loader.h"

namespace turnaround {

namespace {
constexpr const char* kCompanySource = "company.source";
constexpr const char* kCompanyFile = "company.file";
// How many times a configuration was installed (LoadedConfig::generation).
constexpr const char* kGeneration = "config.generation";

Result<std::int64_t> read_generation(Transaction& txn) {
  TA_ASSIGN_OR_RETURN(auto text, txn.get_setting(kGeneration));
  if (!text) return std::int64_t{0};
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < 0) {
    return internal_error("setting " + std::string(kGeneration) + " is not a count: '" + *text + "'");
  }
  return n;
}

bool offers_event(const WorkflowDefinition& wf, const std::string& event) {
  for (const auto& s : wf.states) {
    for (const auto& t : s.transitions) {
      if (t.event == event) return true;
    }
  }
  return false;
}

// The loss review's events and notes field, where the company file names
// them (the defaults may be absent: then `review mark` only records the
// review), must exist in the workflows: else every `review mark` failed.
void cross_check_loss_review(const LossReviewConfig& lr,
                             const std::vector<const WorkflowDefinition*>& wfs, Diagnostics& diags) {
  auto offered = [&](const std::string& event) {
    return std::any_of(wfs.begin(), wfs.end(),
                       [&](const WorkflowDefinition* wf) { return offers_event(*wf, event); });
  };
  if (lr.contact_events_at) {
    for (const auto& e : lr.contact_events) {
      if (!offered(e)) {
        diags.error(*lr.contact_events_at,
                    "loss_review contact_events: '" + e + "' is not an event of any workflow");
      }
    }
  }
  if (lr.review_event_at && !offered(lr.review_event)) {
    diags.error(*lr.review_event_at,
                "loss_review review_event '" + lr.review_event + "' is not an event of any workflow");
  }
  if (lr.review_notes_field_at) {
    for (const auto* wf : wfs) {
      if (offers_event(*wf, lr.review_event) && !wf->field(lr.review_notes_field)) {
        diags.error(*lr.review_notes_field_at,
                    "loss_review review_notes_field '" + lr.review_notes_field +
                        "' is not a field of workflow '" + wf->name + "', whose event '" +
                        lr.review_event + "' takes the notes");
      }
    }
  }
}

}  // namespace

void cross_check(const CompanyConfig& company, const std::vector<const WorkflowDefinition*>& wfs,
                 const std::string& company_file, Diagnostics& diags) {
  std::map<std::string, const WorkflowDefinition*> by_name;
  for (const auto* wf : wfs) {
    if (by_name.count(wf->name)) {
      diags.error({wf->file, 1, 1}, "workflow '" + wf->name + "' is named by two files");
    }
    by_name[wf->name] = wf;
  }
  for (const auto& rule : company.intake) {
    auto it = by_name.find(rule.workflow);
    if (it == by_name.end()) {
      diags.error(rule.where, "intake rule opens workflow '" + rule.workflow +
                                  "', which is not among the company's workflows");
    } else if (it->second->subject == WorkflowSubject::kTheme) {
      // Issues are opened by an ops lead from a theme, never by intake.
      diags.error(rule.where, "intake rule opens workflow '" + rule.workflow +
                                  "', whose subject is a theme (an issue workflow); issues are "
                                  "opened with `turnaround issue open`");
    }
  }
  for (const auto* wf : wfs) {
    for (const auto& s : wf->states) {
      if (!s.assign.empty() && !company.assignment.count(s.assign)) {
        diags.error(s.where, "state '" + s.name + "' assigns by rule set '" + s.assign +
                                 "', which " + company_file + " does not define under 'assignment'");
      }
    }
  }
  if (company.loss_review) cross_check_loss_review(*company.loss_review, wfs, diags);
}

std::optional<LoadedConfig> validate_configuration(const std::string& company_file,
                                                   Diagnostics& diags) {
  auto text = read_text_file(company_file);
  if (!text.ok()) {
    diags.error({company_file, 0, 0}, text.status().message());
    return std::nullopt;
  }
  auto company = load_company_config(*text, company_file, diags);
  if (!company) return std::nullopt;
  LoadedConfig out{std::move(*company), {}};
  std::vector<WorkflowDefinition> wfs;
  for (const auto& path : out.company.workflow_files) {
    if (auto wf = load_workflow_file(path, diags)) wfs.push_back(std::move(*wf));
  }
  if (!diags.empty()) return std::nullopt;  // cross-checks would only add knock-on errors
  std::vector<const WorkflowDefinition*> ptrs;
  for (const auto& wf : wfs) ptrs.push_back(&wf);
  cross_check(out.company, ptrs, company_file, diags);
  if (!diags.empty()) return std::nullopt;
  for (auto& wf : wfs) out.registry.add(std::move(wf));
  return out;
}

Result<InstallReport> install_configuration(Store& store, const std::string& company_file,
                                            Instant now, Diagnostics& diags) {
  auto validated = validate_configuration(company_file, diags);
  if (!validated) return invalid_argument("configuration has errors:\n" + diags.to_string());
  TA_ASSIGN_OR_RETURN(auto company_text, read_text_file(company_file));

  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kWrite));
  TA_ASSIGN_OR_RETURN(auto stored, txn->list_workflows());
  InstallReport report;
  for (const auto& path : validated->company.workflow_files) {
    TA_ASSIGN_OR_RETURN(auto source, read_text_file(path));
    std::string hash = content_hash(source);
    std::string name;
    for (const auto& n : validated->registry.names()) {
      if (validated->registry.latest(n)->file == path) name = n;
    }
    const StoredWorkflow* latest = nullptr;
    for (const auto& s : stored) {
      if (s.name == name && (!latest || s.version > latest->version)) latest = &s;
    }
    if (latest && latest->content_hash == hash) {
      report.workflows.push_back({name, latest->version, false});
      continue;
    }
    StoredWorkflow w{name, latest ? latest->version + 1 : 1, hash, source, path, now};
    TA_ASSIGN_OR_RETURN(int version, txn->insert_workflow(w));
    report.workflows.push_back({name, version, true});
  }
  for (const auto& p : validated->company.people) {
    TA_RETURN_IF_ERROR(txn->upsert_person(p));
    ++report.people;
  }
  TA_RETURN_IF_ERROR(txn->put_setting(kCompanySource, company_text));
  TA_RETURN_IF_ERROR(txn->put_setting(kCompanyFile, company_file));
  TA_ASSIGN_OR_RETURN(const std::int64_t generation, read_generation(*txn));
  TA_RETURN_IF_ERROR(txn->put_setting(kGeneration, std::to_string(generation + 1)));
  TA_RETURN_IF_ERROR(txn->commit());
  txn.reset();  // the store runs one transaction at a time
  TA_RETURN_IF_ERROR(load_configuration(store).status());  // syncs the analytics keys
  return report;
}

namespace {

constexpr const char* kAnalyticsKeys = "analytics.keys";

// What the analytics summaries depend on: the zone and every workflow version.
std::string analytics_fingerprint(const LoadedConfig& config) {
  std::string out = "zone=" + config.company.time_zone;
  for (const auto& name : config.registry.names()) {
    const WorkflowDefinition* latest = config.registry.latest(name);
    out += ";" + name + "@" + std::to_string(latest ? latest->version : 0);
  }
  return out;
}

Result<LoadedConfig> load_stored(Store& store) {
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  TA_ASSIGN_OR_RETURN(auto source, txn->get_setting(kCompanySource));
  TA_ASSIGN_OR_RETURN(auto file, txn->get_setting(kCompanyFile));
  if (!source) {
    return failed_precondition(
        "this database has no configuration yet: run `turnaround init --db PATH --config DIR` first");
  }
  Diagnostics diags;
  auto company = load_company_config(*source, file.value_or("company.yaml"), diags);
  if (!company) return internal_error("stored company configuration no longer loads:\n" + diags.to_string());
  TA_ASSIGN_OR_RETURN(auto stored, txn->list_workflows());
  TA_ASSIGN_OR_RETURN(auto registry, WorkflowRegistry::from_stored(stored));
  TA_ASSIGN_OR_RETURN(const std::int64_t generation, read_generation(*txn));
  return LoadedConfig{std::move(*company), std::move(registry), generation};
}

}  // namespace

Result<std::int64_t> stored_configuration_generation(Store& store) {
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
  return read_generation(*txn);
}

Result<LoadedConfig> load_configuration(Store& store) {
  TA_ASSIGN_OR_RETURN(auto config, load_stored(store));
  TA_RETURN_IF_ERROR(sync_analytics(store, config));
  return config;
}

Status sync_analytics(Store& store, const LoadedConfig& config) {
  const std::string fingerprint = analytics_fingerprint(config);
  {
    TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kRead));
    TA_ASSIGN_OR_RETURN(auto stored, txn->get_setting(kAnalyticsKeys));
    if (stored && *stored == fingerprint) return Status();
  }
  TA_ASSIGN_OR_RETURN(auto txn, store.begin(TxnMode::kWrite));
  TA_RETURN_IF_ERROR(txn->set_zone_offsets(zone_offsets(config.company.calendar.zone())).status());
  for (const auto& name : config.registry.names()) {
    // Every version's keys: running cases stay on the version they started with.
    std::set<std::string> fields, events;
    for (const WorkflowDefinition* wf : config.registry.versions(name)) {
      for (auto& f : wf->theme_fields()) fields.insert(std::move(f));
      for (auto& e : wf->first_contact_events()) events.insert(std::move(e));
    }
    TA_RETURN_IF_ERROR(txn->backfill_case_analytics(name, {fields.begin(), fields.end()},
                                                    {events.begin(), events.end()})
                           .status());
  }
  TA_RETURN_IF_ERROR(txn->put_setting(kAnalyticsKeys, fingerprint));
  return txn->commit();
}

}  // namespace turnaround

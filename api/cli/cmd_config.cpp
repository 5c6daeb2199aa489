// `turnaround init` and `turnaround validate`.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "api/cli/commands.h"
#include "api/codec/case_json.h"
#include "engine/workflow_loader.h"
#include "engine/yaml_util.h"

namespace turnaround::api {

namespace {

// Reads the top-level keys to tell a company file from a workflow file.
enum class FileKind { kWorkflow, kCompany, kUnknown };
FileKind sniff(const std::string& text) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return FileKind::kUnknown;
    if (root["states"].IsDefined()) return FileKind::kWorkflow;
    if (root["company"].IsDefined()) return FileKind::kCompany;
  } catch (const YAML::Exception&) {
  }
  return FileKind::kUnknown;
}

}  // namespace

int cmd_init(const Argv& argv, Io& io) {
  ArgSpec spec{{"db", "config", "now"}, {}, {"help"}, 0, 0};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "init");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround init --db PATH --config DIR [--now T]\n"
              "Creates or migrates the database and loads DIR/company.yaml with the workflow\n"
              "files it names. A changed workflow becomes a new version for new cases.\n";
    return kExitOk;
  }
  auto dir = args.get("config");
  if (!dir) return usage(io, "--config DIR is required", "init");
  std::string company_file = (std::filesystem::path(*dir) / "company.yaml").string();
  if (std::filesystem::is_regular_file(*dir)) company_file = *dir;

  // Validate before creating anything, so a bad configuration leaves no file.
  Diagnostics diags;
  if (!validate_configuration(company_file, diags)) {
    io.err << diags.to_string();
    return kExitError;
  }
  CliContext ctx;
  if (int rc = open_context(args, io, "init", ctx, /*with_engine=*/false, /*create=*/true)) return rc;
  auto report = install_configuration(*ctx.store, company_file, ctx.clock->now(), diags);
  if (!report.ok()) {
    if (!diags.empty()) {
      io.err << diags.to_string();
      return kExitError;
    }
    return fail(io, report.status());
  }
  // The loss review's meetings ahead: their agenda cut-offs are durable
  // rows that tick (and the server's scheduler) act on.
  auto loaded = load_configuration(*ctx.store);
  if (!loaded.ok()) return fail(io, loaded.status());
  Engine engine(*ctx.store, *ctx.clock, loaded->company, loaded->registry);
  if (Status s = engine.schedule_reviews(ctx.clock->now()); !s.ok()) return fail(io, s);
  for (const auto& w : report->workflows) {
    io.out << "workflow " << w.name << " v" << w.version << (w.is_new ? " (new)" : " (unchanged)")
           << "\n";
  }
  io.out << report->people << " people loaded; database " << *db_path(args) << " is ready\n";
  return kExitOk;
}

int cmd_validate(const Argv& argv, Io& io) {
  ArgSpec spec{{}, {}, {"help", "graph"}, 1, 1000};
  auto parsed = Args::parse(argv, spec);
  if (auto* e = std::get_if<UsageError>(&parsed)) return usage(io, e->message, "validate");
  const Args& args = std::get<Args>(parsed);
  if (args.flag("help")) {
    io.out << "turnaround validate FILE... [--graph]\n"
              "Checks workflow and company YAML files; prints FILE:LINE:COLUMN: message for\n"
              "every error and exits 1 if there is any. --graph prints each workflow as a\n"
              "Mermaid state diagram.\n";
    return kExitOk;
  }
  Diagnostics all;
  for (const auto& file : args.positional()) {
    Diagnostics diags;
    auto text = read_text_file(file);
    if (!text.ok()) {
      diags.error({file, 0, 0}, text.status().message());
    } else if (sniff(*text) == FileKind::kCompany) {
      if (auto cfg = validate_configuration(file, diags)) {
        io.out << file << ": ok (company " << cfg->company.name << ", "
               << cfg->registry.names().size() << " workflows)\n";
      }
    } else if (auto wf = load_workflow(*text, file, diags)) {
      io.out << file << ": ok (workflow " << wf->name << ", " << wf->states.size() << " states)\n";
      if (args.flag("graph")) io.out << to_mermaid(*wf);
    }
    all.append(diags);
  }
  if (!all.empty()) {
    io.err << all.to_string();
    return kExitError;
  }
  return kExitOk;
}

}  // namespace turnaround::api

#include <iostream>

#include "api/cli/commands.h"
#include "api/version.h"

namespace turnaround::api {

namespace {
const char* kUsage =
    "usage: turnaround COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  init       create or migrate a database and load a company configuration\n"
    "  validate   check workflow and company YAML files\n"
    "  import     import survey responses or churn events (CSV or JSON Lines)\n"
    "  tick       fire every timer that is due\n"
    "  cases      list, show, fire events on, assign and claim cases\n"
    "  user       add and list people; make and revoke API tokens\n"
    "  issue      top-five issues: open, list, show, candidates, link, top\n"
    "  report     NPS, detractors and flare-ups, themes, timing, scorecard, saturation\n"
    "  serve      run the HTTP API server\n"
    "\n"
    "Every command takes --help. Reference: docs/cli.md.\n";
}  // namespace

int run_cli(const Argv& argv, Io& io) {
  if (argv.empty()) {
    io.err << kUsage;
    return kExitUsage;
  }
  const std::string& cmd = argv[0];
  Argv rest(argv.begin() + 1, argv.end());
  if (cmd == "--help" || cmd == "help" || cmd == "-h") {
    io.out << kUsage;
    return kExitOk;
  }
  if (cmd == "--version") {
    io.out << "turnaround " << version() << "\n";
    return kExitOk;
  }
  if (cmd == "init") return cmd_init(rest, io);
  if (cmd == "validate") return cmd_validate(rest, io);
  if (cmd == "import") return cmd_import(rest, io);
  if (cmd == "tick") return cmd_tick(rest, io);
  if (cmd == "cases") return cmd_cases(rest, io);
  if (cmd == "user") return cmd_user(rest, io);
  if (cmd == "report") return cmd_report(rest, io);
  if (cmd == "serve") return cmd_serve(rest, io);
  if (cmd == "issue") return cmd_issue(rest, io);
  io.err << "turnaround: unknown command '" << cmd << "'\n" << kUsage;
  return kExitUsage;
}

}  // namespace turnaround::api

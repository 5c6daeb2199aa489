#pragma once
// The subcommands of `turnaround`. Each takes its arguments (after the
// subcommand words) and returns the process exit code: 0 success, 1 bad
// input or a refused operation (message on stderr), 2 usage error.

#include <string>
#include <vector>

#include "api/cli/context.h"

namespace turnaround::api {

using Argv = std::vector<std::string>;

int cmd_init(const Argv& argv, Io& io);
int cmd_validate(const Argv& argv, Io& io);
int cmd_import(const Argv& argv, Io& io);
int cmd_tick(const Argv& argv, Io& io);
int cmd_cases(const Argv& argv, Io& io);
int cmd_user(const Argv& argv, Io& io);
int cmd_serve(const Argv& argv, Io& io);
int cmd_issue(const Argv& argv, Io& io);
int cmd_report(const Argv& argv, Io& io);

// Runs `turnaround ARGV...` (argv[0] is the subcommand).
int run_cli(const Argv& argv, Io& io);

}  // namespace turnaround::api

#pragma once
// Running the real `turnaround` binary from tests: capture exit code,
// stdout and stderr; or start it in the background to kill it.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace turnaround::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts `argv` with stdout/stderr redirected to files; returns the pid.
inline pid_t spawn_process(const std::vector<std::string>& argv, const std::string& out_path,
                           const std::string& err_path) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

// Runs `argv` to completion. `scratch` is a directory for the captures.
inline ProcessResult run_process(const std::vector<std::string>& argv, const std::string& scratch) {
  static int n = 0;
  std::string out = scratch + "/out." + std::to_string(++n);
  std::string err = scratch + "/err." + std::to_string(n);
  ProcessResult r;
  pid_t pid = spawn_process(argv, out, err);
  if (pid < 0) return r;
  r.exit_code = wait_exit(pid);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace turnaround::testing

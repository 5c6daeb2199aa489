#pragma once
// Helpers for end-to-end tests of the `turnaround` binary on a real SQLite
// file in a temporary directory.

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {

struct Cli {
  TempDir dir;
  std::string db = dir.file("acme.db");

  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), TURNAROUND_BIN);
    return run_process(args, dir.path().string());
  }
  // Runs and REQUIREs exit 0.
  std::string ok(std::vector<std::string> args) {
    auto r = run(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    REQUIRE_MESSAGE(r.exit_code == 0, (cmd + "\nstdout: " + r.out + "\nstderr: " + r.err));
    return r.out;
  }
  boost::json::value json(std::vector<std::string> args) {
    args.push_back("--format");
    args.push_back("json");
    return boost::json::parse(ok(args));
  }
  void init(const std::string& now = "2026-11-02T08:00:00Z") {
    ok({"init", "--db", db, "--config", std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme",
        "--now", now});
  }
  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

inline std::string str(const boost::json::value& v) {
  if (v.is_null()) return "";
  return std::string(v.as_string());
}

}  // namespace turnaround::testing

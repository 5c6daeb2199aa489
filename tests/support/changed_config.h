#pragma once
// The example company as installed (examples/acme), and a changed copy of it
// for tests of installing a new configuration over an old one.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/test_util.h"

namespace turnaround::testing {

inline std::string acme_company_file() {
  return std::string(TURNAROUND_SOURCE_DIR) + "/examples/acme/company.yaml";
}

// Writes into `dir` the example company with the shipped workflows, but
// with detractor-followup's callback deadline at 3 business days instead of
// 5: installed over the example company, detractor-followup becomes
// version 2. Returns dir's company.yaml.
inline std::string write_acme_with_shorter_callback(const TempDir& dir) {
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string source = std::string(TURNAROUND_SOURCE_DIR) + "/workflows/";
  const std::string wf_dir = dir.file("workflows");
  std::filesystem::create_directories(wf_dir);
  for (const char* unchanged : {"loss-followup.yaml", "issue-accountability.yaml"}) {
    std::filesystem::copy_file(source + unchanged, wf_dir + "/" + unchanged,
                               std::filesystem::copy_options::overwrite_existing);
  }
  std::string text = read(source + "detractor-followup.yaml");
  const std::string five = "- duration: 5bd";
  const auto pos = text.find(five);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, five.size(), "- duration: 3bd");
  std::ofstream(wf_dir + "/detractor-followup.yaml") << text;
  std::string company = read(acme_company_file());
  for (const char* wf : {"detractor-followup.yaml", "loss-followup.yaml", "issue-accountability.yaml"}) {
    const std::string from = std::string("../../workflows/") + wf;
    const auto at = company.find(from);
    REQUIRE(at != std::string::npos);
    company.replace(at, from.size(), std::string("workflows/") + wf);
  }
  std::ofstream(dir.file("company.yaml")) << company;
  return dir.file("company.yaml");
}

}  // namespace turnaround::testing

#pragma once
// Helpers shared by the test binaries: instants from text, StringMaker for
// Status so failed CHECKs print the message, and temporary directories.

#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

#include "engine/status.h"
#include "engine/time.h"

namespace doctest {
template <>
struct StringMaker<turnaround::Status> {
  static String convert(const turnaround::Status& s) { return s.to_string().c_str(); }
};
}  // namespace doctest

namespace turnaround::testing {

// REQUIRES: `iso` is a valid instant with offset (test data).
inline Instant at(const std::string& iso) {
  auto r = parse_instant(iso);
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  return *r;
}

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("turnaround-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace turnaround::testing

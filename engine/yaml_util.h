#pragma once
// Small helpers for reading user YAML with yaml-cpp while collecting located
// diagnostics (FILE:LINE:COLUMN) instead of throwing. Used by the workflow and
// company loaders.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/diagnostics.h"
#include "engine/guard.h"
#include "engine/time.h"

namespace turnaround {

class YamlReader {
 public:
  YamlReader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  // Parses `text`; on a syntax error records it (with its mark) and returns
  // a null node.
  YAML::Node parse(const std::string& text);

  SourceLocation at(const YAML::Node& n) const;
  void error(const YAML::Node& n, std::string message);
  const std::string& file() const { return file_; }
  Diagnostics& diags() { return diags_; }

  // Reports every key of map `n` not in `allowed` ("unknown key 'x' in
  // <where>; expected one of: a, b").
  void check_keys(const YAML::Node& n, std::initializer_list<std::string_view> allowed,
                  std::string_view where);
  // Reports keys that appear twice in map `n`.
  void check_duplicate_keys(const YAML::Node& n, std::string_view where);

  // Requires `n` to be a map / sequence; reports and returns false if not.
  bool expect_map(const YAML::Node& n, std::string_view what);
  bool expect_sequence(const YAML::Node& n, std::string_view what);

  // Scalar readers. Absent key: nullopt without error, unless required.
  std::optional<std::string> str(const YAML::Node& map, std::string_view key, bool required,
                                 std::string_view where);
  // A finite number (not nan or inf).
  std::optional<double> number(const YAML::Node& map, std::string_view key, bool required,
                               std::string_view where);
  // A whole number from min to max; `fallback` when absent, or after
  // reporting a value that is not one.
  int whole_number(const YAML::Node& map, std::string_view key, std::string_view where, int min,
                   int max, int fallback);
  std::optional<bool> boolean(const YAML::Node& map, std::string_view key, std::string_view where);
  // A scalar or a sequence of scalars, as a list of strings.
  std::vector<std::string> str_list(const YAML::Node& map, std::string_view key,
                                    std::string_view where);

  // Parses a scalar node as a Duration / Guard, reporting errors at the node
  // (guard errors at the column inside the expression).
  std::optional<Duration> duration(const YAML::Node& n, std::string_view what);
  std::optional<Guard> guard(const YAML::Node& n, std::string_view what);

 private:
  std::string file_;
  Diagnostics& diags_;
};

// Where NAME `name` first appears in the guard expression of scalar node `n`
// (outside string literals), so that a diagnostic points at the name itself;
// the node's own location when the expression spans lines or the name is not
// found.
SourceLocation name_location(const YamlReader& y, const YAML::Node& n, const std::string& name);

// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

}  // namespace turnaround

#pragma once
// Command-line arguments: positionals, `--name value` / `--name=value`
// options (some repeatable) and flags. Anything not declared is a usage
// error (exit 2), so a typo never silently changes what a command does.

#include <map>
#include <variant>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/time.h"

namespace turnaround::api {

struct ArgSpec {
  std::set<std::string> options;     // take one value
  std::set<std::string> repeatable;  // take one value, may repeat
  std::set<std::string> flags;       // take no value
  std::size_t min_positional = 0;
  std::size_t max_positional = 0;
};

// A usage error: the command line itself is wrong (exit 2).
struct UsageError {
  std::string message;
};

// `text` as a whole number from min to max: decimal digits only (a leading
// '-' when min < 0), nothing after them, else nullopt. For every numeric
// option and id on the command line, so that "5x" or "1e3" is a usage error
// rather than 5 or 1.
std::optional<long long> parse_whole_number(std::string_view text, long long min, long long max);

class Args {
 public:
  // Parses argv (without the program and subcommand words). On error the
  // UsageError says what is wrong.
  static std::variant<Args, UsageError> parse(const std::vector<std::string>& argv,
                                              const ArgSpec& spec);

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
};

}  // namespace turnaround::api

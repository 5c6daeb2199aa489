#include "api/cli/args.h"

#include <charconv>

namespace turnaround::api {

std::variant<Args, UsageError> Args::parse(const std::vector<std::string>& argv,
                                           const ArgSpec& spec) {
  Args out;
  bool only_positional = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-' || a == "-") {
      out.positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) return UsageError{"unknown option '" + a + "'"};
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (spec.flags.count(name)) {
      if (value) return UsageError{"option --" + name + " takes no value"};
      out.flags_.insert(name);
      continue;
    }
    bool single = spec.options.count(name) > 0;
    bool multi = spec.repeatable.count(name) > 0;
    if (!single && !multi) return UsageError{"unknown option '--" + name + "'"};
    if (!value) {
      if (i + 1 >= argv.size()) return UsageError{"option --" + name + " needs a value"};
      value = argv[++i];
    }
    auto& slot = out.values_[name];
    if (single && !slot.empty()) return UsageError{"option --" + name + " given twice"};
    slot.push_back(*value);
  }
  // --help answers whatever else the command line holds (or lacks).
  if (out.flags_.count("help")) return out;
  if (out.positional_.size() < spec.min_positional) {
    return UsageError{"missing argument(s): expected at least " +
                      std::to_string(spec.min_positional)};
  }
  if (out.positional_.size() > spec.max_positional) {
    return UsageError{"unexpected argument '" + out.positional_[spec.max_positional] + "'"};
  }
  return out;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<long long> parse_whole_number(std::string_view text, long long min, long long max) {
  long long v = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || stop != end || v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace turnaround::api

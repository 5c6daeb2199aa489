#include "engine/yaml_util.h"

#include <cmath>

#include <cctype>
#include <set>

namespace turnaround {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

YAML::Node YamlReader::parse(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags_.error({file_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    return YAML::Node();
  }
}

SourceLocation YamlReader::at(const YAML::Node& n) const {
  if (!n.IsDefined()) return {file_, 0, 0};
  YAML::Mark m = n.Mark();
  if (m.is_null()) return {file_, 0, 0};
  return {file_, m.line + 1, m.column + 1};
}

void YamlReader::error(const YAML::Node& n, std::string message) {
  diags_.error(at(n), std::move(message));
}

void YamlReader::check_keys(const YAML::Node& n, std::initializer_list<std::string_view> allowed,
                            std::string_view where) {
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    std::string key = kv.first.Scalar();
    bool ok = false;
    for (auto a : allowed) ok = ok || a == key;
    if (!ok) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      error(kv.first, "unknown key '" + key + "' in " + std::string(where) +
                          "; expected one of: " + join(names));
    }
  }
  check_duplicate_keys(n, where);
}

void YamlReader::check_duplicate_keys(const YAML::Node& n, std::string_view where) {
  if (!n.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) continue;
    if (!seen.insert(kv.first.Scalar()).second) {
      error(kv.first, "duplicate key '" + kv.first.Scalar() + "' in " + std::string(where));
    }
  }
}

bool YamlReader::expect_map(const YAML::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(n, std::string(what) + " must be a mapping (key: value)");
  return false;
}

bool YamlReader::expect_sequence(const YAML::Node& n, std::string_view what) {
  if (n.IsSequence()) return true;
  error(n, std::string(what) + " must be a list");
  return false;
}

std::optional<std::string> YamlReader::str(const YAML::Node& map, std::string_view key,
                                           bool required, std::string_view where) {
  YAML::Node v = map[std::string(key)];
  if (!v.IsDefined() || v.IsNull()) {
    if (required) error(map, "missing '" + std::string(key) + "' in " + std::string(where));
    return std::nullopt;
  }
  if (!v.IsScalar()) {
    error(v, "'" + std::string(key) + "' in " + std::string(where) + " must be a single value");
    return std::nullopt;
  }
  return v.Scalar();
}

std::optional<double> YamlReader::number(const YAML::Node& map, std::string_view key,
                                         bool required, std::string_view where) {
  auto s = str(map, key, required, where);
  if (!s) return std::nullopt;
  try {
    std::size_t used = 0;
    double d = std::stod(*s, &used);
    if (used == s->size() && std::isfinite(d)) return d;
  } catch (const std::exception&) {
  }
  error(map[std::string(key)], "'" + std::string(key) + "' in " + std::string(where) +
                                   " must be a number, not '" + *s + "'");
  return std::nullopt;
}

int YamlReader::whole_number(const YAML::Node& map, std::string_view key, std::string_view where,
                             int min, int max, int fallback) {
  auto v = number(map, key, false, where);
  if (!v) return fallback;  // absent, or reported
  if (*v < min || *v > max || *v != std::floor(*v)) {
    error(map[std::string(key)], "'" + std::string(key) + "' in " + std::string(where) +
                                     " must be a whole number from " + std::to_string(min) +
                                     " to " + std::to_string(max) + ", not '" +
                                     map[std::string(key)].Scalar() + "'");
    return fallback;
  }
  return static_cast<int>(*v);
}

std::optional<bool> YamlReader::boolean(const YAML::Node& map, std::string_view key,
                                        std::string_view where) {
  auto s = str(map, key, false, where);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "yes") return true;
  if (*s == "false" || *s == "no") return false;
  error(map[std::string(key)], "'" + std::string(key) + "' in " + std::string(where) +
                                   " must be true or false, not '" + *s + "'");
  return std::nullopt;
}

std::vector<std::string> YamlReader::str_list(const YAML::Node& map, std::string_view key,
                                              std::string_view where) {
  std::vector<std::string> out;
  YAML::Node v = map[std::string(key)];
  if (!v.IsDefined() || v.IsNull()) return out;
  if (v.IsScalar()) {
    out.push_back(v.Scalar());
    return out;
  }
  if (!v.IsSequence()) {
    error(v, "'" + std::string(key) + "' in " + std::string(where) + " must be a list");
    return out;
  }
  for (const auto& item : v) {
    if (!item.IsScalar()) {
      error(item, "items of '" + std::string(key) + "' in " + std::string(where) +
                      " must be single values");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<Duration> YamlReader::duration(const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar()) {
    error(n, std::string(what) + " must be a duration such as 14d, 3bd or 48h");
    return std::nullopt;
  }
  auto d = parse_duration(n.Scalar());
  if (!d.ok()) {
    error(n, "bad duration '" + n.Scalar() + "' for " + std::string(what) + ": " +
                 d.status().message());
    return std::nullopt;
  }
  return *d;
}

std::optional<Guard> YamlReader::guard(const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar()) {
    error(n, std::string(what) + " must be an expression such as: score <= 3");
    return std::nullopt;
  }
  int col = 0;
  auto g = Guard::parse(n.Scalar(), &col);
  if (!g.ok()) {
    SourceLocation loc = at(n);
    // Point inside the expression when it sits on one line; a quoted scalar
    // starts one column later than its mark.
    if (loc.column > 0 && col > 0) {
      YAML::Mark m = n.Mark();
      (void)m;
      loc.column += col - 1 + (n.Tag() == "!" ? 1 : 0);
    }
    diags_.error(loc, "bad " + std::string(what) + ": " + g.status().message());
    return std::nullopt;
  }
  return *g;
}

SourceLocation name_location(const YamlReader& y, const YAML::Node& n, const std::string& name) {
  SourceLocation loc = y.at(n);
  const std::string& text = n.Scalar();
  if (loc.column == 0 || name.empty() || text.find('\n') != std::string::npos) return loc;
  auto in_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  };
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if ((i == 0 || !in_name(text[i - 1])) && text.compare(i, name.size(), name) == 0 &&
               (i + name.size() == text.size() || !in_name(text[i + name.size()]))) {
      // A quoted scalar's text starts one column after its mark.
      loc.column += static_cast<int>(i) + (n.Tag() == "!" ? 1 : 0);
      return loc;
    }
  }
  return loc;
}

}  // namespace turnaround

#include "engine/value.h"

#include <cmath>
#include <cstdio>

namespace turnaround {

bool Value::present() const {
  if (is_null()) return false;
  if (is_text()) return !as_text().empty();
  if (is_list()) return !as_list().empty();
  return true;
}

std::string Value::to_display() const {
  if (is_null()) return "";
  if (is_bool()) return as_bool() ? "true" : "false";
  if (is_number()) {
    double d = as_number();
    char buf[64];
    if (std::floor(d) == d && std::fabs(d) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", d);
    } else {
      std::snprintf(buf, sizeof buf, "%.15g", d);
    }
    return buf;
  }
  if (is_text()) return as_text();
  std::string out;
  for (const auto& s : as_list()) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace turnaround

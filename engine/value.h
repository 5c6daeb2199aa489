#pragma once
// Value: the dynamic value of a case data field or of a guard operand.
// null, boolean, number (double), text, or a list of texts (themes).

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace turnaround {

class Value {
 public:
  using List = std::vector<std::string>;

  Value() = default;  // null
  Value(bool b) : v_(b) {}                       // NOLINT
  Value(double d) : v_(d) {}                     // NOLINT
  Value(int i) : v_(static_cast<double>(i)) {}   // NOLINT
  Value(long long i) : v_(static_cast<double>(i)) {}  // NOLINT
  Value(long i) : v_(static_cast<double>(i)) {}  // NOLINT
  Value(std::string s) : v_(std::move(s)) {}     // NOLINT
  Value(const char* s) : v_(std::string(s)) {}   // NOLINT
  Value(List l) : v_(std::move(l)) {}            // NOLINT

  bool is_null() const { return v_.index() == 0; }
  bool is_bool() const { return v_.index() == 1; }
  bool is_number() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }
  bool is_list() const { return v_.index() == 4; }

  // REQUIRES: the matching is_*().
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_text() const { return std::get<std::string>(v_); }
  const List& as_list() const { return std::get<List>(v_); }

  // Present in the sense of a required field: not null, not an empty text,
  // not an empty list. (false and 0 are present.)
  bool present() const;

  // For people: "12", "12.5", "true", "a, b", "" for null.
  std::string to_display() const;

  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, bool, double, std::string, List> v_;
};

// Case data: field name to value, ordered for stable output.
using FieldValues = std::map<std::string, Value>;

}  // namespace turnaround

#pragma once
// Guard expressions: the small condition language used by workflow guards,
// conditional deadlines, intake, priority and assignment rules.
//
// Grammar (precedence low to high):
//   expr    := or
//   or      := and ( "or" and )*
//   and     := not ( "and" not )*
//   not     := "not" not | cmp
//   cmp     := operand ( ("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") operand )?
//   operand := NUMBER | STRING | "true" | "false" | "null" | list | NAME | "(" expr ")"
//   list    := "[" ( operand ( "," operand )* )? "]"
//   NAME    := [A-Za-z_][A-Za-z0-9_]* ( "." [A-Za-z_][A-Za-z0-9_]* )*
//   STRING  := "..." or '...' (backslash escapes \" \' \\)
// Examples: `score <= 3`, `arr >= 150000 and segment == "enterprise"`,
//   `"billing" in themes`, `not danger_zone`, `segment in ["smb", "mid-market"]`,
//   `budget_amendment >= 0`, `"ops_lead" in actor.roles`.
//
// Semantics: a NAME that the scope does not know evaluates to null. A bare
// operand used as a condition is true when Value::present() (non-null,
// non-empty, and for booleans: true; numbers: non-zero). Comparisons between
// different kinds (text < number, anything < null) are false, except == and
// != which compare by kind and value. `x in L` is true when L is a list that
// contains x (texts compared exactly), or when L is a text containing x as a
// substring.
//
// Thread-safety: a parsed Guard is immutable; evaluate() is const and may be
// called from several threads.

#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "engine/value.h"

namespace turnaround {

// What a guard can see. Implemented by the engine over a case, an actor, or
// an incoming response.
class GuardScope {
 public:
  virtual ~GuardScope() = default;
  // The value of a (possibly dotted) name; null Value if unknown.
  virtual Value lookup(std::string_view name) const = 0;
};

// A GuardScope over a plain map (tests, intake).
class MapScope final : public GuardScope {
 public:
  explicit MapScope(FieldValues values) : values_(std::move(values)) {}
  Value lookup(std::string_view name) const override;

 private:
  FieldValues values_;
};

struct GuardNode;  // guard.cpp

class Guard {
 public:
  // The always-true guard (text "true").
  Guard();

  // Parses `text`. On error returns kInvalidArgument whose message says what
  // is wrong; *error_column (if not null) receives the 1-based column in
  // `text` where the problem is.
  static Result<Guard> parse(std::string_view text, int* error_column = nullptr);

  bool evaluate(const GuardScope& scope) const;
  // The NAMEs this guard refers to (for validation against known fields).
  const std::set<std::string>& names() const { return names_; }
  // The source text.
  const std::string& text() const { return text_; }

 private:
  std::shared_ptr<const GuardNode> root_;
  std::set<std::string> names_;
  std::string text_;
};

}  // namespace turnaround

#pragma once
// Diagnostics: located messages about a user's file, collected rather than
// thrown, so that `validate` reports every error of a file in one run.

#include <string>
#include <vector>

namespace turnaround {

// A position in a source file; line and column are 1-based (0 = unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  SourceLocation where;
  std::string message;
  // "FILE:LINE:COLUMN: message" (the form compilers use, which editors link).
  std::string to_string() const;
};

class Diagnostics {
 public:
  void error(const SourceLocation& where, std::string message);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Sorted by file, line, column; one per line, each ending in '\n'.
  std::string to_string() const;
  void append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace turnaround

#pragma once
// Aligned text tables for people (UTF-8 aware column widths) and CSV for
// spreadsheets, from the same rows.

#include <string>
#include <vector>

namespace turnaround::api {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::size_t size() const { return rows_.size(); }
  // Columns padded to their widest cell, two spaces apart, header underlined.
  std::string render() const;
  // RFC 4180 CSV with a header row.
  std::string render_csv() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of code points (not bytes) of UTF-8 text: its width in a terminal
// for the scripts we print (Latin, Greek, Cyrillic; CJK counts as one).
std::size_t display_width(const std::string& s);

}  // namespace turnaround::api

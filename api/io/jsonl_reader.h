#pragma once
// JSON Lines input: one JSON object per line, with the keys of the CSV
// header (record_fields.h):
//
//   {"response_id": "r-1", "customer_id": "c-9", "customer_name": "Zoë Müller",
//    "segment": "smb", "arr": 12000, "score": 3, "comment": "Slow support",
//    "responded_at": "2026-03-01T09:30:00Z"}
//   {"customer_id": "c-9", "lost_at": "2026-04-01T00:00:00Z", "reason": "price", "arr": 12000}
//
// Types: ids are strings (integers are taken as their decimal text); names,
// segment, comment, reason and times are strings; score is an integer (a
// number with no fraction, like 7.0, is accepted); arr is a number. null is
// the same as leaving the key out. Required keys must be present (see
// is_required). Each problem is reported with the field's name, all of a
// line's problems in one RowError: "unknown field 'x'", "missing field
// 'score'", "score: expected an integer, got string", "invalid JSON at
// column 17: ...". Blank lines are skipped; a UTF-8 BOM and CR line ends are
// accepted. Lines are numbered from 1, counting blank ones.

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/parser.hpp>

#include "api/io/record_fields.h"
#include "api/io/record_source.h"

namespace turnaround::api {

class JsonlReader final : public RecordSource {
 public:
  // Reads records of `kind` from `in` (owned). `total_bytes`: the input's
  // size if known, else 0.
  JsonlReader(std::unique_ptr<std::istream> in, RecordKind kind, std::uint64_t total_bytes = 0);

  bool next(ParsedRow& row) override;
  Status status() const override;
  std::uint64_t bytes_read() const override { return bytes_read_; }
  std::uint64_t total_bytes() const override { return total_bytes_; }

 private:
  std::unique_ptr<std::istream> in_;
  RecordBuilder builder_;
  boost::json::parser parser_;
  std::string line_text_;
  int line_ = 0;
  std::uint64_t bytes_read_ = 0;
  const std::uint64_t total_bytes_;
};

// Maps one JSON object to a record of builder.kind(), as JsonlReader does
// for each line (usable for other JSON inputs such as HTTP bodies); the
// result, or a RowError naming every bad field, goes to `out`.
void map_json_object(const boost::json::object& object, int line, RecordBuilder& builder,
                     ParsedRow& out);

}  // namespace turnaround::api

#pragma once
// JSON text for the structured columns of the SQLite store. Boost.JSON is
// used only in json_codec.cpp; this header speaks std types.
//
// Formats (stable: they are stored on disk):
//   FieldValues     {"name": VALUE, ...} where VALUE is null, true/false, a
//                   number, a string, or an array of strings. Numbers that
//                   are whole and below 2^53 are written as integers; every
//                   double reads back bit-exactly. Non-finite numbers, which
//                   JSON cannot hold, are written as null.
//   deadlines       [{"name", "state", "due_at": unix seconds,
//                     "status": "pending"|"met"|"missed", "done": bool,
//                     "paused_at": null|seconds, "resolved_at": null|seconds}]
//   string lists    ["a", "b"] (response ids, role names, teams)
//
// Decoders return kInternal ("corrupt ... column") on text that does not
// have these shapes: stored rows are written only by the encoders.

#include <string>
#include <string_view>
#include <vector>

#include "engine/case.h"
#include "engine/status.h"
#include "engine/value.h"

namespace turnaround::storage {

std::string encode_fields(const FieldValues& fields);
Result<FieldValues> decode_fields(std::string_view json);

std::string encode_deadlines(const std::vector<CaseDeadline>& deadlines);
Result<std::vector<CaseDeadline>> decode_deadlines(std::string_view json);

std::string encode_strings(const std::vector<std::string>& list);
Result<std::vector<std::string>> decode_strings(std::string_view json);

}  // namespace turnaround::storage

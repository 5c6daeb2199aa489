#pragma once
// JSON from outside (an HTTP request body, a line of a JSON Lines file):
// parsed as boost::json::parse does, and an object that repeats a key is an
// error. Boost.JSON (1.81) keeps the last of repeated keys without a word, so
// {"score": 3, "score": 10} would be stored as a promoter's answer.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace turnaround::api {

// The document, or null with `error` set ("invalid JSON: ..." or
// "duplicate key 'score' in an object").
boost::json::value parse_json_input(std::string_view text, std::string& error);

// The first key that an object of `valid_json` (a document that parsed)
// repeats, or "" if none does: for readers that parse with their own
// boost::json::parser.
std::string repeated_key(std::string_view valid_json);

}  // namespace turnaround::api

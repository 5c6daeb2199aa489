#include "api/codec/json_input.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

#include <unordered_set>
#include <vector>

namespace turnaround::api {

namespace json = boost::json;

namespace {

// A basic_parser handler that only looks at keys: one set per open object.
struct KeyCheck {
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  std::vector<std::unordered_set<std::string>> open;
  std::string key;        // the key being read (it may come in parts)
  std::string duplicate;  // the first repeated key found

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    open.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    if (!open.back().insert(key).second) {
      duplicate = key;
      ec = json::error::syntax;  // stops the parse; `duplicate` says why
      return false;
    }
    key.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

std::string repeated_key(std::string_view valid_json) {
  json::basic_parser<KeyCheck> keys{json::parse_options()};
  json::error_code ec;
  keys.write_some(false, valid_json.data(), valid_json.size(), ec);
  return keys.handler().duplicate;
}

json::value parse_json_input(std::string_view text, std::string& error) {
  json::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {
    error = "invalid JSON: " + ec.message();
    return nullptr;
  }
  if (std::string key = repeated_key(text); !key.empty()) {
    error = "duplicate key '" + key + "' in an object";
    return nullptr;
  }
  error.clear();
  return v;
}

}  // namespace turnaround::api

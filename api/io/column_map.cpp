#include "api/io/column_map.h"

#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "engine/calendar.h"

// The mapping file's key tree (see column_map.h for the meaning of each):
//
//   description: TEXT
//   header_rows: 0..10                  (default 1)
//   header_row: 1..header_rows          (default 1)
//   delimiter: "," | ";" | "\t" | "|"   (or comma, semicolon, tab, pipe)
//   timestamp_format: DATE_PARSE_FORMAT (default: ISO 8601)
//   time_zone: IANA_NAME
//   fields:
//     FIELD: COLUMN_TEXT | {column: TEXT} | {position: N} | {value: TEXT}
//
// Loading walks the whole tree and reports every error it finds, each at the
// yaml-cpp mark of the offending key or value, then checks the cross-key
// rules (required fields, header_row within header_rows, a zone for formats
// without an offset).

namespace turnaround::api {

namespace {

constexpr int kMaxHeaderRows = 10;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

std::string field_list(RecordKind kind) {
  std::string out;
  for (Field f : fields_of(kind)) {
    if (!out.empty()) out += ", ";
    out += field_name(f);
  }
  return out;
}

// Reads one mapping file into a ColumnMap, collecting diagnostics.
class MapLoader {
 public:
  MapLoader(std::string file, RecordKind kind, Diagnostics& diags)
      : file_(std::move(file)), diags_(diags) {
    map_.kind = kind;
    map_.file = file_;
    map_.header_rows = 1;
    map_.header_row = 1;
  }

  Result<ColumnMap> load(const std::string& text) {
    const std::size_t before = diags_.size();
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      diags_.error({file_, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
      return failure(before);
    }
    if (!root.IsDefined() || root.IsNull()) {
      diags_.error({file_, 1, 1}, "the mapping file is empty; it needs at least 'fields'");
      return failure(before);
    }
    if (!root.IsMap()) {
      error(root, "the mapping file must be a mapping of keys (fields, header_rows, ...)");
      return failure(before);
    }
    read_root(root);
    if (diags_.size() != before) return failure(before);
    return std::move(map_);
  }

 private:
  SourceLocation at(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return {file_, 0, 0};
    return {file_, m.line + 1, m.column + 1};
  }
  void error(const YAML::Node& n, std::string message) { diags_.error(at(n), std::move(message)); }

  Status failure(std::size_t before) {
    std::vector<std::string> lines;
    for (std::size_t i = before; i < diags_.size(); ++i)
      lines.push_back(diags_.items()[i].to_string());
    return invalid_argument(join_lines(lines));
  }

  // A scalar value, else an error naming `key`.
  std::optional<std::string> scalar(const YAML::Node& v, const std::string& key) {
    if (v.IsScalar()) return v.Scalar();
    error(v, "'" + key + "' must be a single value");
    return std::nullopt;
  }

  std::optional<int> integer(const YAML::Node& v, const std::string& key, int min, int max) {
    auto s = scalar(v, key);
    if (!s) return std::nullopt;
    auto n = parse_int(*s);
    if (!n || *n < min || *n > max) {
      error(v, "'" + key + "' must be an integer " + std::to_string(min) + ".." +
                   std::to_string(max) + ", not '" + *s + "'");
      return std::nullopt;
    }
    return n;
  }

  // Each key once, each key a plain name.
  bool check_key(const YAML::Node& key, std::set<std::string>& seen, const std::string& where) {
    if (!key.IsScalar()) {
      error(key, "keys in " + where + " must be plain names");
      return false;
    }
    if (!seen.insert(key.Scalar()).second) {
      error(key, "duplicate key '" + key.Scalar() + "' in " + where);
      return false;
    }
    return true;
  }

  void read_root(const YAML::Node& root) {
    std::set<std::string> seen;
    // Set when the key is present (a default YAML::Node counts as defined).
    std::optional<YAML::Node> fields_key, header_row_value, format_value;
    for (const auto& kv : root) {
      if (!check_key(kv.first, seen, "the mapping file")) continue;
      const std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      if (key == "description") {
        scalar(v, key);
      } else if (key == "header_rows") {
        if (auto n = integer(v, key, 0, kMaxHeaderRows)) map_.header_rows = *n;
      } else if (key == "header_row") {
        header_row_value = v;
        if (auto n = integer(v, key, 1, kMaxHeaderRows)) map_.header_row = *n;
      } else if (key == "delimiter") {
        read_delimiter(v);
      } else if (key == "timestamp_format") {
        format_value = v;
        read_format(v);
      } else if (key == "time_zone") {
        read_zone(v);
      } else if (key == "fields") {
        fields_key = kv.first;
        fields_ok_ = read_fields(v);
      } else {
        error(kv.first, "unknown key '" + key +
                            "'; expected one of: description, header_rows, header_row, "
                            "delimiter, timestamp_format, time_zone, fields");
      }
    }
    check_rules(root, fields_key, header_row_value, format_value);
  }

  void check_rules(const YAML::Node& root, const std::optional<YAML::Node>& fields_key,
                   const std::optional<YAML::Node>& header_row_value,
                   const std::optional<YAML::Node>& format_value) {
    if (!fields_key) {
      error(root, "missing 'fields': map at least " + required_list());
    } else if (fields_ok_) {
      for (Field f : fields_of(map_.kind)) {
        if (is_required(map_.kind, f) && map_.source(f).kind == FieldSource::Kind::kUnmapped &&
            !field_had_error_[static_cast<int>(f)]) {
          error(*fields_key, std::string("required field '") + field_name(f) + "' is not mapped");
        }
      }
    }
    if (header_row_value && map_.header_row > map_.header_rows) {
      error(*header_row_value, "header_row " + std::to_string(map_.header_row) +
                                   " is beyond header_rows " + std::to_string(map_.header_rows));
    }
    if (map_.header_rows == 0) {
      for (Field f : fields_of(map_.kind)) {
        const FieldSource& s = map_.source(f);
        if (s.kind == FieldSource::Kind::kColumn) {
          diags_.error(s.where, std::string("field '") + field_name(f) +
                                    "' names a column but header_rows is 0; use position");
        }
      }
    }
    if (format_value && !map_.timestamp_format.empty() && map_.time_zone == nullptr &&
        !reads_offset(map_.timestamp_format)) {
      error(*format_value, "timestamp_format reads no UTC offset (%z), so time_zone is required");
    }
  }

  std::string required_list() const {
    std::string out;
    for (Field f : fields_of(map_.kind)) {
      if (!is_required(map_.kind, f)) continue;
      if (!out.empty()) out += ", ";
      out += field_name(f);
    }
    return out;
  }

  static bool reads_offset(const std::string& format) {
    return format.find("%z") != std::string::npos || format.find("%Ez") != std::string::npos ||
           format.find("%Oz") != std::string::npos;
  }

  void read_delimiter(const YAML::Node& v) {
    auto s = scalar(v, "delimiter");
    if (!s) return;
    static const std::pair<const char*, char> kNames[] = {
        {",", ','},     {";", ';'},         {"\t", '\t'},  {"|", '|'},
        {"comma", ','}, {"semicolon", ';'}, {"tab", '\t'}, {"pipe", '|'}};
    for (const auto& [name, c] : kNames) {
      if (*s == name) {
        map_.delimiter = c;
        return;
      }
    }
    error(v, "delimiter must be one of \",\", \";\", \"\\t\", \"|\", not '" + *s + "'");
  }

  void read_format(const YAML::Node& v) {
    auto s = scalar(v, "timestamp_format");
    if (!s) return;
    if (s->find('%') == std::string::npos) {
      error(v, "timestamp_format '" + *s +
                   "' has no conversion (write it like \"%m/%d/%Y %I:%M:%S %p\")");
      return;
    }
    map_.timestamp_format = *s;
  }

  void read_zone(const YAML::Node& v) {
    auto s = scalar(v, "time_zone");
    if (!s) return;
    auto zone = Calendar::find_zone(*s);
    if (!zone.ok()) {
      error(v, "unknown time zone '" + *s + "' (expected an IANA name like America/New_York)");
      return;
    }
    map_.time_zone = *zone;
  }

  // False if `fields` is not a mapping at all.
  bool read_fields(const YAML::Node& fields) {
    if (!fields.IsMap()) {
      error(fields, "'fields' must be a mapping of field: source");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : fields) {
      if (!check_key(kv.first, seen, "'fields'")) continue;
      const std::string name = kv.first.Scalar();
      auto field = parse_field(map_.kind, name);
      if (!field) {
        error(kv.first, "unknown field '" + name + "' for " + record_kind_name(map_.kind) +
                            "; expected one of: " + field_list(map_.kind));
        continue;
      }
      FieldSource source;
      source.where = at(kv.first);
      if (read_source(name, kv.second, source)) {
        map_.source(*field) = std::move(source);
      } else {
        field_had_error_[static_cast<int>(*field)] = true;
      }
    }
    return true;
  }

  bool read_source(const std::string& name, const YAML::Node& v, FieldSource& out) {
    if (v.IsScalar()) {  // shorthand: the header text
      if (v.Scalar().empty()) {
        error(v, "field '" + name + "': the column name is empty");
        return false;
      }
      out.kind = FieldSource::Kind::kColumn;
      out.text = v.Scalar();
      return true;
    }
    if (!v.IsMap()) {
      error(v, "field '" + name + "' needs one of column, position, value");
      return false;
    }
    std::set<std::string> seen;
    bool ok = true;
    for (const auto& kv : v) {
      if (!check_key(kv.first, seen, "field '" + name + "'")) {
        ok = false;
        continue;
      }
      ok = read_source_key(name, kv.first, kv.second, out) && ok;
    }
    if (ok && out.kind == FieldSource::Kind::kUnmapped) {
      error(v, "field '" + name + "' needs one of column, position, value");
      return false;
    }
    return ok;
  }

  bool read_source_key(const std::string& name, const YAML::Node& key, const YAML::Node& v,
                       FieldSource& out) {
    const std::string k = key.Scalar();
    if (k != "column" && k != "position" && k != "value") {
      error(key, "unknown key '" + k + "' in field '" + name +
                     "'; expected one of: column, position, value");
      return false;
    }
    if (out.kind != FieldSource::Kind::kUnmapped) {
      error(key, "field '" + name + "' has more than one of column, position, value");
      return false;
    }
    if (k == "position") {
      auto n = integer(v, "position", 1, 100000);
      if (!n) return false;
      out.kind = FieldSource::Kind::kPosition;
      out.position = *n;
      return true;
    }
    auto s = scalar(v, k);
    if (!s) return false;
    if (k == "column" && s->empty()) {
      error(v, "field '" + name + "': the column name is empty");
      return false;
    }
    out.kind = k == "column" ? FieldSource::Kind::kColumn : FieldSource::Kind::kConstant;
    out.text = *s;
    return true;
  }

  const std::string file_;
  Diagnostics& diags_;
  ColumnMap map_;
  bool field_had_error_[kFieldCount] = {};
  bool fields_ok_ = false;
};

std::string describe_header(const std::vector<std::string>& header) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < header.size() && i < kShown; ++i) {
    if (i > 0) out += ", ";
    out += "\"" + header[i] + "\"";
  }
  if (header.size() > kShown) out += ", ... (" + std::to_string(header.size()) + " columns)";
  return out;
}

std::string where_prefix(const SourceLocation& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column) + ": ";
}

}  // namespace

CsvOptions ColumnMap::csv_options() const {
  CsvOptions options;
  options.delimiter = delimiter;
  return options;
}

ColumnMap default_column_map(RecordKind kind) {
  ColumnMap map;
  map.kind = kind;
  for (Field f : fields_of(kind)) {
    FieldSource& s = map.source(f);
    s.kind = FieldSource::Kind::kColumn;
    s.text = field_name(f);
    s.optional = !is_required(kind, f);
  }
  return map;
}

Result<ColumnMap> parse_column_map(const std::string& yaml, const std::string& file,
                                   RecordKind kind, Diagnostics& diagnostics) {
  return MapLoader(file, kind, diagnostics).load(yaml);
}

Result<ColumnMap> load_column_map(const std::string& path, RecordKind kind,
                                  Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot read the mapping file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return invalid_argument("cannot read the mapping file '" + path + "'");
  return parse_column_map(text.str(), path, kind, diagnostics);
}

Result<RowMapper> RowMapper::create(const ColumnMap& map, const std::vector<std::string>& header,
                                    const std::string& data_file, int header_line) {
  RowMapper mapper(map.kind, map.time_reader());
  std::vector<std::string> errors;
  const bool has_header = map.header_rows > 0;
  mapper.width_ = has_header ? header.size() : 0;
  const std::string header_at = data_file + ":" + std::to_string(header_line) + ": ";
  for (Field f : fields_of(map.kind)) {
    const FieldSource& src = map.source(f);
    Slot slot;
    slot.field = f;
    const std::string what = std::string(" for ") + field_name(f);
    switch (src.kind) {
      case FieldSource::Kind::kUnmapped:
        continue;
      case FieldSource::Kind::kConstant:
        slot.has_constant = true;
        slot.constant = src.text;
        break;
      case FieldSource::Kind::kPosition:
        if (has_header && static_cast<std::size_t>(src.position) > header.size()) {
          errors.push_back(where_prefix(src.where) + "position " + std::to_string(src.position) +
                           what + " is beyond the " + std::to_string(header.size()) +
                           " columns of " + data_file);
          continue;
        }
        slot.index = src.position - 1;
        break;
      case FieldSource::Kind::kColumn: {
        std::vector<int> found;
        for (std::size_t i = 0; i < header.size(); ++i) {
          if (trim(header[i]) == trim(src.text)) found.push_back(static_cast<int>(i));
        }
        if (found.size() == 1) {
          slot.index = found[0];
          break;
        }
        if (found.empty() && src.optional) continue;
        const std::string prefix = src.where.file.empty() ? header_at : where_prefix(src.where);
        if (found.empty() && src.where.file.empty()) {
          errors.push_back(prefix + "missing column '" + src.text + "' in the header");
        } else if (found.empty()) {
          errors.push_back(prefix + "column '" + src.text + "'" + what + " is not in the header" +
                           " of " + data_file + " (line " + std::to_string(header_line) +
                           "), which has: " + describe_header(header));
        } else {
          errors.push_back(prefix + "column '" + src.text + "'" + what + " appears " +
                           std::to_string(found.size()) + " times in the header of " + data_file +
                           " (columns " + std::to_string(found[0] + 1) + " and " +
                           std::to_string(found[1] + 1) + "); map it by position");
        }
        continue;
      }
    }
    if (slot.index >= 0) {
      mapper.min_width_ = std::max(mapper.min_width_, static_cast<std::size_t>(slot.index) + 1);
    }
    mapper.slots_.push_back(std::move(slot));
  }
  if (!errors.empty()) return invalid_argument(join_lines(errors));
  return mapper;
}

void RowMapper::map(const CsvRecord& record, ParsedRow& out) {
  if (width_ > 0 && record.size() != width_) {
    out.line = record.line();
    out.value = RowError{record.line(),
                         "expected " + std::to_string(width_) +
                             " fields (as in the header), found " + std::to_string(record.size()),
                         {}};
    return;
  }
  if (record.size() < min_width_) {
    out.line = record.line();
    out.value = RowError{record.line(),
                         "expected at least " + std::to_string(min_width_) + " fields, found " +
                             std::to_string(record.size()),
                         {}};
    return;
  }
  builder_.start();
  for (const Slot& slot : slots_) {
    if (slot.index >= 0) {
      builder_.set_text(slot.field, record[static_cast<std::size_t>(slot.index)]);
    } else if (slot.has_constant) {
      builder_.set_text(slot.field, slot.constant);
    }
  }
  builder_.finish(record.line(), out);
}

}  // namespace turnaround::api

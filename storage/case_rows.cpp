// Cases and their history: rows to and from the Case aggregate.
//
// The structured parts of a case (data, deadlines, responses) are JSON text
// (json_codec.h). The overdue view is served by the derived column
// overdue_since, recomputed from the deadlines on every insert and update:
// a case is overdue at T iff it is open and overdue_since < T, which is
// exactly Case::overdue(T) because overdue_since is the smallest T' such
// that the case is overdue at every T > T' (see overdue_since() below).
// That turns "overdue at T" into one range scan of a small partial index,
// instead of parsing every open case's deadlines with json_each.

#include <algorithm>
#include <cassert>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "storage/json_codec.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

const std::string& CaseRow::text(Column c) const {
  static const std::string kNone;
  const auto* s = std::get_if<std::string>(&values[c]);
  return s ? *s : kNone;
}

std::int64_t CaseRow::integer(Column c) const {
  if (const auto* n = std::get_if<std::int64_t>(&values[c])) return *n;
  if (const auto* x = std::get_if<double>(&values[c])) return static_cast<std::int64_t>(*x);
  return 0;
}

std::optional<Instant> CaseRow::instant(Column c) const {
  if (std::holds_alternative<std::monostate>(values[c])) return std::nullopt;
  return from_seconds(integer(c));
}

namespace {

// The value of the overdue_since column for `c` (see migrations.cpp).
std::optional<std::int64_t> overdue_since(const Case& c) {
  if (!c.is_open()) return std::nullopt;
  std::optional<std::int64_t> since;
  for (const CaseDeadline& d : c.deadlines) {
    std::int64_t candidate;
    if (d.done) continue;
    if (d.status == DeadlineStatus::kMissed) {
      candidate = std::numeric_limits<std::int64_t>::min();
    } else if (d.status == DeadlineStatus::kPending && !d.paused_at) {
      candidate = to_seconds(d.due_at);
    } else {
      continue;
    }
    if (!since || candidate < *since) since = candidate;
  }
  return since;
}

CaseRow::Value instant_value(const std::optional<Instant>& t) {
  if (!t) return std::monostate();
  return to_seconds(*t);
}

// The row `c` is written as (JSON for its structured parts).
CaseRow case_row(const Case& c) {
  CaseRow row;
  auto& v = row.values;
  v[CaseRow::kWorkflow] = c.workflow;
  v[CaseRow::kWorkflowVersion] = std::int64_t{c.workflow_version};
  v[CaseRow::kState] = c.state;
  v[CaseRow::kOwner] = c.owner.value;
  v[CaseRow::kQueue] = c.queue;
  v[CaseRow::kPriority] = std::int64_t{static_cast<int>(c.priority)};
  v[CaseRow::kCustomerId] = c.customer_id.value;
  v[CaseRow::kCustomerName] = c.customer_name;
  v[CaseRow::kSegment] = c.segment;
  v[CaseRow::kArr] = c.arr;
  if (c.score) v[CaseRow::kScore] = std::int64_t{*c.score};
  std::vector<std::string> ids;
  ids.reserve(c.responses.size());
  for (const auto& r : c.responses) ids.push_back(r.value);
  v[CaseRow::kResponses] = encode_strings(ids);
  v[CaseRow::kRespondedAt] = instant_value(c.responded_at);
  v[CaseRow::kOpenedAt] = to_seconds(c.opened_at);
  v[CaseRow::kStateEnteredAt] = to_seconds(c.state_entered_at);
  v[CaseRow::kClosedAt] = instant_value(c.closed_at);
  v[CaseRow::kVersion] = c.version;
  v[CaseRow::kData] = encode_fields(c.data);
  v[CaseRow::kDeadlines] = encode_deadlines(c.deadlines);
  if (auto since = overdue_since(c)) v[CaseRow::kOverdueSince] = *since;
  v[CaseRow::kThemes] = encode_strings(c.themes);
  v[CaseRow::kFirstContactAt] = instant_value(c.first_contact_at);
  return row;
}

// Binds ?(i+1) to column i of `row` (text without a copy: `row` outlives
// the statement's use).
void bind_column(SQLite::Statement& s, const CaseRow& row, int i) {
  const CaseRow::Value& v = row.values[i];
  if (const auto* text = std::get_if<std::string>(&v)) {
    bind_text(s, i + 1, *text);
  } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
    s.bind(i + 1, *n);
  } else if (const auto* x = std::get_if<double>(&v)) {
    s.bind(i + 1, *x);
  } else {
    s.bind(i + 1);
  }
}

// The CaseRow of a kLoadCase row: TA_CASE_COLUMNS (id first, no
// overdue_since), then overdue_since.
CaseRow loaded_row(SQLite::Statement& s) {
  CaseRow row;
  for (int i = 0; i < CaseRow::kColumns; ++i) {
    const int column = i < CaseRow::kOverdueSince ? i + 1 : i == CaseRow::kOverdueSince ? 22 : i;
    row.values[i] = column_value(s, column);
  }
  return row;
}

// Reads a row of kCaseColumns.
Result<Case> read_case(SQLite::Statement& s) {
  Case c;
  c.id = CaseId(s.getColumn(0).getInt64());
  c.workflow = s.getColumn(1).getString();
  c.workflow_version = s.getColumn(2).getInt();
  c.state = s.getColumn(3).getString();
  c.owner = PersonId(s.getColumn(4).getString());
  c.queue = s.getColumn(5).getString();
  const int priority = s.getColumn(6).getInt();
  if (priority < 0 || priority > static_cast<int>(Priority::kUrgent)) {
    return internal_error("corrupt priority " + std::to_string(priority) + " in case " +
                          std::to_string(c.id.value));
  }
  c.priority = static_cast<Priority>(priority);
  c.customer_id = CustomerId(s.getColumn(7).getString());
  c.customer_name = s.getColumn(8).getString();
  c.segment = s.getColumn(9).getString();
  c.arr = s.getColumn(10).getDouble();
  if (!s.isColumnNull(11)) c.score = s.getColumn(11).getInt();
  TA_ASSIGN_OR_RETURN(auto ids, decode_strings(s.getColumn(12).getText()));
  c.responses.reserve(ids.size());
  for (auto& id : ids) c.responses.emplace_back(std::move(id));
  c.responded_at = column_instant(s, 13);
  c.opened_at = from_seconds(s.getColumn(14).getInt64());
  c.state_entered_at = from_seconds(s.getColumn(15).getInt64());
  c.closed_at = column_instant(s, 16);
  c.version = s.getColumn(17).getInt64();
  TA_ASSIGN_OR_RETURN(c.data, decode_fields(s.getColumn(18).getText()));
  TA_ASSIGN_OR_RETURN(c.deadlines, decode_deadlines(s.getColumn(19).getText()));
  TA_ASSIGN_OR_RETURN(c.themes, decode_strings(s.getColumn(20).getText()));
  c.first_contact_at = column_instant(s, 21);
  return c;
}

std::string case_name(CaseId id) { return "case " + std::to_string(id.value); }

}  // namespace

Result<std::optional<CaseId>> SqliteTransaction::find_open_case(const CustomerId& customer,
                                                                std::string_view workflow) {
  return guarded("find_open_case", [&]() -> Result<std::optional<CaseId>> {
    auto s = use(Sql::kFindOpenCase);
    scratch_.assign(workflow);
    bind_text(*s, 1, customer.value);
    bind_text(*s, 2, scratch_);
    if (!s->executeStep() || s->getColumn(0).isNull()) return std::optional<CaseId>();
    return std::optional<CaseId>(CaseId(s->getColumn(0).getInt64()));
  });
}

Result<Case> SqliteTransaction::load_case(CaseId id, bool with_history) {
  return guarded("load_case", [&]() -> Result<Case> {
    Result<Case> c = [&]() -> Result<Case> {
      auto s = use(Sql::kLoadCase);
      bind_int(*s, 1, id.value);
      if (!s->executeStep()) return not_found(case_name(id) + " not found");
      Result<Case> read = read_case(*s);
      if (read.ok() && mode_ == TxnMode::kWrite) {
        // The row as stored, so that update_case need not read it and
        // writes only what changed.
        case_rows_.insert_or_assign(id.value, loaded_row(*s));
      }
      return read;
    }();
    if (c.ok() && with_history) TA_RETURN_IF_ERROR(load_history(id, c->history));
    return c;
  });
}

Status SqliteTransaction::load_history(CaseId id, std::vector<HistoryEntry>& out) {
  auto s = use(Sql::kLoadHistory);
  bind_int(*s, 1, id.value);
  while (s->executeStep()) {
    HistoryEntry h;
    h.at = from_seconds(s->getColumn(0).getInt64());
    h.event = s->getColumn(1).getString();
    h.from = s->getColumn(2).getString();
    h.to = s->getColumn(3).getString();
    h.by = s->getColumn(4).getString();
    TA_ASSIGN_OR_RETURN(h.data, decode_fields(s->getColumn(5).getText()));
    out.push_back(std::move(h));
  }
  return Status();
}

Result<CaseId> SqliteTransaction::insert_case(const Case& c) {
  assert(c.version == 1 && "insert_case: a new case has version 1");
  return guarded("insert_case", [&]() -> Result<CaseId> {
    CaseRow row = case_row(c);
    {
      auto s = use(Sql::kInsertCase);
      for (int i = 0; i < CaseRow::kColumns; ++i) bind_column(*s, row, i);
      s->exec();
    }
    const CaseId id(db_.getLastInsertRowid());
    insert_history(id, c.history);
    link_responses(id, c.responses);
    file_case_summaries(id, c, std::move(row), nullptr);
    return id;
  });
}

Status SqliteTransaction::update_case(const Case& c, std::int64_t expected_version) {
  assert(c.version == expected_version + 1 && "update_case: version must be expected + 1");
  return guarded("update_case", [&]() -> Status {
    const CaseRow* old = stored_row(c.id);
    if (!old) return not_found(case_name(c.id) + " not found");
    const std::int64_t stored_version = old->integer(CaseRow::kVersion);
    if (stored_version != expected_version) {
      return aborted(case_name(c.id) + " was changed by someone else (version " +
                     std::to_string(stored_version) + ", expected " +
                     std::to_string(expected_version) + ")");
    }
    CaseRow now = case_row(c);
    std::uint32_t changed = 0;
    for (int i = 0; i < CaseRow::kColumns; ++i) {
      if (now.values[i] != old->values[i]) changed |= std::uint32_t{1} << i;
    }
    {
      StatementUse s(statements_.case_update(changed));
      for (int i = 0; i < CaseRow::kColumns; ++i) {
        if (changed & (std::uint32_t{1} << i)) bind_column(*s, now, i);
      }
      bind_int(*s, 23, c.id.value);
      bind_int(*s, 24, expected_version);
      if (s->exec() != 1) {
        // The row this transaction remembered is not the stored one: a
        // write behind the store's back. Nothing was written.
        case_rows_.erase(c.id.value);
        return internal_error(case_name(c.id) + " changed outside the store in this transaction");
      }
    }
    if (changed & (std::uint32_t{1} << CaseRow::kResponses)) {
      link_responses(c.id, c.responses, &old->text(CaseRow::kResponses), &now.text(CaseRow::kResponses));
    }
    file_case_summaries(c.id, c, std::move(now), old);
    return Status();
  });
}

Status SqliteTransaction::append_history(CaseId id, const std::vector<HistoryEntry>& entries) {
  return guarded("append_history", [&]() -> Status {
    insert_history(id, entries);
    return Status();
  });
}

void SqliteTransaction::insert_history(CaseId id, const std::vector<HistoryEntry>& entries) {
  for (const HistoryEntry& h : entries) {
    const std::string data = encode_fields(h.data);
    auto s = use(Sql::kInsertHistory);
    bind_int(*s, 1, id.value);
    bind_instant(*s, 2, h.at);
    bind_text(*s, 3, h.event);
    bind_text(*s, 4, h.from);
    bind_text(*s, 5, h.to);
    bind_text(*s, 6, h.by);
    bind_text(*s, 7, data);
    s->exec();
  }
}

namespace {

// The ids `listed` has after those of `linked`, when `listed` is `linked`
// with ids appended (both as encode_strings writes them): what an attached
// response does to a case. Else nullopt.
std::optional<std::vector<std::string>> appended_ids(std::string_view linked, std::string_view listed) {
  if (linked.size() < 2 || linked.back() != ']' || listed.size() <= linked.size()) return std::nullopt;
  const std::size_t kept = linked.size() - 1;  // all but the ']'
  if (listed.substr(0, kept) != linked.substr(0, kept)) return std::nullopt;
  std::string tail;
  if (linked == "[]") {
    tail = listed;
  } else {
    // Right after the last kept id's closing quote: a ',' and the new ids.
    if (listed[kept] != ',') return std::nullopt;
    tail = "[";
    tail += listed.substr(kept + 1);
  }
  auto ids = decode_strings(tail);
  if (!ids.ok()) return std::nullopt;
  return std::move(*ids);
}

}  // namespace

void SqliteTransaction::link_responses(CaseId id, const std::vector<ResponseId>& responses,
                                       const std::string* linked_json, const std::string* listed_json) {
  auto link = [&](const std::string& response_id) {
    auto s = use(Sql::kLinkResponse);
    bind_int(*s, 1, id.value);
    bind_text(*s, 2, response_id);
    s->exec();
  };
  if (linked_json && listed_json) {
    // The usual update appends: decode the new ids only, not the whole list.
    if (auto added = appended_ids(*linked_json, *listed_json)) {
      for (const std::string& r : *added) link(r);
      return;
    }
  }
  // A case gathers a customer's responses over months: an update links the
  // ones its stored row does not list yet, not all of them again.
  std::unordered_set<std::string_view> linked;
  Result<std::vector<std::string>> stored = std::vector<std::string>();
  if (linked_json) stored = decode_strings(*linked_json);
  if (stored.ok()) linked.insert(stored->begin(), stored->end());  // else: link all again
  for (const ResponseId& r : responses) {
    if (linked.count(r.value) == 0) link(r.value);
  }
}

namespace {

// "%text%" with LIKE's wildcards escaped by '\\'.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// Binds the filter parameters of list_cases_sql / count_cases_sql.
void bind_filter(SQLite::Statement& s, const CaseFilter& f, bool with_cursor) {
  if (with_cursor) {
    s.bind(":after_id", static_cast<std::int64_t>(f.after_id));
    if (f.by_due) s.bind(":after_due", static_cast<std::int64_t>(f.after_due));
    s.bind(":limit", static_cast<std::int64_t>(f.limit > 0 ? f.limit : -1));
  }
  if (f.state) s.bind(":state", *f.state);
  if (f.owner) s.bind(":owner", f.owner->value);
  if (f.workflow) s.bind(":workflow", *f.workflow);
  if (f.segment) s.bind(":segment", *f.segment);
  if (f.customer_id) s.bind(":customer", f.customer_id->value);
  if (f.priority) s.bind(":priority", static_cast<int>(*f.priority));
  if (f.customer_search) {
    s.bind(":search_like", like_pattern(*f.customer_search));
    s.bind(":search_prefix", *f.customer_search);
  }
  if (f.queue) s.bind(":queue", *f.queue);
  if (f.overdue_at) s.bind(":overdue_at", to_seconds(*f.overdue_at));
}

}  // namespace

Result<std::vector<Case>> SqliteTransaction::list_cases(const CaseFilter& f) {
  return guarded("list_cases", [&]() -> Result<std::vector<Case>> {
    StatementUse s(statements_.get(list_cases_sql(f)));
    bind_filter(*s, f, true);
    std::vector<Case> out;
    while (s->executeStep()) {
      TA_ASSIGN_OR_RETURN(auto c, read_case(*s));
      out.push_back(std::move(c));
    }
    return out;
  });
}

Result<std::map<std::string, std::int64_t>> SqliteTransaction::count_cases_by_state(
    const CaseFilter& f) {
  return guarded("count_cases_by_state", [&]() -> Result<std::map<std::string, std::int64_t>> {
    StatementUse s(statements_.get(count_cases_sql(f)));
    bind_filter(*s, f, false);
    std::map<std::string, std::int64_t> out;
    while (s->executeStep()) out.emplace(s->getColumn(0).getString(), s->getColumn(1).getInt64());
    return out;
  });
}

Result<std::vector<Response>> SqliteTransaction::case_responses(const Case& c) {
  return guarded("case_responses", [&]() -> Result<std::vector<Response>> {
    // One primary-key lookup per response of the case (usually one or two):
    // cheaper than walking every response of the customer and filtering on
    // case_id, which cost about a tenth of a GET /v1/cases/{id}.
    auto s = use(Sql::kCaseResponses);
    std::vector<Response> out;
    out.reserve(c.responses.size());
    for (const ResponseId& id : c.responses) {
      s->reset();
      bind_text(*s, 1, id.value);
      if (!s->executeStep()) continue;
      Response r;
      r.response_id = ResponseId(s->getColumn(0).getString());
      r.customer_id = CustomerId(s->getColumn(1).getString());
      r.customer_name = s->getColumn(2).getString();
      r.segment = s->getColumn(3).getString();
      r.arr = s->getColumn(4).getDouble();
      r.score = s->getColumn(5).getInt();
      r.comment = s->getColumn(6).getString();
      r.responded_at = Instant(std::chrono::seconds(s->getColumn(7).getInt64()));
      out.push_back(std::move(r));
    }
    // Ordered here rather than by an ORDER BY (a temporary B-tree for a few
    // rows). response_id is unique and compares as SQLite's BINARY collation
    // does (bytes, then length), so the order is the one ORDER BY
    // responded_at, response_id gives.
    std::sort(out.begin(), out.end(), [](const Response& a, const Response& b) {
      if (a.responded_at != b.responded_at) return a.responded_at < b.responded_at;
      return a.response_id.value < b.response_id.value;
    });
    return out;
  });
}

Result<std::map<PersonId, int>> SqliteTransaction::open_case_counts() {
  return guarded("open_case_counts", [&]() -> Result<std::map<PersonId, int>> {
    auto s = use(Sql::kOpenCaseCounts);
    std::map<PersonId, int> out;
    while (s->executeStep()) {
      const int n = s->getColumn(1).getInt();
      if (n > 0) out.emplace(PersonId(s->getColumn(0).getString()), n);
    }
    return out;
  });
}

}  // namespace turnaround::storage

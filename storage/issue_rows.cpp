// Top-five issues: the issues and issue_links tables (migration 5), and the
// two read queries the issue features need before the analytics tables
// exist: themed_cases (json_each over cases.data) and response_counts (the
// responses_by_segment_time / responses_by_time indexes).
//
// The SQL lives here rather than in statements.cpp so that this feature's
// statements stay in one place; they are prepared once per connection
// through StatementCache::get(text).

#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

// ?1 case_id, ?2 theme, ?3 segment, ?4 title, ?5 opened_by, ?6 opened_at.
const std::string kInsertIssue =
    "INSERT INTO issues (case_id, theme, segment, title, opened_by, opened_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define TA_ISSUE_SELECT                                                               \
  "SELECT i.case_id, i.theme, i.segment, i.title, i.opened_by, i.opened_at, "         \
  "c.closed_at IS NULL FROM issues i JOIN cases c ON c.id = i.case_id "
const std::string kListIssues = TA_ISSUE_SELECT "ORDER BY i.case_id";
// ?1 case_id.
const std::string kFindIssue = TA_ISSUE_SELECT "WHERE i.case_id = ?1";
// ?1 issue_id, ?2 case_id, ?3 linked_at, ?4 linked_by, ?5 how.
const std::string kInsertLink =
    "INSERT INTO issue_links (issue_id, case_id, linked_at, linked_by, how) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (issue_id, case_id) DO NOTHING";
// ?1 issue_id.
const std::string kIssueLinks =
    "SELECT issue_id, case_id, linked_at, linked_by, how FROM issue_links "
    "WHERE issue_id = ?1 ORDER BY linked_at, case_id";
// ?1 case_id.
const std::string kCaseLinks =
    "SELECT issue_id, case_id, linked_at, linked_by, how FROM issue_links "
    "WHERE case_id = ?1 ORDER BY issue_id";
// ?1 workflow, ?2 JSON path of the field ('$."themes"'), ?3 theme or NULL
// for all. json_each of a text value yields that one value, of an array its
// elements: so fields of type theme and themes both work.
const std::string kThemedCases =
    "SELECT c.id, c.customer_id, c.segment, c.arr, c.closed_at IS NULL, j.value "
    "FROM cases c, json_each(c.data, ?2) j "
    "WHERE c.workflow = ?1 AND j.type = 'text' AND (?3 IS NULL OR j.value = ?3) "
    "ORDER BY c.id";
// ?1 segment, ?2 from, ?3 to: uses responses_by_segment_time.
const std::string kSegmentCounts =
    "SELECT count(*), coalesce(sum(score <= 6), 0) FROM responses "
    "WHERE segment = ?1 AND responded_at >= ?2 AND responded_at < ?3";
// ?1 from, ?2 to: uses responses_by_time.
const std::string kAllCounts =
    "SELECT count(*), coalesce(sum(score <= 6), 0) FROM responses "
    "WHERE responded_at >= ?1 AND responded_at < ?2";

IssueRecord read_issue(SQLite::Statement& s) {
  IssueRecord r;
  r.id = CaseId(s.getColumn(0).getInt64());
  r.theme = s.getColumn(1).getString();
  r.segment = s.getColumn(2).getString();
  r.title = s.getColumn(3).getString();
  r.opened_by = PersonId(s.getColumn(4).getString());
  r.opened_at = from_seconds(s.getColumn(5).getInt64());
  r.open = s.getColumn(6).getInt() != 0;
  return r;
}

IssueLink read_link(SQLite::Statement& s) {
  IssueLink l;
  l.issue_id = CaseId(s.getColumn(0).getInt64());
  l.case_id = CaseId(s.getColumn(1).getInt64());
  l.linked_at = from_seconds(s.getColumn(2).getInt64());
  l.linked_by = PersonId(s.getColumn(3).getString());
  l.how = s.getColumn(4).getString();
  return l;
}

// A JSON path naming one object key, quoted so any field name is safe.
std::string json_key_path(const std::string& field) {
  std::string out = "$.\"";
  for (char ch : field) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

Status SqliteTransaction::insert_issue(const IssueRecord& i) {
  return guarded("insert_issue", [&]() -> Status {
    StatementUse s(statements_.get(kInsertIssue));
    bind_int(*s, 1, i.id.value);
    bind_text(*s, 2, i.theme);
    bind_text(*s, 3, i.segment);
    bind_text(*s, 4, i.title);
    bind_text(*s, 5, i.opened_by.value);
    bind_instant(*s, 6, i.opened_at);
    s->exec();
    return Status();
  });
}

Result<std::vector<IssueRecord>> SqliteTransaction::list_issues() {
  return guarded("list_issues", [&]() -> Result<std::vector<IssueRecord>> {
    StatementUse s(statements_.get(kListIssues));
    std::vector<IssueRecord> out;
    while (s->executeStep()) out.push_back(read_issue(*s));
    return out;
  });
}

Result<std::optional<IssueRecord>> SqliteTransaction::find_issue(CaseId id) {
  return guarded("find_issue", [&]() -> Result<std::optional<IssueRecord>> {
    StatementUse s(statements_.get(kFindIssue));
    bind_int(*s, 1, id.value);
    if (!s->executeStep()) return std::optional<IssueRecord>();
    return std::optional<IssueRecord>(read_issue(*s));
  });
}

Result<bool> SqliteTransaction::insert_issue_link(const IssueLink& l) {
  return guarded("insert_issue_link", [&]() -> Result<bool> {
    StatementUse s(statements_.get(kInsertLink));
    bind_int(*s, 1, l.issue_id.value);
    bind_int(*s, 2, l.case_id.value);
    bind_instant(*s, 3, l.linked_at);
    bind_text(*s, 4, l.linked_by.value);
    bind_text(*s, 5, l.how);
    return s->exec() > 0;
  });
}

Result<std::vector<IssueLink>> SqliteTransaction::issue_links(CaseId issue) {
  return guarded("issue_links", [&]() -> Result<std::vector<IssueLink>> {
    StatementUse s(statements_.get(kIssueLinks));
    bind_int(*s, 1, issue.value);
    std::vector<IssueLink> out;
    while (s->executeStep()) out.push_back(read_link(*s));
    return out;
  });
}

Result<std::vector<IssueLink>> SqliteTransaction::case_issue_links(CaseId c) {
  return guarded("case_issue_links", [&]() -> Result<std::vector<IssueLink>> {
    StatementUse s(statements_.get(kCaseLinks));
    bind_int(*s, 1, c.value);
    std::vector<IssueLink> out;
    while (s->executeStep()) out.push_back(read_link(*s));
    return out;
  });
}

Result<std::vector<ThemedCase>> SqliteTransaction::themed_cases(
    const std::vector<ThemeSource>& sources, const std::optional<std::string>& theme) {
  return guarded("themed_cases", [&]() -> Result<std::vector<ThemedCase>> {
    // (case, theme) pairs, deduplicated across sources, in case id order.
    std::map<std::pair<std::int64_t, std::string>, ThemedCase> rows;
    for (const ThemeSource& src : sources) {
      StatementUse s(statements_.get(kThemedCases));
      const std::string path = json_key_path(src.field);
      bind_text(*s, 1, src.workflow);
      bind_text(*s, 2, path);
      if (theme) {
        bind_text(*s, 3, *theme);
      } else {
        s->bind(3);
      }
      while (s->executeStep()) {
        ThemedCase t;
        t.id = CaseId(s->getColumn(0).getInt64());
        t.customer_id = CustomerId(s->getColumn(1).getString());
        t.segment = s->getColumn(2).getString();
        t.arr = s->getColumn(3).getDouble();
        t.open = s->getColumn(4).getInt() != 0;
        t.theme = s->getColumn(5).getString();
        rows.emplace(std::make_pair(t.id.value, t.theme), t);
      }
    }
    std::vector<ThemedCase> out;
    out.reserve(rows.size());
    for (auto& [key, t] : rows) out.push_back(std::move(t));
    return out;
  });
}

Result<ResponseCounts> SqliteTransaction::response_counts(std::string_view segment, Instant from,
                                                          Instant to) {
  return guarded("response_counts", [&]() -> Result<ResponseCounts> {
    ResponseCounts out;
    if (segment.empty()) {
      StatementUse s(statements_.get(kAllCounts));
      bind_instant(*s, 1, from);
      bind_instant(*s, 2, to);
      s->executeStep();
      out.responses = s->getColumn(0).getInt64();
      out.detractors = s->getColumn(1).getInt64();
    } else {
      StatementUse s(statements_.get(kSegmentCounts));
      scratch_.assign(segment);
      bind_text(*s, 1, scratch_);
      bind_instant(*s, 2, from);
      bind_instant(*s, 3, to);
      s->executeStep();
      out.responses = s->getColumn(0).getInt64();
      out.detractors = s->getColumn(1).getInt64();
    }
    return out;
  });
}

}  // namespace turnaround::storage

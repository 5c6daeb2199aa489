// Top-five issues: the issues and issue_links tables (migration 5), and
// response_counts (the covering indexes responses_by_segment_time_score
// and responses_by_time_score of migration 7). Which cases carry a theme
// comes from the analytics table case_themes (analytics_rows.cpp:
// cases_with_theme, theme_case_totals).
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
// ?1 issue_id.
const std::string kLinkedCases =
    "SELECT l.issue_id, l.case_id, l.linked_at, l.linked_by, l.how, c.customer_name, c.segment, "
    "c.arr, c.state, c.owner, c.closed_at IS NULL, c.customer_id FROM issue_links l "
    "JOIN cases c ON c.id = l.case_id WHERE l.issue_id = ?1 ORDER BY l.linked_at, l.case_id";
// ?1 issue_id: the issue's rows of issue_link_customers (migration 9: per
// customer the linked cases, open ones and highest arr, kept by triggers),
// summed in customer order as the aggregate over the links was.
const std::string kLinkTotals =
    "SELECT coalesce(sum(open_cases), 0), coalesce(sum(cases) - sum(open_cases), 0), "
    "coalesce(sum(arr), 0) FROM issue_link_customers WHERE issue_id = ?1";
// ?1 case_id, ?2 event: the few entries of that event (case_history_by_event_case).
// (Without INDEXED BY the planner takes the primary key (case_id, seq) and reads the
// issue's whole history: a case_linked entry per link.)
const std::string kLastEventAt =
    "SELECT max(at) FROM case_history INDEXED BY case_history_by_event_case "
    "WHERE event = ?2 AND case_id = ?1";
// ?1 case_id.
const std::string kCaseLinks =
    "SELECT issue_id, case_id, linked_at, linked_by, how FROM issue_links "
    "WHERE case_id = ?1 ORDER BY issue_id";
// ?1 segment, ?2 from, ?3 to: covered by responses_by_segment_time_score.
const std::string kSegmentCounts =
    "SELECT count(*), coalesce(sum(score <= 6), 0) FROM responses "
    "WHERE segment = ?1 AND responded_at >= ?2 AND responded_at < ?3";
// ?1 from, ?2 to: covered by responses_by_time_score.
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

Result<std::vector<LinkedCase>> SqliteTransaction::linked_cases(CaseId issue) {
  return guarded("linked_cases", [&]() -> Result<std::vector<LinkedCase>> {
    StatementUse s(statements_.get(kLinkedCases));
    bind_int(*s, 1, issue.value);
    std::vector<LinkedCase> out;
    while (s->executeStep()) {
      LinkedCase lc;
      lc.link = read_link(*s);
      lc.customer_name = s->getColumn(5).getString();
      lc.segment = s->getColumn(6).getString();
      lc.arr = s->getColumn(7).getDouble();
      lc.state = s->getColumn(8).getString();
      lc.owner = PersonId(s->getColumn(9).getString());
      lc.open = s->getColumn(10).getInt() != 0;
      lc.customer_id = CustomerId(s->getColumn(11).getString());
      out.push_back(std::move(lc));
    }
    return out;
  });
}

Result<LinkTotals> SqliteTransaction::issue_link_totals(CaseId issue) {
  return guarded("issue_link_totals", [&]() -> Result<LinkTotals> {
    StatementUse s(statements_.get(kLinkTotals));
    bind_int(*s, 1, issue.value);
    LinkTotals t;
    if (s->executeStep()) {
      t.open = s->getColumn(0).getInt64();
      t.closed = s->getColumn(1).getInt64();
      t.arr = s->getColumn(2).getDouble();
    }
    return t;
  });
}

Result<std::optional<Instant>> SqliteTransaction::last_event_at(CaseId id, std::string_view event) {
  return guarded("last_event_at", [&]() -> Result<std::optional<Instant>> {
    StatementUse s(statements_.get(kLastEventAt));
    bind_int(*s, 1, id.value);
    scratch_.assign(event);
    bind_text(*s, 2, scratch_);
    if (!s->executeStep()) return std::optional<Instant>();
    return column_instant(*s, 0);
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

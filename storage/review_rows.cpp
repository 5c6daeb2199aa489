// Loss review: the agenda's queries and the review_meetings rows.
//
// The SQL lives here rather than in statements.cpp because several queries
// take lists of variable length (workflow and event names): their text is
// built per shape and cached by text in the connection's StatementCache, so
// each shape is prepared once. Every query is a range scan of an index of
// migration 4 (see migrations.cpp).

#include "storage/agenda_codec.h"
#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

// "?a,?b,..." placeholders for `n` values starting at parameter `first`.
std::string placeholders(std::size_t n, int first) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += (i ? ",?" : "?") + std::to_string(first + static_cast<int>(i));
  }
  return out;
}

// Binds `names` from parameter `first` on.
void bind_names(SQLite::Statement& s, const std::vector<std::string>& names, int first) {
  for (std::size_t i = 0; i < names.size(); ++i) bind_text(s, first + static_cast<int>(i), names[i]);
}

constexpr const char* kDigestColumns =
    "id, workflow, state, owner, customer_id, customer_name, segment, arr, opened_at, closed_at, "
    "(closed_at IS NULL AND overdue_since IS NOT NULL AND overdue_since < ?3)";

CaseDigest read_digest(SQLite::Statement& s) {
  CaseDigest d;
  d.id = CaseId(s.getColumn(0).getInt64());
  d.workflow = s.getColumn(1).getString();
  d.state = s.getColumn(2).getString();
  d.owner = PersonId(s.getColumn(3).getString());
  d.customer_id = CustomerId(s.getColumn(4).getString());
  d.customer_name = s.getColumn(5).getString();
  d.segment = s.getColumn(6).getString();
  d.arr = s.getColumn(7).getDouble();
  d.opened_at = from_seconds(s.getColumn(8).getInt64());
  d.closed_at = column_instant(s, 9);
  d.overdue = s.getColumn(10).getInt() != 0;
  return d;
}

// The FROM and WHERE clauses of a digest query; ?1 from, ?2 to, ?3 as_of,
// workflows from ?5 on (?4 is the limit). The overdue view filters the
// covering index of open cases (overdue_since is in it) rather than walking
// all open cases of the workflow through the table.
std::string digest_where(const DigestQuery& q) {
  const std::string workflows = placeholders(q.workflows.size(), 5);
  if (q.kind == DigestQuery::Kind::kOpenOrOpenedBetween) {
    // Two index range scans (open cases; cases opened in the period and
    // closed) instead of every case of the workflows through the table.
    // The two are disjoint (open, closed), so their ids are counted and
    // paged as they come, without reading a table row.
    return " FROM (SELECT id FROM cases INDEXED BY cases_open_by_workflow "
           "WHERE closed_at IS NULL AND workflow IN (" + workflows + ") UNION ALL "
           "SELECT id FROM cases INDEXED BY cases_timing WHERE workflow IN (" + workflows +
           ") AND opened_at >= ?1 AND opened_at < ?2 AND closed_at IS NOT NULL)";
  }
  std::string w = q.kind == DigestQuery::Kind::kOverdue ? " FROM cases INDEXED BY cases_open_by_workflow"
                                                        : " FROM cases";
  w += " WHERE workflow IN (" + workflows + ")";
  switch (q.kind) {
    case DigestQuery::Kind::kOpenedBetween: w += " AND opened_at >= ?1 AND opened_at < ?2"; break;
    case DigestQuery::Kind::kClosedBetween:
      w += " AND closed_at IS NOT NULL AND closed_at >= ?1 AND closed_at < ?2";
      break;
    case DigestQuery::Kind::kOpenOrOpenedBetween: break;  // above
    case DigestQuery::Kind::kOverdue:
      w += " AND closed_at IS NULL AND overdue_since IS NOT NULL AND overdue_since < ?3";
      break;
  }
  return w;
}

void bind_digest(SQLite::Statement& s, const DigestQuery& q, bool with_limit) {
  bind_instant(s, 1, q.from);
  bind_instant(s, 2, q.to);
  bind_instant(s, 3, q.as_of);
  if (with_limit) bind_int(s, 4, q.limit);
  bind_names(s, q.workflows, 5);
}

ReviewMeetingRow read_meeting(SQLite::Statement& s) {
  ReviewMeetingRow r;
  r.month = s.getColumn(0).getString();
  r.starts_at = from_seconds(s.getColumn(1).getInt64());
  r.cutoff_at = from_seconds(s.getColumn(2).getInt64());
  r.frozen_at = column_instant(s, 3);
  return r;
}

constexpr const char* kMeetingColumns = "month, starts_at, cutoff_at, frozen_at";

}  // namespace

Result<std::vector<LostCustomer>> SqliteTransaction::lost_customers(
    Instant from, Instant to, const std::vector<std::string>& case_workflows) {
  return guarded("lost_customers", [&]() -> Result<std::vector<LostCustomer>> {
    // The newest case per customer of the workflows by a correlated lookup
    // in cases_by_customer (customer_id, workflow, closed_at, state), which
    // also gives its state, and the customer's name and segment from
    // customers_by_id_name (migration 9): one statement rather than one
    // query per lost customer, and no table row of cases or customers read
    // (two index entries per lost customer instead of four pages).
    const std::string workflows = placeholders(case_workflows.size(), 3);
    const std::string newest =
        case_workflows.empty()
            ? std::string(" LEFT JOIN cases k ON 0")
            : " LEFT JOIN cases k INDEXED BY cases_by_customer ON k.customer_id = e.customer_id "
              "AND k.workflow IN (" + workflows + ") AND k.id = (SELECT k2.id FROM cases k2 "
              "INDEXED BY cases_by_customer WHERE k2.customer_id = e.customer_id AND k2.workflow "
              "IN (" + workflows + ") ORDER BY k2.id DESC LIMIT 1)";
    StatementUse s(statements_.get(
        "SELECT e.customer_id, COALESCE(c.name, ''), COALESCE(c.segment, ''), e.arr, e.reason, "
        "e.lost_at, k.id, k.state FROM churn_events e INDEXED BY churn_events_by_time "
        "LEFT JOIN customers c INDEXED BY customers_by_id_name ON c.id = e.customer_id" + newest +
        " WHERE e.lost_at >= ?1 AND e.lost_at < ?2 ORDER BY e.lost_at, e.customer_id"));
    bind_instant(*s, 1, from);
    bind_instant(*s, 2, to);
    bind_names(*s, case_workflows, 3);
    std::vector<LostCustomer> out;
    while (s->executeStep()) {
      LostCustomer l;
      l.customer_id = CustomerId(s->getColumn(0).getString());
      l.name = s->getColumn(1).getString();
      l.segment = s->getColumn(2).getString();
      l.arr = s->getColumn(3).getDouble();
      l.reason = s->getColumn(4).getString();
      l.lost_at = from_seconds(s->getColumn(5).getInt64());
      if (!s->isColumnNull(6)) {
        l.case_id = CaseId(s->getColumn(6).getInt64());
        l.case_state = s->getColumn(7).getString();
      }
      out.push_back(std::move(l));
    }
    return out;
  });
}

Result<DigestPage> SqliteTransaction::case_digests(const DigestQuery& q) {
  return guarded("case_digests", [&]() -> Result<DigestPage> {
    DigestPage page;
    if (q.workflows.empty()) return page;
    const std::string where = digest_where(q);
    {
      StatementUse s(statements_.get("SELECT COUNT(*)" + where));
      bind_digest(*s, q, false);
      if (s->executeStep()) page.total = s->getColumn(0).getInt64();
    }
    // The page's ids from the index alone (every index holds the id), then
    // only those rows: not every matching row read to sort it by id.
    StatementUse s(statements_.get(std::string("SELECT ") + kDigestColumns +
                                   " FROM cases WHERE id IN (SELECT id" + where +
                                   " ORDER BY id LIMIT ?4) ORDER BY id"));
    bind_digest(*s, q, true);
    while (s->executeStep()) page.cases.push_back(read_digest(*s));
    return page;
  });
}

Result<std::vector<StateCount>> SqliteTransaction::open_counts_by_state(
    const std::vector<std::string>& workflows, Instant as_of) {
  return guarded("open_counts_by_state", [&]() -> Result<std::vector<StateCount>> {
    std::vector<StateCount> out;
    if (workflows.empty()) return out;
    // Covered by cases_open_by_workflow: no table row is read.
    StatementUse s(statements_.get(
        "SELECT state, COUNT(*), SUM(overdue_since IS NOT NULL AND overdue_since < ?1) "
        "FROM cases INDEXED BY cases_open_by_workflow WHERE closed_at IS NULL AND workflow IN (" +
        placeholders(workflows.size(), 2) + ") GROUP BY state ORDER BY state"));
    bind_instant(*s, 1, as_of);
    bind_names(*s, workflows, 2);
    while (s->executeStep()) {
      out.push_back({s->getColumn(0).getString(), s->getColumn(1).getInt64(),
                     s->getColumn(2).getInt64()});
    }
    return out;
  });
}

Result<std::vector<OwnerCount>> SqliteTransaction::overdue_counts_by_owner(
    const std::vector<std::string>& workflows, Instant as_of) {
  return guarded("overdue_counts_by_owner", [&]() -> Result<std::vector<OwnerCount>> {
    std::vector<OwnerCount> out;
    if (workflows.empty()) return out;
    StatementUse s(statements_.get(
        "SELECT owner, COUNT(*) FROM cases INDEXED BY cases_open_by_workflow "
        "WHERE closed_at IS NULL AND overdue_since IS NOT NULL AND overdue_since < ?1 "
        "AND workflow IN (" + placeholders(workflows.size(), 2) + ") GROUP BY owner ORDER BY owner"));
    bind_instant(*s, 1, as_of);
    bind_names(*s, workflows, 2);
    while (s->executeStep()) {
      out.push_back({PersonId(s->getColumn(0).getString()), s->getColumn(1).getInt64()});
    }
    return out;
  });
}

Result<std::int64_t> SqliteTransaction::count_cases_with_events(
    const std::vector<std::string>& workflows, const std::vector<std::string>& events, Instant from,
    Instant to) {
  return guarded("count_cases_with_events", [&]() -> Result<std::int64_t> {
    if (workflows.empty() || events.empty()) return std::int64_t{0};
    const int wf_first = 3 + static_cast<int>(events.size());
    // The distinct case ids of the entries (from the history index), then
    // each case once, in id order, checked in cases_id_cover: not a lookup
    // per entry and a sort for DISTINCT.
    StatementUse s(statements_.get(
        "SELECT COUNT(*) FROM cases c INDEXED BY cases_id_cover WHERE c.id IN (SELECT h.case_id "
        "FROM case_history h INDEXED BY case_history_by_event_case WHERE h.event IN (" +
        placeholders(events.size(), 3) + ") AND h.at >= ?1 AND h.at < ?2) AND c.workflow IN (" +
        placeholders(workflows.size(), wf_first) + ")"));
    bind_instant(*s, 1, from);
    bind_instant(*s, 2, to);
    bind_names(*s, events, 3);
    bind_names(*s, workflows, wf_first);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

Status SqliteTransaction::upsert_review_meeting(const ReviewMeetingRow& row) {
  return guarded("upsert_review_meeting", [&]() -> Status {
    StatementUse s(statements_.get(std::string(
        "INSERT INTO review_meetings (month, starts_at, cutoff_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (month) DO UPDATE SET starts_at = excluded.starts_at, "
        "cutoff_at = excluded.cutoff_at WHERE frozen_at IS NULL")));
    bind_text(*s, 1, row.month);
    bind_instant(*s, 2, row.starts_at);
    bind_instant(*s, 3, row.cutoff_at);
    s->exec();
    return Status();
  });
}

Result<std::optional<ReviewMeetingRow>> SqliteTransaction::find_review_meeting(
    std::string_view month) {
  return guarded("find_review_meeting", [&]() -> Result<std::optional<ReviewMeetingRow>> {
    StatementUse s(statements_.get(std::string("SELECT ") + kMeetingColumns +
                                   ", agenda FROM review_meetings WHERE month = ?1"));
    scratch_.assign(month);
    bind_text(*s, 1, scratch_);
    if (!s->executeStep()) return std::optional<ReviewMeetingRow>();
    ReviewMeetingRow r = read_meeting(*s);
    if (!s->getColumn(4).isNull()) {
      TA_ASSIGN_OR_RETURN(Agenda a, decode_agenda(s->getColumn(4).getText()));
      r.agenda = std::move(a);
    }
    return std::optional<ReviewMeetingRow>(std::move(r));
  });
}

Result<std::optional<ReviewMeetingRow>> SqliteTransaction::last_review_meeting() {
  return guarded("last_review_meeting", [&]() -> Result<std::optional<ReviewMeetingRow>> {
    StatementUse s(statements_.get(std::string("SELECT ") + kMeetingColumns +
                                   " FROM review_meetings ORDER BY starts_at DESC LIMIT 1"));
    if (!s->executeStep()) return std::optional<ReviewMeetingRow>();
    return std::optional<ReviewMeetingRow>(read_meeting(*s));
  });
}

Result<std::vector<ReviewMeetingRow>> SqliteTransaction::due_review_meetings(Instant now) {
  return guarded("due_review_meetings", [&]() -> Result<std::vector<ReviewMeetingRow>> {
    StatementUse s(statements_.get(std::string("SELECT ") + kMeetingColumns +
                                   " FROM review_meetings WHERE frozen_at IS NULL AND "
                                   "cutoff_at <= ?1 ORDER BY cutoff_at, month"));
    bind_instant(*s, 1, now);
    std::vector<ReviewMeetingRow> out;
    while (s->executeStep()) out.push_back(read_meeting(*s));
    return out;
  });
}

Result<std::optional<Instant>> SqliteTransaction::next_review_cutoff() {
  return guarded("next_review_cutoff", [&]() -> Result<std::optional<Instant>> {
    StatementUse s(statements_.get(std::string(
        "SELECT MIN(cutoff_at) FROM review_meetings WHERE frozen_at IS NULL")));
    if (!s->executeStep()) return std::optional<Instant>();
    return column_instant(*s, 0);
  });
}

Result<bool> SqliteTransaction::freeze_review_meeting(std::string_view month, const Agenda& agenda,
                                                      Instant frozen_at) {
  return guarded("freeze_review_meeting", [&]() -> Result<bool> {
    const std::string text = encode_agenda(agenda);
    const std::string m(month);
    int changed;
    {
      // Claim-by-update: only an unfrozen row changes, so freezing is
      // exactly once even with two processes ticking.
      StatementUse s(statements_.get(std::string(
          "UPDATE review_meetings SET frozen_at = ?2, agenda = ?3 "
          "WHERE month = ?1 AND frozen_at IS NULL")));
      bind_text(*s, 1, m);
      bind_instant(*s, 2, frozen_at);
      bind_text(*s, 3, text);
      changed = s->exec();
    }
    if (changed > 0) return true;
    StatementUse s(statements_.get(std::string("SELECT 1 FROM review_meetings WHERE month = ?1")));
    bind_text(*s, 1, m);
    if (!s->executeStep()) return not_found("no loss review meeting for " + m);
    return false;
  });
}

}  // namespace turnaround::storage

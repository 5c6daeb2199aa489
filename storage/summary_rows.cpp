// The analytics summaries SqliteTransaction writes itself (since migration
// 8): response_days, timing_months, case_deadlines and deadline_days. They
// were per-row triggers (analytics_schema.cpp), which roughly halved import
// and tick throughput (docs/performance.md, "The cost on import"):
//
// - Local days and months are computed here from the zone offsets, cached
//   per connection (ConnectionCache), instead of a correlated subquery on
//   zone_offsets for every row.
// - The rollups (response_days, timing_months, deadline_days) are
//   accumulated per transaction and written at commit, one upsert per
//   distinct key: an import batch of 10,000 responses touches a few hundred
//   keys. Whatever reads or rebuilds them inside the same transaction
//   flushes first, so a transaction always sees its own writes.
// - case_deadlines is written from the case's own deadline list, and only
//   when the deadlines, the owner or the workflow changed since the case was
//   loaded (or last written) in this transaction; its old rows are read
//   then, so the rule (a resolved deadline keeps the owner it was resolved
//   under) needs nothing but the table itself.
//
// The semantics are those of the triggers they replace, row for row:
// tests/storage/analytics_rows_test.cpp compares every summary with a
// rebuild from the base tables after a mixed workload.

#include <algorithm>
#include <initializer_list>

#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

constexpr const char* kMetricNames[] = {"opened", "first_contact", "close"};

// Whole hours from a to b, 0 if b is before a (SQL: max(0, (b - a) / 3600)).
std::int64_t whole_hours(Instant a, Instant b) {
  return std::max<std::int64_t>(0, (to_seconds(b) - to_seconds(a)) / 3600);
}

// One case_deadlines row.
struct DeadlineRow {
  std::string name;
  std::string workflow;
  std::string owner;
  std::int64_t due_at = 0;
  DeadlineStatus status = DeadlineStatus::kPending;
  std::optional<std::int64_t> resolved_at;
  bool operator==(const DeadlineRow&) const = default;
};

DeadlineStatus status_of(const std::string& text, const std::string& name) {
  auto st = parse_deadline_status(text);
  if (!st) throw SQLite::Exception("corrupt deadline status '" + text + "' of " + name);
  return *st;
}

}  // namespace

void SqliteTransaction::check_cache() {
  if (cache_checked_) return;
  std::int64_t version;
  {
    auto s = use(Sql::kDataVersion);
    s->executeStep();
    version = s->getColumn(0).getInt64();
  }
  if (!cache_.version_known || cache_.data_version != version) {
    cache_.zone_valid = false;
    cache_.token_persons.clear();
    cache_.data_version = version;
    cache_.version_known = true;
  }
  cache_checked_ = true;
}

const std::vector<ZoneOffset>& SqliteTransaction::zone_offsets() {
  check_cache();
  if (!cache_.zone_valid) {
    cache_.zone_offsets.clear();
    auto s = use(Sql::kListZoneOffsets);
    while (s->executeStep()) {
      cache_.zone_offsets.push_back(
          {from_seconds(s->getColumn(0).getInt64()), s->getColumn(1).getInt()});
    }
    cache_.zone_valid = true;
  }
  return cache_.zone_offsets;
}

void SqliteTransaction::count_response(const Response& r) {
  const LocalDay day = local_day_of(r.responded_at, zone_offsets());
  SummaryDeltas::DaySum& sum = deltas_.response_days[{day, r.segment, r.score}];
  sum.responses += 1;
  sum.arr += r.arr;
}

void SqliteTransaction::count_timing(const CaseRow& row, int sign) {
  const Instant opened_at = from_seconds(row.integer(CaseRow::kOpenedAt));
  const std::string& workflow = row.text(CaseRow::kWorkflow);
  const std::string& segment = row.text(CaseRow::kSegment);
  const LocalMonth month = local_month_of_day(local_day_of(opened_at, zone_offsets()));
  deltas_.timing_months[{workflow, month, segment, 0, 0}] += sign;
  if (auto first_contact_at = row.instant(CaseRow::kFirstContactAt)) {
    deltas_.timing_months[{workflow, month, segment, 1, whole_hours(opened_at, *first_contact_at)}] +=
        sign;
  }
  if (auto closed_at = row.instant(CaseRow::kClosedAt)) {
    deltas_.timing_months[{workflow, month, segment, 2, whole_hours(opened_at, *closed_at)}] += sign;
  }
}

const CaseRow* SqliteTransaction::stored_row(CaseId id) {
  if (auto it = case_rows_.find(id.value); it != case_rows_.end()) return &it->second;
  auto s = use(Sql::kCaseRow);
  bind_int(*s, 1, id.value);
  if (!s->executeStep()) return nullptr;
  CaseRow row;
  for (int i = 0; i < CaseRow::kColumns; ++i) row.values[i] = column_value(*s, i);
  return &case_rows_.insert_or_assign(id.value, std::move(row)).first->second;
}

void SqliteTransaction::file_case_summaries(CaseId id, const Case& c, CaseRow now,
                                            const CaseRow* old) {
  auto differ = [&](std::initializer_list<CaseRow::Column> columns) {
    for (CaseRow::Column k : columns) {
      if ((*old)[k] != now[k]) return true;
    }
    return false;
  };
  if (!old) {
    count_timing(now, +1);
    if (!c.deadlines.empty()) sync_case_deadlines(id, c, true);
  } else {
    if (differ({CaseRow::kWorkflow, CaseRow::kSegment, CaseRow::kOpenedAt,
                CaseRow::kFirstContactAt, CaseRow::kClosedAt})) {
      count_timing(*old, -1);
      count_timing(now, +1);
    }
    if (differ({CaseRow::kDeadlines, CaseRow::kOwner, CaseRow::kWorkflow})) {
      sync_case_deadlines(id, c, false);
    }
  }
  // `old` may point at this very entry: it is not used after this.
  if (mode_ == TxnMode::kWrite) case_rows_.insert_or_assign(id.value, std::move(now));
}

void SqliteTransaction::sync_case_deadlines(CaseId id, const Case& c, bool fresh) {
  // The rows as stored, then as they must be, in the order of the deadline
  // list (a name listed twice: the later entry wins, as the upsert did).
  std::vector<DeadlineRow> before;
  if (!fresh) {
    auto s = use(Sql::kCaseDeadlines);
    bind_int(*s, 1, id.value);
    while (s->executeStep()) {
      DeadlineRow r;
      r.name = s->getColumn(1).getString();
      r.workflow = s->getColumn(2).getString();
      r.owner = s->getColumn(3).getString();
      r.due_at = s->getColumn(4).getInt64();
      r.status = status_of(s->getColumn(5).getString(), r.name);
      if (!s->isColumnNull(6)) r.resolved_at = s->getColumn(6).getInt64();
      before.push_back(std::move(r));
    }
  }
  std::vector<DeadlineRow> after = before;
  auto find = [](std::vector<DeadlineRow>& rows, const std::string& name) -> DeadlineRow* {
    for (auto& r : rows) {
      if (r.name == name) return &r;
    }
    return nullptr;
  };
  for (const CaseDeadline& d : c.deadlines) {
    DeadlineRow want;
    want.name = d.name;
    want.workflow = c.workflow;
    want.owner = c.owner.value;
    want.due_at = to_seconds(d.due_at);
    want.status = d.status;
    if (d.resolved_at) want.resolved_at = to_seconds(*d.resolved_at);
    DeadlineRow* row = find(after, d.name);
    if (!row) {
      after.push_back(std::move(want));
      continue;
    }
    // Rewritten only if its due instant, status or resolution changed, or if
    // it is pending and the case's owner changed; a deadline resolved before
    // keeps its owner.
    const bool pending = want.status == DeadlineStatus::kPending;
    const bool changed =
        std::tie(row->workflow, row->due_at, row->status, row->resolved_at) !=
            std::tie(want.workflow, want.due_at, want.status, want.resolved_at) ||
        (pending && row->owner != want.owner);
    if (!changed) continue;
    if (row->status != DeadlineStatus::kPending && !pending) want.owner = row->owner;
    *row = std::move(want);
  }
  // Deadlines no longer on the case lose their rows.
  std::erase_if(after, [&](const DeadlineRow& r) {
    return std::none_of(c.deadlines.begin(), c.deadlines.end(),
                        [&](const CaseDeadline& d) { return d.name == r.name; });
  });

  const auto& offsets = zone_offsets();
  auto count = [&](const DeadlineRow& r, int sign) {
    const LocalDay day = local_day_of(from_seconds(r.due_at), offsets);
    deltas_.deadline_days[{r.name, r.workflow, r.owner, r.status, day}] += sign;
  };
  for (const DeadlineRow& b : before) {
    const DeadlineRow* a = find(after, b.name);
    if (a && *a == b) continue;
    count(b, -1);
    if (!a) {
      auto s = use(Sql::kDeleteCaseDeadline);
      bind_int(*s, 1, id.value);
      bind_text(*s, 2, b.name);
      s->exec();
    }
  }
  for (const DeadlineRow& a : after) {
    const DeadlineRow* b = find(before, a.name);
    if (b && *b == a) continue;
    count(a, +1);
    auto s = use(Sql::kUpsertCaseDeadline);
    bind_int(*s, 1, id.value);
    bind_text(*s, 2, a.name);
    bind_text(*s, 3, a.workflow);
    bind_text(*s, 4, a.owner);
    bind_int(*s, 5, a.due_at);
    s->bind(6, deadline_status_name(a.status));
    if (a.resolved_at) {
      bind_int(*s, 7, *a.resolved_at);
    } else {
      s->bind(7);
    }
    s->exec();
  }
}

void SqliteTransaction::flush_summaries() {
  if (deltas_.empty()) return;
  for (const auto& [key, sum] : deltas_.response_days) {
    if (sum.responses == 0) continue;
    auto s = use(Sql::kAddResponseDay);
    s->bind(1, std::get<0>(key));
    bind_text(*s, 2, std::get<1>(key));
    s->bind(3, std::get<2>(key));
    bind_int(*s, 4, sum.responses);
    s->bind(5, sum.arr);
    s->exec();
  }
  for (const auto& [key, n] : deltas_.timing_months) {
    if (n == 0) continue;
    auto s = use(Sql::kAddTimingMonth);
    bind_text(*s, 1, std::get<0>(key));
    s->bind(2, std::get<1>(key));
    bind_text(*s, 3, std::get<2>(key));
    s->bind(4, kMetricNames[std::get<3>(key)]);
    bind_int(*s, 5, std::get<4>(key));
    bind_int(*s, 6, n);
    s->exec();
  }
  for (const auto& [key, n] : deltas_.deadline_days) {
    if (n == 0) continue;
    auto s = use(Sql::kAddDeadlineDay);
    s->bind(1, std::get<4>(key));
    bind_text(*s, 2, std::get<0>(key));
    bind_text(*s, 3, std::get<1>(key));
    bind_text(*s, 4, std::get<2>(key));
    s->bind(5, deadline_status_name(std::get<3>(key)));
    bind_int(*s, 6, n);
    s->exec();
  }
  deltas_ = SummaryDeltas();
}

}  // namespace turnaround::storage

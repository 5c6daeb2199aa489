// Timers: insert, cancel, the due scan and the "fired" mark.
//
// Only pending timers are ever searched, so both timer indexes are partial
// (WHERE status = 'pending'): fired and cancelled rows, which accumulate
// forever, cost nothing on the due scan. Firing is claim-by-update
// (WHERE status = 'pending'), which makes a second firing of the same timer
// a visible no-op even across processes.

#include "storage/sqlite_errors.h"
#include "storage/sqlite_transaction.h"

namespace turnaround::storage {

namespace {

std::optional<MisfirePolicy> parse_misfire(std::string_view name) {
  for (auto p : {MisfirePolicy::kFireOnce, MisfirePolicy::kFireAll, MisfirePolicy::kSkip}) {
    if (name == misfire_policy_name(p)) return p;
  }
  return std::nullopt;
}

}  // namespace

Result<TimerId> SqliteTransaction::insert_timer(const Timer& t) {
  return guarded("insert_timer", [&]() -> Result<TimerId> {
    auto s = use(Sql::kInsertTimer);
    bind_int(*s, 1, t.case_id.value);
    bind_text(*s, 2, t.deadline);
    s->bindNoCopy(3, timer_kind_name(t.kind));
    s->bind(4, t.level);
    bind_instant(*s, 5, t.due_at);
    s->bindNoCopy(6, misfire_policy_name(t.misfire));
    s->exec();
    return TimerId(db_.getLastInsertRowid());
  });
}

Status SqliteTransaction::cancel_timers(CaseId id, std::string_view deadline) {
  return guarded("cancel_timers", [&]() -> Status {
    auto s = use(deadline.empty() ? Sql::kCancelAllTimers : Sql::kCancelTimers);
    bind_int(*s, 1, id.value);
    if (!deadline.empty()) {
      scratch_.assign(deadline);
      bind_text(*s, 2, scratch_);
    }
    s->exec();
    return Status();
  });
}

Result<std::vector<Timer>> SqliteTransaction::due_timers(Instant now, int limit) {
  return guarded("due_timers", [&]() -> Result<std::vector<Timer>> {
    auto s = use(Sql::kDueTimers);
    bind_instant(*s, 1, now);
    s->bind(2, limit);
    return read_timers(*s);
  });
}

Result<bool> SqliteTransaction::mark_timer_fired(TimerId id, Instant fired_at) {
  return guarded("mark_timer_fired", [&]() -> Result<bool> {
    auto s = use(Sql::kMarkTimerFired);
    bind_int(*s, 1, id.value);
    bind_instant(*s, 2, fired_at);
    return s->exec() == 1;
  });
}

Result<std::vector<Timer>> SqliteTransaction::case_timers(CaseId id) {
  return guarded("case_timers", [&]() -> Result<std::vector<Timer>> {
    auto s = use(Sql::kCaseTimers);
    bind_int(*s, 1, id.value);
    return read_timers(*s);
  });
}

Result<std::optional<Instant>> SqliteTransaction::next_timer_due() {
  return guarded("next_timer_due", [&]() -> Result<std::optional<Instant>> {
    auto s = use(Sql::kNextTimerDue);
    if (!s->executeStep()) return std::optional<Instant>();
    return std::optional<Instant>(from_seconds(s->getColumn(0).getInt64()));
  });
}

// Reads rows of TA_TIMER_COLUMNS (statements.cpp).
Result<std::vector<Timer>> SqliteTransaction::read_timers(SQLite::Statement& s) {
  std::vector<Timer> out;
  while (s.executeStep()) {
    Timer t;
    t.id = TimerId(s.getColumn(0).getInt64());
    t.case_id = CaseId(s.getColumn(1).getInt64());
    t.deadline = s.getColumn(2).getString();
    const char* kind = s.getColumn(3).getText();
    const char* misfire = s.getColumn(6).getText();
    auto parsed_kind = parse_timer_kind(kind);
    auto parsed_misfire = parse_misfire(misfire);
    if (!parsed_kind || !parsed_misfire) {
      return internal_error("corrupt timer " + std::to_string(t.id.value) + ": kind '" + kind +
                            "', misfire '" + misfire + "'");
    }
    t.kind = *parsed_kind;
    t.level = s.getColumn(4).getInt();
    t.due_at = from_seconds(s.getColumn(5).getInt64());
    t.misfire = *parsed_misfire;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace turnaround::storage

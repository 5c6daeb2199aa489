// Engine: the loss review (schedule rows, freezing at the cut-off, the
// agenda, "reviewed at the meeting"). See engine.h and loss_review.h.
#include <algorithm>

#include "engine/engine.h"
#include "engine/loss_review.h"

namespace turnaround {

namespace {

// How many upcoming meetings have rows at any time: enough for a scheduler
// to see the next cut-off and for `review schedule` users to find them.
constexpr int kReviewMeetingsAhead = 3;

Status no_loss_review() {
  return failed_precondition(
      "the company configuration has no loss_review: section (docs/company-reference.md)");
}

ReviewMeetingRow row_of(const Meeting& m) { return {m.month, m.starts_at, m.cutoff_at, {}, {}}; }

}  // namespace

Status Engine::schedule_reviews(Instant now) {
  if (!company().loss_review) return Status();
  const MeetingSchedule& s = company().loss_review->schedule;
  const auto ahead = meetings_from(s, now, kReviewMeetingsAhead);
  if (ahead.empty()) return Status();  // the series has ended
  const Instant horizon = ahead.back().starts_at;
  TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
  TA_ASSIGN_OR_RETURN(auto last, txn->last_review_meeting());
  // Catch up from the last row (meetings missed while nothing ran), else
  // start with the next meeting.
  Instant from = last ? last->starts_at + std::chrono::seconds(1) : now;
  if (from > horizon) return Status();
  for (;;) {
    auto batch = meetings_from(s, from, 64);
    bool done = batch.empty();
    for (const Meeting& m : batch) {
      if (m.starts_at > horizon) {
        done = true;
        break;
      }
      TA_RETURN_IF_ERROR(txn->upsert_review_meeting(row_of(m)));
      from = m.starts_at + std::chrono::seconds(1);
    }
    if (done) break;
  }
  // Rows of the coming meetings follow a changed rule (frozen ones never change).
  for (const Meeting& m : ahead) TA_RETURN_IF_ERROR(txn->upsert_review_meeting(row_of(m)));
  return txn->commit();
}

Result<std::int64_t> Engine::freeze_due_agendas(Instant now) {
  if (!company().loss_review) return std::int64_t{0};
  const MeetingSchedule& s = company().loss_review->schedule;
  std::int64_t frozen = 0;
  std::vector<ReviewMeetingRow> due;
  {
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
    TA_ASSIGN_OR_RETURN(due, txn->due_review_meetings(now));
  }
  for (const ReviewMeetingRow& row : due) {
    // The meeting as the rule has it; a row whose month the rule no longer
    // has keeps its stored instants.
    Meeting m;
    auto month = parse_month(row.month);
    std::optional<Meeting> by_rule = month.ok() ? meeting_in_month(s, *month) : std::nullopt;
    if (by_rule && by_rule->starts_at == row.starts_at) {
      m = *by_rule;
    } else {
      m.month = row.month;
      m.starts_at = row.starts_at;
      m.cutoff_at = row.cutoff_at;
      m.local = s.calendar.to_local(row.starts_at);
      m.nominal_day = date::floor<date::days>(m.local);
    }
    const auto prev = previous_meeting(s, m);
    // The analytics sections read in their own transaction, before the write.
    TA_ASSIGN_OR_RETURN(AgendaAnalytics analytics,
                        agenda_analytics(store_, company(), prev ? prev->cutoff_at : Instant{},
                                         m.cutoff_at));
    TA_ASSIGN_OR_RETURN(std::vector<AgendaIssue> issues, agenda_issues());
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kWrite));
    TA_ASSIGN_OR_RETURN(Agenda agenda, build_agenda(*txn, company(), m, prev, now));
    agenda.analytics = std::move(analytics);
    agenda.top_issues = std::move(issues);
    agenda.frozen = true;
    agenda.frozen_at = now;
    TA_ASSIGN_OR_RETURN(bool mine, txn->freeze_review_meeting(row.month, agenda, now));
    if (!mine) continue;  // frozen by another process meanwhile: nothing written
    TA_RETURN_IF_ERROR(txn->commit());
    ++frozen;
  }
  return frozen;
}

Result<Agenda> Engine::review_agenda(date::year_month month, bool live) {
  if (!company().loss_review) return no_loss_review();
  const MeetingSchedule& s = company().loss_review->schedule;
  auto m = meeting_in_month(s, month);
  if (!m) {
    return not_found("the loss review (" + s.rule.to_string() + ") has no meeting in " +
                     format_month(month));
  }
  const auto prev = previous_meeting(s, *m);
  Agenda agenda;
  {
    TA_ASSIGN_OR_RETURN(auto txn, store_.begin(TxnMode::kRead));
    if (!live) {
      TA_ASSIGN_OR_RETURN(auto row, txn->find_review_meeting(m->month));
      if (row && row->agenda) return *row->agenda;
    }
    TA_ASSIGN_OR_RETURN(agenda, build_agenda(*txn, company(), *m, prev, clock_.now()));
  }
  TA_ASSIGN_OR_RETURN(agenda.analytics, agenda_analytics(store_, company(), agenda.period_from,
                                                         agenda.period_to));
  TA_ASSIGN_OR_RETURN(agenda.top_issues, agenda_issues());
  return agenda;
}

Result<std::vector<AgendaIssue>> Engine::agenda_issues() {
  // The agenda shows the link totals, not the links.
  TA_ASSIGN_OR_RETURN(std::vector<IssueView> views, ranked_open_issues(5, false));
  std::vector<AgendaIssue> out;
  out.reserve(views.size());
  for (const IssueView& v : views) {
    AgendaIssue i;
    i.id = v.record.id;
    i.theme = v.record.theme;
    i.segment = v.record.segment;
    i.title = v.record.title;
    i.state = v.issue.state;
    i.owner = v.issue.owner;
    i.overdue = v.overdue;
    i.linked_open = v.linked_open;
    i.linked_closed = v.linked_closed;
    i.linked_arr = v.linked_arr;
    i.share_before = v.verification.before.counts.share();
    if (v.verification.after) i.share_after = v.verification.after->counts.share();
    i.fell = v.verification.fell;
    out.push_back(std::move(i));
  }
  return out;
}

Result<Case> Engine::mark_reviewed(CaseId id, date::year_month month, const PersonId& actor_id,
                                   const std::string& notes,
                                   std::optional<std::int64_t> expected_version) {
  if (!company().loss_review) return no_loss_review();
  const LossReviewConfig& lr = *company().loss_review;
  auto meeting = meeting_in_month(lr.schedule, month);
  if (!meeting) return not_found("the loss review has no meeting in " + format_month(month));
  const Instant now = clock_.now();
  return mutate(id, expected_version,
                [&](Transaction&, Assigner& assigner, CaseMachine& m, Case& c, Effects& fx) -> Status {
                  TA_ASSIGN_OR_RETURN(const Person* actor, assigner.person(actor_id));
                  if (!actor || !actor->active) {
                    return permission_denied("unknown or inactive person '" + actor_id.value + "'");
                  }
                  if (!actor->has_role(Role::kOpsLead) && !actor->has_role(Role::kAdmin)) {
                    return permission_denied(actor_id.value +
                                             " may not mark cases reviewed (ops_lead or admin only)");
                  }
                  const std::string text =
                      notes.empty() ? "Reviewed at the loss review of " + meeting->month : notes;
                  fx.history.push_back({now, "reviewed", c.state, c.state, actor_id.value,
                                        {{"month", Value(meeting->month)}, {"notes", Value(text)}}});
                  auto events = m.state_events(c);
                  if (std::find(events.begin(), events.end(), lr.review_event) != events.end()) {
                    return m.fire(c, lr.review_event, actor, {{lr.review_notes_field, Value(text)}},
                                  now, fx);
                  }
                  return Status();
                });
}

}  // namespace turnaround

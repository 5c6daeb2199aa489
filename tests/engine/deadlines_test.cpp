// Deadlines, reminders, escalation ladders, clock pauses, misfire and DST,
// driven by tick() with a fake clock.
#include <filesystem>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

namespace {

FieldValues call_data() {
  return {{"callback_notes", Value("they were charged twice")},
          {"themes", Value(Value::List{"billing"})}};
}

// Moves a fresh smb case (owner eva.owner) to `target` in the detractor flow.
void drive_to(EngineFixture& f, CaseId id, const std::string& target) {
  auto step = [&](const std::string& event, FieldValues data) {
    std::string owner = f.get(id).owner.value;
    auto r = f.fire(id, event, owner, std::move(data));
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  };
  const std::vector<std::pair<std::string, std::string>> path = {
      {"callback", "log_call"}, {"root_cause", "record_root_cause"},
      {"solutions", "record_solutions"}, {"proposal", "submit_proposal"},
      {"action", "record_action"}};
  for (const auto& [state, event] : path) {
    if (f.get(id).state == target) return;
    FieldValues data;
    if (event == "log_call") data = call_data();
    if (event == "record_root_cause") data = {{"root_cause", Value("invoice run")}};
    if (event == "record_solutions") data = {{"solutions", Value("fix it")}};
    if (event == "submit_proposal") data = {{"proposal", Value("p")}, {"budget_amendment", Value(1000)}};
    if (event == "record_action") data = {{"action_taken", Value("fixed")}};
    step(event, data);
  }
  REQUIRE(f.get(id).state == target);
}

// A company directory whose company.yaml is the example's with another zone.
std::string company_in_zone(const TempDir& dir, const std::string& zone) {
  std::ifstream in(acme_company_file());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto pos = text.find("time_zone: Europe/Berlin");
  REQUIRE(pos != std::string::npos);
  text.replace(pos, std::string("time_zone: Europe/Berlin").size(), "time_zone: " + zone);
  std::string wf = std::string(TURNAROUND_SOURCE_DIR) + "/workflows/";
  for (const char* name : {"detractor-followup.yaml", "loss-followup.yaml", "issue-accountability.yaml"}) {
    auto p = text.find(std::string("../../workflows/") + name);
    REQUIRE(p != std::string::npos);
    text.replace(p, std::string("../../workflows/").size() + std::strlen(name), wf + name);
  }
  std::string path = dir.file("company.yaml");
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("Deadlines.CallbackReminderMissedAndLadder") {
  EngineFixture f;  // Monday 2026-11-02 09:00 Berlin
  CaseId id = f.open("C1", 5);
  Case c = f.get(id);
  // 5 business days, end of day: Monday 2026-11-09 23:59:59 CET.
  CHECK(deadline(c, "callback").due_at == at("2026-11-09T22:59:59Z"));

  CHECK(f.tick_at("2026-11-06T22:59:58Z").fired == 0);
  auto reminder = f.tick_at("2026-11-06T22:59:59Z");  // 1 business day before
  CHECK(reminder.reminders == 1);
  CHECK(f.tick_at("2026-11-09T22:59:58Z").fired == 0);
  auto missed = f.tick_at("2026-11-09T22:59:59Z");
  CHECK(missed.deadlines_missed == 1);
  CHECK(missed.escalations == 1);  // level 1 is due at the deadline itself
  c = f.get(id);
  CHECK(deadline(c, "callback").status == DeadlineStatus::kMissed);
  CHECK(c.priority == Priority::kHigh);  // raised by level 1
  CHECK(c.overdue(f.clock.now()));
  CHECK(f.tick_at("2026-11-12T22:59:58Z").fired == 0);
  CHECK(f.tick_at("2026-11-12T22:59:59Z").escalations == 1);  // 3 business days later
  CHECK(f.tick_at("2026-12-31T00:00:00Z").fired == 0);        // ladder done
  c = f.get(id);
  CHECK(history_string(c) ==
        "opened[->triage] | route[triage->callback] | assigned[callback] | "
        "reminder[callback](callback) | deadline_missed[callback](callback) | "
        "escalated[callback](callback) | escalated[callback](callback)");
  CHECK(c.history[4].data.at("lateness_s") == Value(0));
  CHECK(c.history[6].data.at("actions") == Value(Value::List{"notify executive"}));
  auto notes = f.store.notifications();
  REQUIRE(notes.size() == 3);
  CHECK(notes[0].recipient == "eva.owner");       // the reminder
  CHECK(notes[1].recipient == "role:ops_lead");   // level 1
  CHECK(notes[2].recipient == "role:executive");  // level 2
}

TEST_CASE("Deadlines.TickTwiceFiresOnce") {
  EngineFixture f;
  f.open("C1", 5);
  auto first = f.tick_at("2026-11-20T00:00:00Z");
  CHECK(first.fired == 4);  // reminder, deadline, escalation 1, escalation 2
  CHECK(f.tick_at("2026-11-20T00:00:00Z").fired == 0);
  CHECK(f.tick_at("2026-11-21T00:00:00Z").fired == 0);
}

TEST_CASE("Deadlines.UrgentCaseGetsShorterCallbackDeadline") {
  EngineFixture f;
  Case c = f.get(f.open("BIG", 1, "enterprise", 500000));
  CHECK(c.priority == Priority::kUrgent);
  CHECK(deadline(c, "callback").due_at == at("2026-11-03T22:59:59Z"));  // 1bd, end of day
  Case high = f.get(f.open("MID", 2, "mid-market", 50000));
  CHECK(deadline(high, "callback").due_at == at("2026-11-04T22:59:59Z"));  // 2bd
}

TEST_CASE("Deadlines.MetWhenStepLeftInTime") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-11-04T10:00:00Z"));
  drive_to(f, id, "root_cause");
  Case c = f.get(id);
  CHECK(deadline(c, "callback").status == DeadlineStatus::kMet);
  CHECK(deadline(c, "callback").resolved_at == at("2026-11-04T10:00:00Z"));
  // Week 2 from opening, end of day: Monday 2026-11-16 23:59:59 CET.
  CHECK(deadline(c, "week2_root_cause").due_at == at("2026-11-16T22:59:59Z"));
  CHECK(deadline(c, "week2_root_cause").status == DeadlineStatus::kPending);
  // The callback's timers were cancelled: nothing fires for it any more.
  auto t = f.tick_at("2026-11-10T00:00:00Z");
  CHECK(t.fired == 0);
}

TEST_CASE("Deadlines.WaitingOnCustomerPausesTheClock") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-11-03T08:00:00Z"));
  REQUIRE(f.fire(id, "wait_for_customer", "eva.owner", {{"waiting_for", Value("invoice copies")}}).ok());
  Case paused = f.get(id);
  CHECK(deadline(paused, "callback").paused_at == at("2026-11-03T08:00:00Z"));
  CHECK_FALSE(paused.overdue(at("2026-11-30T00:00:00Z")));
  CHECK(f.tick_at("2026-11-05T08:00:00Z").fired == 0);
  REQUIRE(f.fire(id, "customer_responded", "eva.owner").ok());
  Case resumed = f.get(id);
  // Paused 48 hours: the due instant moves 48 hours later.
  CHECK(deadline(resumed, "callback").due_at == at("2026-11-11T22:59:59Z"));
  CHECK_FALSE(deadline(resumed, "callback").paused_at.has_value());
  CHECK(f.tick_at("2026-11-10T23:00:00Z").reminders == 1);
  CHECK(f.tick_at("2026-11-11T22:59:58Z").deadlines_missed == 0);
  CHECK(f.tick_at("2026-11-11T22:59:59Z").deadlines_missed == 1);
}

// A wait that began after the callback was already missed: coming back is
// still a resumption of the same step, so the executive who claimed the case
// keeps it (it was queued to the executives again, and she could no longer
// log her call).
TEST_CASE("Deadlines.ComingBackFromAWaitAfterAMissKeepsTheOwner") {
  EngineFixture f;
  const CaseId id = f.open("BIG", 1, "enterprise", 500000);  // urgent: the executives' queue
  REQUIRE(f.engine->claim(id, PersonId("clara.ceo")).ok());
  CHECK(f.tick_at("2026-11-04T08:00:00Z").deadlines_missed == 1);
  REQUIRE(f.fire(id, "wait_for_customer", "clara.ceo", {{"waiting_for", Value("a date")}}).ok());
  REQUIRE(f.fire(id, "customer_responded", "clara.ceo").ok());
  const Case back = f.get(id);
  CHECK(back.state == "callback");
  CHECK(back.owner == PersonId("clara.ceo"));
  CHECK(back.queue.empty());
  int queued = 0;
  for (const auto& h : back.history) queued += h.event == "queued";
  CHECK(queued == 1);  // at the opening only
  CHECK(deadline(back, "callback").status == DeadlineStatus::kMissed);
  CHECK(f.fire(id, "log_call", "clara.ceo", call_data()).ok());
}

TEST_CASE("Deadlines.SixWeekDeadlineFiresOnItsExactInstant") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-11-04T10:00:00Z"));
  drive_to(f, id, "action");
  Case c = f.get(id);
  // 42 days after opening, end of day: Monday 2026-12-14 23:59:59 CET.
  CHECK(deadline(c, "week6_action").due_at == at("2026-12-14T22:59:59Z"));
  f.tick_at("2026-12-14T22:59:58Z");
  CHECK(deadline(f.get(id), "week6_action").status == DeadlineStatus::kPending);
  auto t = f.tick_at("2026-12-14T22:59:59Z");
  CHECK(t.deadlines_missed == 1);
  CHECK(deadline(f.get(id), "week6_action").status == DeadlineStatus::kMissed);
}

TEST_CASE("Deadlines.RepeatingReminderCollapsesAfterDowntime") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-11-04T10:00:00Z"));
  drive_to(f, id, "action");
  // First reminder 2 days before 2026-12-14 23:59:59: Saturday 12-12; then
  // every 2 business days. Nothing runs until 12-22: fire_once (the default)
  // fires the overdue reminder once and schedules the next in the future.
  auto t = f.tick_at("2026-12-22T12:00:00Z");
  CHECK(t.reminders == 1);
  CHECK(t.deadlines_missed == 1);
  Case c = f.get(id);
  int reminders = 0;
  for (const auto& h : c.history) {
    if (h.event == "reminder") {
      ++reminders;
      CHECK(h.data.at("lateness_s").as_number() > 0);
    }
  }
  CHECK(reminders == 1);
  // Repetitions from Saturday 12-12 every 2 business days: Tue 12-15,
  // Thu 12-17, Mon 12-21, Wed 12-23; the first after the downtime is 12-23.
  CHECK(f.tick_at("2026-12-23T22:59:58Z").reminders == 0);
  CHECK(f.tick_at("2026-12-23T22:59:59Z").reminders == 1);
}

TEST_CASE("Deadlines.SideExitCancelsPendingDeadlines") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  REQUIRE(f.fire(id, "mark_unreachable", "eva.owner", {{"unreachable_reason", Value("no answer x5")}}).ok());
  Case c = f.get(id);
  CHECK(c.state == "unreachable");
  CHECK_FALSE(c.is_open());
  CHECK(deadline(c, "callback").status == DeadlineStatus::kCancelled);
  CHECK(f.tick_at("2026-12-31T00:00:00Z").fired == 0);
}

TEST_CASE("Deadlines.Week2AcrossSpringForwardBerlin") {
  TempDir dir;
  // Friday 2026-03-20 09:00 CET; DST starts 2026-03-29.
  EngineFixture f(at("2026-03-20T08:00:00Z"), company_in_zone(dir, "Europe/Berlin"));
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-03-20T12:00:00Z"));
  drive_to(f, id, "root_cause");
  // 14 calendar days: 2026-04-03 (a holiday, but calendar days count it),
  // end of day 23:59:59 CEST = 21:59:59Z.
  CHECK(deadline(f.get(id), "week2_root_cause").due_at == at("2026-04-03T21:59:59Z"));
  CHECK(f.tick_at("2026-04-03T21:59:58Z").deadlines_missed == 0);
  CHECK(f.tick_at("2026-04-03T21:59:59Z").deadlines_missed == 1);
}

TEST_CASE("Deadlines.Week2AcrossSpringForwardNewYork") {
  TempDir dir;
  // Monday 2026-03-02 09:00 EST; DST starts 2026-03-08.
  EngineFixture f(at("2026-03-02T14:00:00Z"), company_in_zone(dir, "America/New_York"));
  CaseId id = f.open("C1", 5);
  Case c = f.get(id);
  // Callback: 5 business days -> Monday 03-09 23:59:59 EDT (-4) = 03:59:59Z on 03-10.
  CHECK(deadline(c, "callback").due_at == at("2026-03-10T03:59:59Z"));
  f.clock.set(at("2026-03-03T15:00:00Z"));
  drive_to(f, id, "root_cause");
  // 14 days: Monday 03-16 23:59:59 EDT = 03-17T03:59:59Z.
  CHECK(deadline(f.get(id), "week2_root_cause").due_at == at("2026-03-17T03:59:59Z"));
}

TEST_CASE("Deadlines.FallBackNewYork") {
  TempDir dir;
  // Friday 2026-10-30 09:00 EDT; DST ends 2026-11-01.
  EngineFixture f(at("2026-10-30T13:00:00Z"), company_in_zone(dir, "America/New_York"));
  CaseId id = f.open("C1", 5);
  f.clock.set(at("2026-10-30T15:00:00Z"));
  drive_to(f, id, "root_cause");
  // 14 days: Friday 11-13 23:59:59 EST (-5) = 11-14T04:59:59Z.
  CHECK(deadline(f.get(id), "week2_root_cause").due_at == at("2026-11-14T04:59:59Z"));
}

TEST_CASE("Workflows.RunningCaseKeepsItsVersion") {
  TempDir dir;
  EngineFixture f;
  CaseId old_case = f.open("C1", 5);
  // A changed workflow file, installed again, becomes version 2.
  write_acme_with_shorter_callback(dir);
  Diagnostics diags;
  auto report = install_configuration(f.store, dir.file("company.yaml"), f.clock.now(), diags);
  REQUIRE_MESSAGE(report.ok(), (report.status().to_string() + diags.to_string()));
  CHECK(report->workflows[0].version == 2);
  CHECK(report->workflows[0].is_new);
  CHECK(report->workflows[1].version == 1);
  CHECK_FALSE(report->workflows[1].is_new);
  auto loaded = load_configuration(f.store);
  REQUIRE(loaded.ok());
  Engine engine2(f.store, f.clock, loaded->company, loaded->registry);
  auto res = engine2.ingest_responses({{1, f.response("R-new", "C2", 5)}});
  REQUIRE(res.ok());
  auto fresh = engine2.get_case((*res)[0].case_id, false);
  REQUIRE(fresh.ok());
  CHECK(fresh->workflow_version == 2);
  CHECK(deadline(*fresh, "callback").due_at == at("2026-11-05T22:59:59Z"));  // 3bd
  auto old = engine2.get_case(old_case, false);
  REQUIRE(old.ok());
  CHECK(old->workflow_version == 1);
  CHECK(deadline(*old, "callback").due_at == at("2026-11-09T22:59:59Z"));  // still 5bd
  // The old case still runs on version 1's rules.
  auto fired = engine2.fire_event(old_case, "log_call", PersonId("eva.owner"), call_data(), std::nullopt);
  CHECK(fired.ok());
}

}  // namespace turnaround::testing

namespace turnaround::testing {

TEST_CASE("Deadlines.LeftLateBeforeAnyTickIsMissed") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);  // callback due 2026-11-09T22:59:59Z
  f.clock.set(at("2026-11-10T10:00:00Z"));
  auto r = f.fire(id, "log_call", "eva.owner",
                  {{"callback_notes", Value("late call")}, {"themes", Value(Value::List{"billing"})}});
  REQUIRE(r.ok());
  const CaseDeadline& d = deadline(*r, "callback");
  CHECK(d.status == DeadlineStatus::kMissed);
  CHECK(d.resolved_at == at("2026-11-09T22:59:59Z"));
  CHECK(history_string(*r) ==
        "opened[->triage] | route[triage->callback] | assigned[callback] | "
        "log_call[callback->root_cause] | deadline_missed[root_cause](callback) | assigned[root_cause]");
  // No escalation starts for a step that is over.
  CHECK(f.tick_at("2026-11-13T00:00:00Z").fired == 0);
}

}  // namespace turnaround::testing

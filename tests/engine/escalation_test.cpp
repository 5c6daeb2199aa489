// Escalation actions other than notify: reassign to a role's least-loaded
// member, fire an event, raise the priority to a named level; and automatic
// transitions guarded by case data.
#include <fstream>

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

namespace {

std::string write_company(const TempDir& dir) {
  std::ofstream(dir.file("esc.yaml")) << R"(name: esc
initial: new
fields:
  note: {type: text}
states:
  new:
    transitions:
      - {event: fast_track, to: work, automatic: true, guard: score <= 2}
      - {event: start, to: work, roles: [ops_lead]}
  work:
    roles: [case_owner, ops_lead]
    assign: owners
    deadlines:
      - name: handle
        after: 2d
        escalation:
          - after: 0d
            actions: [{reassign: executive}, {raise_priority: urgent}]
          - after: 1d
            actions: [{fire: give_up}]
    transitions:
      - {event: finish, to: done, requires: [note]}
      - {event: give_up, to: abandoned}
  done: {terminal: true}
  abandoned: {terminal: true, cancels_deadlines: true}
)";
  std::ofstream(dir.file("company.yaml")) << R"(company: Esc
time_zone: UTC
workflows: [esc.yaml]
intake:
  - {on: response, when: score <= 6, open: esc}
assignment:
  owners:
    - {pool: {role: owner}, strategy: least_loaded}
people:
  - {id: lead, name: Lead, roles: [ops_lead]}
  - {id: olga, name: Olga, roles: [owner]}
  - {id: xavier, name: Xavier, roles: [executive]}
  - {id: yvonne, name: Yvonne, roles: [executive]}
)";
  return dir.file("company.yaml");
}

// A ladder whose first level fires an event into a state with a deadline of
// its own (the case's deadline list grows while the escalation runs), and a
// way back to the first state.
std::string write_hop_company(const TempDir& dir) {
  std::ofstream(dir.file("hop.yaml")) << R"(name: hop
initial: a
states:
  a:
    roles: [ops_lead]
    deadlines:
      - name: d1
        after: 1d
        escalation:
          - after: 0d
            actions: [{fire: go}]
          - after: 3d
            actions: [{notify: ops_lead}]
    transitions:
      - {event: go, to: b, roles: [ops_lead]}
  b:
    roles: [ops_lead]
    deadlines:
      - {name: d2, after: 10d}
    transitions:
      - {event: back, to: a, roles: [ops_lead]}
      - {event: finish, to: done, roles: [ops_lead]}
  done: {terminal: true}
)";
  std::ofstream(dir.file("company.yaml")) << R"(company: Hop
time_zone: UTC
workflows: [hop.yaml]
intake:
  - {on: response, when: score <= 6, open: hop}
people:
  - {id: lead, name: Lead, roles: [ops_lead]}
)";
  return dir.file("company.yaml");
}

}  // namespace

TEST_CASE("Escalation.ReassignRaiseAndFireEvent") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_company(dir));
  CaseId id = f.open("C1", 1, "");
  Case c = f.get(id);
  CHECK(c.state == "work");  // automatic transition: score <= 2
  CHECK(c.owner == PersonId("olga"));
  CHECK(c.priority == Priority::kHigh);  // the danger zone

  auto first = f.tick_at("2026-06-03T09:00:00Z");
  CHECK(first.deadlines_missed == 1);
  CHECK(first.escalations == 1);
  c = f.get(id);
  CHECK(c.owner == PersonId("xavier"));  // least-loaded executive (ties by id)
  CHECK(c.priority == Priority::kUrgent);
  const HistoryEntry& esc = c.history.back();
  CHECK(esc.event == "escalated");
  CHECK(esc.data.at("previous_owner") == Value("olga"));
  CHECK(esc.data.at("owner") == Value("xavier"));
  CHECK(esc.data.at("priority_to") == Value("urgent"));

  auto second = f.tick_at("2026-06-04T09:00:00Z");
  CHECK(second.escalations == 1);
  c = f.get(id);
  CHECK(c.state == "abandoned");
  CHECK_FALSE(c.is_open());
  CHECK(history_string(c) ==
        "opened[->new] | fast_track[new->work] | assigned[work] | deadline_missed[work](handle) | "
        "escalated[work](handle) | give_up[work->abandoned] | escalated[work](handle)");
  CHECK(deadline(c, "handle").status == DeadlineStatus::kMissed);
}

TEST_CASE("Escalation.AutomaticTransitionNotTakenWhenGuardFails") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_company(dir));
  CaseId id = f.open("C1", 5, "");
  Case c = f.get(id);
  CHECK(c.state == "new");
  CHECK(c.deadlines.empty());
  CHECK(f.fire(id, "start", "olga").status().code() == StatusCode::kPermissionDenied);
  auto started = f.fire(id, "start", "lead");
  REQUIRE(started.ok());
  CHECK(started->state == "work");
}

// A {fire: EVENT} escalation that moves the case on: the tick goes on (it
// read the deadline through a pointer into the list the new state's deadline
// reallocated, and crashed), and the rest of the ladder is dropped with the
// step it belonged to. Back in the first state, its ladder starts again at
// level 1.
TEST_CASE("Escalation.FireEventIntoAStateWithADeadline") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_hop_company(dir));
  const CaseId id = f.open("C1", 3, "");
  CHECK(f.get(id).state == "a");

  const auto missed = f.tick_at("2026-06-02T09:00:00Z");
  CHECK(missed.deadlines_missed == 1);
  CHECK(missed.escalations == 1);
  Case c = f.get(id);
  CHECK(c.state == "b");
  CHECK(deadline(c, "d1").done);
  CHECK(deadline(c, "d2").status == DeadlineStatus::kPending);

  // Level 2 would have been due on 06-05: there is none.
  CHECK(f.tick_at("2026-06-06T09:00:00Z").escalations == 0);

  REQUIRE(f.fire(id, "back", "lead").ok());
  const auto again = f.tick_at("2026-06-07T10:00:00Z");
  CHECK(again.deadlines_missed == 1);
  CHECK(again.escalations == 1);
  c = f.get(id);
  CHECK(c.state == "b");
  std::vector<Value> levels;
  for (const auto& h : c.history) {
    if (h.event == "escalated") levels.push_back(h.data.at("level"));
  }
  CHECK(levels == std::vector<Value>{Value(1), Value(1)});
}

}  // namespace turnaround::testing

// Misfire policies: what a repeating reminder does when ticks stopped for a
// while (fire_once, fire_all, skip), and escalation levels skipped under skip.
#include <fstream>

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

namespace {

// A one-step workflow whose deadline (7 days after opening) reminds daily
// from 3 days before, with the given misfire policy, and escalates twice.
std::string write_company(const TempDir& dir, const std::string& policy) {
  std::ofstream(dir.file("mini.yaml")) << R"(name: mini
initial: open
fields:
  note: {type: text}
states:
  open:
    roles: [ops_lead, case_owner]
    assign: owners
    deadlines:
      - name: respond
        from: case_opened
        after: 7d
        misfire: )" << policy << R"(
        reminder: {before: 3d, every: 1d}
        escalation:
          - after: 0d
            actions: [{notify: ops_lead}]
          - after: 1d
            actions: [{notify: executive}]
    transitions:
      - {event: finish, to: done, requires: [note]}
  done: {terminal: true}
)";
  std::ofstream(dir.file("company.yaml")) << R"(company: Mini
time_zone: UTC
workflows: [mini.yaml]
intake:
  - {on: response, when: score <= 6, open: mini}
assignment:
  owners:
    - {pool: {role: owner}, strategy: round_robin}
people:
  - {id: lead, name: Lead, roles: [ops_lead]}
  - {id: olga, name: Olga, roles: [owner]}
)";
  return dir.file("company.yaml");
}

int count(const Case& c, const std::string& event) {
  int n = 0;
  for (const auto& h : c.history) n += h.event == event;
  return n;
}

}  // namespace

TEST_CASE("Misfire.FireOnceCollapsesMissedRepetitions") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_company(dir, "fire_once"));
  CaseId id = f.open("C1", 4, "");
  // Reminders due 06-05, 06-06, 06-07 09:00; deadline 06-08 09:00. Down until 06-07 12:00.
  auto t = f.tick_at("2026-06-07T12:00:00Z");
  CHECK(t.reminders == 1);
  Case c = f.get(id);
  CHECK(count(c, "reminder") == 1);
  CHECK(c.history.back().data.at("lateness_s") == Value(2 * 86400 + 3 * 3600));
  // The next repetition is the first one after now: 06-08 09:00.
  CHECK(f.tick_at("2026-06-08T08:59:59Z").fired == 0);
  auto due = f.tick_at("2026-06-08T09:00:00Z");
  CHECK(due.reminders == 1);
  CHECK(due.deadlines_missed == 1);
}

TEST_CASE("Misfire.FireAllFiresEveryMissedRepetition") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_company(dir, "fire_all"));
  CaseId id = f.open("C1", 4, "");
  auto t = f.tick_at("2026-06-07T12:00:00Z");
  CHECK(t.reminders == 3);  // 06-05, 06-06, 06-07
  CHECK(count(f.get(id), "reminder") == 3);
}

TEST_CASE("Misfire.SkipDropsLateRemindersAndLadderLevels") {
  TempDir dir;
  EngineFixture f(at("2026-06-01T09:00:00Z"), write_company(dir, "skip"));
  CaseId id = f.open("C1", 4, "");
  // On time (within the grace period): delivered.
  CHECK(f.tick_at("2026-06-05T09:00:30Z").reminders == 1);
  // Down for two days: the late 06-06 and 06-07 reminders are not delivered,
  // and the ladder's level 1 is skipped because level 2 is due as well.
  auto t = f.tick_at("2026-06-09T12:00:00Z");
  CHECK(t.reminders == 0);
  CHECK(t.deadlines_missed == 1);
  CHECK(t.escalations == 1);
  Case c = f.get(id);
  CHECK(count(c, "reminder") == 1);
  CHECK(count(c, "escalated") == 1);
  CHECK(c.history.back().data.at("level") == Value(2));
  // Repetitions continue in the future: 06-10 09:00.
  CHECK(f.tick_at("2026-06-10T09:00:00Z").reminders == 1);
}

}  // namespace turnaround::testing

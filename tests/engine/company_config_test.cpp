#include "engine/company_config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "engine/case_scope.h"
#include "engine/configuration.h"
#include "engine/workflow_loader.h"
#include "tests/support/test_util.h"

// Every malformed company file is checked by the exact text `turnaround
// validate` prints: "FILE:LINE:COLUMN: message", one line per error, sorted.

namespace turnaround {
namespace {

const std::string kRepo = TURNAROUND_SOURCE_DIR;

// The diagnostics of loading `text` as company.yaml ("" when it loads). A load
// fails exactly when there are diagnostics.
std::string errors_of(const std::string& text) {
  Diagnostics diags;
  auto c = load_company_config(text, "company.yaml", diags);
  CHECK(c.has_value() == diags.empty());
  return diags.to_string();
}

// REQUIRES: `text` is a valid company file.
CompanyConfig load_ok(const std::string& text, const std::string& file = "company.yaml") {
  Diagnostics diags;
  auto c = load_company_config(text, file, diags);
  REQUIRE_MESSAGE(c.has_value(), diags.to_string());
  return *c;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  REQUIRE(out.good());
  out << text;
}

// A person serving team smb, so that pools may name it.
const std::string kPeople = R"(people:
  - {id: ana, name: Ana, roles: [owner], teams: [smb]}
  - {id: eve, name: Eve, roles: [executive]}
)";

const std::string kConditionNames =
    "arr, category, comment, customer_id, customer_name, danger_zone, heavy_hitter, priority, "
    "score, segment, state, workflow";

// ---------------------------------------------------------------- positive

TEST_CASE("CompanyConfig.ExampleCompanyValidatesWithItsWorkflows") {
  Diagnostics diags;
  auto loaded = validate_configuration(kRepo + "/examples/acme/company.yaml", diags);
  CHECK(diags.to_string() == "");
  REQUIRE(loaded.has_value());
  CHECK(loaded->registry.names() ==
        std::vector<std::string>{"detractor-followup", "issue-accountability", "loss-followup"});
  CHECK(loaded->registry.latest("detractor-followup")->version == 0);
}

TEST_CASE("CompanyConfig.ExampleCompanyIsReadAsWritten") {
  std::string path = kRepo + "/examples/acme/company.yaml";
  auto text = read_text_file(path);
  REQUIRE(text.ok());
  CompanyConfig c = load_ok(*text, path);
  CHECK(c.name == "Acme Analytics GmbH");
  CHECK(c.time_zone == "Europe/Berlin");
  CHECK(c.calendar.zone()->name() == "Europe/Berlin");
  CHECK(c.calendar.holidays().size() == 11);
  CHECK(!c.calendar.is_business_day(date::local_days(date::year{2026} / 12 / 25)));
  CHECK(c.calendar.is_business_day(date::local_days(date::year{2026} / 12 / 28)));
  CHECK(c.heavy_hitter_arr == 150000);
  CHECK(c.heavy_hitter(150000.01));  // above the threshold, as the spec says
  CHECK(!c.heavy_hitter(150000));

  CHECK(c.danger_zone(3));
  CHECK(!c.danger_zone(4));
  CHECK(c.outreach_target_per_month == 100);
  CHECK(c.themes.size() == 7);
  CHECK(c.known_theme("billing"));
  CHECK(c.segment_for("", 250000) == "enterprise");
  CHECK(c.segment_for("", 100000) == "enterprise");  // arr_min inclusive
  CHECK(c.segment_for("", 99999) == "mid-market");   // arr_max exclusive
  CHECK(c.segment_for("", 500) == "smb");
  CHECK(c.segment_for("smb", 500000) == "smb");  // a given segment wins
  REQUIRE(c.workflow_files.size() == 3);
  CHECK(c.workflow_files[0] == kRepo + "/workflows/detractor-followup.yaml");
  REQUIRE(c.intake.size() == 2);
  CHECK(c.intake[0].on == IntakeRule::On::kResponse);
  CHECK(c.intake[0].when->text() == "score <= 6");
  CHECK(c.intake[1].on == IntakeRule::On::kChurn);
  CHECK(!c.intake[1].when.has_value());
  CHECK(c.priority.size() == 3);
  REQUIRE(c.assignment.count("callback") == 1);
  const auto& callback = c.assignment.at("callback");
  REQUIRE(callback.size() == 3);
  CHECK(callback[0].strategy == AssignStrategy::kQueue);
  CHECK(callback[0].pool_role == Role::kExecutive);
  CHECK(callback[1].strategy == AssignStrategy::kRoundRobin);
  CHECK(callback[1].pool_team == "mid-market");
  CHECK(c.assignment.at("case_owner")[0].strategy == AssignStrategy::kAccountOwner);
  CHECK(c.people.size() == 14);
  CHECK(c.people[0].id.value == "ines.ops");
  CHECK(c.people[0].roles == std::vector<Role>{Role::kOpsLead, Role::kAdmin});
  CHECK(c.people[5].capacity == 60);
}

TEST_CASE("CompanyConfig.DefaultsOfAMinimalFile") {
  CompanyConfig c = load_ok("company: Tiny\n");
  CHECK(c.time_zone == "UTC");
  CHECK(c.calendar.weekend().size() == 2);
  CHECK(!c.calendar.is_business_day(date::local_days(date::year{2026} / 3 / 28)));  // Saturday
  CHECK(c.heavy_hitter_arr == 0);
  CHECK(!c.heavy_hitter(1e9));  // 0 = no heavy hitters
  CHECK(c.danger_zone_max == 3);
  CHECK(c.outreach_target_per_month == 0);
  CHECK(c.segments.empty());
  CHECK(c.known_segment("anything"));  // no segments declared: any name goes
  CHECK(c.intake.empty());
  // Without a `priority` list: urgent for danger zone and heavy hitter, high for either.
  REQUIRE(c.priority.size() == 2);
  CHECK(c.priority[0].when->text() == "danger_zone and heavy_hitter");
  CHECK(c.priority[0].priority == Priority::kUrgent);
  CHECK(c.priority[1].when->text() == "danger_zone or heavy_hitter");
  CHECK(c.priority[1].priority == Priority::kHigh);
}

TEST_CASE("CompanyConfig.WeekendMayBeChanged") {
  CompanyConfig c = load_ok("company: Gulf\ncalendar:\n  weekend: [friday, saturday]\n");
  CHECK(c.calendar.is_business_day(date::local_days(date::year{2026} / 3 / 29)));   // Sunday
  CHECK(!c.calendar.is_business_day(date::local_days(date::year{2026} / 3 / 27)));  // Friday
}

TEST_CASE("CompanyConfig.AssignmentConditionsSeeTheCase") {
  CompanyConfig c = load_ok("company: X\n" + kPeople + R"(assignment:
  callback:
    - when: segment == "enterprise" and score <= 3
      pool: {role: executive}
      strategy: queue
)");
  const Guard& when = *c.assignment.at("callback")[0].when;
  Case k;
  k.segment = "enterprise";
  k.score = 2;
  CHECK(when.evaluate(CaseScope(k, c)));
  k.score = 5;
  CHECK(!when.evaluate(CaseScope(k, c)));
}

// ---------------------------------------------------------------- the file

TEST_CASE("CompanyConfig.YamlSyntaxError") {
  CHECK(errors_of("company: Acme\npeople:\n  - {id: ana, name: Ana\n") ==
        "company.yaml:4:1: YAML syntax error: end of map flow not found\n");
}

TEST_CASE("CompanyConfig.EmptyFileAndNotAMapping") {
  CHECK(errors_of("") == "company.yaml:1:1: empty company file\n");
  CHECK(errors_of("- company: Acme\n") ==
        "company.yaml:1:1: a company file must be a mapping (key: value)\n");
}

TEST_CASE("CompanyConfig.MissingCompanyAndUnknownKey") {
  CHECK(errors_of("time_zone: UTC\nshoe_size: 42\n") ==
        "company.yaml:1:1: missing 'company' in company file\n"
        "company.yaml:2:1: unknown key 'shoe_size' in company file; expected one of: company, "
        "time_zone, calendar, segments, themes, heavy_hitter_arr, danger_zone_max, "
        "outreach_target_per_month, workflows, intake, priority, assignment, people, loss_review\n");
}

TEST_CASE("CompanyConfig.NumbersAndRanges") {
  CHECK(errors_of("company: X\nheavy_hitter_arr: lots\ndanger_zone_max: 9\n") ==
        "company.yaml:2:19: 'heavy_hitter_arr' in company file must be a number, not 'lots'\n"
        "company.yaml:3:18: 'danger_zone_max' in company file must be a whole number from 0 to 6, "
        "not '9'\n");
  // Not finite, not whole, too large: refused (nan and 1e10 became a capacity
  // of -2147483648, read as unlimited; 2.9 became 2).
  CHECK(errors_of("company: X\nheavy_hitter_arr: .nan\ndanger_zone_max: 2.9\npeople:\n"
                  "  - {id: a, name: A, roles: [owner], capacity: 1e10}\n"
                  "  - {id: b, name: B, roles: [owner], capacity: 2.5}\n") ==
        "company.yaml:2:19: 'heavy_hitter_arr' in company file must be a number, not '.nan'\n"
        "company.yaml:3:18: 'danger_zone_max' in company file must be a whole number from 0 to 6, "
        "not '2.9'\n"
        "company.yaml:5:48: 'capacity' in person 'a' must be a whole number from 0 to 100000, not "
        "'1e10'\n"
        "company.yaml:6:48: 'capacity' in person 'b' must be a whole number from 0 to 100000, not "
        "'2.5'\n");
}

// ---------------------------------------------------------------- calendar

TEST_CASE("CompanyConfig.UnknownTimeZone") {
  CHECK(errors_of("company: X\ntime_zone: Europe/Atlantis\n") ==
        "company.yaml:2:12: unknown time zone 'Europe/Atlantis'\n");
}

TEST_CASE("CompanyConfig.UnknownWeekday") {
  CHECK(errors_of("company: X\ncalendar:\n  weekend: [saturday, sundae]\n") ==
        "company.yaml:3:23: unknown weekday 'sundae'; expected monday .. sunday\n");
}

TEST_CASE("CompanyConfig.WeekendCannotBeEveryDay") {
  CHECK(errors_of("company: X\ncalendar:\n  weekend: [monday, tuesday, wednesday, thursday, "
                  "friday, saturday, sunday]\n") ==
        "company.yaml:3:12: the weekend cannot be every day\n");
}

TEST_CASE("CompanyConfig.BadHolidayDate") {
  CHECK(errors_of("company: X\ncalendar:\n  holidays: [2026-12-25, 2026-02-30, christmas, "
                  "2026-12-26T00:00]\n") ==
        "company.yaml:3:26: holiday '2026-02-30' is not a date YYYY-MM-DD\n"
        "company.yaml:3:38: holiday 'christmas' is not a date YYYY-MM-DD\n"
        "company.yaml:3:49: holiday '2026-12-26T00:00' is not a date YYYY-MM-DD\n");
}

TEST_CASE("CompanyConfig.UnknownKeyInCalendar") {
  CHECK(errors_of("company: X\ncalendar:\n  weekends: [sunday]\n") ==
        "company.yaml:3:3: unknown key 'weekends' in calendar; expected one of: weekend, "
        "holidays\n");
}

// ---------------------------------------------------------------- segments

TEST_CASE("CompanyConfig.ArrMaxNotAboveArrMin") {
  CHECK(errors_of("company: X\nsegments:\n  - {name: smb, arr_min: 20000, arr_max: 20000}\n") ==
        "company.yaml:3:42: arr_max of segment 'smb' must be above arr_min\n");
}

TEST_CASE("CompanyConfig.DuplicateSegment") {
  CHECK(errors_of("company: X\nsegments:\n  - {name: smb}\n  - {name: smb, arr_min: 5}\n") ==
        "company.yaml:4:12: duplicate segment 'smb'\n");
}

// ---------------------------------------------------------------- people

TEST_CASE("CompanyConfig.UnknownRoleForPerson") {
  CHECK(errors_of("company: X\npeople:\n  - {id: ana, name: Ana, roles: [owner, ceo]}\n") ==
        "company.yaml:3:41: unknown role 'ceo'; expected one of: ops_lead, executive, owner, "
        "analyst, admin, ingest\n");
}

TEST_CASE("CompanyConfig.DuplicatePersonId") {
  CHECK(errors_of("company: X\npeople:\n  - {id: ana, name: Ana, roles: [owner]}\n"
                  "  - {id: ana, name: Ana Again, roles: [analyst]}\n") ==
        "company.yaml:4:10: duplicate person id 'ana'\n");
}

TEST_CASE("CompanyConfig.PersonProblems") {
  CHECK(errors_of(R"(company: X
people:
  - {name: Nobody, roles: [owner]}
  - {id: bob, name: Bob}
  - {id: cy, name: Cy, roles: [owner], capacity: -1, team: [smb]}
)") == "company.yaml:3:5: missing 'id' in person\n"
       "company.yaml:4:5: person 'bob' has no roles\n"
       "company.yaml:5:50: 'capacity' in person 'cy' must be a whole number from 0 to 100000, not "
       "'-1'\n"
       "company.yaml:5:54: unknown key 'team' in person; expected one of: id, name, roles, "
       "teams, capacity\n");
}

// ---------------------------------------------------------------- intake and priority

TEST_CASE("CompanyConfig.IntakeRuleProblems") {
  CHECK(errors_of(R"(company: X
intake:
  - {on: signup, open: welcome}
  - {when: score <= 6}
  - {on: response, when: score <= , open: detractor-followup}
)") == "company.yaml:3:10: 'on' of an intake rule must be response or churn, not 'signup'\n"
       "company.yaml:4:5: missing 'on' in intake rule\n"
       "company.yaml:4:5: missing 'open' in intake rule\n"
       "company.yaml:5:34: bad condition of intake rule: unexpected end of expression, expected "
       "an operand\n");
}

TEST_CASE("CompanyConfig.UnknownPriority") {
  CHECK(errors_of("company: X\npriority:\n  - {when: score < 3, priority: critical}\n") ==
        "company.yaml:3:33: unknown priority 'critical'; expected low, normal, high or urgent\n");
}

TEST_CASE("CompanyConfig.ConditionOnUnknownFieldPointsAtTheName") {
  CHECK(errors_of("company: X\npriority:\n  - {when: arr > 5 and plan == \"gold\", priority: "
                  "high}\n") ==
        "company.yaml:3:24: condition of priority rule refers to unknown field 'plan'; "
        "conditions may use: " +
            kConditionNames + "\n");
}

// ---------------------------------------------------------------- assignment

TEST_CASE("CompanyConfig.QueueRuleWithoutRole") {
  CHECK(errors_of("company: X\n" + kPeople +
                  "assignment:\n  callback:\n    - {strategy: queue, pool: {team: smb}}\n") ==
        "company.yaml:7:7: a queue rule of assignment rule set 'callback' needs pool.role (who "
        "may claim)\n");
}

TEST_CASE("CompanyConfig.RuleWithoutPool") {
  CHECK(errors_of("company: X\nassignment:\n  callback:\n    - strategy: round_robin\n") ==
        "company.yaml:4:7: rule of assignment rule set 'callback' needs a pool (role and/or "
        "team)\n");
  // account_owner needs no pool.
  CHECK(errors_of("company: X\nassignment:\n  callback:\n    - strategy: account_owner\n") == "");
}

TEST_CASE("CompanyConfig.MissingStrategy") {
  CHECK(errors_of("company: X\n" + kPeople +
                  "assignment:\n  callback:\n    - {pool: {team: smb}}\n") ==
        "company.yaml:7:7: missing 'strategy' in rule of assignment rule set 'callback'\n");
}

TEST_CASE("CompanyConfig.QueueRuleWithoutAnyPoolIsOneError") {
  CHECK(errors_of("company: X\nassignment:\n  callback:\n    - strategy: queue\n") ==
        "company.yaml:4:7: a queue rule of assignment rule set 'callback' needs pool.role (who "
        "may claim)\n");
}

TEST_CASE("CompanyConfig.UnknownStrategy") {
  CHECK(errors_of("company: X\n" + kPeople +
                  "assignment:\n  callback:\n    - {strategy: lottery, pool: {role: owner}}\n") ==
        "company.yaml:7:18: unknown strategy 'lottery'; expected round_robin, least_loaded, "
        "account_owner or queue\n");
}

TEST_CASE("CompanyConfig.PoolTeamNobodyServes") {
  CHECK(errors_of("company: X\n" + kPeople + R"(assignment:
  callback:
    - pool: {team: enterprise, role: owner}
      strategy: least_loaded
)") == "company.yaml:7:20: no person serves team 'enterprise' in pool of assignment rule set "
       "'callback'\n");
}

TEST_CASE("CompanyConfig.UnknownPoolRoleAndKeys") {
  // The unknown role is not reported a second time as a missing pool.
  CHECK(errors_of("company: X\n" + kPeople + R"(assignment:
  callback:
    - pool: {role: boss, size: 3}
      strategy: least_loaded
      order: random
  escalation: {strategy: queue}
)") == "company.yaml:7:20: unknown role 'boss' in pool of assignment rule set 'callback'\n"
       "company.yaml:7:26: unknown key 'size' in pool; expected one of: role, team\n"
       "company.yaml:9:7: unknown key 'order' in rule of assignment rule set 'callback'; "
       "expected one of: when, pool, strategy\n"
       "company.yaml:10:15: assignment rule set 'escalation' must be a list\n");
}

TEST_CASE("CompanyConfig.AssignmentConditionOnUnknownField") {
  CHECK(errors_of("company: X\n" + kPeople + R"(assignment:
  callback:
    - when: "segment == 'smb' and mood == 'bad'"
      pool: {role: owner}
      strategy: round_robin
)") == "company.yaml:7:35: condition of rule of assignment rule set 'callback' refers to "
       "unknown field 'mood'; conditions may use: " +
            kConditionNames + "\n");
}

// ---------------------------------------------------------------- with the workflows

// A company directory with a workflow file, for validate_configuration.
struct ConfigDir {
  testing::TempDir dir;
  std::string company = dir.file("company.yaml");
  std::string workflow = dir.file("wf.yaml");

  ConfigDir(const std::string& company_text, const std::string& workflow_text) {
    write_file(company, company_text);
    write_file(workflow, workflow_text);
  }
  std::string validate() {
    Diagnostics diags;
    auto loaded = validate_configuration(company, diags);
    CHECK(loaded.has_value() == diags.empty());
    return diags.to_string();
  }
};

const std::string kWorkflow = R"(name: wf
initial: a
states:
  a:
    assign: callback
    transitions:
      - {event: go, to: b}
  b: {terminal: true}
)";

const std::string kCompany = "company: X\nworkflows: [wf.yaml]\n" + kPeople + R"(intake:
  - {on: response, when: score <= 6, open: wf}
assignment:
  callback:
    - {pool: {role: owner}, strategy: least_loaded}
)";

TEST_CASE("CompanyConfig.ValidConfigurationDirectory") {
  ConfigDir cfg(kCompany, kWorkflow);
  CHECK(cfg.validate() == "");
}

TEST_CASE("CompanyConfig.IntakeRuleNamingAnUnknownWorkflow") {
  ConfigDir cfg("company: X\nworkflows: [wf.yaml]\n" + kPeople + R"(intake:
  - {on: response, when: score <= 6, open: wf}
  - {on: churn, open: loss-followup}
assignment:
  callback:
    - {pool: {role: owner}, strategy: least_loaded}
)",
                kWorkflow);
  CHECK(cfg.validate() == cfg.company +
                              ":8:5: intake rule opens workflow 'loss-followup', which is not "
                              "among the company's workflows\n");
}

TEST_CASE("CompanyConfig.IntakeRuleMayNotOpenAnIssueWorkflow") {
  ConfigDir cfg(kCompany, "subject: theme\n" + kWorkflow);
  CHECK(cfg.validate() == cfg.company +
                              ":7:5: intake rule opens workflow 'wf', whose subject is a theme (an "
                              "issue workflow); issues are opened with `turnaround issue open`\n");
}

TEST_CASE("CompanyConfig.StateAssignNamingAnUnknownRuleSet") {
  std::string wf = kWorkflow;
  wf.replace(wf.find("assign: callback"), 16, "assign: triage");
  ConfigDir cfg(kCompany, wf);
  CHECK(cfg.validate() == cfg.workflow + ":4:3: state 'a' assigns by rule set 'triage', which " +
                              cfg.company + " does not define under 'assignment'\n");
}

// The loss review's events and notes field, where the company file names
// them, must be the workflows' own (a misspelt one failed every `review
// mark` later, on every case of the state).
TEST_CASE("CompanyConfig.LossReviewNamesTheWorkflowsEventsAndFields") {
  const std::string review = "loss_review:\n  rrule: FREQ=MONTHLY;BYDAY=-1TU\n  start: 2026-01-27T15:00\n";
  ConfigDir bad(kCompany + review +
                    "  contact_events: [go, log_cal]\n  review_event: go\n  review_notes_field: notes\n",
                kWorkflow);
  CHECK(bad.validate() ==
        bad.company + ":14:19: loss_review contact_events: 'log_cal' is not an event of any workflow\n" +
            bad.company + ":16:23: loss_review review_notes_field 'notes' is not a field of workflow "
                          "'wf', whose event 'go' takes the notes\n");
  ConfigDir unknown(kCompany + review + "  review_event: mark_reviewd\n", kWorkflow);
  CHECK(unknown.validate() == unknown.company + ":14:17: loss_review review_event 'mark_reviewd' is "
                                                "not an event of any workflow\n");
  // The defaults may be absent from the workflows (then `review mark` only
  // records the review).
  ConfigDir defaults(kCompany + review, kWorkflow);
  CHECK(defaults.validate() == "");
}

TEST_CASE("CompanyConfig.MissingWorkflowFile") {
  ConfigDir cfg(kCompany, kWorkflow);
  write_file(cfg.company, "company: X\nworkflows: [wf.yaml, gone.yaml]\n" + kPeople +
                              "assignment:\n  callback:\n"
                              "    - {pool: {role: owner}, strategy: least_loaded}\n");
  std::string gone = cfg.dir.file("gone.yaml");
  CHECK(cfg.validate() == gone + ":0:0: cannot open '" + gone + "'\n");
}

TEST_CASE("CompanyConfig.ErrorsInAWorkflowFileAreReportedWithItsPath") {
  std::string wf = kWorkflow;
  wf.replace(wf.find("to: b"), 5, "to: z");
  ConfigDir cfg(kCompany, wf);
  std::string out = cfg.validate();
  CHECK(out.find(cfg.workflow +
                 ":7:25: unknown target state 'z' in transition 'go' of state 'a'\n") !=
        std::string::npos);
  CHECK(out.find(cfg.workflow + ":8:3: state 'b' is unreachable from the initial state 'a'\n") !=
        std::string::npos);
}

TEST_CASE("CompanyConfig.TwoFilesNamingTheSameWorkflow") {
  ConfigDir cfg(kCompany, kWorkflow);
  write_file(cfg.dir.file("copy.yaml"), kWorkflow);
  write_file(cfg.company, "company: X\nworkflows: [wf.yaml, copy.yaml]\n" + kPeople +
                              "assignment:\n  callback:\n"
                              "    - {pool: {role: owner}, strategy: least_loaded}\n");
  CHECK(cfg.validate() ==
        cfg.dir.file("copy.yaml") + ":1:1: workflow 'wf' is named by two files\n");
}

// ---------------------------------------------------------------- all at once

TEST_CASE("CompanyConfig.SeveralErrorsInOneRun") {
  std::string text = R"(company: Acme
time_zone: Mars/Olympus
calendar:
  holidays: [2026-13-01]
people:
  - {id: ana, name: Ana, roles: [owner], teams: [smb]}
  - {id: ana, name: Ana, roles: [boss]}
assignment:
  callback:
    - {pool: {team: enterprise}, strategy: fastest}
)";
  Diagnostics diags;
  CHECK(!load_company_config(text, "company.yaml", diags).has_value());
  CHECK(diags.size() == 6);
  CHECK(diags.to_string() ==
        "company.yaml:2:12: unknown time zone 'Mars/Olympus'\n"
        "company.yaml:4:14: holiday '2026-13-01' is not a date YYYY-MM-DD\n"
        "company.yaml:7:10: duplicate person id 'ana'\n"
        "company.yaml:7:34: unknown role 'boss'; expected one of: ops_lead, executive, owner, "
        "analyst, admin, ingest\n"
        "company.yaml:10:21: no person serves team 'enterprise' in pool of assignment rule set "
        "'callback'\n"
        "company.yaml:10:44: unknown strategy 'fastest'; expected round_robin, least_loaded, "
        "account_owner or queue\n");
}

}  // namespace
}  // namespace turnaround

#include "engine/workflow_loader.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/support/test_util.h"

// Every malformed input is checked by the exact text `turnaround validate`
// prints: "FILE:LINE:COLUMN: message", one line per error, sorted.

namespace turnaround {
namespace {

const std::string kRepo = TURNAROUND_SOURCE_DIR;

// The diagnostics of loading `text` as wf.yaml ("" when it loads). A load
// fails exactly when there are diagnostics.
std::string errors_of(const std::string& text) {
  Diagnostics diags;
  auto wf = load_workflow(text, "wf.yaml", diags);
  CHECK(wf.has_value() == diags.empty());
  return diags.to_string();
}

// REQUIRES: `text` is a valid workflow.
WorkflowDefinition load_ok(const std::string& text) {
  Diagnostics diags;
  auto wf = load_workflow(text, "wf.yaml", diags);
  REQUIRE_MESSAGE(wf.has_value(), diags.to_string());
  return *wf;
}

// A valid two-state workflow; tests append to or vary it.
const std::string kMinimal = R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: b
  b: {terminal: true}
)";

const std::string kDurationForms =
    "expected a non-negative whole number and a unit: 90m, 48h, 14d, 2w, 3bd, or 90 minutes, "
    "1 hour, 14 days, 2 weeks, 3 business days";

const std::string kRoles =
    "expected one of: ops_lead, executive, owner, analyst, admin, ingest, case_owner";

// ---------------------------------------------------------------- positive

TEST_CASE("WorkflowLoader.MinimalWorkflowLoads") {
  WorkflowDefinition wf = load_ok(kMinimal);
  CHECK(wf.name == "wf");
  CHECK(wf.label == "wf");  // defaults to the name
  CHECK(wf.initial == "a");
  CHECK(wf.version == 0);  // the registry numbers versions
  CHECK(wf.file == "wf.yaml");
  REQUIRE(wf.states.size() == 2);
  CHECK(wf.states[0].label == "a");
  CHECK(wf.states[0].where.line == 4);
  CHECK(wf.states[0].where.column == 3);
  CHECK(wf.states[1].terminal);
  REQUIRE(wf.transitions("a", "go").size() == 1);
  CHECK(wf.transitions("a", "go")[0]->label == "go");
}

TEST_CASE("WorkflowLoader.ShippedWorkflowsLoadWithoutDiagnostics") {
  for (const char* name : {"detractor-followup", "loss-followup", "issue-accountability"}) {
    CAPTURE(name);
    Diagnostics diags;
    auto wf = load_workflow_file(kRepo + "/workflows/" + name + ".yaml", diags);
    CHECK(diags.to_string() == "");
    REQUIRE(wf.has_value());
    CHECK(wf->name == name);
  }
}

TEST_CASE("WorkflowLoader.DetractorFollowupIsReadAsWritten") {
  Diagnostics diags;
  auto wf = load_workflow_file(kRepo + "/workflows/detractor-followup.yaml", diags);
  REQUIRE_MESSAGE(wf.has_value(), diags.to_string());
  CHECK(wf->initial == "triage");
  CHECK(wf->field("budget_amendment")->type == FieldType::kNumber);
  CHECK(wf->field("themes")->type == FieldType::kThemes);
  CHECK(wf->field("customer_informed")->type == FieldType::kBoolean);

  // from_any adds customer_lost to every non-terminal state, not to terminal ones.
  CHECK(wf->transitions("triage", "customer_lost").size() == 1);
  CHECK(wf->transitions("close_the_loop", "customer_lost").size() == 1);
  CHECK(wf->transitions("closed", "customer_lost").empty());
  CHECK(wf->transitions("customer_lost", "customer_lost").empty());

  const TransitionDef* route = wf->transitions("triage", "route").at(0);
  CHECK(route->automatic);
  CHECK(route->to == "callback");

  const StateDef* waiting = wf->state("waiting_on_customer");
  CHECK(waiting->pauses_clock);
  CHECK(wf->state("unreachable")->cancels_deadlines);
  CHECK(!wf->state("closed")->cancels_deadlines);
  CHECK(wf->state("callback")->assign == "callback");

  const DeadlineDef* cb = wf->deadline("callback");
  REQUIRE(cb != nullptr);
  CHECK(cb->anchor == DeadlineAnchor::kCaseOpened);
  CHECK(cb->end_of_day);
  REQUIRE(cb->rules.size() == 3);
  CHECK(cb->rules[0].when->text() == "danger_zone and heavy_hitter");
  CHECK(cb->rules[0].after == Duration{1, Duration::Unit::kBusinessDays});
  CHECK(!cb->rules[2].when.has_value());
  CHECK(cb->rules[2].after == Duration{5, Duration::Unit::kBusinessDays});
  REQUIRE(cb->escalation.size() == 2);
  CHECK(cb->escalation[0].actions.size() == 2);
  CHECK(cb->escalation[0].actions[1].kind == EscalationAction::Kind::kRaisePriority);
  CHECK(cb->escalation[0].actions[1].target == "");
  CHECK(cb->misfire == MisfirePolicy::kFireOnce);

  // The YAML anchor *ladder is shared by weeks 2, 3, 4 and 6.
  const DeadlineDef* w6 = wf->deadline("week6_action");
  REQUIRE(w6 != nullptr);
  CHECK(w6->rules.at(0).after == Duration{42, Duration::Unit::kDays});
  REQUIRE(w6->reminder.has_value());
  CHECK(w6->reminder->before == Duration{2, Duration::Unit::kDays});
  CHECK(w6->reminder->every == Duration{2, Duration::Unit::kBusinessDays});
  CHECK(w6->reminder->notify == "owner");
  CHECK(w6->escalation.size() == 2);
  CHECK(w6->escalation[1].after == Duration{3, Duration::Unit::kBusinessDays});

  const DeadlineDef* loop = wf->deadline("close_the_loop");
  CHECK(loop->anchor == DeadlineAnchor::kStateEntered);
}

TEST_CASE("WorkflowLoader.ContentHashFollowsTheText") {
  std::string changed = kMinimal + "# a comment\n";
  CHECK(content_hash(kMinimal) == content_hash(kMinimal));
  CHECK(content_hash(kMinimal) != content_hash(changed));
  CHECK(content_hash(kMinimal).size() == 16);
  CHECK(content_hash(kMinimal).find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(load_ok(kMinimal).content_hash == content_hash(kMinimal));
  CHECK(load_ok(changed).content_hash == content_hash(changed));
  CHECK(load_ok(changed).content_hash != load_ok(kMinimal).content_hash);
}

TEST_CASE("WorkflowLoader.MermaidShowsEveryTransition") {
  WorkflowDefinition wf = load_ok(R"(name: wf
initial: a
from_any:
  - {event: drop, to: c}
states:
  a:
    transitions:
      - event: go
        to: b
        guard: score <= 3
  b:
    transitions:
      - {event: finish, to: c}
  c: {terminal: true}
)");
  CHECK(to_mermaid(wf) ==
        "stateDiagram-v2\n"
        "  [*] --> a\n"
        "  a --> b : go [score <= 3]\n"
        "  a --> c : drop\n"
        "  b --> c : finish\n"
        "  b --> c : drop\n"
        "  c --> [*]\n");
}

TEST_CASE("WorkflowLoader.MermaidOfTheShippedDetractorWorkflow") {
  Diagnostics diags;
  auto wf = load_workflow_file(kRepo + "/workflows/detractor-followup.yaml", diags);
  REQUIRE_MESSAGE(wf.has_value(), diags.to_string());
  std::string m = to_mermaid(*wf);
  CHECK(m.rfind("stateDiagram-v2\n  [*] --> triage\n", 0) == 0);
  for (const char* line :
       {"  triage --> callback : route\n", "  callback --> root_cause : log_call\n",
        "  callback --> waiting_on_customer : wait_for_customer\n",
        "  waiting_on_customer --> callback : customer_responded\n",
        "  proposal --> action : submit_proposal [budget_amendment >= 0]\n",
        "  close_the_loop --> closed : close [customer_informed == true]\n",
        "  root_cause --> customer_lost : customer_lost\n", "  closed --> [*]\n",
        "  unreachable --> [*]\n"}) {
    CAPTURE(line);
    CHECK(m.find(line) != std::string::npos);
  }
}

TEST_CASE("WorkflowLoader.UnreadableFileIsADiagnosticAtLineZero") {
  testing::TempDir dir;
  std::string path = dir.file("missing.yaml");
  Diagnostics diags;
  CHECK(!load_workflow_file(path, diags).has_value());
  CHECK(diags.to_string() == path + ":0:0: cannot open '" + path + "'\n");
}

// ---------------------------------------------------------------- the file

TEST_CASE("WorkflowLoader.YamlSyntaxError") {
  CHECK(errors_of("name: wf\n  initial: a\n") ==
        "wf.yaml:2:10: YAML syntax error: illegal map value\n");
  CHECK(errors_of("name: wf\ninitial: a\nstates:\n  a: [\n") ==
        "wf.yaml:5:1: YAML syntax error: end of sequence flow not found\n");
}

TEST_CASE("WorkflowLoader.EmptyFile") {
  CHECK(errors_of("") == "wf.yaml:1:1: empty workflow file\n");
  CHECK(errors_of("# only a comment\n") == "wf.yaml:1:1: empty workflow file\n");
}

TEST_CASE("WorkflowLoader.NotAMapping") {
  CHECK(errors_of("- a\n- b\n") == "wf.yaml:1:1: a workflow file must be a mapping (key: value)\n");
  CHECK(errors_of("just text\n") ==
        "wf.yaml:1:1: a workflow file must be a mapping (key: value)\n");
}

TEST_CASE("WorkflowLoader.MissingName") {
  CHECK(errors_of("label: x\ninitial: a\nstates:\n  a: {terminal: true}\n") ==
        "wf.yaml:1:1: missing 'name' in workflow\n");
}

TEST_CASE("WorkflowLoader.BadNameCharacters") {
  CHECK(errors_of("name: Detractor Flow\ninitial: a\nstates:\n  a: {terminal: true}\n") ==
        "wf.yaml:1:7: workflow name 'Detractor Flow' must use only a-z, 0-9, _ and -\n");
  CHECK(errors_of("name: wf\ninitial: A\nstates:\n  A: {terminal: true}\n") ==
        "wf.yaml:4:3: state name 'A' must use only a-z, 0-9, _ and -\n");
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: Go Now
        to: b
  b: {terminal: true}
)") == "wf.yaml:6:16: event name 'Go Now' must use only a-z, 0-9, _ and -\n");
}

TEST_CASE("WorkflowLoader.MissingStates") {
  CHECK(errors_of("name: wf\ninitial: a\n") == "wf.yaml:1:1: missing 'states' in workflow\n");
  CHECK(errors_of("name: wf\ninitial: a\nstates: [a, b]\n") ==
        "wf.yaml:3:9: states must be a mapping (key: value)\n");
}

TEST_CASE("WorkflowLoader.MissingInitialState") {
  CHECK(errors_of("name: wf\nstates:\n  a: {terminal: true}\n") ==
        "wf.yaml:1:1: missing 'initial' in workflow\n");
}

TEST_CASE("WorkflowLoader.UnknownInitialState") {
  CHECK(errors_of("name: wf\ninitial: start\nstates:\n  a: {terminal: true}\n") ==
        "wf.yaml:2:10: initial state 'start' is not a declared state\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyAtRoot") {
  CHECK(errors_of("colour: blue\n" + kMinimal) ==
        "wf.yaml:1:1: unknown key 'colour' in workflow; expected one of: name, label, initial, "
        "subject, link_to_issues, fields, from_any, states\n");
}

TEST_CASE("WorkflowLoader.DuplicateRootKey") {
  CHECK(errors_of(kMinimal + "name: other\n") == "wf.yaml:9:1: duplicate key 'name' in workflow\n");
}

// ---------------------------------------------------------------- states and the graph

// Automatic transitions that are always taken and lead back where they
// started would loop on entry: refused where the loop begins. A guarded one
// may end the loop, so it is allowed (the engine bounds it at run time).
TEST_CASE("WorkflowLoader.UnconditionalAutomaticLoop") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - {event: go, to: b, automatic: true}
  b:
    transitions:
      - {event: back, to: a, automatic: true}
      - {event: finish, to: done}
  done: {terminal: true}
)") == "wf.yaml:6:9: automatic transitions loop: a -> b -> a (none of them has a guard or "
       "requires a field)\n");
  CHECK(errors_of(R"(name: wf
initial: a
fields:
  ok: {type: boolean}
states:
  a:
    transitions:
      - {event: go, to: b, automatic: true}
  b:
    transitions:
      - {event: back, to: a, automatic: true, guard: not ok}
      - {event: finish, to: done}
  done: {terminal: true}
)") == "");
}

TEST_CASE("WorkflowLoader.UnknownTargetState") {
  // b is reachable only through the broken transition, hence the second line.
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: nowhere
  b: {terminal: true}
)") == "wf.yaml:7:13: unknown target state 'nowhere' in transition 'go' of state 'a'\n"
       "wf.yaml:8:3: state 'b' is unreachable from the initial state 'a'\n");
}

TEST_CASE("WorkflowLoader.UnknownTargetStateInFromAny") {
  CHECK(errors_of(R"(name: wf
initial: a
from_any:
  - event: lost
    to: gone
states:
  a:
    transitions:
      - event: go
        to: b
  b: {terminal: true}
)") == "wf.yaml:5:9: unknown target state 'gone' in transition 'lost' of from_any\n");
}

TEST_CASE("WorkflowLoader.MissingTransitionTarget") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
      - event: end
        to: b
  b: {terminal: true}
)") == "wf.yaml:6:9: missing 'to' in transition 'go' of state 'a'\n");
}

TEST_CASE("WorkflowLoader.UnreachableState") {
  CHECK(errors_of(kMinimal + "  c:\n    transitions:\n      - {event: go, to: b}\n") ==
        "wf.yaml:9:3: state 'c' is unreachable from the initial state 'a'\n");
}

TEST_CASE("WorkflowLoader.NoTerminalState") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - {event: go, to: b}
  b:
    transitions:
      - {event: back, to: a}
)") == "wf.yaml:4:3: workflow has no terminal state (mark one with terminal: true)\n");
}

TEST_CASE("WorkflowLoader.NonTerminalDeadEndState") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - {event: go, to: b}
      - {event: end, to: c}
  b: {label: Dead end}
  c: {terminal: true}
)") == "wf.yaml:8:3: state 'b' has no transitions and is not terminal\n");
}

TEST_CASE("WorkflowLoader.TerminalStateWithTransitions") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - {event: go, to: b}
  b:
    terminal: true
    transitions:
      - {event: again, to: a}
)") == "wf.yaml:7:3: terminal state 'b' must have no transitions\n");
}

TEST_CASE("WorkflowLoader.TerminalStateWithDeadlines") {
  CHECK(errors_of(kMinimal + "  c:\n    terminal: true\n    deadlines:\n"
                             "      - {name: d, after: 1d}\n") ==
        "wf.yaml:9:3: terminal state 'c' must have no deadlines\n"
        "wf.yaml:9:3: state 'c' is unreachable from the initial state 'a'\n");
}

TEST_CASE("WorkflowLoader.DuplicateStateNames") {
  CHECK(errors_of(kMinimal + "  a: {terminal: true}\n") ==
        "wf.yaml:9:3: duplicate key 'a' in states\n");
}

TEST_CASE("WorkflowLoader.StateMustBeAMapping") {
  CHECK(errors_of("name: wf\ninitial: a\nstates:\n  a: [oops]\n  b: {terminal: true}\n") ==
        "wf.yaml:4:6: state 'a' must be a mapping (key: value)\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInState") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    timeout: 3d
    transitions:
      - {event: go, to: b}
  b: {terminal: true}
)") == "wf.yaml:5:5: unknown key 'timeout' in state 'a'; expected one of: label, terminal, "
       "pauses_clock, cancels_deadlines, roles, assign, deadlines, transitions\n");
}

TEST_CASE("WorkflowLoader.NotABoolean") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    pauses_clock: maybe
    transitions:
      - {event: go, to: b}
  b: {terminal: true}
)") == "wf.yaml:5:19: 'pauses_clock' in state 'a' must be true or false, not 'maybe'\n");
}

TEST_CASE("WorkflowLoader.CancelsDeadlinesOnNonTerminalState") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    cancels_deadlines: true
    transitions:
      - {event: go, to: b}
  b: {terminal: true}
)") == "wf.yaml:5:24: cancels_deadlines is only for terminal states ('a')\n");
}

TEST_CASE("WorkflowLoader.UnknownRole") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    roles: [ops_lead, ceo]
    transitions:
      - event: go
        to: b
        roles: manager
  b: {terminal: true}
)") == "wf.yaml:5:23: unknown role 'ceo' in state 'a'; " + kRoles + "\n" +
            "wf.yaml:9:16: unknown role 'manager' in transition 'go' of state 'a'; " + kRoles +
            "\n");
}

// ---------------------------------------------------------------- transitions

TEST_CASE("WorkflowLoader.TransitionMustBeAMapping") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - go
      - {event: x, to: b}
  b: {terminal: true}
)") == "wf.yaml:6:9: a transition of state 'a' must be a mapping (key: value)\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInTransition") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: b
        when: score < 3
  b: {terminal: true}
)") == "wf.yaml:8:9: unknown key 'when' in transition 'go' of state 'a'; expected one of: "
       "event, to, guard, roles, requires, automatic, first_contact, label, signal_linked\n");
}

TEST_CASE("WorkflowLoader.UnknownFieldInRequires") {
  CHECK(errors_of(R"(name: wf
initial: a
fields:
  notes: text
states:
  a:
    transitions:
      - event: go
        to: b
        requires: [notes, root_cause]
  b: {terminal: true}
)") == "wf.yaml:10:27: unknown field 'root_cause' required by transition 'go' of state 'a'\n");
}

TEST_CASE("WorkflowLoader.GuardReferencingUnknownFieldPointsAtTheName") {
  // Plain scalar: the expression starts at column 16, `budget` at column 31.
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: b
        guard: score <= 3 and budget > 0
  b: {terminal: true}
)") == "wf.yaml:8:31: guard of transition 'go' of state 'a' refers to unknown field 'budget'\n");
  // Quoted scalar: the text starts one column after the quote; a name inside
  // a string literal is not the reference.
  CHECK(errors_of(R"(name: wf
initial: a
fields:
  notes: text
states:
  a:
    transitions:
      - event: go
        to: b
        guard: "notes != 'mood' and mood == 1"
  b: {terminal: true}
)") == "wf.yaml:10:37: guard of transition 'go' of state 'a' refers to unknown field 'mood'\n");
}

TEST_CASE("WorkflowLoader.GuardMayUseBuiltinsAndDeclaredFields") {
  load_ok(R"(name: wf
initial: a
fields:
  budget: number
  tags: themes
states:
  a:
    transitions:
      - event: go
        to: b
        guard: >-
          budget >= 0 and "billing" in tags and score <= 6 and arr > 0 and segment != ""
          and priority in ["high", "urgent"] and not danger_zone or heavy_hitter
          or customer_id == "c1" or customer_name == "x" or state == "a" or workflow == "wf"
          or owner == "" or queue == "executive" or category == "detractor"
          or "ops_lead" in actor.roles or actor.id == "ana" or responses_count > 1
  b: {terminal: true}
)");
}

TEST_CASE("WorkflowLoader.GuardSyntaxErrorPointsInsideTheExpression") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: b
        guard: score = 3
      - event: go2
        to: b
        guard: "score >= && 1"
  b: {terminal: true}
)") == "wf.yaml:8:22: bad guard of transition 'go' of state 'a': unknown operator '=' (use "
       "'==' to compare)\n"
       "wf.yaml:11:26: bad guard of transition 'go2' of state 'a': unknown operator '&&' "
       "(use 'and')\n");
}

TEST_CASE("WorkflowLoader.FieldClashesWithBuiltin") {
  CHECK(errors_of("fields:\n  score: number\n" + kMinimal) ==
        "wf.yaml:2:3: field 'score' clashes with a built-in case attribute\n");
}

TEST_CASE("WorkflowLoader.UnknownFieldType") {
  CHECK(errors_of("fields:\n  notes: string\n  amount: {type: money}\n" + kMinimal) ==
        "wf.yaml:2:10: unknown field type 'string'; expected one of: text, number, boolean, "
        "theme, themes, person\n"
        "wf.yaml:3:18: unknown field type 'money'; expected one of: text, number, boolean, "
        "theme, themes, person\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInField") {
  CHECK(errors_of("fields:\n  notes: {type: text, required: true}\n" + kMinimal) ==
        "wf.yaml:2:23: unknown key 'required' in field 'notes'; expected one of: type, label\n");
}

// ---------------------------------------------------------------- deadlines

// kMinimal with `deadline` (a YAML list item, indented for state a) added.
std::string with_deadline(const std::string& deadline) {
  return R"(name: wf
initial: a
states:
  a:
    transitions:
      - event: go
        to: b
    deadlines:
)" + deadline +
         "  b: {terminal: true}\n";
}

TEST_CASE("WorkflowLoader.DuplicateDeadlineNames") {
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    deadlines:
      - {name: d1, after: 2d}
    transitions:
      - {event: go, to: b}
  b:
    deadlines:
      - name: d1
        after: 3d
    transitions:
      - {event: go, to: c}
  c: {terminal: true}
)") == "wf.yaml:11:15: duplicate deadline name 'd1'\n");
}

TEST_CASE("WorkflowLoader.BadDurations") {
  CHECK(errors_of(with_deadline("      - {name: d1, after: 14 dayz}\n"
                                "      - {name: d2, after: -3d}\n"
                                "      - {name: d3, after: fortnight}\n"
                                "      - {name: d4, after: 2.5d}\n")) ==
        "wf.yaml:9:27: bad duration '14 dayz' for 'after' of deadline 'd1': invalid duration "
        "'14 dayz': unknown unit 'dayz'; " +
            kDurationForms + "\n" +
            "wf.yaml:10:27: bad duration '-3d' for 'after' of deadline 'd2': invalid duration "
            "'-3d': negative amounts are not allowed; " +
            kDurationForms + "\n" +
            "wf.yaml:11:27: bad duration 'fortnight' for 'after' of deadline 'd3': invalid "
            "duration 'fortnight': missing amount; " +
            kDurationForms + "\n" +
            "wf.yaml:12:27: bad duration '2.5d' for 'after' of deadline 'd4': invalid duration "
            "'2.5d': the amount must be a whole number; " +
            kDurationForms + "\n");
}

TEST_CASE("WorkflowLoader.DurationSpellingsAccepted") {
  WorkflowDefinition wf =
      load_ok(with_deadline("      - {name: d1, after: 3 Business Days}\n"
                            "      - {name: d2, after: 90 minutes}\n"
                            "      - {name: d3, after: 2w}\n"));
  CHECK(wf.deadline("d1")->rules[0].after == Duration{3, Duration::Unit::kBusinessDays});
  CHECK(wf.deadline("d2")->rules[0].after == Duration{90, Duration::Unit::kMinutes});
  CHECK(wf.deadline("d3")->rules[0].after == Duration{2, Duration::Unit::kWeeks});
  CHECK(wf.deadline("d3")->anchor == DeadlineAnchor::kStateEntered);  // the default
}

TEST_CASE("WorkflowLoader.MissingDeadlineNameAndAfter") {
  CHECK(errors_of(with_deadline("      - {from: case_opened}\n")) ==
        "wf.yaml:9:9: missing 'name' in deadline of state 'a'\n"
        "wf.yaml:9:9: missing 'after' in deadline ''\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInDeadline") {
  CHECK(errors_of(with_deadline("      - name: d1\n        after: 2d\n        within: 3d\n")) ==
        "wf.yaml:11:9: unknown key 'within' in deadline 'd1'; expected one of: name, from, "
        "after, end_of_day, reminder, misfire, escalation\n");
}

TEST_CASE("WorkflowLoader.BadAnchorAndMisfirePolicy") {
  CHECK(errors_of(with_deadline("      - name: d1\n        after: 2d\n        from: now\n"
                                "        misfire: retry\n")) ==
        "wf.yaml:11:15: 'from' of deadline 'd1' must be case_opened or state_entered, not "
        "'now'\n"
        "wf.yaml:12:18: misfire of deadline 'd1' must be fire_once, fire_all or skip, not "
        "'retry'\n");
}

TEST_CASE("WorkflowLoader.LastAfterRuleWithWhen") {
  CHECK(errors_of(with_deadline(R"(      - name: cb
        after:
          - when: danger_zone
            duration: 1bd
          - when: heavy_hitter
            duration: 2bd
)")) == "wf.yaml:11:11: the last rule of 'after' of deadline 'cb' must have no 'when', so "
        "that every case gets a deadline\n");
}

TEST_CASE("WorkflowLoader.AfterRuleProblems") {
  CHECK(errors_of(with_deadline(R"(      - name: cb
        after:
          - when: vip and danger_zone
            duration: 1bd
          - when: heavy_hitter
          - duration: 5bd
            unless: smb
)")) == "wf.yaml:11:19: guard of deadline 'cb' refers to unknown field 'vip'\n"
        "wf.yaml:13:13: missing 'duration' in a rule of deadline 'cb'\n"
        "wf.yaml:15:13: unknown key 'unless' in a rule of 'after' of deadline 'cb'; expected "
        "one of: when, duration\n");
  CHECK(errors_of(with_deadline("      - {name: cb, after: []}\n")) ==
        "wf.yaml:9:27: 'after' of deadline 'cb' lists no duration\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInReminder") {
  CHECK(errors_of(with_deadline("      - {name: d1, after: 2d, reminder: {before: 1d, repeat: "
                                "2d}}\n")) ==
        "wf.yaml:9:54: unknown key 'repeat' in reminder of deadline 'd1'; expected one of: "
        "before, every, notify\n");
}

TEST_CASE("WorkflowLoader.ReminderProblems") {
  CHECK(errors_of(with_deadline("      - name: d1\n"
                                "        after: 2d\n"
                                "        reminder: {every: 0d, notify: boss}\n")) ==
        "wf.yaml:11:19: missing 'before' in reminder of deadline 'd1'\n"
        "wf.yaml:11:27: reminder 'every' must be longer than zero\n"
        "wf.yaml:11:39: unknown role 'boss' to notify; expected owner or a role\n");
}

TEST_CASE("WorkflowLoader.UnknownKeyInEscalationLevel") {
  CHECK(errors_of(with_deadline(R"(      - name: d1
        after: 2d
        escalation:
          - after: 0d
            actions: [{notify: owner}]
            extra: 1
)")) == "wf.yaml:14:13: unknown key 'extra' in escalation level of deadline 'd1'; "
        "expected one of: after, actions\n");
}

TEST_CASE("WorkflowLoader.UnknownEscalationAction") {
  CHECK(errors_of(with_deadline(R"(      - name: d1
        after: 2d
        escalation:
          - after: 1d
            actions: [{notify: owner}, {page: ops_lead}]
)")) == "wf.yaml:13:41: unknown escalation action 'page'; expected notify, raise_priority, "
        "reassign or fire\n");
}

TEST_CASE("WorkflowLoader.EscalationActionTargets") {
  CHECK(errors_of(with_deadline(R"(      - name: d1
        after: 2d
        escalation:
          - after: 0d
            actions:
              - {reassign: boss}
              - {raise_priority: critical}
              - {notify: nobody}
              - notify
          - after: 1d
)")) == "wf.yaml:14:28: unknown role 'boss' to reassign to\n"
        "wf.yaml:15:34: unknown priority 'critical'; expected low, normal, high or urgent\n"
        "wf.yaml:16:26: unknown role 'nobody' to notify; expected owner or a role\n"
        "wf.yaml:17:17: an escalation action is one of {notify: ROLE}, {raise_priority: \"\"}, "
        "{reassign: ROLE}, {fire: EVENT}\n"
        "wf.yaml:18:13: missing 'actions' in escalation level of deadline 'd1'\n");
}

TEST_CASE("WorkflowLoader.FireOfUnknownEvent") {
  CHECK(errors_of(with_deadline(R"(      - name: d1
        after: 2d
        escalation:
          - after: 0d
            actions: [{fire: explode}, {fire: go}]
)")) == "wf.yaml:13:30: unknown event 'explode' to fire in escalation level of deadline 'd1'\n");
}

// ---------------------------------------------------------------- all at once

TEST_CASE("WorkflowLoader.SeveralErrorsInOneRun") {
  // Errors found while reading (duration, role) and while checking references
  // (target, required field, guard name) are all reported, sorted by line.
  std::string text = R"(name: wf
initial: a
fields:
  notes: text
states:
  a:
    deadlines:
      - name: d1
        after: 3 parsecs
    transitions:
      - event: go
        to: nowhere
        roles: [janitor]
        requires: [notes, summary]
      - event: done
        to: b
        guard: mood == "good"
  b: {terminal: true}
)";
  Diagnostics diags;
  CHECK(!load_workflow(text, "wf.yaml", diags).has_value());
  CHECK(diags.size() == 5);
  CHECK(diags.to_string() ==
        "wf.yaml:9:16: bad duration '3 parsecs' for 'after' of deadline 'd1': invalid duration "
        "'3 parsecs': unknown unit 'parsecs'; " +
            kDurationForms + "\n" +
            "wf.yaml:12:13: unknown target state 'nowhere' in transition 'go' of state 'a'\n"
            "wf.yaml:13:17: unknown role 'janitor' in transition 'go' of state 'a'; " +
            kRoles + "\n" +
            "wf.yaml:14:27: unknown field 'summary' required by transition 'go' of state 'a'\n"
            "wf.yaml:17:16: guard of transition 'done' of state 'a' refers to unknown field "
            "'mood'\n");
}

TEST_CASE("WorkflowLoader.DiagnosticsKeepTheFileName") {
  Diagnostics diags;
  CHECK(!load_workflow("name: wf\n", "workflows/x.yaml", diags).has_value());
  REQUIRE(diags.size() == 2);
  CHECK(diags.items()[0].where.file == "workflows/x.yaml");
  CHECK(diags.to_string() ==
        "workflows/x.yaml:1:1: missing 'initial' in workflow\n"
        "workflows/x.yaml:1:1: missing 'states' in workflow\n");
}

TEST_CASE("WorkflowLoader.FirstContactFlag") {
  Diagnostics diags;
  auto wf = load_workflow(R"(name: wf
initial: a
fields:
  t: {type: themes}
  one: {type: theme}
  notes: {type: text}
states:
  a:
    transitions:
      - {event: call, to: b, first_contact: true}
      - {event: skip, to: b}
  b: {terminal: true}
)", "wf.yaml", diags);
  REQUIRE_MESSAGE(wf.has_value(), diags.to_string());
  CHECK(wf->first_contact_events() == std::vector<std::string>{"call"});
  CHECK(wf->theme_fields() == std::vector<std::string>{"t", "one"});
  FieldValues data{{"t", Value(Value::List{"pricing", "billing", "pricing"})},
                   {"one", Value("delivery")},
                   {"notes", Value("not a theme")}};
  CHECK(wf->themes_of(data) == std::vector<std::string>{"billing", "delivery", "pricing"});
  CHECK(errors_of(R"(name: wf
initial: a
states:
  a:
    transitions:
      - {event: call, to: b, first_contact: maybe}
  b: {terminal: true}
)").find("first_contact") != std::string::npos);
}

}  // namespace
}  // namespace turnaround

// --- Top-five issues: subject, link_to_issues and signal_linked.

namespace turnaround {
namespace {

TEST_CASE("WorkflowLoader.IssueKeysAreRead") {
  WorkflowDefinition issue = load_ok(R"(name: issue
subject: theme
initial: a
fields:
  action: text
states:
  a:
    transitions:
      - event: go
        to: b
        signal_linked:
          event: told
          data: {issue_id: id, what: action}
  b: {terminal: true}
)");
  CHECK(issue.subject == WorkflowSubject::kTheme);
  CHECK_FALSE(issue.link_to_issues);
  const auto& sig = issue.transitions("a", "go")[0]->signal_linked;
  REQUIRE(sig.has_value());
  CHECK(sig->event == "told");
  CHECK(sig->data == std::map<std::string, std::string>{{"issue_id", "id"}, {"what", "action"}});

  WorkflowDefinition detractor = load_ok("link_to_issues: true\nfields:\n  themes: themes\n  why: theme\n" + kMinimal);
  CHECK(detractor.subject == WorkflowSubject::kCustomer);
  CHECK(detractor.link_to_issues);
  CHECK(detractor.theme_fields() == std::vector<std::string>{"themes", "why"});
}

TEST_CASE("WorkflowLoader.IssueKeysAreValidated") {
  CHECK(errors_of("subject: weather\n" + kMinimal) ==
        "wf.yaml:1:10: subject must be customer or theme, not 'weather'\n");
  CHECK(errors_of("link_to_issues: true\n" + kMinimal) ==
        "wf.yaml:1:17: link_to_issues needs a field of type theme or themes to link by\n");
  CHECK(errors_of("subject: theme\nlink_to_issues: true\nfields: {t: themes}\n" + kMinimal) ==
        "wf.yaml:2:17: a workflow with subject: theme (an issue) cannot link_to_issues\n");
  CHECK(errors_of(R"(name: wf
initial: a
fields: {action: text}
states:
  a:
    transitions:
      - event: go
        to: b
        signal_linked:
          event: Told!
          data: {x: nothing, y: [action], z: action}
          when: now
  b: {terminal: true}
)") == "wf.yaml:10:18: event name 'Told!' must use only a-z, 0-9, _ and -\n"
       "wf.yaml:11:21: unknown field 'nothing' in signal_linked of transition 'go' of state 'a' "
       "(expected a field of this workflow, or id)\n"
       "wf.yaml:11:33: the source of 'y' in signal_linked of transition 'go' of state 'a' must be "
       "a field name of this workflow or id\n"
       "wf.yaml:12:11: unknown key 'when' in signal_linked of transition 'go' of state 'a'; "
       "expected one of: event, data\n");
}

}  // namespace
}  // namespace turnaround

// Engine use cases over a MemoryStore with a fake clock: intake, assignment,
// claims, transitions, guards, required fields and version conflicts.
#include "engine/engine.h"

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

TEST_CASE("Intake.DetractorOpensCasePromoterIsRecorded") {
  EngineFixture f;
  auto opened = f.ingest(f.response("R1", "C1", 5));
  CHECK(opened.outcome == IntakeOutcome::kOpened);
  auto promoter = f.ingest(f.response("R2", "C2", 10));
  CHECK(promoter.outcome == IntakeOutcome::kRecorded);
  auto passive = f.ingest(f.response("R3", "C3", 7));
  CHECK(passive.outcome == IntakeOutcome::kRecorded);
  Case c = f.get(opened.case_id);
  CHECK(c.workflow == "detractor-followup");
  CHECK(c.workflow_version == 1);
  CHECK(c.state == "callback");
  CHECK(c.score == 5);
  CHECK(c.opened_at == at("2026-11-02T08:00:00Z"));
  CHECK(c.responded_at == at("2026-11-02T08:00:00Z"));
  CHECK(history_string(c) == "opened[->triage] | route[triage->callback] | assigned[callback]");
}

TEST_CASE("Intake.DuplicateResponseChangesNothing") {
  EngineFixture f;
  auto r = f.response("R1", "C1", 2);
  CHECK(f.ingest(r).outcome == IntakeOutcome::kOpened);
  Case before = f.get(CaseId(1));
  CHECK(f.ingest(r).outcome == IntakeOutcome::kDuplicate);
  Case after = f.get(CaseId(1));
  CHECK(after.version == before.version);
  CHECK(after.history.size() == before.history.size());
  auto all = f.engine->list_cases({});
  REQUIRE(all.ok());
  CHECK(all->size() == 1);
}

TEST_CASE("Intake.SecondResponseAttachesToOpenCase") {
  EngineFixture f;
  CaseId id = f.open("C1", 6);
  f.clock.advance(std::chrono::hours(24));
  auto second = f.ingest(f.response("R-second", "C1", 2));
  CHECK(second.outcome == IntakeOutcome::kAttached);
  CHECK(second.case_id == id);
  Case c = f.get(id);
  CHECK(c.responses.size() == 2);
  CHECK(c.score == 2);                    // the lowest score
  CHECK(c.priority == Priority::kHigh);   // now in the danger zone
  CHECK(history_string(c) ==
        "opened[->triage] | route[triage->callback] | assigned[callback] | response_attached[callback]");
}

TEST_CASE("Intake.PriorityFromDangerZoneAndHeavyHitter") {
  EngineFixture f;
  CHECK(f.get(f.open("A", 5, "smb", 5000)).priority == Priority::kNormal);
  CHECK(f.get(f.open("B", 3, "smb", 5000)).priority == Priority::kHigh);
  CHECK(f.get(f.open("C", 5, "enterprise", 200000)).priority == Priority::kHigh);
  CHECK(f.get(f.open("D", 0, "enterprise", 200000)).priority == Priority::kUrgent);
  CHECK(f.get(f.open("E", 4, "enterprise", 149999)).priority == Priority::kNormal);
}

TEST_CASE("Intake.InvalidResponseRejectedOthersKept") {
  EngineFixture f;
  auto bad = f.response("R-bad", "C1", 11);
  auto unknown_segment = f.response("R-seg", "C2", 3, "galactic");
  auto good = f.response("R-good", "C3", 3);
  auto res = f.engine->ingest_responses({{2, bad}, {3, unknown_segment}, {4, good}});
  REQUIRE(res.ok());
  CHECK((*res)[0].outcome == IntakeOutcome::kRejected);
  CHECK((*res)[0].line == 2);
  CHECK((*res)[0].error.fields() == std::vector<std::string>{"score"});
  CHECK((*res)[1].outcome == IntakeOutcome::kRejected);
  CHECK((*res)[1].error.message() == "segment 'galactic' is not one of: enterprise, mid-market, smb");
  CHECK((*res)[2].outcome == IntakeOutcome::kOpened);
}

TEST_CASE("Intake.SegmentDerivedFromArrWhenMissing") {
  EngineFixture f;
  Case c = f.get(f.open("C1", 4, "", 250000));
  CHECK(c.segment == "enterprise");
}

TEST_CASE("Assignment.QueueThenClaimByExecutive") {
  EngineFixture f;
  CaseId id = f.open("BIG", 2, "enterprise", 300000);
  Case c = f.get(id);
  CHECK(c.owner.empty());
  CHECK(c.queue == "executive");
  auto by_owner = f.engine->claim(id, PersonId("lena.owner"));
  CHECK(by_owner.status().code() == StatusCode::kPermissionDenied);
  auto claimed = f.engine->claim(id, PersonId("clara.ceo"));
  REQUIRE(claimed.ok());
  CHECK(claimed->owner == PersonId("clara.ceo"));
  CHECK(claimed->queue.empty());
  auto again = f.engine->claim(id, PersonId("mehmet.cro"));
  CHECK(again.status().code() == StatusCode::kFailedPrecondition);
  CHECK(again.status().message() == "case 1 is already owned by clara.ceo");
  CHECK(history_string(*claimed) ==
        "opened[->triage] | route[triage->callback] | queued[callback] | claimed[callback]");
  CHECK(claimed->history.back().by == "clara.ceo");
}

TEST_CASE("Assignment.RoundRobinOverMidMarketTeam") {
  EngineFixture f;
  std::vector<std::string> owners;
  for (int i = 0; i < 4; ++i) owners.push_back(f.get(f.open("M" + std::to_string(i), 5, "mid-market", 50000)).owner.value);
  CHECK(owners == std::vector<std::string>{"amira.owner", "tom.owner", "yuki.owner", "amira.owner"});
}

TEST_CASE("Assignment.LeastLoadedRespectsCapacity") {
  EngineFixture f;
  // smb: least_loaded over eva, luca, noah (capacity 120 each).
  std::vector<std::string> owners;
  for (int i = 0; i < 6; ++i) owners.push_back(f.get(f.open("S" + std::to_string(i), 5)).owner.value);
  CHECK(owners == std::vector<std::string>{"eva.owner", "luca.owner", "noah.owner", "eva.owner",
                                           "luca.owner", "noah.owner"});
}

TEST_CASE("Assignment.ManualAssignOnlyByOpsLead") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  auto denied = f.engine->assign(id, PersonId("noah.owner"), PersonId("eva.owner"));
  CHECK(denied.status().code() == StatusCode::kPermissionDenied);
  auto unknown = f.engine->assign(id, PersonId("nobody"), PersonId("ines.ops"));
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  auto ok = f.engine->assign(id, PersonId("noah.owner"), PersonId("ines.ops"));
  REQUIRE(ok.ok());
  CHECK(ok->owner == PersonId("noah.owner"));
  CHECK(ok->history.back().event == "assigned");
  CHECK(ok->history.back().by == "ines.ops");
  CHECK(ok->history.back().data.at("previous_owner") == Value("eva.owner"));
}

TEST_CASE("Transitions.RequiredFieldsNamed") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  auto missing = f.fire(id, "log_call", "eva.owner", {{"callback_notes", Value("they were upset")}});
  CHECK(missing.status().code() == StatusCode::kInvalidArgument);
  CHECK(missing.status().fields() == std::vector<std::string>{"themes"});
  CHECK(f.get(id).state == "callback");
  CHECK(f.get(id).version == 1);
}

TEST_CASE("Transitions.EventNotAllowedListsAllowed") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  auto r = f.fire(id, "close", "eva.owner");
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
  CHECK(r.status().message() == "event 'close' is not allowed in state 'callback'");
  CHECK(r.status().allowed() ==
        std::vector<std::string>{"log_call", "wait_for_customer", "mark_unreachable", "customer_lost"});
}

TEST_CASE("Transitions.OnlyOwnerOrOpsLeadMayAct") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);  // owned by eva.owner
  FieldValues data{{"callback_notes", Value("x")}, {"themes", Value(Value::List{"billing"})}};
  CHECK(f.fire(id, "log_call", "noah.owner", data).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.fire(id, "log_call", "ana.analyst", data).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.fire(id, "log_call", "ghost", data).status().code() == StatusCode::kPermissionDenied);
  CHECK(f.fire(id, "log_call", "jonas.ops", data).ok());
}

TEST_CASE("Transitions.UnknownFieldAndThemeOutsideTaxonomy") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  auto unknown = f.fire(id, "log_call", "eva.owner", {{"mood", Value("bad")}});
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().fields() == std::vector<std::string>{"mood"});
  auto theme = f.fire(id, "log_call", "eva.owner",
                      {{"callback_notes", Value("x")}, {"themes", Value(Value::List{"weather"})}});
  CHECK(theme.status().code() == StatusCode::kInvalidArgument);
  CHECK(theme.status().message() == "'weather' is not a theme of the taxonomy");
  auto type = f.fire(id, "log_call", "eva.owner", {{"callback_notes", Value(3)}});
  CHECK(type.status().message() == "field 'callback_notes' must be text");
}

TEST_CASE("Transitions.GuardOnBudgetAmendment") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  REQUIRE(f.fire(id, "log_call", "eva.owner",
                 {{"callback_notes", Value("x")}, {"themes", Value(Value::List{"billing"})}}).ok());
  std::string owner = f.get(id).owner.value;
  REQUIRE(f.fire(id, "record_root_cause", owner, {{"root_cause", Value("invoice run")}}).ok());
  REQUIRE(f.fire(id, "record_solutions", owner, {{"solutions", Value("fix invoicing")}}).ok());
  auto negative = f.fire(id, "submit_proposal", owner,
                         {{"proposal", Value("p")}, {"budget_amendment", Value(-5)}});
  CHECK(negative.status().code() == StatusCode::kFailedPrecondition);
  CHECK(negative.status().message() ==
        "event 'submit_proposal' is not possible now: its condition (budget_amendment >= 0) does not hold");
  auto zero = f.fire(id, "submit_proposal", owner,
                     {{"proposal", Value("p")}, {"budget_amendment", Value(0)}});
  REQUIRE(zero.ok());
  CHECK(zero->state == "action");
  CHECK(zero->data.at("budget_amendment") == Value(0));
}

TEST_CASE("Transitions.StaleVersionRefused") {
  EngineFixture f;
  CaseId id = f.open("C1", 5);
  std::int64_t v = f.get(id).version;
  FieldValues data{{"waiting_for", Value("their CFO")}};
  auto stale = f.engine->fire_event(id, "wait_for_customer", PersonId("eva.owner"), data, v - 1);
  CHECK(stale.status().code() == StatusCode::kAborted);
  CHECK(f.get(id).version == v);
  auto fresh = f.engine->fire_event(id, "wait_for_customer", PersonId("eva.owner"), data, v);
  REQUIRE(fresh.ok());
  CHECK(fresh->version == v + 1);
  auto replay = f.engine->fire_event(id, "customer_responded", PersonId("eva.owner"), {}, v);
  CHECK(replay.status().code() == StatusCode::kAborted);
}

TEST_CASE("Transitions.AfterCallbackOwnerComesFromSegmentTeam") {
  EngineFixture f;
  CaseId id = f.open("BIG", 1, "enterprise", 400000);
  REQUIRE(f.engine->claim(id, PersonId("sofia.cfo")).ok());
  auto r = f.fire(id, "log_call", "sofia.cfo",
                  {{"callback_notes", Value("billing changed without notice")},
                   {"themes", Value(Value::List{"billing", "communication"})}});
  REQUIRE(r.ok());
  CHECK(r->state == "root_cause");
  CHECK(r->owner == PersonId("lena.owner"));
  CHECK(deadline(*r, "callback").status == DeadlineStatus::kMet);
  CHECK(history_string(*r) ==
        "opened[->triage] | route[triage->callback] | queued[callback] | claimed[callback] | "
        "log_call[callback->root_cause] | assigned[root_cause]");
}

TEST_CASE("Churn.ClosesOpenCasesAndOpensLossFollowup") {
  EngineFixture f;
  CaseId id = f.open("C1", 3);
  ChurnEvent e;
  e.customer_id = CustomerId("C1");
  e.lost_at = at("2026-11-03T10:00:00Z");
  e.reason = "moved to a competitor";
  e.arr = 5000;
  auto res = f.engine->ingest_churn({{2, e}});
  REQUIRE(res.ok());
  CHECK((*res)[0].outcome == IntakeOutcome::kOpened);
  CHECK((*res)[0].cases_closed == 1);
  ImportSummary summary;
  summary.add((*res)[0]);
  CHECK(summary.cases_opened == 1);
  CHECK(summary.cases_closed == 1);
  Case old = f.get(id);
  CHECK(old.state == "customer_lost");
  CHECK_FALSE(old.is_open());
  CHECK(deadline(old, "callback").status == DeadlineStatus::kCancelled);
  CHECK(old.data.at("lost_reason") == Value("moved to a competitor"));
  Case loss = f.get((*res)[0].case_id);
  CHECK(loss.workflow == "loss-followup");
  CHECK(loss.state == "callback");
  CHECK(loss.data.at("churn_reason") == Value("moved to a competitor"));
  auto again = f.engine->ingest_churn({{3, e}});
  REQUIRE(again.ok());
  CHECK((*again)[0].outcome == IntakeOutcome::kDuplicate);
  CHECK((*again)[0].cases_closed == 0);
}

}  // namespace turnaround::testing

namespace turnaround::testing {

TEST_CASE("Assignment.AccountOwnerTakesTheCaseAfterTheCall") {
  EngineFixture f;
  Response r = f.response("R1", "BIG", 2, "enterprise", 300000);
  r.account_owner = PersonId("paul.owner");
  auto opened = f.ingest(r);
  REQUIRE(opened.outcome == IntakeOutcome::kOpened);
  REQUIRE(f.engine->claim(opened.case_id, PersonId("mehmet.cro")).ok());
  auto called = f.fire(opened.case_id, "log_call", "mehmet.cro",
                       {{"callback_notes", Value("x")}, {"themes", Value(Value::List{"delivery"})}});
  REQUIRE(called.ok());
  CHECK(called->owner == PersonId("paul.owner"));  // not lena, the least loaded
  CHECK(called->history.back().data.at("strategy") == Value("account_owner"));

  Response unknown = f.response("R2", "OTHER", 2);
  unknown.account_owner = PersonId("nobody");
  auto rejected = f.ingest(unknown);
  CHECK(rejected.outcome == IntakeOutcome::kRejected);
  CHECK(rejected.error.message() == "account_owner: no person 'nobody'");
}

}  // namespace turnaround::testing

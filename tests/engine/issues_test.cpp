// Top-five issues (engine/engine_issues.cpp) over the example company and
// the shipped workflows: opening from a theme, automatic and explicit links,
// the Week 2/3/4/6 process with its deadlines, close-the-loop tasks for the
// linked open cases when the action is done, candidates and verification.
#include <doctest/doctest.h>

#include "tests/support/engine_fixture.h"

namespace turnaround::testing {
namespace {

const char* kOps = "jonas.ops";

// Logs the callback of detractor case `id` with `themes` (callback -> root_cause).
void log_call(EngineFixture& f, CaseId id, Value::List themes) {
  auto r = f.fire(id, "log_call", kOps,
                  {{"callback_notes", Value("They told us")}, {"themes", Value(std::move(themes))}});
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
}

IssueView open_issue(EngineFixture& f, const std::string& theme, const std::string& segment = "",
                     const std::string& as = kOps) {
  auto v = f.engine->open_issue(OpenIssueRequest{theme, segment, "", PersonId(as), ""});
  REQUIRE_MESSAGE(v.ok(), v.status().to_string());
  return *v;
}

IssueView issue(EngineFixture& f, CaseId id) {
  auto v = f.engine->issue(id, true);
  REQUIRE_MESSAGE(v.ok(), v.status().to_string());
  return *v;
}

void fire_ok(EngineFixture& f, CaseId id, const std::string& event, FieldValues data) {
  auto r = f.fire(id, event, kOps, std::move(data));
  REQUIRE_MESSAGE(r.ok(), r.status().to_string());
}

const HistoryEntry* find_event(const Case& c, const std::string& event) {
  for (const auto& h : c.history) {
    if (h.event == event) return &h;
  }
  return nullptr;
}

std::string linked_ids(const IssueView& v) {
  std::string out;
  for (const auto& l : v.linked) {
    out += (out.empty() ? "" : ",") + std::to_string(l.link.case_id.value) + ":" + l.link.how;
  }
  return out;
}

}  // namespace

TEST_CASE("Issues.EndToEndWeek2346AndCloseTheLoop") {
  EngineFixture f;  // Monday 2026-11-02 09:00 Berlin
  CaseId early = f.open("C1", 5);         // themes recorded before the issue exists
  CaseId later = f.open("C2", 4);         // themes recorded after: links automatically
  CaseId other = f.open("C3", 4, "mid-market", 50000);  // another theme: not linked
  CaseId lost = f.open("C4", 6);          // linked, then closed: gets no task
  log_call(f, early, {"billing"});

  IssueView opened = open_issue(f, "billing");
  CaseId id = opened.record.id;
  CHECK(opened.issue.workflow == "issue-accountability");
  CHECK(opened.issue.state == "root_cause");
  CHECK(opened.issue.owner.value == kOps);
  CHECK(opened.record.title == "billing");
  CHECK(opened.record.segment == "");
  CHECK(opened.linked.empty());

  f.clock.set(at("2026-11-03T10:00:00Z"));
  log_call(f, later, {"delivery", "billing"});
  log_call(f, other, {"delivery"});
  log_call(f, lost, {"billing"});
  CHECK(linked_ids(issue(f, id)) ==
        std::to_string(later.value) + ":auto," + std::to_string(lost.value) + ":auto");
  const HistoryEntry* link = find_event(f.get(later), "linked_to_issue");
  REQUIRE(link != nullptr);
  CHECK(link->data.at("issue_id") == Value(static_cast<long long>(id.value)));
  CHECK(link->by == kOps);
  CHECK(find_event(f.get(other), "linked_to_issue") == nullptr);
  CHECK(find_event(f.get(early), "linked_to_issue") == nullptr);

  // The earlier case is linked explicitly; linking it twice changes nothing.
  auto linked = f.engine->link_to_issue(id, early, PersonId(kOps));
  REQUIRE(linked.ok());
  CHECK(linked->linked.size() == 1);
  auto again = f.engine->link_to_issue(id, early, PersonId(kOps));
  REQUIRE(again.ok());
  CHECK(again->linked.empty());
  CHECK(again->already.size() == 1);
  CHECK(find_event(f.get(early), "linked_to_issue")->data.at("how") == Value("manual"));
  CHECK(history_string(issue(f, id).issue) ==
        "opened[->root_cause] | case_linked[root_cause] | case_linked[root_cause] | "
        "case_linked[root_cause]");

  fire_ok(f, lost, "customer_lost", {{"lost_reason", Value("moved to a competitor")}});

  // Week 2/3/4/6 deadlines are counted from the issue's opening, end of day Berlin.
  Case c = issue(f, id).issue;
  CHECK(deadline(c, "issue_week2_root_cause").due_at == at("2026-11-16T22:59:59Z"));
  // Week 2 is missed: the ladder climbs.
  f.tick_at("2026-11-17T00:00:00Z");
  c = issue(f, id).issue;
  CHECK(deadline(c, "issue_week2_root_cause").status == DeadlineStatus::kMissed);
  CHECK(issue(f, id).overdue);
  CHECK(find_event(c, "deadline_missed") != nullptr);
  CHECK(find_event(c, "escalated") != nullptr);

  f.clock.set(at("2026-11-17T09:00:00Z"));
  fire_ok(f, id, "record_root_cause", {{"root_cause", Value("invoices in the wrong currency")}});
  c = issue(f, id).issue;
  CHECK(deadline(c, "issue_week3_solutions").due_at == at("2026-11-23T22:59:59Z"));
  fire_ok(f, id, "record_solutions", {{"solutions", Value("fix the currency mapping")}});
  CHECK(deadline(issue(f, id).issue, "issue_week4_proposal").due_at == at("2026-11-30T22:59:59Z"));
  fire_ok(f, id, "submit_proposal", {{"proposal", Value("rebuild invoicing")}, {"budget_amendment", Value(20000)}});
  c = issue(f, id).issue;
  CHECK(deadline(c, "issue_week6_action").due_at == at("2026-12-14T22:59:59Z"));
  CHECK(deadline(c, "issue_week4_proposal").status == DeadlineStatus::kMet);

  // The action is done: every linked open case gets its close-the-loop task.
  f.clock.set(at("2026-12-01T09:00:00Z"));
  fire_ok(f, id, "record_action", {{"action_taken", Value("invoices now in the customer's currency")}});
  IssueView done = issue(f, id);
  CHECK(done.issue.state == "verify");
  const HistoryEntry* sig = find_event(done.issue, "linked_cases_signalled");
  REQUIRE(sig != nullptr);
  CHECK(sig->data.at("fired") == Value(2));
  CHECK(sig->data.at("skipped_closed") == Value(1));
  REQUIRE(done.verification.action_done_at);
  CHECK(*done.verification.action_done_at == at("2026-12-01T09:00:00Z"));
  CHECK(done.linked_open == 2);
  CHECK(done.linked_closed == 1);

  for (CaseId cid : {early, later}) {
    Case d = f.get(cid);
    CAPTURE(cid.value);
    CHECK(d.state == "close_the_loop");
    CHECK(d.data.at("issue_id") == Value(static_cast<long long>(id.value)));
    CHECK(d.data.at("issue_action") == Value("invoices now in the customer's currency"));
    const HistoryEntry* h = find_event(d, "issue_action_done");
    REQUIRE(h != nullptr);
    CHECK(h->by == "system");
    CHECK(h->from == "root_cause");
    CHECK(deadline(d, "close_the_loop").status == DeadlineStatus::kPending);
  }
  CHECK(f.get(other).state == "root_cause");  // not linked
  CHECK(f.get(lost).state == "customer_lost");  // closed
  CHECK(find_event(f.get(lost), "issue_action_done") == nullptr);
  int to_owners = 0;
  for (const auto& n : f.store.notifications()) {
    if (n.kind != "linked_signal") continue;
    ++to_owners;
    CHECK((n.case_id == early || n.case_id == later));
    CHECK(n.recipient == f.get(n.case_id).owner.value);
  }
  CHECK(to_owners == 2);

  // The owner tells the customer and closes the loop.
  fire_ok(f, early, "close", {{"loop_notes", Value("told them about the fix")}, {"customer_informed", Value(true)}});
  CHECK(f.get(early).state == "closed");

  fire_ok(f, id, "confirm_fixed", {{"verification_notes", Value("share fell")}});
  CHECK_FALSE(issue(f, id).issue.is_open());
  CHECK_FALSE(issue(f, id).record.open);
}

TEST_CASE("Issues.SegmentIssueLinksOnlyItsSegmentAndBulkLink") {
  EngineFixture f;
  CaseId smb1 = f.open("S1", 5);
  CaseId smb2 = f.open("S2", 5);
  CaseId mid = f.open("M1", 5, "mid-market", 40000);
  CaseId smb_closed = f.open("S3", 5);
  for (CaseId id : {smb1, smb2, mid, smb_closed}) log_call(f, id, {"delivery"});
  REQUIRE(f.fire(smb_closed, "customer_lost", kOps, {{"lost_reason", Value("left")}}).ok());
  IssueView v = open_issue(f, "delivery", "smb");
  CHECK(v.record.title == "delivery (smb)");
  // All matching open cases: the open smb ones only.
  auto r = f.engine->link_to_issue(v.record.id, std::nullopt, PersonId(kOps));
  REQUIRE(r.ok());
  REQUIRE(r->linked.size() == 2);
  CHECK(r->linked[0] == smb1);
  CHECK(r->linked[1] == smb2);
  CHECK(find_event(f.get(smb1), "linked_to_issue")->data.at("how") == Value("bulk"));
  // One case of another segment is refused.
  auto wrong = f.engine->link_to_issue(v.record.id, mid, PersonId(kOps));
  CHECK(wrong.status().code() == StatusCode::kInvalidArgument);
  CHECK(wrong.status().fields() == std::vector<std::string>{"case_id"});
  // A new mid-market case naming delivery does not link; a new smb one does.
  CaseId smb4 = f.open("S4", 3);
  CaseId mid2 = f.open("M2", 3, "mid-market", 40000);
  log_call(f, smb4, {"delivery"});
  log_call(f, mid2, {"delivery"});
  CHECK(find_event(f.get(smb4), "linked_to_issue") != nullptr);
  CHECK(find_event(f.get(mid2), "linked_to_issue") == nullptr);
}

TEST_CASE("Issues.OpenValidation") {
  EngineFixture f;
  auto bad_theme = f.engine->open_issue(OpenIssueRequest{"weather", "", "", PersonId(kOps), ""});
  CHECK(bad_theme.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad_theme.status().fields() == std::vector<std::string>{"theme"});
  auto bad_segment = f.engine->open_issue(OpenIssueRequest{"billing", "galactic", "", PersonId(kOps), ""});
  CHECK(bad_segment.status().code() == StatusCode::kInvalidArgument);
  CHECK(bad_segment.status().fields() == std::vector<std::string>{"segment"});
  auto bad_wf = f.engine->open_issue(OpenIssueRequest{"billing", "", "", PersonId(kOps), "loss-followup"});
  CHECK(bad_wf.status().code() == StatusCode::kInvalidArgument);
  for (const char* who : {"clara.ceo", "lena.owner", "ana.analyst", "nobody"}) {
    CAPTURE(who);
    auto r = f.engine->open_issue(OpenIssueRequest{"billing", "", "", PersonId(who), ""});
    CHECK(r.status().code() == StatusCode::kPermissionDenied);
  }
  auto none = f.engine->issues(false);
  REQUIRE(none.ok());
  CHECK(none->empty());  // nothing was written

  IssueView v = open_issue(f, "billing");
  auto dup = f.engine->open_issue(OpenIssueRequest{"billing", "", "other title", PersonId("ines.ops"), ""});
  CHECK(dup.status().code() == StatusCode::kAlreadyExists);
  // The same theme for one segment is another subject.
  IssueView seg = open_issue(f, "billing", "enterprise");
  CHECK(seg.record.id != v.record.id);

  CaseId c = f.open("C1", 5);
  auto not_ops = f.engine->link_to_issue(v.record.id, c, PersonId("lena.owner"));
  CHECK(not_ops.status().code() == StatusCode::kPermissionDenied);
  auto not_issue = f.engine->link_to_issue(c, c, PersonId(kOps));
  CHECK(not_issue.status().code() == StatusCode::kNotFound);
  auto issue_to_issue = f.engine->link_to_issue(v.record.id, seg.record.id, PersonId(kOps));
  CHECK(issue_to_issue.status().code() == StatusCode::kInvalidArgument);

  // A dropped issue is closed: no more links, and a new one may be opened.
  fire_ok(f, v.record.id, "drop", {{"drop_reason", Value("duplicate")}});
  auto closed = f.engine->link_to_issue(v.record.id, c, PersonId(kOps));
  CHECK(closed.status().code() == StatusCode::kFailedPrecondition);
  log_call(f, c, {"billing"});
  CHECK(find_event(f.get(c), "linked_to_issue") == nullptr);
  open_issue(f, "billing");
}

TEST_CASE("Issues.CandidatesRankByDetractorsThenArr") {
  EngineFixture f;
  CaseId a = f.open("A", 5, "smb", 5000);
  CaseId b = f.open("B", 5, "smb", 7000);
  CaseId c = f.open("C", 5, "mid-market", 50000);
  CaseId d = f.open("D", 5, "smb", 9000);  // no themes yet: not counted
  log_call(f, a, {"billing"});
  log_call(f, b, {"billing", "delivery"});
  log_call(f, c, {"delivery"});
  (void)d;
  IssueView billing = open_issue(f, "billing");
  auto cands = f.engine->issue_candidates();
  REQUIRE(cands.ok());
  std::string got;
  for (const auto& x : *cands) {
    got += x.theme + "/" + (x.segment.empty() ? "*" : x.segment) + " " + std::to_string(x.cases) + " " +
           std::to_string(x.open_cases) + " " + std::to_string(static_cast<long long>(x.arr_at_stake)) +
           (x.open_issue ? " #" + std::to_string(x.open_issue->value) : "") + "\n";
  }
  const std::string issue_ref = " #" + std::to_string(billing.record.id.value);
  CHECK(got ==
        "delivery/* 2 2 57000\n"
        "billing/* 2 2 12000" + issue_ref + "\n"
        "billing/smb 2 2 12000\n"
        "delivery/mid-market 1 1 50000\n"
        "delivery/smb 1 1 7000\n");
}

TEST_CASE("Issues.CandidatesCountACustomerOnceAtTheirHighestArr") {
  EngineFixture f;
  CaseId first = f.open("A", 5, "smb", 5000);
  log_call(f, first, {"billing"});
  REQUIRE(f.fire(first, "customer_lost", kOps, {{"lost_reason", Value("left")}}).ok());
  CaseId second = f.open("A", 4, "smb", 8000);  // the same customer again, open
  log_call(f, second, {"billing"});
  CaseId other = f.open("B", 5, "enterprise", 150000);
  log_call(f, other, {"billing"});
  auto cands = f.engine->issue_candidates();
  REQUIRE(cands.ok());
  std::string got;
  for (const auto& x : *cands) {
    got += x.theme + "/" + (x.segment.empty() ? "*" : x.segment) + " cases " + std::to_string(x.cases) +
           " open " + std::to_string(x.open_cases) + " customers " + std::to_string(x.customers) +
           " arr " + std::to_string(static_cast<long long>(x.arr_at_stake)) + "\n";
  }
  // By cases first (smb's two beat enterprise's one despite its arr), then arr.
  CHECK(got ==
        "billing/* cases 3 open 2 customers 2 arr 158000\n"
        "billing/smb cases 2 open 1 customers 1 arr 8000\n"
        "billing/enterprise cases 1 open 1 customers 1 arr 150000\n");
}

TEST_CASE("Issues.TopFiveRankedByLinkedCases") {
  EngineFixture f;
  std::vector<CaseId> cases;
  for (int i = 0; i < 4; ++i) cases.push_back(f.open("K" + std::to_string(i), 5));
  IssueView one = open_issue(f, "billing");
  IssueView two = open_issue(f, "delivery");
  IssueView three = open_issue(f, "communication");
  log_call(f, cases[0], {"delivery"});
  log_call(f, cases[1], {"delivery"});
  log_call(f, cases[2], {"billing"});
  auto top = f.engine->top_issues(2);
  REQUIRE(top.ok());
  REQUIRE(top->size() == 2);
  CHECK((*top)[0].record.id == two.record.id);
  CHECK((*top)[0].linked_open == 2);
  CHECK((*top)[1].record.id == one.record.id);
  (void)three;
}

TEST_CASE("Issues.VerifyComparesDetractorShareBeforeAndAfter") {
  EngineFixture f(at("2026-11-02T08:00:00Z"));
  auto respond = [&](const std::string& rid, const std::string& segment, int score, const std::string& when) {
    Response r = f.response(rid, "V-" + rid, score, segment, segment == "smb" ? 5000 : 50000);
    r.responded_at = at(when);
    f.ingest(r);
  };
  // Before: smb 2 detractors of 4 (50%); a mid-market detractor does not count.
  respond("b1", "smb", 2, "2026-10-10T10:00:00Z");
  respond("b2", "smb", 5, "2026-10-20T10:00:00Z");
  respond("b3", "smb", 9, "2026-10-21T10:00:00Z");
  respond("b4", "smb", 10, "2026-11-01T10:00:00Z");
  respond("bm", "mid-market", 1, "2026-10-22T10:00:00Z");
  respond("old", "smb", 0, "2026-10-01T10:00:00Z");  // before the 28-day window
  IssueView v = open_issue(f, "billing", "smb");
  CaseId id = v.record.id;
  CHECK(v.verification.before.from == at("2026-10-05T08:00:00Z"));
  CHECK(v.verification.before.counts.responses == 4);
  CHECK(v.verification.before.counts.detractors == 2);
  CHECK_FALSE(v.verification.after);
  CHECK_FALSE(v.verification.fell);

  f.clock.set(at("2026-11-20T09:00:00Z"));
  fire_ok(f, id, "record_root_cause", {{"root_cause", Value("x")}});
  fire_ok(f, id, "record_solutions", {{"solutions", Value("y")}});
  fire_ok(f, id, "submit_proposal", {{"proposal", Value("z")}, {"budget_amendment", Value(0)}});
  fire_ok(f, id, "record_action", {{"action_taken", Value("fixed")}});

  f.clock.set(at("2026-11-26T09:00:00Z"));
  respond("a0", "smb", 4, "2026-11-20T09:00:00Z");  // at the action instant: inside
  respond("a1", "smb", 9, "2026-11-25T10:00:00Z");
  respond("a2", "smb", 9, "2026-11-25T11:00:00Z");
  respond("a3", "smb", 10, "2026-11-25T12:00:00Z");
  f.clock.set(at("2026-12-01T09:00:00Z"));
  IssueView mid = issue(f, id);
  REQUIRE(mid.verification.after);
  CHECK(mid.verification.after->to == at("2026-12-01T09:00:00Z"));
  CHECK_FALSE(mid.verification.after_complete);
  CHECK(mid.verification.after->counts.responses == 4);
  CHECK(mid.verification.after->counts.detractors == 1);
  REQUIRE(mid.verification.fell);
  CHECK(*mid.verification.fell);

  // After the window: a late detractor outside it does not count.
  f.clock.set(at("2026-12-20T09:00:00Z"));
  respond("late", "smb", 0, "2026-12-19T10:00:00Z");
  IssueView end = issue(f, id);
  CHECK(end.verification.after_complete);
  CHECK(end.verification.after->to == at("2026-12-18T09:00:00Z"));
  CHECK(end.verification.after->counts.responses == 4);
  CHECK(*end.verification.fell);
}

TEST_CASE("Issues.SecondActionTellsOnlyCasesStillWaiting") {
  EngineFixture f;
  CaseId first = f.open("C1", 5);
  IssueView v = open_issue(f, "billing");
  CaseId id = v.record.id;
  log_call(f, first, {"billing"});
  fire_ok(f, id, "record_root_cause", {{"root_cause", Value("x")}});
  fire_ok(f, id, "record_solutions", {{"solutions", Value("y")}});
  fire_ok(f, id, "submit_proposal", {{"proposal", Value("z")}, {"budget_amendment", Value(0)}});
  fire_ok(f, id, "record_action", {{"action_taken", Value("first fix")}});
  CHECK(f.get(first).state == "close_the_loop");
  // A case linked after the first action waits for the next one.
  CaseId second = f.open("C2", 5);
  log_call(f, second, {"billing"});
  CHECK(f.get(second).state == "root_cause");
  fire_ok(f, id, "not_fixed", {{"verification_notes", Value("no change")}});
  CHECK(issue(f, id).issue.state == "rework");
  fire_ok(f, id, "record_action", {{"action_taken", Value("second fix")}});
  Case s = f.get(second);
  CHECK(s.state == "close_the_loop");
  CHECK(s.data.at("issue_action") == Value("second fix"));
  // The first case was already closing its loop: noted, not moved.
  Case c1 = f.get(first);
  CHECK(c1.state == "close_the_loop");
  CHECK(c1.data.at("issue_action") == Value("first fix"));
  const HistoryEntry* note = find_event(c1, "linked_signal");
  REQUIRE(note != nullptr);
  CHECK(note->data.at("issue_action") == Value("second fix"));
}

}  // namespace turnaround::testing

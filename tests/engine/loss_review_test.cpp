// The loss review's agenda on a hand-built data set with known answers, the
// stratified callback sample, freezing at the cut-off (exactly once, also
// when ticking late) and "reviewed at the meeting" — over the MemoryStore
// and over a real SQLite file, which must agree.
#include "engine/loss_review.h"

#include "storage/sqlite_store.h"
#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

namespace {

// An Engine over `store` (MemoryStore or SQLite) with the example company.
struct ReviewFixture {
  ReviewFixture(Store& s, Instant start) : store(s), clock(start) {
    Diagnostics diags;
    auto installed = install_configuration(store, acme_company_file(), start, diags);
    REQUIRE_MESSAGE(installed.ok(), (installed.status().to_string() + diags.to_string()));
    auto loaded = load_configuration(store);
    REQUIRE(loaded.ok());
    config = std::make_unique<LoadedConfig>(std::move(*loaded));
    engine = std::make_unique<Engine>(store, clock, config->company, config->registry);
    // As `turnaround init` does: the meeting rows ahead.
    REQUIRE(engine->schedule_reviews(start).ok());
  }

  CaseId respond(const std::string& customer, const std::string& segment, double arr, int score) {
    Response r;
    r.response_id = ResponseId("R-" + customer);
    r.customer_id = CustomerId(customer);
    r.customer_name = "Customer " + customer;
    r.segment = segment;
    r.arr = arr;
    r.score = score;
    r.responded_at = clock.now();
    auto res = engine->ingest_responses({{1, r}});
    REQUIRE_MESSAGE(res.ok(), res.status().to_string());
    return (*res)[0].case_id;
  }

  CaseId churn(const std::string& customer, double arr, const std::string& reason,
               const std::string& lost_at) {
    ChurnEvent e{CustomerId(customer), at(lost_at), reason, arr};
    auto res = engine->ingest_churn({{1, e}});
    REQUIRE_MESSAGE(res.ok(), res.status().to_string());
    REQUIRE((*res)[0].outcome == IntakeOutcome::kOpened);
    return (*res)[0].case_id;
  }

  void fire(CaseId id, const std::string& event, FieldValues data) {
    auto c = engine->get_case(id, false);
    REQUIRE(c.ok());
    std::string as = c->owner.empty() ? "ines.ops" : c->owner.value;
    auto r = engine->fire_event(id, event, PersonId(as), data, std::nullopt);
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
  }

  TickResult tick(const std::string& iso) {
    clock.set(at(iso));
    auto r = engine->tick(clock.now());
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    return *r;
  }

  Agenda agenda(const std::string& month, bool live) {
    auto a = engine->review_agenda(*parse_month(month), live);
    REQUIRE_MESSAGE(a.ok(), a.status().to_string());
    return *a;
  }

  Store& store;
  FakeClock clock;
  std::unique_ptr<LoadedConfig> config;
  std::unique_ptr<Engine> engine;
};

FieldValues call(const std::string& theme) {
  return {{"callback_notes", Value("notes")}, {"themes", Value(Value::List{theme})}};
}

// The hand-built data set. Meeting of 2026-11: Tuesday 10 November, 15:00
// Berlin; its period runs from the October cut-off (Friday 9 October 15:00
// CEST = 13:00Z) to its own (Friday 6 November 15:00 CET = 14:00Z).
struct DataSet {
  CaseId a, b, c, loss_s1;
};

DataSet build(ReviewFixture& f) {
  DataSet d;
  d.a = f.respond("A", "smb", 5000, 5);
  d.b = f.respond("B", "mid-market", 50000, 4);
  d.c = f.respond("C", "enterprise", 200000, 2);
  f.respond("P", "smb", 5000, 10);  // a promoter: no case
  f.clock.set(at("2026-10-12T09:00:00Z"));
  f.churn("E1", 120000, "Moved to a cheaper competitor", "2026-10-10T10:00:00Z");
  f.churn("E2", 300000, "Moved to a cheaper competitor", "2026-10-11T10:00:00Z");
  f.churn("M1", 30000, "Support too slow", "2026-10-11T11:00:00Z");
  d.loss_s1 = f.churn("S1", 1000, "Moved to a cheaper competitor", "2026-10-10T12:00:00Z");
  f.churn("S2", 2000, "Billing errors", "2026-10-11T12:00:00Z");
  f.churn("S3", 3000, "Billing errors", "2026-10-12T07:00:00Z");
  // Lost before the period (it belongs to the October meeting's agenda),
  // though its loss case opens now.
  f.churn("X", 4000, "Acquired", "2026-10-01T12:00:00Z");
  f.clock.set(at("2026-10-13T09:00:00Z"));
  f.fire(d.a, "log_call", call("billing"));
  f.fire(d.b, "log_call", call("pricing and value"));
  f.fire(d.loss_s1, "log_call", call("pricing and value"));
  return d;
}

std::string segments(const Agenda& a) {
  std::string out;
  for (const auto& s : a.losses_by_segment) {
    out += s.segment + ":" + std::to_string(s.customers) + "/" + std::to_string(static_cast<long>(s.arr)) + "[";
    for (const auto& [r, n] : s.reasons) out += r + "=" + std::to_string(n) + ";";
    out += "] ";
  }
  return out;
}

std::string states(const Agenda& a) {
  std::string out;
  for (const auto& s : a.detractors_open_by_state) {
    out += s.state + "=" + std::to_string(s.open) + "/" + std::to_string(s.overdue) + " ";
  }
  return out;
}

std::string ids(const CaseList& l) {
  std::string out;
  for (const auto& c : l.cases) out += std::to_string(c.id.value) + (c.overdue ? "!" : "") + " ";
  return out;
}

// The checks shared by the MemoryStore and SQLite runs.
void check_live_agenda(ReviewFixture& f, const DataSet& d) {
  f.clock.set(at("2026-10-20T08:00:00Z"));
  Agenda a = f.agenda("2026-11", true);
  CHECK_FALSE(a.frozen);
  CHECK(a.month == "2026-11");
  CHECK(a.zone == "Europe/Berlin");
  CHECK(a.local == "2026-11-10T15:00:00+01:00");
  CHECK(format_instant(a.period_from) == "2026-10-09T13:00:00Z");
  CHECK(format_instant(a.period_to) == "2026-11-06T14:00:00Z");
  CHECK(format_instant(a.as_of) == "2026-10-20T08:00:00Z");
  CHECK(a.lost_customers == 6);
  CHECK(a.lost_arr == 456000);
  CHECK(segments(a) ==
        "enterprise:2/420000[Moved to a cheaper competitor=2;] "
        "mid-market:1/30000[Support too slow=1;] "
        "smb:3/6000[Billing errors=2;Moved to a cheaper competitor=1;] ");
  // Every lost customer carries its loss case and that case's state.
  for (const auto& s : a.losses_by_segment) {
    for (const auto& l : s.lost) {
      CHECK(l.case_id.valid());
      CHECK(l.case_state == (l.case_id == d.loss_s1 ? "reasons_recorded" : "callback"));
    }
  }
  // 10 >= 6 lost: the sample is all of them, by segment.
  CHECK(a.sample_size == 10);
  CHECK(a.callback_sample.size() == 6);
  // Loss cases: the seven opened in the period (X's too: its case opened on
  // 12 October). Their callback deadline (5 business days, end of day: 19
  // October) has passed, except for S1's, which was called.
  CHECK(a.loss_cases.total == 7);
  CHECK_FALSE(a.loss_cases.truncated());
  CHECK(a.detractors_opened.total == 3);
  CHECK(ids(a.detractors_opened) == std::to_string(d.a.value) + " " + std::to_string(d.b.value) +
                                        " " + std::to_string(d.c.value) + "! ");
  CHECK(a.detractors_closed.total == 0);
  // A and B were called (root cause due 26 October: not overdue on the
  // 20th); C waits in the executives' queue past its callback deadline.
  CHECK(states(a) == "callback=1/1 root_cause=2/0 ");
  CHECK(a.overdue.total == 7);  // C and six loss cases (all but S1's)
  CHECK(a.overdue_by_owner.size() >= 1);
  std::int64_t by_owner = 0;
  for (const auto& o : a.overdue_by_owner) by_owner += o.count;
  CHECK(by_owner == 7);
  CHECK(a.outreach_target == 100);
  CHECK(a.outreach_contacted == 2);  // A and B (S1 is a loss case, not a detractor)

  // Analytics sections (engine/reports.h) over the local days 9 October to
  // 5 November: the themes logged on 13 October, new against the 28 days
  // before; A's and B's callback deadlines met.
  std::string themes;
  for (const auto& t : a.analytics.top_themes) {
    themes += t.segment + ":" + t.theme + "=" + std::to_string(t.cases) + "(" +
              std::to_string(t.change) + ") ";
  }
  CHECK(themes == "mid-market:pricing and value=1(1) smb:billing=1(1) smb:pricing and value=1(1) ");
  CHECK(a.analytics.on_time_overall.met == 2);
  CHECK(a.analytics.flare_ups.empty());
  CHECK(a.analytics.flare_up_test == kFlareUpTestName);
}

}  // namespace

TEST_CASE("LossReview.StratifiedSample") {
  std::vector<LostCustomer> lost;
  auto add = [&](const std::string& seg, int n) {
    for (int i = 0; i < n; ++i) {
      LostCustomer l;
      l.customer_id = CustomerId(seg + "-" + std::to_string(i));
      l.segment = seg;
      lost.push_back(l);
    }
  };
  add("enterprise", 2);
  add("mid-market", 1);
  add("smb", 7);
  auto count = [](const std::vector<LostCustomer>& s, const std::string& seg) {
    return std::count_if(s.begin(), s.end(), [&](const LostCustomer& l) { return l.segment == seg; });
  };
  auto names = [](const std::vector<LostCustomer>& s) {
    std::string out;
    for (const auto& l : s) out += l.customer_id.value + " ";
    return out;
  };
  // n = 5 of 10: quotas 1 / 0.5 / 3.5 -> 1 / 1 (at least one) / 3.
  auto five = stratified_sample(lost, 5, "2026-11");
  CHECK(five.size() == 5);
  CHECK(count(five, "enterprise") == 1);
  CHECK(count(five, "mid-market") == 1);
  CHECK(count(five, "smb") == 3);
  // Reproducible: same data and month, same sample, whatever the input order.
  auto shuffled = lost;
  std::reverse(shuffled.begin(), shuffled.end());
  CHECK(names(stratified_sample(shuffled, 5, "2026-11")) == names(five));
  // Other months draw other customers: over a year, several different samples.
  std::set<std::string> samples;
  for (int m = 1; m <= 12; ++m) {
    samples.insert(names(stratified_sample(lost, 5, format_month(date::year{2026} / m))));
  }
  CHECK(samples.size() > 6);
  // n = 3: quotas 0.6 / 0.3 / 2.1 -> the minimum of one each.
  auto three = stratified_sample(lost, 3, "2026-11");
  CHECK(count(three, "enterprise") == 1);
  CHECK(count(three, "mid-market") == 1);
  CHECK(count(three, "smb") == 1);
  // n = 2 < 3 segments: the two largest segments, one each.
  auto two = stratified_sample(lost, 2, "2026-11");
  CHECK(count(two, "smb") == 1);
  CHECK(count(two, "enterprise") == 1);
  // n >= all: everyone; n = 0: no one.
  CHECK(stratified_sample(lost, 50, "2026-11").size() == 10);
  CHECK(stratified_sample(lost, 0, "2026-11").empty());
  CHECK(stratified_sample({}, 5, "2026-11").empty());
  // n = 8: quotas 1.6 / 0.8 / 5.6 -> 1 / 1 / 5, then the largest remainder
  // (enterprise 0.6 vs smb 0.6: the first by name) gets the eighth.
  auto eight = stratified_sample(lost, 8, "2026-11");
  CHECK(count(eight, "enterprise") == 2);
  CHECK(count(eight, "mid-market") == 1);
  CHECK(count(eight, "smb") == 5);
}

TEST_CASE("LossReview.AgendaContentsMemoryStore") {
  storage::MemoryStore store;
  ReviewFixture f(store, at("2026-10-12T08:00:00Z"));
  DataSet d = build(f);
  check_live_agenda(f, d);
}

TEST_CASE("LossReview.AgendaContentsSqliteFile") {
  TempDir dir;
  auto store = storage::SqliteStore::open(dir.file("t.db"));
  REQUIRE(store.ok());
  ReviewFixture f(**store, at("2026-10-12T08:00:00Z"));
  DataSet d = build(f);
  check_live_agenda(f, d);
}

TEST_CASE("LossReview.FreezesOnceAtTheCutoff") {
  TempDir dir;
  auto store = storage::SqliteStore::open(dir.file("t.db"));
  REQUIRE(store.ok());
  ReviewFixture f(**store, at("2026-10-12T08:00:00Z"));
  DataSet d = build(f);
  // One second before the cut-off. (The first tick freezes October's agenda:
  // its cut-off had passed when the company was set up on 12 October.)
  CHECK(f.tick("2026-11-06T13:59:59Z").agendas_frozen == 1);
  CHECK(f.agenda("2026-10", false).frozen);
  CHECK_FALSE(f.agenda("2026-11", false).frozen);
  // At the cut-off: frozen, exactly once.
  CHECK(f.tick("2026-11-06T14:00:00Z").agendas_frozen == 1);
  CHECK(f.tick("2026-11-06T14:00:05Z").agendas_frozen == 0);
  Agenda frozen = f.agenda("2026-11", false);
  CHECK(frozen.frozen);
  CHECK(format_instant(*frozen.frozen_at) == "2026-11-06T14:00:00Z");
  CHECK(frozen.lost_customers == 6);
  CHECK(states(frozen) == "callback=1/1 root_cause=2/2 ");

  // Later changes: a late churn event inside the period, a case moving on.
  f.clock.set(at("2026-11-09T09:00:00Z"));
  f.churn("S4", 500, "Billing errors", "2026-11-05T09:00:00Z");
  f.fire(d.a, "record_root_cause", {{"root_cause", Value("double invoicing run")}});
  Agenda again = f.agenda("2026-11", false);
  CHECK(again.frozen);
  CHECK(again.lost_customers == 6);
  CHECK(states(again) == "callback=1/1 root_cause=2/2 ");
  // The live view sees them.
  Agenda live = f.agenda("2026-11", true);
  CHECK_FALSE(live.frozen);
  CHECK(live.lost_customers == 7);
  // (A's week-3 deadline, 2 November, has passed too.)
  CHECK(states(live) == "callback=1/1 root_cause=1/1 solutions=1/1 ");
  // The December meeting (Tuesday 8 December, cut-off Friday 4 December)
  // starts where November's period ended: S4 is not counted again.
  f.clock.set(at("2026-11-20T09:00:00Z"));
  Agenda dec = f.agenda("2026-12", true);
  CHECK(format_instant(dec.period_from) == "2026-11-06T14:00:00Z");
  CHECK(dec.lost_customers == 0);
}

TEST_CASE("LossReview.CatchUpAfterDowntimeFreezesEachOnce") {
  storage::MemoryStore store;
  ReviewFixture f(store, at("2026-10-12T08:00:00Z"));
  build(f);
  // Nothing ran from 12 October to 20 December: the October (set up after
  // its cut-off), November and December cut-offs passed. One late tick
  // freezes all three, each with its own period.
  TickResult t = f.tick("2026-12-20T10:00:00Z");
  CHECK(t.agendas_frozen == 3);
  Agenda nov = f.agenda("2026-11", false);
  Agenda dec = f.agenda("2026-12", false);
  CHECK(nov.frozen);
  CHECK(dec.frozen);
  CHECK(format_instant(*nov.frozen_at) == "2026-12-20T10:00:00Z");
  CHECK(nov.lost_customers == 6);
  CHECK(dec.lost_customers == 0);
  CHECK(format_instant(dec.period_from) == format_instant(nov.period_to));
  CHECK(f.tick("2026-12-20T10:00:01Z").agendas_frozen == 0);
  // Rows exist ahead for the next meetings (the scheduler wakes for them).
  auto txn = store.begin(TxnMode::kRead);
  REQUIRE(txn.ok());
  auto next = (*txn)->next_review_cutoff();
  REQUIRE(next.ok());
  REQUIRE(next->has_value());
  CHECK(format_instant(**next) == "2027-01-08T14:00:00Z");  // Friday before 12 January
}

TEST_CASE("LossReview.MarkReviewedRecordsAndFiresTheReviewEvent") {
  storage::MemoryStore store;
  ReviewFixture f(store, at("2026-10-12T08:00:00Z"));
  DataSet d = build(f);
  f.clock.set(at("2026-11-10T14:30:00Z"));
  auto month = *parse_month("2026-11");
  // The loss case waits for the review: reviewed fires mark_reviewed.
  auto loss = f.engine->mark_reviewed(d.loss_s1, month, PersonId("ines.ops"), "price gap confirmed");
  REQUIRE_MESSAGE(loss.ok(), loss.status().to_string());
  CHECK(loss->state == "closed");
  CHECK(history_string(*loss).ends_with("reviewed[reasons_recorded] | mark_reviewed[reasons_recorded->closed]"));
  CHECK(loss->data.at("review_notes").to_display() == "price gap confirmed");
  const HistoryEntry& h = loss->history[loss->history.size() - 2];
  CHECK(h.by == "ines.ops");
  CHECK(h.data.at("month").to_display() == "2026-11");
  // A detractor case has no review event: the mark is recorded only.
  auto det = f.engine->mark_reviewed(d.a, month, PersonId("jonas.ops"), "");
  REQUIRE(det.ok());
  CHECK(det->state == "root_cause");
  CHECK(history_string(*det).ends_with("log_call[callback->root_cause] | reviewed[root_cause]"));
  CHECK(det->history.back().data.at("notes").to_display() == "Reviewed at the loss review of 2026-11");
  // Only ops leads and admins; only months with a meeting; only real cases.
  auto owner = f.engine->mark_reviewed(d.b, month, PersonId("amira.owner"), "x");
  CHECK(owner.status().code() == StatusCode::kPermissionDenied);
  auto before = f.engine->mark_reviewed(d.b, *parse_month("2025-12"), PersonId("ines.ops"), "x");
  CHECK(before.status().code() == StatusCode::kNotFound);
  auto none = f.engine->mark_reviewed(CaseId(999), month, PersonId("ines.ops"), "x");
  CHECK(none.status().code() == StatusCode::kNotFound);
  CHECK(f.engine->review_agenda(*parse_month("2025-12"), true).status().code() ==
        StatusCode::kNotFound);
}

}  // namespace turnaround::testing

// Reports over a hand-built data set with known answers, run against both
// stores: MemoryStore computes every summary from the raw rows on each
// call, SqliteStore (a real file) reads the trigger-maintained summaries,
// so equal answers mean the summaries agree with the rows.

#include "engine/reports.h"

#include <doctest/doctest.h>

#include <memory>

#include "engine/configuration.h"
#include "engine/engine.h"
#include "storage/memory_store.h"
#include "storage/sqlite_store.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_util.h"

namespace turnaround::testing {
namespace {

struct MemoryBackend {
  storage::MemoryStore store;
  Store& get() { return store; }
};

struct SqliteBackend {
  TempDir dir;
  std::unique_ptr<storage::SqliteStore> store;
  SqliteBackend() {
    auto s = storage::SqliteStore::open(dir.file("reports.db"));
    REQUIRE_MESSAGE(s.ok(), s.status().to_string());
    store = std::move(*s);
  }
  Store& get() { return *store; }
};

template <typename Backend>
struct ReportsFixture {
  ReportsFixture() : clock(at("2026-11-02T08:00:00Z")) {
    Diagnostics diags;
    auto installed = install_configuration(backend.get(), acme_company_file(), clock.now(), diags);
    REQUIRE_MESSAGE(installed.ok(), (installed.status().to_string() + diags.to_string()));
    auto loaded = load_configuration(backend.get());
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().to_string());
    config = std::make_unique<LoadedConfig>(std::move(*loaded));
    engine = std::make_unique<Engine>(backend.get(), clock, config->company, config->registry);
    reports = std::make_unique<Reports>(backend.get(), config->company);
  }

  Response response(const std::string& id, int score, const std::string& segment, double arr,
                    Instant when) {
    Response r;
    r.response_id = ResponseId(id);
    r.customer_id = CustomerId("C-" + id);
    r.customer_name = "Customer " + id;
    r.segment = segment;
    r.arr = arr;
    r.score = score;
    r.responded_at = when;
    return r;
  }

  std::vector<IntakeItemResult> ingest(const std::vector<Response>& rs) {
    std::vector<Numbered<Response>> items;
    for (std::size_t i = 0; i < rs.size(); ++i) items.push_back({static_cast<std::int64_t>(i + 1), rs[i]});
    auto res = engine->ingest_responses(items);
    REQUIRE_MESSAGE(res.ok(), res.status().to_string());
    for (const auto& r : *res) REQUIRE_MESSAGE(r.error.ok(), r.error.to_string());
    return *res;
  }

  Case fire(CaseId id, const std::string& event, const std::string& as, FieldValues data = {}) {
    auto c = engine->fire_event(id, event, PersonId(as), data, std::nullopt);
    REQUIRE_MESSAGE(c.ok(), c.status().to_string());
    return *c;
  }

  DayRange days(const std::string& from, const std::string& to) {
    return {reports->local_day(at(from)), reports->local_day(at(to))};
  }

  Backend backend;
  FakeClock clock;
  std::unique_ptr<LoadedConfig> config;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Reports> reports;
};

// November 2026 in Berlin: [2026-11-01 00:00 local, 2026-12-01 00:00 local).
constexpr const char* kNovFrom = "2026-10-31T23:00:00Z";
constexpr const char* kNovTo = "2026-11-30T23:00:00Z";

// The small data set: smb 10, 9, 8, 3 (+ a 5 never called), enterprise 10
// and 2, mid-market nothing.
template <typename F>
void small_data_set(F& f, CaseId& a, CaseId& b, CaseId& c) {
  const Instant t = f.clock.now();
  auto res = f.ingest({f.response("s1", 10, "smb", 5000, t), f.response("s2", 9, "smb", 5000, t),
                       f.response("s3", 8, "smb", 5000, t), f.response("s4", 3, "smb", 5000, t),
                       f.response("e1", 10, "enterprise", 100000, t),
                       f.response("e2", 2, "enterprise", 200000, t)});
  a = res[3].case_id;
  b = res[5].case_id;
  // Case A: called back after one hour with two themes.
  f.clock.set(t + std::chrono::hours(1));
  f.fire(a, "log_call", "ines.ops",
         {{"callback_notes", Value("invoice wrong twice")},
          {"themes", Value(Value::List{"billing", "pricing and value"})}});
  // Case B: unreachable after two days (a side exit: its deadline is cancelled).
  f.clock.set(t + std::chrono::hours(48));
  f.fire(b, "mark_unreachable", "ines.ops", {{"unreachable_reason", Value("no answer")}});
  // Case C: a 5 answered on the same day, never called; its callback deadline is missed.
  f.clock.set(t);
  c = f.ingest({f.response("s5", 5, "smb", 5000, t)})[0].case_id;
  f.clock.set(at("2026-11-16T08:00:00Z"));
  auto ticked = f.engine->tick(f.clock.now());
  REQUIRE(ticked.ok());
}

TEST_CASE_TEMPLATE("Reports.KnownAnswers", Backend, MemoryBackend, SqliteBackend) {
  ReportsFixture<Backend> f;
  CaseId a, b, c;
  small_data_set(f, a, b, c);
  const DayRange nov = f.days(kNovFrom, kNovTo);
  REQUIRE(nov.to - nov.from == 30);

  SUBCASE("NPS by segment, with an empty segment and revenue weighting") {
    auto r = f.reports->nps({nov, Period::kMonth, true});
    REQUIRE(r.ok());
    REQUIRE(r->rows.size() == 3);  // enterprise, mid-market, smb: configured order
    const NpsRow& ent = r->rows[0];
    CHECK(ent.period == "2026-11");
    CHECK(ent.segment == "enterprise");
    CHECK(ent.nps.promoters == 1);
    CHECK(ent.nps.detractors == 1);
    CHECK(*ent.nps.nps == doctest::Approx(0));
    CHECK(*ent.nps.weighted_nps == doctest::Approx(-100.0 / 3));
    const NpsRow& mid = r->rows[1];
    CHECK(mid.segment == "mid-market");
    CHECK(mid.nps.responses == 0);
    CHECK_FALSE(mid.nps.nps.has_value());
    const NpsRow& smb = r->rows[2];
    CHECK(smb.nps.responses == 5);
    CHECK(smb.nps.promoters == 2);
    CHECK(smb.nps.passives == 1);
    CHECK(smb.nps.detractors == 2);
    CHECK(*smb.nps.nps == doctest::Approx(0));
    CHECK(r->total.responses == 7);
    CHECK(*r->total.nps == doctest::Approx(100.0 * (3 - 3) / 7));
  }

  SUBCASE("Weeks are ISO weeks of the local calendar") {
    auto r = f.reports->nps({nov, Period::kWeek, false});
    REQUIRE(r.ok());
    // 2026-11-01 is a Sunday: the range starts inside W44 (clipped), then W45..W49.
    REQUIRE(r->rows.size() == 6);
    CHECK(r->rows[0].period == "2026-W44");
    CHECK(r->rows[0].nps.responses == 0);
    CHECK(r->rows[1].period == "2026-W45");
    CHECK(r->rows[1].nps.responses == 7);
  }

  SUBCASE("Timing") {
    auto r = f.reports->timing({nov, std::nullopt, true});
    REQUIRE(r.ok());
    CHECK(r->workflow == "detractor-followup");
    const TimingRow& all = r->rows[0];
    CHECK(all.segment == "");
    CHECK(all.opened == 3);
    CHECK(all.first_contact.count == 2);
    CHECK(*all.first_contact.median_s == 3600);
    CHECK(*all.first_contact.p90_s == 48 * 3600);
    CHECK(all.not_contacted == 1);
    CHECK(all.close.count == 1);
    CHECK(*all.close.median_s == 48 * 3600);
    CHECK(all.open == 2);
    REQUIRE(r->rows.size() == 4);
    CHECK(r->rows[1].segment == "enterprise");
    CHECK(r->rows[1].opened == 1);
    CHECK(r->rows[2].opened == 0);  // mid-market
    CHECK(r->rows[3].opened == 2);  // smb
    // A range of partial months reads the cases themselves: the same answers.
    auto part = f.reports->timing({f.days("2026-11-01T23:00:00Z", "2026-11-09T23:00:00Z"), std::nullopt, false});
    REQUIRE(part.ok());
    CHECK(part->rows[0].opened == 3);
    CHECK(*part->rows[0].first_contact.median_s == 3600);
    CHECK(*part->rows[0].first_contact.p90_s == 48 * 3600);
    CHECK(*part->rows[0].close.median_s == 48 * 3600);
    // October and November together: one whole month plus nothing else.
    auto two = f.reports->timing({f.days("2026-09-30T22:00:00Z", kNovTo), std::nullopt, false});
    REQUIRE(two.ok());
    CHECK(two->rows[0].opened == 3);
    CHECK(two->rows[0].not_contacted == 1);
  }

  SUBCASE("Scorecard") {
    auto r = f.reports->scorecard({nov, std::string("detractor-followup")});
    REQUIRE(r.ok());
    // callback: A met, B cancelled (unreachable), C missed; week2: A pending.
    CHECK(r->step_names == std::vector<std::string>{"callback", "week2_root_cause"});
    REQUIRE(r->steps.size() == 2);
    CHECK(r->steps[0].key == "callback");
    CHECK(r->steps[0].total.met == 1);
    CHECK(r->steps[0].total.missed == 1);
    CHECK(r->steps[0].total.cancelled == 1);
    CHECK(*r->steps[0].total.rate() == doctest::Approx(0.5));
    CHECK(r->steps[1].total.pending == 1);
    CHECK_FALSE(r->steps[1].total.rate().has_value());
    CHECK(r->overall.met + r->overall.missed + r->overall.pending + r->overall.cancelled == 4);
    // The smb owners' callbacks count in their team.
    const Case case_c = *f.engine->get_case(c, false);
    bool found = false;
    for (const auto& line : r->owners) {
      if (line.key == case_c.owner.value) {
        found = true;
        CHECK(line.steps.at("callback").missed >= 1);
      }
    }
    CHECK(found);
    bool smb_team = false;
    for (const auto& line : r->teams) smb_team = smb_team || line.key == "smb";
    CHECK(smb_team);
  }

  SUBCASE("Themes, ranking and cases with a theme") {
    auto r = f.reports->themes({nov, std::nullopt, std::nullopt});
    REQUIRE(r.ok());
    REQUIRE(r->rows.size() == 2);
    CHECK(r->rows[0].theme == "billing");
    CHECK(r->rows[0].segment == "smb");
    CHECK(r->rows[0].cases == 1);
    CHECK(r->rows[0].detractors == 1);
    CHECK(r->rows[0].detractor_arr == doctest::Approx(5000));
    CHECK(r->rows[0].previous_cases == 0);
    CHECK(r->rows[0].change == 1);
    CHECK(r->rows[0].open_cases == 1);
    CHECK(r->rows[1].theme == "pricing and value");

    auto ranks = f.reports->theme_ranking(nov, false);
    REQUIRE(ranks.ok());
    REQUIRE(ranks->size() == 2);
    CHECK((*ranks)[0].theme == "billing");
    CHECK((*ranks)[0].rank_by_detractors == 1);
    CHECK((*ranks)[0].rank_by_arr == 1);
    CHECK((*ranks)[0].open_detractors == 1);
    CHECK((*ranks)[1].rank_by_detractors == 2);

    ThemeCaseQuery q;
    q.theme = "billing";
    q.segment = "smb";
    auto cases = f.reports->cases_with_theme(q);
    REQUIRE(cases.ok());
    REQUIRE(cases->size() == 1);
    CHECK((*cases)[0].case_id == a);
    CHECK((*cases)[0].arr == doctest::Approx(5000));
    q.segment = "enterprise";
    CHECK(f.reports->cases_with_theme(q)->empty());
    CHECK_FALSE(f.reports->cases_with_theme(ThemeCaseQuery{}).ok());
  }

  SUBCASE("Saturation and case flow") {
    auto s = f.reports->saturation({nov, 0});
    REQUIRE(s.ok());
    CHECK(s->calls == 2);
    CHECK(s->case_ids == std::vector<CaseId>{a, b});
    REQUIRE(s->saturation.curve.size() == 2);
    CHECK(s->saturation.curve[0].new_themes == 2);
    CHECK(s->saturation.curve[1].new_themes == 0);
    CHECK(s->saturation.last_new_at == 1);

    auto flow = f.reports->case_flow("detractor-followup", nov);
    REQUIRE(flow.ok());
    CHECK(flow->opened == 3);
    CHECK(flow->closed == 1);
    using P = std::pair<std::string, std::int64_t>;
    CHECK(flow->open_by_state == std::vector<P>{{"callback", 1}, {"root_cause", 1}});
  }

  SUBCASE("An empty range is refused") {
    CHECK(f.reports->nps({{nov.to, nov.from}, Period::kMonth, false}).status().code() ==
          StatusCode::kInvalidArgument);
  }
}

// The last row of `segment` (its latest period), or null.
const DetractorRow* last_row_of(const DetractorReport& r, const std::string& segment) {
  const DetractorRow* found = nullptr;
  for (const auto& row : r.rows) {
    if (row.segment == segment) found = &row;
  }
  return found;
}

TEST_CASE_TEMPLATE("Reports.FlareUpFlaggedAndNotAtTheBoundary", Backend, MemoryBackend,
                   SqliteBackend) {
  // smb baseline: Aug, Sep, Oct with 20 detractors of 100 each (60 of 300).
  // November: 28 of 100 is flagged (p = 0.047), 27 of 100 is not (p = 0.071).
  for (int nov_detractors : {27, 28}) {
    CAPTURE(nov_detractors);
    ReportsFixture<Backend> f;
    std::vector<Response> rs;
    int n = 0;
    auto month = [&](const std::string& day, int detractors) {
      for (int i = 0; i < 100; ++i) {
        rs.push_back(f.response("r" + std::to_string(++n), i < detractors ? 4 : 9, "smb", 1000,
                                at(day + "T10:00:00Z")));
      }
    };
    month("2026-08-10", 20);
    month("2026-09-10", 20);
    month("2026-10-10", 20);
    month("2026-11-10", nov_detractors);
    f.ingest(rs);
    DetractorQuery q;
    q.range = f.days(kNovFrom, kNovTo);
    auto r = f.reports->detractors(q);
    REQUIRE(r.ok());
    const DetractorRow* smb = last_row_of(*r, "smb");
    REQUIRE(smb != nullptr);
    CHECK(smb->period == "2026-11");
    CHECK(smb->baseline_periods == 3);
    CHECK(smb->test.baseline_detractors == 60);
    CHECK(smb->test.baseline_responses == 300);
    CHECK(smb->test.responses == 100);
    CHECK(smb->test.flagged == (nov_detractors == 28));
    CHECK(r->flare_ups.size() == (nov_detractors == 28 ? 1u : 0u));
    CHECK(*smb->test.p_value == doctest::Approx(nov_detractors == 28 ? 0.047214 : 0.070854).epsilon(1e-4));
  }
}

// A range that starts mid-month: its first month counts only its days in
// the range, as in the NPS report (it counted the whole month), while the
// months before stay whole as its baseline.
TEST_CASE_TEMPLATE("Reports.DetractorsClipTheFirstPeriodToTheRange", Backend, MemoryBackend,
                   SqliteBackend) {
  ReportsFixture<Backend> f;
  f.ingest({f.response("aug", 3, "smb", 1000, at("2026-08-10T10:00:00Z")),
            f.response("sep-early", 3, "smb", 1000, at("2026-09-05T10:00:00Z")),
            f.response("sep-late", 3, "smb", 1000, at("2026-09-20T10:00:00Z")),
            f.response("sep-promoter", 10, "smb", 1000, at("2026-09-21T10:00:00Z"))});
  DetractorQuery q;
  q.range = f.days("2026-09-14T22:00:00Z", "2026-09-30T22:00:00Z");  // Berlin days 15-30
  auto r = f.reports->detractors(q);
  REQUIRE(r.ok());
  const DetractorRow* smb = last_row_of(*r, "smb");
  REQUIRE(smb != nullptr);
  CHECK(smb->period == "2026-09");
  CHECK(smb->test.detractors == 1);  // sep-late; not sep-early (before the range)
  CHECK(smb->test.responses == 2);
  CHECK(smb->test.baseline_detractors == 1);  // August, whole
  auto nps = f.reports->nps({q.range, Period::kMonth, true});
  REQUIRE(nps.ok());
  for (const auto& row : nps->rows) {
    if (row.segment == "smb") CHECK(row.nps.detractors == smb->test.detractors);
  }
}

TEST_CASE("Reports.LocalDaysFollowTheCompanyZone") {
  // 23:30 UTC on Sunday 1 November is 00:30 on Monday 2 November in Berlin.
  ReportsFixture<SqliteBackend> f;
  f.ingest({f.response("late", 10, "smb", 1000, at("2026-11-01T23:30:00Z")),
            f.response("early", 0, "smb", 1000, at("2026-11-01T22:30:00Z"))});
  auto r = f.reports->nps({f.days(kNovFrom, kNovTo), Period::kDay, false});
  REQUIRE(r.ok());
  CHECK(r->rows[0].period == "2026-11-01");
  CHECK(r->rows[0].nps.detractors == 1);
  CHECK(r->rows[0].nps.promoters == 0);
  CHECK(r->rows[1].period == "2026-11-02");
  CHECK(r->rows[1].nps.promoters == 1);
}

}  // namespace
}  // namespace turnaround::testing

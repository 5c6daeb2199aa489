// The Store contract for what the web page needs, on MemoryStore and
// SqliteStore alike: the board's order by next due date with its keyset
// cursor, the customer search, the priority and unassigned filters, counts
// per state, a case's responses, and web sessions (expiry, deletion, and
// revocation through their token).

#include <doctest/doctest.h>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

using Ids = std::vector<std::int64_t>;

template <typename F>
Ids list(F& f, const CaseFilter& filter) {
  Ids ids;
  read(f.get(), [&](Transaction& t) { ids = ids_of(must(t.list_cases(filter))); });
  return ids;
}

// Cases 1..6:
//   1 "Acme Ltd"      due 03-10           normal  owner maria  new
//   2 "Beta GmbH"     missed              high    unowned      new
//   3 "acme north"    no deadline         urgent  unowned      review
//   4 "Gamma 50%_off" due 03-05           normal  owner li     new
//   5 "Delta"         due 03-05 (paused)  low     unowned      review   -> no running deadline
//   6 "Acme closed"   due 03-01, closed   normal  owner li     new
void seed(Store& store) {
  write(store, [&](Transaction& t) {
    auto add = [&](const std::string& customer, const std::string& name, std::vector<CaseDeadline> d,
                   Priority p, const std::string& owner, const std::string& state, bool closed) {
      Case c = sample_case(customer);
      c.customer_name = name;
      c.deadlines = std::move(d);
      c.priority = p;
      c.owner = PersonId(owner);
      c.state = state;
      if (closed) c.closed_at = at("2026-03-06T00:00:00Z");
      must(t.insert_case(c));
    };
    CaseDeadline paused = deadline("d", "2026-03-05T00:00:00Z");
    paused.paused_at = at("2026-03-03T00:00:00Z");
    add("c1", "Acme Ltd", {deadline("d", "2026-03-10T00:00:00Z")}, Priority::kNormal, "maria", "new", false);
    add("c2", "Beta GmbH", {deadline("d", "2026-03-01T00:00:00Z", DeadlineStatus::kMissed)}, Priority::kHigh, "",
        "new", false);
    add("c3", "acme north", {}, Priority::kUrgent, "", "review", false);
    add("c4", "Gamma 50%_off", {deadline("d", "2026-03-05T00:00:00Z")}, Priority::kNormal, "li", "new", false);
    add("c5", "Delta", {paused}, Priority::kLow, "", "review", false);
    add("c6", "Acme closed", {deadline("d", "2026-03-01T00:00:00Z")}, Priority::kNormal, "li", "new", true);
  });
}

TEST_CASE_TEMPLATE("Store.ListCasesByDueWithKeysetCursor", F, TA_STORES) {
  F f;
  seed(f.get());
  CaseFilter due;
  due.by_due = true;
  // Missed first, then by due instant, then no running deadline (by id); open only.
  CHECK(list(f, due) == Ids{2, 4, 1, 3, 5});
  // Page by page with the cursor of the last row.
  due.limit = 2;
  std::vector<Case> page;
  read(f.get(), [&](Transaction& t) { page = must(t.list_cases(due)); });
  CHECK(ids_of(page) == Ids{2, 4});
  due.after_due = due_key(page.back());
  due.after_id = page.back().id.value;
  CHECK(list(f, due) == Ids{1, 3});
  due.after_due = std::numeric_limits<std::int64_t>::max();
  due.after_id = 3;
  CHECK(list(f, due) == Ids{5});
  // Combined with a filter.
  CaseFilter review;
  review.by_due = true;
  review.state = "review";
  CHECK(list(f, review) == Ids{3, 5});
}

TEST_CASE_TEMPLATE("Store.ListCasesBySearchPriorityAndUnowned", F, TA_STORES) {
  F f;
  seed(f.get());
  CaseFilter q;
  q.customer_search = "ACME";  // name contains, any case
  CHECK(list(f, q) == Ids{1, 3, 6});
  q.open_only = true;
  CHECK(list(f, q) == Ids{1, 3});
  CaseFilter id;
  id.customer_search = "c4";  // id prefix
  CHECK(list(f, id) == Ids{4});
  CaseFilter wild;
  wild.customer_search = "50%_";  // LIKE wildcards are literal
  CHECK(list(f, wild) == Ids{4});
  wild.customer_search = "%";
  CHECK(list(f, wild) == Ids{4});
  CaseFilter prio;
  prio.priority = Priority::kNormal;
  CHECK(list(f, prio) == Ids{1, 4, 6});
  CaseFilter unowned;
  unowned.unowned_only = true;
  CHECK(list(f, unowned) == Ids{2, 3, 5});
}

TEST_CASE_TEMPLATE("Store.CountCasesByState", F, TA_STORES) {
  F f;
  seed(f.get());
  std::map<std::string, std::int64_t> counts;
  CaseFilter open;
  open.open_only = true;
  read(f.get(), [&](Transaction& t) { counts = must(t.count_cases_by_state(open)); });
  CHECK(counts == std::map<std::string, std::int64_t>{{"new", 3}, {"review", 2}});
  CaseFilter acme;
  acme.customer_search = "acme";
  acme.limit = 1;  // ignored
  acme.after_id = 5;
  read(f.get(), [&](Transaction& t) { counts = must(t.count_cases_by_state(acme)); });
  CHECK(counts == std::map<std::string, std::int64_t>{{"new", 2}, {"review", 1}});
}

TEST_CASE_TEMPLATE("Store.CaseResponsesWithComments", F, TA_STORES) {
  F f;
  CaseId id;
  write(f.get(), [&](Transaction& t) {
    must(t.insert_response(sample_response("r2", "c1", 4, "2026-03-04T09:00:00Z"), at("2026-03-04T10:00:00Z")));
    must(t.insert_response(sample_response("r1", "c1", 2, "2026-03-02T09:00:00Z"), at("2026-03-02T10:00:00Z")));
    must(t.insert_response(sample_response("r3", "c1", 1, "2026-03-05T09:00:00Z"), at("2026-03-05T10:00:00Z")));
    Case c = sample_case("c1");
    c.responses = {ResponseId("r2"), ResponseId("r1")};
    id = must(t.insert_case(c));
  });
  std::vector<Response> rows;
  read(f.get(), [&](Transaction& t) { rows = must(t.case_responses(must(t.load_case(id, false)))); });
  REQUIRE(rows.size() == 2);  // r3 is not part of the case
  CHECK(rows[0].response_id.value == "r1");
  CHECK(rows[1].response_id.value == "r2");
  CHECK(rows[0].comment == "slow support");
  CHECK(rows[0].score == 2);
}

// The order is (responded_at, response_id) whatever the insertion order: ties
// on the instant by the id's bytes, as SQLite's ORDER BY with BINARY gave.
TEST_CASE_TEMPLATE("Store.CaseResponsesOrderedByTimeThenId", F, TA_STORES) {
  F f;
  CaseId id;
  write(f.get(), [&](Transaction& t) {
    must(t.insert_response(sample_response("rb", "c1", 3, "2026-03-02T09:00:00Z"), at("2026-03-02T10:00:00Z")));
    must(t.insert_response(sample_response("rZ", "c1", 3, "2026-03-02T09:00:00Z"), at("2026-03-02T10:00:00Z")));
    must(t.insert_response(sample_response("ra", "c1", 3, "2026-03-03T09:00:00Z"), at("2026-03-03T10:00:00Z")));
    must(t.insert_response(sample_response("r0", "c1", 3, "2026-03-04T09:00:00Z"), at("2026-03-04T10:00:00Z")));
    Case c = sample_case("c1");
    c.responses = {ResponseId("r0"), ResponseId("ra"), ResponseId("rZ"), ResponseId("rb")};
    id = must(t.insert_case(c));
  });
  std::vector<Response> rows;
  read(f.get(), [&](Transaction& t) { rows = must(t.case_responses(must(t.load_case(id, false)))); });
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.response_id.value);
  CHECK(ids == std::vector<std::string>{"rZ", "rb", "ra", "r0"});
}

TEST_CASE_TEMPLATE("Store.WebSessionsExpireAndEndWithTheirToken", F, TA_STORES) {
  F f;
  const Instant t0 = at("2026-03-02T10:00:00Z");
  write(f.get(), [&](Transaction& t) {
    must(t.upsert_person({PersonId("p"), "P", {Role::kOpsLead}, {}, 0, true}));
    must(t.insert_token("tokenhash", PersonId("p"), t0));
    must(t.insert_session("s1", "tokenhash", {PersonId("p"), t0, t0 + std::chrono::hours(12)}));
    must(t.insert_session("s2", "tokenhash", {PersonId("p"), t0, t0 + std::chrono::hours(1)}));
  });
  read(f.get(), [&](Transaction& t) {
    auto s = must(t.find_session("s1", t0 + std::chrono::hours(11)));
    REQUIRE(s.has_value());
    CHECK(s->person == PersonId("p"));
    CHECK(s->expires_at == t0 + std::chrono::hours(12));
    CHECK(!must(t.find_session("s1", t0 + std::chrono::hours(12))).has_value());  // expired
    CHECK(!must(t.find_session("nope", t0)).has_value());
  });
  // A new session deletes the expired ones.
  write(f.get(), [&](Transaction& t) {
    must(t.insert_session("s3", "tokenhash", {PersonId("p"), t0 + std::chrono::hours(2), t0 + std::chrono::hours(14)}));
    CHECK(!must(t.delete_session("s2")));  // already gone
    CHECK(must(t.delete_session("s3")));
    CHECK(!must(t.delete_session("s3")));
  });
  read(f.get(), [&](Transaction& t) { CHECK(!must(t.find_session("s3", t0 + std::chrono::hours(3))).has_value()); });
  // Revoking the token ends its sessions.
  write(f.get(), [&](Transaction& t) { CHECK(must(t.revoke_tokens(PersonId("p"), t0 + std::chrono::hours(3))) == 1); });
  read(f.get(), [&](Transaction& t) { CHECK(!must(t.find_session("s1", t0 + std::chrono::hours(4))).has_value()); });
}

}  // namespace
}  // namespace turnaround::testing

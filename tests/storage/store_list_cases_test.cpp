// The Store contract for list_cases: every filter field, the cursor and
// limit, and the overdue view, run against MemoryStore and SqliteStore.

#include <doctest/doctest.h>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

// Six cases with distinct attributes; ids 1..6 in insertion order.
//   1 acme     detractor  new        maria  enterprise  open
//   2 acme     churn      review     li     enterprise  open
//   3 beta     detractor  new        -      smb         open, queue ops_lead
//   4 beta     detractor  contacted  maria  smb         closed
//   5 gamma    detractor  new        -      smb         open, queue owner
//   6 gamma    detractor  new        -      smb         closed, queue ops_lead
std::vector<CaseId> seed(Store& store) {
  struct Row {
    const char* customer;
    const char* workflow;
    const char* state;
    const char* owner;
    const char* segment;
    const char* queue;
    bool closed;
  };
  const Row rows[] = {
      {"acme", "detractor", "new", "maria", "enterprise", "", false},
      {"acme", "churn", "review", "li", "enterprise", "", false},
      {"beta", "detractor", "new", "", "smb", "ops_lead", false},
      {"beta", "detractor", "contacted", "maria", "smb", "", true},
      {"gamma", "detractor", "new", "", "smb", "owner", false},
      {"gamma", "detractor", "new", "", "smb", "ops_lead", true},
  };
  std::vector<CaseId> ids;
  write(store, [&](Transaction& t) {
    for (const Row& r : rows) {
      Case c = sample_case(r.customer, r.workflow);
      c.state = r.state;
      c.owner = PersonId(r.owner);
      c.segment = r.segment;
      c.queue = r.queue;
      if (r.closed) c.closed_at = at("2026-03-05T00:00:00Z");
      ids.push_back(must(t.insert_case(c)));
    }
  });
  return ids;
}

template <typename F>
std::vector<std::int64_t> list(F& f, const CaseFilter& filter) {
  std::vector<std::int64_t> ids;
  read(f.get(), [&](Transaction& t) { ids = ids_of(must(t.list_cases(filter))); });
  return ids;
}

using Ids = std::vector<std::int64_t>;

TEST_CASE_TEMPLATE("Store.ListCasesByEachFilter", F, TA_STORES) {
  F f;
  auto ids = seed(f.get());
  REQUIRE(ids.front().value == 1);

  CaseFilter all;
  CHECK(list(f, all) == Ids{1, 2, 3, 4, 5, 6});

  CaseFilter state;
  state.state = "new";
  CHECK(list(f, state) == Ids{1, 3, 5, 6});

  CaseFilter owner;
  owner.owner = PersonId("maria");
  CHECK(list(f, owner) == Ids{1, 4});

  CaseFilter workflow;
  workflow.workflow = "churn";
  CHECK(list(f, workflow) == Ids{2});

  CaseFilter segment;
  segment.segment = "smb";
  CHECK(list(f, segment) == Ids{3, 4, 5, 6});

  CaseFilter customer;
  customer.customer_id = CustomerId("beta");
  CHECK(list(f, customer) == Ids{3, 4});

  CaseFilter queue;  // claimable: open, unowned, in the queue
  queue.queue = "ops_lead";
  CHECK(list(f, queue) == Ids{3});

  CaseFilter open;
  open.open_only = true;
  CHECK(list(f, open) == Ids{1, 2, 3, 5});

  CaseFilter combined;
  combined.state = "new";
  combined.segment = "smb";
  combined.open_only = true;
  CHECK(list(f, combined) == Ids{3, 5});

  CaseFilter nobody;
  nobody.owner = PersonId("nobody");
  CHECK(list(f, nobody).empty());
}

TEST_CASE_TEMPLATE("Store.ListCasesCursorAndLimit", F, TA_STORES) {
  F f;
  seed(f.get());
  CaseFilter page;
  page.limit = 2;
  CHECK(list(f, page) == Ids{1, 2});
  page.after_id = 2;
  CHECK(list(f, page) == Ids{3, 4});
  page.after_id = 4;
  CHECK(list(f, page) == Ids{5, 6});
  page.after_id = 6;
  CHECK(list(f, page).empty());

  // The limit counts matching cases, not scanned ones.
  CaseFilter smb;
  smb.segment = "smb";
  smb.limit = 3;
  CHECK(list(f, smb) == Ids{3, 4, 5});
  smb.after_id = 5;
  CHECK(list(f, smb) == Ids{6});

  read(f.get(), [&](Transaction& t) {
    for (const Case& c : must(t.list_cases(CaseFilter{}))) CHECK(c.history.empty());
  });
}

TEST_CASE_TEMPLATE("Store.ListCasesOverdueMatchesCaseOverdue", F, TA_STORES) {
  F f;
  // Each case exercises one rule of Case::overdue.
  std::vector<Case> cases;
  auto add = [&](std::vector<CaseDeadline> deadlines, bool closed = false) {
    Case c = sample_case("c" + std::to_string(cases.size()));
    c.deadlines = std::move(deadlines);
    if (closed) c.closed_at = at("2026-03-06T00:00:00Z");
    cases.push_back(c);
  };
  CaseDeadline paused = deadline("d", "2026-03-03T00:00:00Z");
  paused.paused_at = at("2026-03-02T12:00:00Z");
  CaseDeadline done_missed = deadline("d", "2026-03-03T00:00:00Z", DeadlineStatus::kMissed);
  done_missed.done = true;
  add({});                                                                // 1: none
  add({deadline("d", "2026-03-04T00:00:00Z")});                           // 2: pending
  add({deadline("d", "2026-03-10T00:00:00Z", DeadlineStatus::kMissed)});  // 3: missed
  add({deadline("d", "2026-03-01T00:00:00Z", DeadlineStatus::kMet)});     // 4: met
  add({paused});                                                          // 5: paused
  add({done_missed});                                                     // 6: done
  add({deadline("d", "2026-03-01T00:00:00Z")}, /*closed=*/true);          // 7: closed
  add({deadline("a", "2026-03-08T00:00:00Z"), paused,
       deadline("b", "2026-03-05T00:00:00Z")});  // 8: earliest wins
  write(f.get(), [&](Transaction& t) {
    for (Case& c : cases) c.id = must(t.insert_case(c));
  });

  for (const char* when : {"2026-02-01T00:00:00Z", "2026-03-04T00:00:00Z", "2026-03-04T00:00:01Z",
                           "2026-03-05T00:00:01Z", "2026-04-01T00:00:00Z"}) {
    CAPTURE(when);
    Ids expected;
    for (const Case& c : cases) {
      if (c.overdue(at(when))) expected.push_back(c.id.value);
    }
    CaseFilter overdue;
    overdue.overdue_at = at(when);
    CHECK(list(f, overdue) == expected);
  }
  CaseFilter at_due;  // strictly after due_at
  at_due.overdue_at = at("2026-03-04T00:00:00Z");
  CHECK(list(f, at_due) == Ids{3});
  CaseFilter later;
  later.overdue_at = at("2026-03-05T00:00:01Z");
  CHECK(list(f, later) == Ids{2, 3, 8});
}

TEST_CASE_TEMPLATE("Store.OverdueFollowsUpdates", F, TA_STORES) {
  F f;
  Case c = sample_case("acme");
  c.deadlines = {deadline("d", "2026-03-04T00:00:00Z")};
  write(f.get(), [&](Transaction& t) { c.id = must(t.insert_case(c)); });
  CaseFilter overdue;
  overdue.overdue_at = at("2026-03-05T00:00:00Z");
  CHECK(list(f, overdue) == Ids{c.id.value});

  c.deadlines[0].status = DeadlineStatus::kMet;
  c.deadlines[0].done = true;
  c.version = 2;
  write(f.get(), [&](Transaction& t) { must(t.update_case(c, 1)); });
  CHECK(list(f, overdue).empty());
}

}  // namespace
}  // namespace turnaround::testing

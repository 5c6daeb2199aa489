// The Store contract for everything but cases: responses, churn, customers,
// timers, people, counters, the outbox, workflows and settings; plus
// rollback and serialised transactions. Run against both stores.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

// 2026-03-02T12:00:00Z (not at(): it REQUIREs, so only inside a test).
const Instant kNow{date::sys_days{date::March / 2 / 2026} + std::chrono::hours(12)};

TEST_CASE_TEMPLATE("Store.ResponsesAreIdempotent", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.insert_response(sample_response("r1", "acme", 3), kNow)));
    CHECK(!must(t.insert_response(sample_response("r1", "acme", 9), kNow)));  // same id
    CHECK(must(t.insert_response(sample_response("r2", "acme", 3), kNow)));
  });
  write(f.get(), [&](Transaction& t) {  // and across transactions
    CHECK(!must(t.insert_response(sample_response("r2", "other", 1), kNow)));
  });
}

TEST_CASE_TEMPLATE("Store.ChurnIsIdempotentPerCustomerAndInstant", F, TA_STORES) {
  F f;
  ChurnEvent e{CustomerId("acme"), at("2026-03-01T00:00:00Z"), "price", 1000};
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.insert_churn(e, kNow)));
    CHECK(!must(t.insert_churn(e, kNow)));
    ChurnEvent later = e;
    later.lost_at = at("2026-03-02T00:00:00Z");
    CHECK(must(t.insert_churn(later, kNow)));
    ChurnEvent other = e;
    other.customer_id = CustomerId("beta");
    CHECK(must(t.insert_churn(other, kNow)));
  });
}

TEST_CASE_TEMPLATE("Store.CustomerUpsertReplaces", F, TA_STORES) {
  F f;
  Customer c{CustomerId("acme"), "Acme", "enterprise", 5000.25, PersonId("maria"), false};
  write(f.get(), [&](Transaction& t) {
    CHECK(!must(t.find_customer(CustomerId("acme"))));
    must(t.upsert_customer(c));
    must(t.upsert_customer(c));  // unchanged: fine
  });
  c.name = "Acme Corp";
  c.account_owner = PersonId();
  c.lost = true;
  write(f.get(), [&](Transaction& t) { must(t.upsert_customer(c)); });
  read(f.get(), [&](Transaction& t) {
    auto found = must(t.find_customer(CustomerId("acme")));
    REQUIRE(found);
    CHECK(found->name == "Acme Corp");
    CHECK(found->segment == "enterprise");
    CHECK(found->arr == 5000.25);
    CHECK(found->account_owner.empty());
    CHECK(found->lost);
  });
}

TEST_CASE_TEMPLATE("Store.TimersDueInOrderAndFireOnce", F, TA_STORES) {
  F f;
  CaseId c;
  TimerId late, early, same_due_a, same_due_b, future;
  write(f.get(), [&](Transaction& t) {
    c = must(t.insert_case(sample_case("acme")));
    late = must(t.insert_timer(sample_timer(c, "resolve", "2026-03-05T00:00:00Z")));
    Timer reminder = sample_timer(c, "contact", "2026-03-03T00:00:00Z", TimerKind::kReminder);
    reminder.level = 2;
    reminder.misfire = MisfirePolicy::kSkip;
    early = must(t.insert_timer(reminder));
    same_due_a = must(t.insert_timer(sample_timer(c, "a", "2026-03-04T00:00:00Z")));
    Timer escalation = sample_timer(c, "b", "2026-03-04T00:00:00Z", TimerKind::kEscalation);
    escalation.misfire = MisfirePolicy::kFireAll;
    same_due_b = must(t.insert_timer(escalation));
    future = must(t.insert_timer(sample_timer(c, "z", "2026-04-01T00:00:00Z")));
  });

  write(f.get(), [&](Transaction& t) {
    auto due = must(t.due_timers(at("2026-03-05T00:00:00Z"), 10));  // due_at <= now
    REQUIRE(due.size() == 4);
    CHECK(due[0].id == early);
    CHECK(due[0].kind == TimerKind::kReminder);
    CHECK(due[0].level == 2);
    CHECK(due[0].misfire == MisfirePolicy::kSkip);
    CHECK(due[0].deadline == "contact");
    CHECK(due[0].case_id == c);
    CHECK(due[0].due_at == at("2026-03-03T00:00:00Z"));
    CHECK(due[1].id == same_due_a);  // equal due_at: by id
    CHECK(due[2].id == same_due_b);
    CHECK(due[2].kind == TimerKind::kEscalation);
    CHECK(due[2].misfire == MisfirePolicy::kFireAll);
    CHECK(due[3].id == late);
    CHECK(must(t.due_timers(at("2026-03-05T00:00:00Z"), 2)).size() == 2);

    CHECK(must(t.mark_timer_fired(early, at("2026-03-05T00:00:10Z"))));
    CHECK(!must(t.mark_timer_fired(early, at("2026-03-05T00:00:11Z"))));  // once
    CHECK(!must(t.mark_timer_fired(TimerId(999), kNow)));
  });
  read(f.get(), [&](Transaction& t) {
    auto due = must(t.due_timers(at("2026-03-05T00:00:00Z"), 10));
    CHECK(due.size() == 3);
    CHECK(due[0].id == same_due_a);
  });
  CHECK(future.valid());
}

TEST_CASE_TEMPLATE("Store.CancelTimersByDeadlineOrAll", F, TA_STORES) {
  F f;
  CaseId c1, c2;
  TimerId keep;
  write(f.get(), [&](Transaction& t) {
    c1 = must(t.insert_case(sample_case("a")));
    c2 = must(t.insert_case(sample_case("b")));
    must(t.insert_timer(sample_timer(c1, "contact", "2026-03-03T00:00:00Z")));
    must(t.insert_timer(sample_timer(c1, "contact", "2026-03-04T00:00:00Z")));
    keep = must(t.insert_timer(sample_timer(c1, "resolve", "2026-03-05T00:00:00Z")));
    must(t.insert_timer(sample_timer(c2, "contact", "2026-03-03T00:00:00Z")));
  });
  write(f.get(), [&](Transaction& t) {
    must(t.cancel_timers(c1, "contact"));
    auto left = must(t.case_timers(c1));
    REQUIRE(left.size() == 1);
    CHECK(left[0].id == keep);
    CHECK(must(t.case_timers(c2)).size() == 1);  // other cases untouched

    must(t.cancel_timers(c1, ""));
    CHECK(must(t.case_timers(c1)).empty());
    CHECK(!must(t.mark_timer_fired(keep, kNow)));  // cancelled: not pending
  });
}

TEST_CASE_TEMPLATE("Store.NextTimerDueAndCaseTimers", F, TA_STORES) {
  F f;
  CaseId c;
  TimerId first;
  write(f.get(), [&](Transaction& t) {
    CHECK(!must(t.next_timer_due()));
    c = must(t.insert_case(sample_case("a")));
    must(t.insert_timer(sample_timer(c, "b", "2026-03-09T00:00:00Z")));
    first = must(t.insert_timer(sample_timer(c, "a", "2026-03-07T00:00:00Z")));
  });
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.next_timer_due()) == at("2026-03-07T00:00:00Z"));
    auto timers = must(t.case_timers(c));
    REQUIRE(timers.size() == 2);
    CHECK(timers[0].deadline == "a");  // by due_at
    CHECK(timers[1].deadline == "b");
    CHECK(must(t.mark_timer_fired(first, at("2026-03-07T00:00:05Z"))));
    CHECK(must(t.next_timer_due()) == at("2026-03-09T00:00:00Z"));
  });
}

TEST_CASE_TEMPLATE("Store.TimerForMissingCaseIsNotFound", F, TA_STORES) {
  F f;
  auto txn = must(f.get().begin(TxnMode::kWrite));
  CHECK(txn->insert_timer(sample_timer(CaseId(5), "d", "2026-03-03T00:00:00Z")).status().code() ==
        StatusCode::kNotFound);
}

TEST_CASE_TEMPLATE("Store.PeopleUpsertAndList", F, TA_STORES) {
  F f;
  Person maria{PersonId("maria"), "Maria", {Role::kOwner, Role::kOpsLead}, {"enterprise"}, 5, true};
  Person li{PersonId("li"), "Li", {}, {}, 0, false};
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.list_people()).empty());
    must(t.upsert_person(maria));
    must(t.upsert_person(li));
    maria.teams.push_back("smb");
    maria.capacity = 7;
    must(t.upsert_person(maria));
  });
  read(f.get(), [&](Transaction& t) {
    auto people = must(t.list_people());
    REQUIRE(people.size() == 2);
    CHECK(people[0].id == PersonId("li"));  // by id
    CHECK(!people[0].active);
    CHECK(people[0].roles.empty());
    CHECK(people[1].name == "Maria");
    CHECK(people[1].roles == std::vector<Role>{Role::kOwner, Role::kOpsLead});
    CHECK(people[1].teams == std::vector<std::string>{"enterprise", "smb"});
    CHECK(people[1].capacity == 7);
    CHECK(people[1].active);
  });
}

TEST_CASE_TEMPLATE("Store.Counters", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.get_counter("rr:owner")) == 0);
    must(t.set_counter("rr:owner", 3));
    must(t.set_counter("rr:ops", -1));
    must(t.set_counter("rr:owner", 4));
  });
  read(f.get(), [&](Transaction& t) {
    CHECK(must(t.get_counter("rr:owner")) == 4);
    CHECK(must(t.get_counter("rr:ops")) == -1);
  });
}

TEST_CASE_TEMPLATE("Store.WorkflowVersions", F, TA_STORES) {
  F f;
  StoredWorkflow v1{"detractor",
                    1,
                    "hash1",
                    "name: detractor\n",
                    "wf/detractor.yaml",
                    at("2026-03-01T00:00:00Z")};
  StoredWorkflow v2 = v1;
  v2.version = 2;
  v2.content_hash = "hash2";
  StoredWorkflow other{"churn", 1, "h", "name: churn\n", "wf/churn.yaml", kNow};
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.insert_workflow(v2)) == 2);
    CHECK(must(t.insert_workflow(v1)) == 1);
    CHECK(must(t.insert_workflow(other)) == 1);
  });
  write(f.get(), [&](Transaction& t) {
    CHECK(t.insert_workflow(v1).status().code() == StatusCode::kAlreadyExists);
  });
  read(f.get(), [&](Transaction& t) {
    auto all = must(t.list_workflows());
    REQUIRE(all.size() == 3);
    CHECK(all[0].name == "churn");  // by name, then version
    CHECK(all[1].version == 1);
    CHECK(all[1].source == "name: detractor\n");
    CHECK(all[1].file == "wf/detractor.yaml");
    CHECK(all[1].loaded_at == at("2026-03-01T00:00:00Z"));
    CHECK(all[2].content_hash == "hash2");
  });
}

TEST_CASE_TEMPLATE("Store.Settings", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    CHECK(!must(t.get_setting("timezone")));
    must(t.put_setting("timezone", "Europe/Berlin"));
    must(t.put_setting("timezone", "UTC"));
    must(t.put_setting("empty", ""));
  });
  read(f.get(), [&](Transaction& t) {
    CHECK(must(t.get_setting("timezone")) == std::optional<std::string>("UTC"));
    CHECK(must(t.get_setting("empty")) == std::optional<std::string>(""));
  });
}

TEST_CASE_TEMPLATE("Store.NotificationsAreQueued", F, TA_STORES) {
  F f;
  CaseId c;
  write(f.get(), [&](Transaction& t) {
    c = must(t.insert_case(sample_case("a")));
    must(t.enqueue_notification({c, "maria", "reminder", "Call Acme", kNow}));
    must(t.enqueue_notification({CaseId(), "role:ops_lead", "digest", "3 overdue", kNow}));
    CHECK(t.enqueue_notification({CaseId(77), "x", "y", "z", kNow}).code() ==
          StatusCode::kNotFound);
  });
  auto sent = f.notifications();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].case_id == c);
  CHECK(sent[0].recipient == "maria");
  CHECK(sent[0].kind == "reminder");
  CHECK(sent[0].message == "Call Acme");
  CHECK(sent[0].created_at == kNow);
  CHECK(!sent[1].case_id.valid());
}

TEST_CASE_TEMPLATE("Store.UncommittedTransactionRollsBack", F, TA_STORES) {
  F f;
  CaseId kept;
  write(f.get(), [&](Transaction& t) {
    kept = must(t.insert_case(sample_case("kept")));
    must(t.set_counter("n", 1));
  });
  {
    auto t = must(f.get().begin(TxnMode::kWrite));
    CHECK(must(t->insert_response(sample_response("r1", "acme", 3), kNow)));
    CHECK(must(t->insert_churn({CustomerId("acme"), kNow, "", 1}, kNow)));
    must(t->upsert_customer({CustomerId("acme"), "Acme", "smb", 1, PersonId(), false}));
    CaseId c = must(t->insert_case(sample_case("acme")));
    must(t->insert_timer(sample_timer(c, "d", "2026-03-03T00:00:00Z")));
    must(t->append_history(kept, {{kNow, "x", "new", "new", "me", {}}}));
    must(t->set_counter("n", 2));
    must(t->upsert_person({PersonId("p"), "P", {}, {}, 0, true}));
    must(t->put_setting("k", "v"));
    must(t->insert_workflow({"w", 1, "h", "s", "f", kNow}));
    must(t->enqueue_notification({c, "maria", "reminder", "m", kNow}));
    // Destroyed without commit().
  }
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.insert_response(sample_response("r1", "acme", 3), kNow)));
    CHECK(must(t.insert_churn({CustomerId("acme"), kNow, "", 1}, kNow)));
    CHECK(!must(t.find_customer(CustomerId("acme"))));
    CHECK(!must(t.find_open_case(CustomerId("acme"), "detractor")));
    CHECK(ids_of(must(t.list_cases({}))) == std::vector<std::int64_t>{kept.value});
    CHECK(!must(t.next_timer_due()));
    CHECK(must(t.load_case(kept, true)).history.empty());
    CHECK(must(t.get_counter("n")) == 1);
    CHECK(must(t.list_people()).empty());
    CHECK(!must(t.get_setting("k")));
    CHECK(must(t.list_workflows()).empty());
  });
  CHECK(f.notifications().empty());
}

TEST_CASE_TEMPLATE("Store.ReadTransactionSeesCommittedWrites", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) { must(t.set_counter("n", 5)); });
  read(f.get(), [&](Transaction& t) { CHECK(must(t.get_counter("n")) == 5); });
}

TEST_CASE_TEMPLATE("Store.TransactionsFromManyThreadsAreSerialised", F, TA_STORES) {
  F f;
  constexpr int kThreads = 4;
  constexpr int kIncrements = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int n = 0; n < kIncrements; ++n) {
        // Read-modify-write: lost updates would show if two overlapped.
        auto t = f.get().begin(TxnMode::kWrite);
        if (!t.ok()) {
          ++failures;
          continue;
        }
        auto v = (*t)->get_counter("n");
        if (!v.ok() || !(*t)->set_counter("n", *v + 1).ok() || !(*t)->commit().ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  read(f.get(), [&](Transaction& t) { CHECK(must(t.get_counter("n")) == kThreads * kIncrements); });
}

#ifdef NDEBUG  // in debug builds the same mistake is an assert
TEST_CASE_TEMPLATE("Store.NestedBeginOnOneThreadFailsInsteadOfDeadlocking", F, TA_STORES) {
  F f;
  auto outer = must(f.get().begin(TxnMode::kWrite));
  auto inner = f.get().begin(TxnMode::kRead);
  CHECK(inner.status().code() == StatusCode::kInternal);
  outer.reset();
  read(f.get(), [](Transaction&) {});  // the store is usable again
}
#endif

}  // namespace
}  // namespace turnaround::testing

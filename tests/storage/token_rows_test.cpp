// The Store contract for API tokens, people by id and the monitoring counts
// (storage/token_rows.cpp, and the same in MemoryStore). Run against both.

#include <doctest/doctest.h>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

const Instant kNow{date::sys_days{date::March / 2 / 2026} + std::chrono::hours(12)};

Person person(const std::string& id, std::vector<Role> roles = {Role::kOwner}) {
  return Person{PersonId(id), "Name of " + id, std::move(roles), {"smb"}, 3, true};
}

TEST_CASE_TEMPLATE("Tokens.FindLiveTokenGivesItsPerson", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    must(t.upsert_person(person("maria")));
    must(t.insert_token("hash-1", PersonId("maria"), kNow));
  });
  read(f.get(), [&](Transaction& t) {
    auto found = must(t.find_token("hash-1"));
    REQUIRE(found);
    CHECK(found->value == "maria");
    CHECK(!must(t.find_token("hash-2")));
    CHECK(!must(t.find_token("")));
  });
}

TEST_CASE_TEMPLATE("Tokens.FindTokenPersonJoinsTheLivePerson", F, TA_STORES) {
  F f;
  Person maria = person("maria", {Role::kOwner, Role::kOpsLead});
  maria.teams = {"smb", "enterprise"};
  write(f.get(), [&](Transaction& t) {
    must(t.upsert_person(maria));
    must(t.upsert_person(person("li")));
    must(t.insert_token("m1", PersonId("maria"), kNow));
    must(t.insert_token("l1", PersonId("li"), kNow));
  });
  read(f.get(), [&](Transaction& t) {
    auto found = must(t.find_token_person("m1"));
    REQUIRE(found);
    CHECK(found->id.value == "maria");
    CHECK(found->name == "Name of maria");
    CHECK(found->roles == std::vector<Role>{Role::kOwner, Role::kOpsLead});
    CHECK(found->teams == std::vector<std::string>{"smb", "enterprise"});
    CHECK(found->capacity == 3);
    CHECK(found->active);
    CHECK(must(t.find_token_person("l1"))->id.value == "li");
    CHECK(!must(t.find_token_person("nope")));
  });
  // Revoked: gone at once. Inactive: still found (the caller refuses it).
  maria.active = false;
  write(f.get(), [&](Transaction& t) {
    must(t.revoke_tokens(PersonId("li"), kNow));
    must(t.upsert_person(maria));
  });
  read(f.get(), [&](Transaction& t) {
    CHECK(!must(t.find_token_person("l1")));
    auto inactive = must(t.find_token_person("m1"));
    REQUIRE(inactive);
    CHECK(!inactive->active);
  });
}

TEST_CASE_TEMPLATE("Tokens.DuplicateHashIsAlreadyExists", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    must(t.upsert_person(person("maria")));
    must(t.insert_token("hash-1", PersonId("maria"), kNow));
  });
  auto txn = must(f.get().begin(TxnMode::kWrite));
  CHECK(txn->insert_token("hash-1", PersonId("maria"), kNow).code() == StatusCode::kAlreadyExists);
}

TEST_CASE_TEMPLATE("Tokens.UnknownPersonIsNotFound", F, TA_STORES) {
  F f;
  auto txn = must(f.get().begin(TxnMode::kWrite));
  CHECK(txn->insert_token("hash-1", PersonId("nobody"), kNow).code() == StatusCode::kNotFound);
}

TEST_CASE_TEMPLATE("Tokens.RevokeEndsEveryLiveTokenOfOnePerson", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    must(t.upsert_person(person("maria")));
    must(t.upsert_person(person("li")));
    must(t.insert_token("m1", PersonId("maria"), kNow));
    must(t.insert_token("m2", PersonId("maria"), kNow));
    must(t.insert_token("l1", PersonId("li"), kNow));
  });
  write(f.get(), [&](Transaction& t) {
    CHECK(must(t.revoke_tokens(PersonId("maria"), kNow)) == 2);
    CHECK(must(t.revoke_tokens(PersonId("maria"), kNow)) == 0);  // already revoked
    CHECK(must(t.revoke_tokens(PersonId("nobody"), kNow)) == 0);
  });
  read(f.get(), [&](Transaction& t) {
    CHECK(!must(t.find_token("m1")));
    CHECK(!must(t.find_token("m2")));
    CHECK(must(t.find_token("l1")));
  });
  // A new token after revocation works; revoked hashes stay taken.
  write(f.get(), [&](Transaction& t) { must(t.insert_token("m3", PersonId("maria"), kNow)); });
  read(f.get(), [&](Transaction& t) { CHECK(must(t.find_token("m3"))); });
  auto txn = must(f.get().begin(TxnMode::kWrite));
  CHECK(txn->insert_token("m1", PersonId("maria"), kNow).code() == StatusCode::kAlreadyExists);
}

TEST_CASE_TEMPLATE("Tokens.RolledBackTokenIsNotStored", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) { must(t.upsert_person(person("maria"))); });
  {
    auto txn = must(f.get().begin(TxnMode::kWrite));
    must(txn->insert_token("m1", PersonId("maria"), kNow));
  }  // no commit
  read(f.get(), [&](Transaction& t) { CHECK(!must(t.find_token("m1"))); });
}

TEST_CASE_TEMPLATE("People.FindPersonById", F, TA_STORES) {
  F f;
  Person maria = person("maria", {Role::kOwner, Role::kOpsLead});
  maria.active = false;
  write(f.get(), [&](Transaction& t) { must(t.upsert_person(maria)); });
  read(f.get(), [&](Transaction& t) {
    auto found = must(t.find_person(PersonId("maria")));
    REQUIRE(found);
    CHECK(found->name == "Name of maria");
    CHECK(found->roles == maria.roles);
    CHECK(found->teams == maria.teams);
    CHECK(found->capacity == 3);
    CHECK(!found->active);
    CHECK(!must(t.find_person(PersonId("li"))));
  });
}

TEST_CASE_TEMPLATE("Stats.OpenCasesByStateAndPendingTimers", F, TA_STORES) {
  F f;
  CaseId a, b;
  write(f.get(), [&](Transaction& t) {
    a = must(t.insert_case(sample_case("c1")));
    b = must(t.insert_case(sample_case("c2")));
    Case closed = sample_case("c3");
    closed.state = "closed";
    closed.closed_at = kNow;
    must(t.insert_case(closed));
    must(t.insert_timer(sample_timer(a, "d", "2026-03-03T00:00:00Z")));
    must(t.insert_timer(sample_timer(b, "d", "2026-03-04T00:00:00Z")));
  });
  read(f.get(), [&](Transaction& t) {
    auto by_state = must(t.open_cases_by_state());
    CHECK(by_state.size() == 1);
    CHECK(by_state["new"] == 2);
    CHECK(must(t.pending_timer_count()) == 2);
  });
  write(f.get(), [&](Transaction& t) { must(t.cancel_timers(a, "")); });
  read(f.get(), [&](Transaction& t) { CHECK(must(t.pending_timer_count()) == 1); });
}

// A connection remembers the person of each token its read transactions
// found (ConnectionCache). What another connection commits (a revocation by
// the CLI, a change of role by an admin through the server's writer) must be
// seen by the next read transaction all the same, as must what the
// connection itself commits; a new token is found at once.
TEST_CASE("Tokens.RememberedPersonsNeverOutliveAChange") {
  TempDir dir;
  const std::string path = dir.file("t.db");
  auto reader = must(storage::SqliteStore::open(path));
  auto other = must(storage::SqliteStore::open(path));
  write(*other, [&](Transaction& t) {
    must(t.upsert_person(person("maria", {Role::kAnalyst})));
    must(t.upsert_person(person("li")));
    must(t.insert_token("m1", PersonId("maria"), kNow));
    must(t.insert_token("l1", PersonId("li"), kNow));
  });
  auto find = [&](Store& s, const std::string& hash) {
    auto t = must(s.begin(TxnMode::kRead));
    return must(t->find_token_person(hash));
  };
  REQUIRE(find(*reader, "m1"));
  REQUIRE(find(*reader, "l1"));
  CHECK(find(*reader, "m1")->roles == std::vector<Role>{Role::kAnalyst});  // from the cache

  // Another connection revokes li's tokens and makes maria an ops lead.
  write(*other, [&](Transaction& t) {
    must(t.revoke_tokens(PersonId("li"), kNow));
    must(t.upsert_person(person("maria", {Role::kOpsLead})));
  });
  CHECK(!find(*reader, "l1"));
  REQUIRE(find(*reader, "m1"));
  CHECK(find(*reader, "m1")->roles == std::vector<Role>{Role::kOpsLead});

  // A new token by the other connection: found at once (misses are not kept).
  CHECK(!find(*reader, "l2"));
  write(*other, [&](Transaction& t) { must(t.insert_token("l2", PersonId("li"), kNow)); });
  CHECK(find(*reader, "l2"));

  // The reader's own commit (data_version does not move for it): maria
  // deactivated, then her tokens revoked, each seen by the next read.
  REQUIRE(find(*reader, "m1")->active);
  Person inactive = person("maria", {Role::kOpsLead});
  inactive.active = false;
  write(*reader, [&](Transaction& t) { must(t.upsert_person(inactive)); });
  REQUIRE(find(*reader, "m1"));
  CHECK(!find(*reader, "m1")->active);
  write(*reader, [&](Transaction& t) { must(t.revoke_tokens(PersonId("maria"), kNow)); });
  CHECK(!find(*reader, "m1"));

  // A write transaction rolled back still leaves nothing stale behind.
  REQUIRE(find(*reader, "l2"));
  {
    auto t = must(reader->begin(TxnMode::kWrite));
    must(t->revoke_tokens(PersonId("li"), kNow));
    CHECK(!must(t->find_token_person("l2")));  // the transaction sees its own change
  }
  CHECK(find(*reader, "l2"));
}

}  // namespace
}  // namespace turnaround::testing

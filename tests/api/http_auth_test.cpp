// Tokens and bearer authentication (api/http/auth.h).
#include "api/http/auth.h"

#include <doctest/doctest.h>

#include <set>

#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

TEST_CASE("Auth.TokensAreRandomAndWellFormed") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = api::generate_token();
    REQUIRE(t.ok());
    CHECK(t->starts_with("ta_"));
    CHECK(t->size() == 46);
    CHECK(api::well_formed_token(*t));
    seen.insert(*t);
  }
  CHECK(seen.size() == 100);
  CHECK(!api::well_formed_token(""));
  CHECK(!api::well_formed_token("ta_short"));
  CHECK(!api::well_formed_token("xx_" + std::string(43, 'a')));
  CHECK(!api::well_formed_token("ta_" + std::string(42, 'a') + "!"));
  CHECK(api::well_formed_token("ta_" + std::string(43, 'a')));
}

TEST_CASE("Auth.HashIsSha256Hex") {
  CHECK(api::token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Auth.BearerHeader") {
  CHECK(api::bearer_token("Bearer abc") == std::optional<std::string_view>("abc"));
  CHECK(api::bearer_token("bearer   abc  ") == std::optional<std::string_view>("abc"));
  CHECK(api::bearer_token("BEARER abc") == std::optional<std::string_view>("abc"));
  CHECK(!api::bearer_token("Basic abc"));
  CHECK(!api::bearer_token("Bearer"));
  CHECK(!api::bearer_token("Bearer "));
  CHECK(!api::bearer_token("abc"));
}

TEST_CASE("Auth.AuthenticateGivesThePersonOfALiveToken") {
  ApiFixture f;
  auto p = api::authenticate(f.store, "Bearer " + f.tokens["clara.ceo"]);
  REQUIRE(p.ok());
  CHECK(p->id.value == "clara.ceo");
  CHECK(p->has_role(Role::kExecutive));
}

TEST_CASE("Auth.RefusalsAreUnauthenticated") {
  ApiFixture f;
  auto code = [&](const std::string& header) { return api::authenticate(f.store, header).status().code(); };
  CHECK(code("") == StatusCode::kUnauthenticated);
  CHECK(code("Basic Zm9vOmJhcg==") == StatusCode::kUnauthenticated);
  CHECK(code("Bearer not-a-token") == StatusCode::kUnauthenticated);
  CHECK(code("Bearer ta_" + std::string(43, 'A')) == StatusCode::kUnauthenticated);  // unknown
  CHECK(code("Bearer " + f.tokens["gone"]) == StatusCode::kUnauthenticated);         // inactive person
  // Revoked.
  {
    auto txn = f.store.begin(TxnMode::kWrite);
    REQUIRE(txn.ok());
    CHECK(*(*txn)->revoke_tokens(PersonId("clara.ceo"), f.clock.now()) == 1);
    REQUIRE((*txn)->commit().ok());
  }
  auto revoked = api::authenticate(f.store, "Bearer " + f.tokens["clara.ceo"]);
  CHECK(revoked.status().code() == StatusCode::kUnauthenticated);
  CHECK(revoked.status().message().find(f.tokens["clara.ceo"]) == std::string::npos);
  // Others are unaffected.
  CHECK(api::authenticate(f.store, "Bearer " + f.tokens["mehmet.cro"]).ok());
}

TEST_CASE("Auth.OnlyTheHashIsStored") {
  ApiFixture f;
  auto txn = f.store.begin(TxnMode::kRead);
  REQUIRE(txn.ok());
  const std::string& token = f.tokens["ines.ops"];
  CHECK(!*(*txn)->find_token(token));  // the token itself is not a key
  CHECK(*(*txn)->find_token(api::token_hash(token)) == std::optional<PersonId>(PersonId("ines.ops")));
}

}  // namespace
}  // namespace turnaround::testing

#pragma once
// Shared by the HTTP unit tests: the example company on a MemoryStore (the
// engine fixture), a token for every person, and call(), which runs a
// request through the router and dispatch() as the server does, without a
// socket.

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "api/http/auth.h"
#include "api/http/handlers.h"
#include "api/http/metrics.h"
#include "api/http/router.h"
#include "tests/support/engine_fixture.h"

namespace turnaround::testing {

struct ApiFixture : EngineFixture {
  ApiFixture() {
    auto txn = store.begin(TxnMode::kWrite);
    REQUIRE(txn.ok());
    REQUIRE((*txn)->upsert_person({PersonId("adm"), "Admin", {Role::kAdmin}, {}, 0, true}).ok());
    REQUIRE((*txn)->upsert_person({PersonId("bot"), "Survey tool", {Role::kIngest}, {}, 0, true}).ok());
    REQUIRE((*txn)->upsert_person({PersonId("gone"), "Former", {Role::kOpsLead}, {}, 0, false}).ok());
    auto people = (*txn)->list_people();
    REQUIRE(people.ok());
    for (const auto& p : *people) {
      auto token = api::issue_token(**txn, p.id, clock.now());
      REQUIRE(token.ok());
      tokens[p.id.value] = *token;
    }
    REQUIRE((*txn)->commit().ok());
  }

  // Runs METHOD TARGET with BODY as `person` ("" for no token).
  api::HttpResponse call(const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& person = "") {
    api::HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    if (!person.empty()) req.authorization = "Bearer " + tokens.at(person);
    auto m = api::Router::standard().match(method, req.path());
    if (auto* res = std::get_if<api::HttpResponse>(&m)) return *res;
    return api::dispatch(req, std::get<api::RouteMatch>(m), services).response;
  }

  static boost::json::value json(const api::HttpResponse& r) {
    boost::json::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    REQUIRE_MESSAGE(!ec, r.body);
    return v;
  }
  // The error code of an error response ("" if none).
  static std::string error_code(const api::HttpResponse& r) {
    auto v = json(r);
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    return std::string(v.at("error").at("code").as_string());
  }

  // A detractor response as JSON (responded_at in the past of the clock).
  static std::string response_json(const std::string& id, const std::string& customer, int score,
                                   const std::string& segment = "smb", double arr = 5000) {
    boost::json::object o;
    o["response_id"] = id;
    o["customer_id"] = customer;
    o["customer_name"] = "Customer " + customer;
    o["segment"] = segment;
    o["arr"] = arr;
    o["score"] = score;
    o["comment"] = "comment";
    o["responded_at"] = "2026-11-01T09:00:00Z";
    return boost::json::serialize(o);
  }

  api::Metrics metrics;
  api::Services services{*engine, store, &metrics};
  std::map<std::string, std::string> tokens;  // person id -> token
};

}  // namespace turnaround::testing

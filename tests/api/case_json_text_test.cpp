// case_json_text() must write exactly the bytes that serializing
// case_to_json() (plus "allowed_events") gives: the HTTP server answers GET
// /v1/cases/{id} with the former, the CLI prints the latter.
#include "api/codec/case_json.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

namespace turnaround::api {
namespace {

namespace json = boost::json;

Instant at(std::int64_t seconds) { return Instant(std::chrono::seconds(seconds)); }

std::string expected(const Case& c, Instant now, bool with_history,
                     const std::vector<std::string>* allowed) {
  json::object o = case_to_json(c, now, with_history);
  if (allowed) {
    json::array a;
    for (const auto& e : *allowed) a.emplace_back(e);
    o["allowed_events"] = std::move(a);
  }
  return json::serialize(o);
}

Case full_case() {
  Case c;
  c.id = CaseId(4711);
  c.workflow = "detractor-followup";
  c.workflow_version = 3;
  c.state = "callback";
  c.owner = PersonId("lena.owner");
  c.queue = "executive";
  c.priority = Priority::kUrgent;
  c.customer_id = CustomerId("ENT-1");
  c.customer_name = "Ärger \"GmbH\" \\ Co\n\t\x01\x1f\x7f";
  c.segment = "enterprise";
  c.arr = 300000;
  c.score = 0;
  c.responses = {ResponseId("R-1"), ResponseId("R-2")};
  c.responded_at = at(1790000000);
  c.opened_at = at(1790000100);
  c.state_entered_at = at(1790000200);
  c.version = 17;
  c.data["notes"] = Value(std::string("Charged twice / refund"));
  c.data["themes"] = Value(Value::List{"billing", "support"});
  c.data["refund"] = Value(true);
  c.data["amount"] = Value(1234.5);
  c.data["tiny"] = Value(1e-7);
  c.data["huge"] = Value(1e15);
  c.data["negative"] = Value(-42.0);
  c.data["nothing"] = Value();
  c.data["empty_list"] = Value(Value::List{});
  c.deadlines.push_back({"callback", "callback", at(1790086400), DeadlineStatus::kMissed, false,
                         std::nullopt, at(1790090000)});
  c.deadlines.push_back({"root_cause", "root_cause", at(1790186400), DeadlineStatus::kPending, false,
                         at(1790100000), std::nullopt});
  c.history.push_back({at(1790000100), "opened", "", "new", "system",
                       {{"priority", Value(std::string("urgent"))}, {"response_id", Value(std::string("R-1"))}}});
  c.history.push_back({at(1790000100), "route", "new", "callback", "system", {}});
  c.history.push_back({at(1790090000), "deadline_missed", "callback", "callback", "system",
                       {{"deadline", Value(std::string("callback"))}, {"lateness_s", Value(3600.0)}}});
  c.history.push_back({at(1790090001), "log_call", "callback", "root_cause", "lena.owner",
                       {{"callback_notes", Value(std::string("said \"no\"\r\n"))},
                        {"themes", Value(Value::List{"a\"b", "c\\d"})}}});
  return c;
}

TEST_CASE("CaseJsonText.SameBytesAsTheJsonTree") {
  const Case full = full_case();
  Case closed = full;
  closed.closed_at = at(1790200000);
  closed.owner = PersonId();
  closed.queue = "";
  closed.score.reset();
  closed.responded_at.reset();
  closed.arr = 1234.56;
  Case bare;
  bare.id = CaseId(1);
  const std::vector<std::string> none;
  const std::vector<std::string> some = {"log_call", "close_\"quoted\""};
  for (const Case* c : std::vector<const Case*>{&full, &closed, &bare}) {
    for (Instant now : {at(0), at(1790100000), at(1890000000)}) {
      for (bool history : {false, true}) {
        for (const auto* allowed : {static_cast<const std::vector<std::string>*>(nullptr), &none, &some}) {
          CAPTURE(c->id.value);
          CAPTURE(history);
          CHECK(case_json_text(*c, now, history, allowed) == expected(*c, now, history, allowed));
        }
      }
    }
  }
}

// Strings are scanned eight bytes at a time: every character that needs
// escaping, at every offset around the word boundaries, and bytes >= 0x80.
TEST_CASE("CaseJsonText.EscapesAtEveryOffset") {
  Case c;
  c.id = CaseId(1);
  const std::string specials = std::string("\"\\\b\f\n\r\t\x01\x1f", 9) + std::string(1, '\0');
  for (char special : specials) {
    for (std::size_t length = 1; length <= 20; ++length) {
      for (std::size_t at_pos = 0; at_pos < length; ++at_pos) {
        std::string text(length, 'x');
        text[at_pos] = special;
        if (length > 3) text[length - 1] = static_cast<char>(0xC3);  // a non-ASCII byte: not escaped
        c.customer_name = text;
        const std::string got = case_json_text(c, at(0), false, nullptr);
        REQUIRE_MESSAGE(got == expected(c, at(0), false, nullptr),
                        "length " << length << ", position " << at_pos << ", byte " << int(special));
      }
    }
  }
  for (int b = 0; b < 256; ++b) {
    c.customer_name = std::string(9, 'a') + static_cast<char>(b) + std::string(9, 'b');
    REQUIRE(case_json_text(c, at(0), false, nullptr) == expected(c, at(0), false, nullptr));
  }
}

TEST_CASE("CaseJsonText.IsValidJson") {
  const Case c = full_case();
  const std::vector<std::string> allowed = {"log_call"};
  json::value v = json::parse(case_json_text(c, at(1790100000), true, &allowed));
  CHECK(v.at("customer_name").as_string() == c.customer_name.c_str());
  CHECK(v.at("history").as_array().size() == 4);
  CHECK(v.at("history").at(2).at("deadline") == "callback");
  CHECK(v.at("allowed_events").at(0) == "log_call");
}

}  // namespace
}  // namespace turnaround::api

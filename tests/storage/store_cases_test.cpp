// The Store contract for cases and history, run against MemoryStore and
// SqliteStore alike.

#include <doctest/doctest.h>

#include "tests/storage/store_test_util.h"

namespace turnaround::testing {
namespace {

// A case using every field, with every kind of data value.
Case full_case() {
  Case c = sample_case("acme");
  c.owner = PersonId("maria");
  c.priority = Priority::kUrgent;
  c.responses = {ResponseId("r1"), ResponseId("r2")};
  c.data = {
      {"none", Value()},
      {"yes", Value(true)},
      {"no", Value(false)},
      {"whole", Value(42)},
      {"negative", Value(-7.25)},
      {"tenth", Value(0.1)},
      {"third", Value(1.0 / 3.0)},
      {"tiny", Value(1.1430767782883795e-192)},
      {"huge", Value(3.846094024344204e245)},
      {"big_int", Value(9007199254740993.0)},
      {"text", Value(std::string("Grüße, \"quoted\"\nline 2"))},
      {"empty_text", Value(std::string())},
      {"themes", Value(Value::List{"pricing", "support"})},
      {"no_themes", Value(Value::List{})},
  };
  CaseDeadline contact = deadline("first_contact", "2026-03-04T10:00:00Z");
  contact.paused_at = at("2026-03-03T08:00:00Z");
  CaseDeadline resolve = deadline("resolve", "2026-03-20T10:00:00Z", DeadlineStatus::kMet);
  resolve.done = true;
  resolve.resolved_at = at("2026-03-10T12:30:00Z");
  c.deadlines = {contact, resolve};
  c.history = {
      {at("2026-03-02T10:00:00Z"), "opened", "", "new", "system", {{"score", Value(2)}}},
      {at("2026-03-02T11:00:00Z"), "claimed", "new", "new", "maria", {}},
  };
  return c;
}

TEST_CASE_TEMPLATE("Store.CaseRoundTripsEveryField", F, TA_STORES) {
  F f;
  Case original = full_case();
  CaseId id;
  write(f.get(), [&](Transaction& t) { id = must(t.insert_case(original)); });
  CHECK(id.valid());
  original.id = id;

  read(f.get(), [&](Transaction& t) {
    Case loaded = must(t.load_case(id, /*with_history=*/true));
    CHECK(case_string(loaded) == case_string(original));
    CHECK(loaded.data == original.data);  // bit-exact numbers, typed values

    Case bare = must(t.load_case(id, /*with_history=*/false));
    CHECK(bare.history.empty());
  });
}

TEST_CASE_TEMPLATE("Store.CaseWithoutOptionalFields", F, TA_STORES) {
  F f;
  Case c = sample_case("bare");
  c.score.reset();
  c.responded_at.reset();
  c.responses.clear();
  c.queue = "";
  c.closed_at = at("2026-03-05T00:00:00Z");
  CaseId id;
  write(f.get(), [&](Transaction& t) { id = must(t.insert_case(c)); });
  c.id = id;
  read(f.get(),
       [&](Transaction& t) { CHECK(case_string(must(t.load_case(id, true))) == case_string(c)); });
}

TEST_CASE_TEMPLATE("Store.CaseIdsAreAssignedInOrder", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    CaseId a = must(t.insert_case(sample_case("a")));
    CaseId b = must(t.insert_case(sample_case("b")));
    CHECK(a.valid());
    CHECK(b.value > a.value);
  });
}

TEST_CASE_TEMPLATE("Store.LoadMissingCaseIsNotFound", F, TA_STORES) {
  F f;
  read(f.get(), [&](Transaction& t) {
    CHECK(t.load_case(CaseId(99), true).status().code() == StatusCode::kNotFound);
  });
}

TEST_CASE_TEMPLATE("Store.UpdateCaseWritesEveryFieldAndKeepsHistory", F, TA_STORES) {
  F f;
  CaseId id;
  write(f.get(), [&](Transaction& t) { id = must(t.insert_case(full_case())); });

  Case changed = sample_case("acme");
  changed.id = id;
  changed.state = "closed";
  changed.owner = PersonId("li");
  changed.closed_at = at("2026-03-09T00:00:00Z");
  changed.data = {{"outcome", Value(std::string("saved"))}};
  changed.version = 2;
  write(f.get(), [&](Transaction& t) { must(t.update_case(changed, 1)); });

  read(f.get(), [&](Transaction& t) {
    Case loaded = must(t.load_case(id, true));
    CHECK(loaded.history.size() == 2);  // history is append-only, not rewritten
    loaded.history.clear();
    CHECK(case_string(loaded) == case_string(changed));
  });
}

TEST_CASE_TEMPLATE("Store.UpdateWithStaleVersionIsAbortedAndChangesNothing", F, TA_STORES) {
  F f;
  CaseId id;
  write(f.get(), [&](Transaction& t) { id = must(t.insert_case(sample_case("acme"))); });
  Case first = sample_case("acme");
  first.id = id;
  first.state = "contacted";
  first.version = 2;
  write(f.get(), [&](Transaction& t) { must(t.update_case(first, 1)); });

  Case stale = first;
  stale.state = "closed";  // written by someone who loaded version 1
  stale.version = 2;
  write(f.get(), [&](Transaction& t) {
    Status s = t.update_case(stale, 1);
    CHECK(s.code() == StatusCode::kAborted);
    CHECK(s.message() == "case " + std::to_string(id.value) +
                             " was changed by someone else (version 2, expected 1)");
  });
  read(f.get(), [&](Transaction& t) {
    Case loaded = must(t.load_case(id, false));
    CHECK(loaded.state == "contacted");
    CHECK(loaded.version == 2);
  });
}

TEST_CASE_TEMPLATE("Store.UpdateMissingCaseIsNotFound", F, TA_STORES) {
  F f;
  Case c = sample_case("ghost");
  c.id = CaseId(42);
  c.version = 2;
  write(f.get(),
        [&](Transaction& t) { CHECK(t.update_case(c, 1).code() == StatusCode::kNotFound); });
}

TEST_CASE_TEMPLATE("Store.AppendHistoryKeepsOrder", F, TA_STORES) {
  F f;
  CaseId id;
  write(f.get(), [&](Transaction& t) { id = must(t.insert_case(full_case())); });
  write(f.get(), [&](Transaction& t) {
    must(t.append_history(id, {{at("2026-03-03T09:00:00Z"),
                                "contacted",
                                "new",
                                "contacted",
                                "maria",
                                {{"channel", Value(std::string("phone"))}}}}));
    must(t.append_history(
        id, {{at("2026-03-03T08:00:00Z"), "reminder", "contacted", "contacted", "system", {}}}));
  });
  read(f.get(), [&](Transaction& t) {
    Case c = must(t.load_case(id, true));
    REQUIRE(c.history.size() == 4);
    CHECK(c.history[2].event == "contacted");
    CHECK(c.history[2].data.at("channel") == Value(std::string("phone")));
    CHECK(c.history[3].event == "reminder");  // insertion order, not time order
  });
}

// Migration 10 turns case_history into a table keyed (case_id, seq): the
// entries of a database written before it keep their order within each
// case (their old ids, interleaved across cases, become the seqs), and new
// entries go after them.
TEST_CASE("Store.Migration10KeepsEachCasesHistoryInOrder") {
  auto to_unix = [](Instant t) { return t.time_since_epoch().count(); };
  TempDir dir;
  const std::string path = dir.file("m9.db");
  {
    SQLite::Database db = database_at_schema(path, 9);
    db.exec(std::string(kInsertMinimalCases) +
            "(1, 'wf', 1, 'b', 1, 'A', 'A', 'smb', 10, 100, 100, NULL, 1), "
            "(2, 'wf', 1, 'a', 1, 'B', 'B', 'smb', 20, 100, 100, NULL, 1)");
    // Ids interleave the two cases; case 1's third entry has the earliest time.
    db.exec("INSERT INTO case_history (id, case_id, at, event, from_state, to_state, actor, data) VALUES "
            "(1, 1, 100, 'opened', '', 'a', 'system', '{}'), "
            "(2, 2, 110, 'opened', '', 'a', 'system', '{}'), "
            "(3, 1, 120, 'go', 'a', 'b', 'maria', '{\"note\":\"first\"}'), "
            "(5, 2, 130, 'reminder', 'a', 'a', 'system', '{}'), "
            "(9, 1, 50, 'reminder', 'b', 'b', 'system', '{\"n\":2}')");
    // A view of the user's own over the history (a BI tool's, say).
    db.exec("CREATE VIEW bi_history AS SELECT case_id, event FROM case_history");
  }
  auto store = must(storage::SqliteStore::open(path));  // migrates to the latest
  auto events = [&](CaseId id) {
    std::string out;
    read(*store, [&](Transaction& t) {
      for (const HistoryEntry& h : must(t.load_case(id, true)).history) {
        out += h.event + "@" + std::to_string(to_unix(h.at)) + " ";
      }
    });
    return out;
  };
  CHECK(events(CaseId(1)) == "opened@100 go@120 reminder@50 ");
  CHECK(events(CaseId(2)) == "opened@110 reminder@130 ");
  read(*store, [&](Transaction& t) {
    CHECK(must(t.load_case(CaseId(1), true)).history[1].data.at("note") == Value(std::string("first")));
  });
  write(*store, [&](Transaction& t) {
    must(t.append_history(CaseId(2), {{at("2026-03-03T09:00:00Z"), "go", "a", "b", "maria", {}},
                                      {at("2026-03-03T08:00:00Z"), "late", "b", "b", "system", {}}}));
    must(t.append_history(CaseId(1), {{at("2026-03-03T07:00:00Z"), "done", "b", "c", "maria", {}}}));
  });
  CHECK(events(CaseId(1)) == "opened@100 go@120 reminder@50 done@" +
                                 std::to_string(to_unix(at("2026-03-03T07:00:00Z"))) + " ");
  CHECK(events(CaseId(2)) == "opened@110 reminder@130 go@" +
                                 std::to_string(to_unix(at("2026-03-03T09:00:00Z"))) + " late@" +
                                 std::to_string(to_unix(at("2026-03-03T08:00:00Z"))) + " ");
  SQLite::Database db(path);
  CHECK(db.execAndGet("SELECT sql FROM sqlite_schema WHERE name = 'case_history'").getString().find(
            "WITHOUT ROWID") != std::string::npos);
  CHECK(db.execAndGet("SELECT max(seq) FROM case_history WHERE case_id = 1").getInt64() == 10);
  // The view survived the migration and reads the new table.
  CHECK(db.execAndGet("SELECT count(*) FROM bi_history").getInt64() == 8);
}

TEST_CASE_TEMPLATE("Store.AppendHistoryToMissingCaseIsNotFound", F, TA_STORES) {
  F f;
  auto txn = must(f.get().begin(TxnMode::kWrite));
  CHECK(txn->append_history(CaseId(7), {{at("2026-03-03T09:00:00Z"), "x", "a", "a", "me", {}}})
            .code() == StatusCode::kNotFound);
}

TEST_CASE_TEMPLATE("Store.FindOpenCase", F, TA_STORES) {
  F f;
  CaseId open_id, closed_id;
  write(f.get(), [&](Transaction& t) {
    Case closed = sample_case("acme");
    closed.closed_at = at("2026-03-03T00:00:00Z");
    closed_id = must(t.insert_case(closed));
    open_id = must(t.insert_case(sample_case("acme")));
    must(t.insert_case(sample_case("acme", "churn_review")));
  });
  read(f.get(), [&](Transaction& t) {
    CHECK(must(t.find_open_case(CustomerId("acme"), "detractor")) == open_id);
    CHECK(!must(t.find_open_case(CustomerId("other"), "detractor")));
    CHECK(!must(t.find_open_case(CustomerId("acme"), "onboarding")));
  });
  // Closing the case makes it not open any more.
  write(f.get(), [&](Transaction& t) {
    Case c = must(t.load_case(open_id, false));
    c.closed_at = at("2026-03-04T00:00:00Z");
    c.version = 2;
    must(t.update_case(c, 1));
    CHECK(!must(t.find_open_case(CustomerId("acme"), "detractor")));
  });
  CHECK(closed_id.valid());
}

TEST_CASE_TEMPLATE("Store.OpenCaseCounts", F, TA_STORES) {
  F f;
  write(f.get(), [&](Transaction& t) {
    for (const char* owner : {"maria", "maria", "li", ""}) {
      Case c = sample_case(std::string("c-") + owner);
      c.owner = PersonId(owner);
      must(t.insert_case(c));
    }
    Case closed = sample_case("done");
    closed.owner = PersonId("li");
    closed.closed_at = at("2026-03-04T00:00:00Z");
    must(t.insert_case(closed));
    // Owners with closed cases only, before, between and after the others
    // in key order: absent from the counts.
    for (const char* owner : {"adam", "mona", "zed"}) {
      Case c = sample_case(std::string("closed-") + owner);
      c.owner = PersonId(owner);
      c.closed_at = at("2026-03-04T00:00:00Z");
      must(t.insert_case(c));
    }
  });
  read(f.get(), [&](Transaction& t) {
    auto counts = must(t.open_case_counts());
    CHECK(counts == std::map<PersonId, int>{{PersonId("li"), 1}, {PersonId("maria"), 2}});
  });
  // A new owner with an open case appears.
  write(f.get(), [&](Transaction& t) {
    Case c = sample_case("c-new");
    c.owner = PersonId("bob");
    must(t.insert_case(c));
  });
  read(f.get(), [&](Transaction& t) {
    auto counts = must(t.open_case_counts());
    CHECK(counts == std::map<PersonId, int>{{PersonId("bob"), 1}, {PersonId("li"), 1}, {PersonId("maria"), 2}});
  });
}

}  // namespace
}  // namespace turnaround::testing

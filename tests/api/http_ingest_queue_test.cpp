// Group commit (api/http/ingest_queue.h): requests queued while a batch
// runs share the next transaction, each gets its own items' results, and a
// failed commit fails exactly the requests of that batch.
#include "api/http/ingest_queue.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "tests/api/http_test_util.h"

namespace turnaround::testing {
namespace {

using api::IngestQueue;
using api::IntakePlan;

// Forwards to a store; write transactions fail while `fail` is set.
class FlakyStore final : public Store {
 public:
  explicit FlakyStore(Store& inner) : inner_(inner) {}
  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override {
    if (mode == TxnMode::kWrite && fail) return unavailable("injected: database busy");
    return inner_.begin(mode);
  }
  std::atomic<bool> fail{false};

 private:
  Store& inner_;
};

std::shared_ptr<const IntakePlan> plan_of(ApiFixture& f, const std::vector<std::string>& ids,
                                          int score = 5) {
  auto plan = std::make_shared<IntakePlan>();
  plan->rejected.resize(ids.size());
  plan->ids = ids;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    plan->responses.push_back({static_cast<std::int64_t>(i), f.response(ids[i], "C-" + ids[i], score)});
  }
  return plan;
}

struct Batches {
  std::mutex mutex;
  std::vector<std::pair<std::size_t, std::size_t>> seen;  // items, requests
  IngestQueue::OnBatch recorder() {
    return [this](std::size_t items, std::size_t requests, bool) {
      std::lock_guard lock(mutex);
      seen.emplace_back(items, requests);
    };
  }
};

TEST_CASE("IngestQueue.RequestsQueuedDuringABatchShareOneCommit") {
  ApiFixture f;
  Batches batches;
  IngestQueue queue(*f.engine, {}, batches.recorder());
  std::vector<std::future<IngestQueue::Results>> results;
  auto submit = [&](std::shared_ptr<const IntakePlan> plan) {
    auto promise = std::make_shared<std::promise<IngestQueue::Results>>();
    results.push_back(promise->get_future());
    queue.submit(std::move(plan), [promise](IngestQueue::Results r) { promise->set_value(std::move(r)); });
  };
  {
    // Hold the store: the first batch waits in begin() while 50 more
    // requests queue up behind it.
    auto held = f.store.begin(TxnMode::kWrite);
    REQUIRE(held.ok());
    submit(plan_of(f, {"A0"}));
    // Wait (no timing assumption) until the worker has taken A0 into its
    // batch: it is then blocked in begin() behind `held`.
    for (int i = 0; queue.queued_items() != 0; ++i) {
      REQUIRE_MESSAGE(i < 60000, "the worker never took the first request");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (int i = 1; i <= 50; ++i) submit(plan_of(f, {"A" + std::to_string(i), "B" + std::to_string(i)}));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto r = results[i].get();
    REQUIRE_MESSAGE(r.ok(), r.status().to_string());
    REQUIRE(r->size() == (i == 0 ? 1u : 2u));
    for (std::size_t k = 0; k < r->size(); ++k) {
      CHECK((*r)[k].line == static_cast<std::int64_t>(k));  // the item's index in its request
      CHECK((*r)[k].outcome == IntakeOutcome::kOpened);
    }
  }
  queue.stop();
  std::lock_guard lock(batches.mutex);
  REQUIRE(batches.seen.size() == 2);
  CHECK(batches.seen[0] == std::pair<std::size_t, std::size_t>(1, 1));
  CHECK(batches.seen[1] == std::pair<std::size_t, std::size_t>(100, 50));
  CHECK(f.engine->list_cases({})->size() == 101);
}

TEST_CASE("IngestQueue.BatchesRespectTheItemCap") {
  ApiFixture f;
  Batches batches;
  api::IngestQueueOptions options;
  options.max_batch_items = 10;
  IngestQueue queue(*f.engine, options, batches.recorder());
  std::atomic<int> done{0};
  {
    auto held = f.store.begin(TxnMode::kWrite);
    REQUIRE(held.ok());
    for (int i = 0; i < 9; ++i) {
      queue.submit(plan_of(f, {"X" + std::to_string(i), "Y" + std::to_string(i), "Z" + std::to_string(i)}),
                   [&](IngestQueue::Results r) {
                     CHECK(r.ok());
                     ++done;
                   });
    }
  }
  queue.stop();  // drains
  CHECK(done == 9);
  for (const auto& [items, requests] : batches.seen) CHECK(items <= 10);
}

TEST_CASE("IngestQueue.AFailedCommitFailsItsBatchOnly") {
  ApiFixture f;
  FlakyStore flaky(f.store);
  Engine engine(flaky, f.clock, f.config->company, f.config->registry);
  IngestQueue queue(engine);
  flaky.fail = true;
  std::promise<IngestQueue::Results> failed;
  queue.submit(plan_of(f, {"F1"}), [&](IngestQueue::Results r) { failed.set_value(std::move(r)); });
  auto r = failed.get_future().get();
  CHECK(r.status().code() == StatusCode::kUnavailable);
  flaky.fail = false;
  std::promise<IngestQueue::Results> ok;
  queue.submit(plan_of(f, {"F1"}), [&](IngestQueue::Results r2) { ok.set_value(std::move(r2)); });
  auto r2 = ok.get_future().get();
  REQUIRE(r2.ok());
  CHECK((*r2)[0].outcome == IntakeOutcome::kOpened);  // not a duplicate: the failed batch stored nothing
}

TEST_CASE("IngestQueue.RefusesWhenFullOrStopped") {
  ApiFixture f;
  api::IngestQueueOptions options;
  options.max_queued_items = 2;
  IngestQueue queue(*f.engine, options);
  std::vector<StatusCode> codes;
  std::mutex m;
  auto record = [&](IngestQueue::Results r) {
    std::lock_guard lock(m);
    codes.push_back(r.ok() ? StatusCode::kOk : r.status().code());
  };
  {
    auto held = f.store.begin(TxnMode::kWrite);
    REQUIRE(held.ok());
    queue.submit(plan_of(f, {"Q1"}), record);  // taken by the worker (blocked)
    for (int i = 0; queue.queued_items() != 0; ++i) {
      REQUIRE_MESSAGE(i < 60000, "the worker never took the first request");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    queue.submit(plan_of(f, {"Q2", "Q3"}), record);       // queued: 2 items
    queue.submit(plan_of(f, {"Q4"}), record);             // over the cap
    std::lock_guard lock(m);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0] == StatusCode::kUnavailable);
  }
  queue.stop();
  queue.submit(plan_of(f, {"Q5"}), record);
  std::lock_guard lock(m);
  REQUIRE(codes.size() == 4);
  CHECK(codes[1] == StatusCode::kOk);
  CHECK(codes[2] == StatusCode::kOk);
  CHECK(codes[3] == StatusCode::kUnavailable);
}

}  // namespace
}  // namespace turnaround::testing

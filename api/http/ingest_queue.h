#pragma once
// IngestQueue: group commit for POST /v1/responses and /v1/churn-events.
//
// With synchronous=FULL every commit waits for the disk (an fsync), so one
// commit per request would cap ingest at the disk's fsync rate. Instead,
// requests queue their items here, and one worker thread repeatedly takes
// everything pending of one kind (up to max_batch_items) and makes a single
// Engine::ingest_responses / ingest_churn call for it: one transaction, one
// fsync, for many requests. Each request then gets its own items' results.
//
// Semantics per request are those of a lone Engine call: an item is
// accepted or rejected on its own (validation errors never fail others); a
// storage failure fails the whole batch, i.e. every request in it, and
// commits nothing (the Engine call is one transaction), so a request's
// callback reports success only after its items are durable.
//
// Order: jobs run in submission order; a batch holds consecutive jobs of one
// kind, and never splits a job.
//
// Thread-safety: submit() may be called from any thread; callbacks run on
// the worker thread and must not block for long.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "api/http/handlers.h"
#include "engine/engine.h"

namespace turnaround::api {

struct IngestQueueOptions {
  // Most items in one transaction (a job larger than this runs alone).
  // Default 2000.
  std::size_t max_batch_items = 2000;
  // Items waiting beyond which submit() refuses with kUnavailable, so an
  // overloaded server sheds load instead of queueing without bound.
  // Default 200,000.
  std::size_t max_queued_items = 200000;
};

class IngestQueue {
 public:
  using Results = Result<std::vector<IntakeItemResult>>;
  // Called once per job with its items' results (`line` = the item's index
  // in its request, as in the plan) or the batch's failure.
  using Done = std::function<void(Results)>;
  // Called after every batch: items, requests, whether it committed.
  using OnBatch = std::function<void(std::size_t items, std::size_t requests, bool ok)>;

  // Starts the worker thread. REQUIRES: `engine` outlives the queue.
  IngestQueue(Engine& engine, IngestQueueOptions options = {}, OnBatch on_batch = {});
  // stop().
  ~IngestQueue();

  IngestQueue(const IngestQueue&) = delete;
  IngestQueue& operator=(const IngestQueue&) = delete;

  // Queues the Engine items of `plan` (which must have some). `done` is
  // called exactly once: from the worker, or at once (on this thread) with
  // kUnavailable if the queue is full or stopped.
  void submit(std::shared_ptr<const IntakePlan> plan, Done done);

  // Items queued and not yet taken into a batch by the worker.
  std::size_t queued_items();

  // Finishes every queued job, then joins the worker. Idempotent.
  // REQUIRES: not called from a callback, nor from two threads at once.
  void stop();

 private:
  struct Job {
    std::shared_ptr<const IntakePlan> plan;
    Done done;
  };
  void run();
  void run_batch(std::vector<Job>& batch);

  Engine& engine_;
  const IngestQueueOptions options_;
  const OnBatch on_batch_;

  std::mutex mutex_;
  std::condition_variable wake_;
  // Guarded by mutex_.
  std::deque<Job> jobs_;
  std::size_t queued_items_ = 0;
  bool stopping_ = false;

  std::thread worker_;  // last: starts after everything above exists
};

}  // namespace turnaround::api

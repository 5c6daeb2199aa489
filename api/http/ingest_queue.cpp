#include "api/http/ingest_queue.h"

#include <exception>

#include "api/http/thread_name.h"

namespace turnaround::api {

IngestQueue::IngestQueue(Engine& engine, IngestQueueOptions options, OnBatch on_batch)
    : engine_(engine),
      options_(options),
      on_batch_(std::move(on_batch)),
      worker_([this] { run(); }) {}

IngestQueue::~IngestQueue() { stop(); }

void IngestQueue::submit(std::shared_ptr<const IntakePlan> plan, Done done) {
  const std::size_t items = plan->engine_items();
  bool stopping;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
    if (!stopping && queued_items_ + items <= options_.max_queued_items) {
      queued_items_ += items;
      jobs_.push_back(Job{std::move(plan), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(unavailable(stopping ? "the server is shutting down"
                            : "too much ingest is queued; retry later"));
}

void IngestQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (worker_.joinable()) worker_.join();
}

std::size_t IngestQueue::queued_items() {
  std::lock_guard lock(mutex_);
  return queued_items_;
}

void IngestQueue::run() {
  name_this_thread("ta-ingest");
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      const RecordKind kind = jobs_.front().plan->kind;
      std::size_t items = 0;
      while (!jobs_.empty() && jobs_.front().plan->kind == kind) {
        const std::size_t n = jobs_.front().plan->engine_items();
        if (!batch.empty() && items + n > options_.max_batch_items) break;
        items += n;
        batch.push_back(std::move(jobs_.front()));
        jobs_.pop_front();
      }
      queued_items_ -= items;
    }
    run_batch(batch);
  }
}

void IngestQueue::run_batch(std::vector<Job>& batch) {
  // One Engine call for the whole batch; items are renumbered 0..n-1 so the
  // results can be handed back by position.
  const bool responses = batch.front().plan->kind == RecordKind::kResponse;
  std::vector<Numbered<Response>> all_responses;
  std::vector<Numbered<ChurnEvent>> all_churn;
  std::int64_t n = 0;
  for (const Job& job : batch) {
    for (const auto& r : job.plan->responses) all_responses.push_back({n++, r.item});
    for (const auto& c : job.plan->churn) all_churn.push_back({n++, c.item});
  }
  Results results = internal_error("ingest did not run");
  try {
    results = responses ? engine_.ingest_responses(all_responses) : engine_.ingest_churn(all_churn);
  } catch (const std::exception& e) {
    results = internal_error(std::string("ingest failed: ") + e.what());
  }
  if (results.ok() && static_cast<std::int64_t>(results->size()) != n) {
    results = internal_error("ingest returned " + std::to_string(results->size()) +
                             " results for " + std::to_string(n) + " items");
  }
  if (on_batch_) on_batch_(static_cast<std::size_t>(n), batch.size(), results.ok());
  std::size_t next = 0;
  for (Job& job : batch) {
    if (!results.ok()) {
      job.done(results.status());
      continue;
    }
    std::vector<IntakeItemResult> mine;
    const auto& lines = job.plan->responses;
    const std::size_t count = job.plan->engine_items();
    mine.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      IntakeItemResult r = std::move((*results)[next++]);
      r.line = responses ? lines[i].line : job.plan->churn[i].line;
      mine.push_back(std::move(r));
    }
    job.done(std::move(mine));
  }
}

}  // namespace turnaround::api

#include "api/http/io_threads.h"

#include <thread>

#include "api/http/thread_name.h"

namespace turnaround::api {

namespace asio = boost::asio;

IoThreads::IoThreads(int threads) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread.
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

IoThreads::~IoThreads() = default;

asio::any_io_executor IoThreads::next_executor() {
  const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size();
  return contexts_[i]->get_executor();
}

void IoThreads::run(const char* thread_name) {
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    others.emplace_back([this, i, thread_name] {
      name_this_thread(thread_name);
      contexts_[i]->run();
    });
  }
  contexts_.front()->run();
  for (auto& t : others) t.join();
}

void IoThreads::release() {
  std::lock_guard lock(mutex_);
  for (auto& g : guards_) g.reset();
}

void IoThreads::stop() {
  release();
  for (auto& c : contexts_) c->stop();
}

}  // namespace turnaround::api

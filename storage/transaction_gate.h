#pragma once
// TransactionGate: the store-wide lock that serialises the transactions of
// one store (SqliteStore, MemoryStore). A Transaction holds it for its whole
// life. Internal to storage/.
//
// It remembers which thread holds it, so that the classic mistake
//   txn = store.begin(kWrite);   // while the previous txn is still alive
// fails loudly (assert in debug builds, kInternal otherwise) instead of the
// thread waiting for itself forever.

#include <atomic>
#include <cassert>
#include <mutex>
#include <optional>
#include <thread>

namespace turnaround::storage {

class TransactionGate {
 public:
  // Proof of holding the gate; releases it on destruction. Movable.
  class Hold {
   public:
    Hold(Hold&& other) noexcept = default;
    Hold& operator=(Hold&&) = delete;
    ~Hold() {
      if (lock_.owns_lock()) gate_->owner_.store(std::thread::id());
    }

   private:
    friend class TransactionGate;
    explicit Hold(TransactionGate& gate) : gate_(&gate), lock_(gate.mutex_) {
      gate.owner_.store(std::this_thread::get_id());
    }
    TransactionGate* gate_;
    std::unique_lock<std::mutex> lock_;
  };

  // Blocks until no other transaction holds the gate. Returns nullopt
  // (after an assert) if the calling thread already holds it.
  std::optional<Hold> enter() {
    if (held_by_this_thread()) {
      assert(false && "begin() while this thread still holds a transaction of the store");
      return std::nullopt;
    }
    return Hold(*this);
  }

  bool held_by_this_thread() const { return owner_.load() == std::this_thread::get_id(); }

 private:
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
};

// The message for enter() returning nullopt.
inline constexpr const char* kNestedTransaction =
    "begin: this thread still holds a live transaction of the same store (destroy or "
    "commit-and-destroy it first); waiting would deadlock";

}  // namespace turnaround::storage

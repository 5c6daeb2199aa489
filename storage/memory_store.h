#pragma once
// MemoryStore: an in-memory Store (engine/store.h) with the semantics of
// SqliteStore, for fast engine tests and simulations, as leveldb's memenv is
// for its Env. Nothing is durable.
//
// Same behaviour as SqliteStore: duplicate responses and churn events return
// false; a stale version on update_case is kAborted and writes nothing;
// timers are due in (due_at, id) order and fire once; a timer or history
// entry for a missing case is kNotFound; a duplicate workflow version is
// kAlreadyExists; ids are assigned 1, 2, 3, ... and list_cases is ordered by
// id. Destroying a Transaction without commit() discards all its writes.
//
// Transactions: begin() locks a mutex that the Transaction holds until it is
// destroyed, so transactions run one at a time (like SqliteStore). A
// transaction reads the committed state directly until its first write,
// which copies the whole state; commit() swaps the copy in. Cost: one copy
// per writing transaction, O(size of the store): fine for tests, not for
// large simulations.
//
// Thread-safety: safe to share between threads. REQUIRES: a Transaction is
// destroyed on the thread that began it. begin() on a thread that still
// holds a Transaction of the same store is kInternal (an assert in debug
// builds), not a deadlock.

#include <memory>
#include <vector>

#include "engine/store.h"
#include "storage/transaction_gate.h"

namespace turnaround::storage {

class MemoryStore final : public Store {
 public:
  MemoryStore();
  // REQUIRES: no Transaction of this store is still alive.
  ~MemoryStore() override;

  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Never fails. REQUIRES: the store outlives the returned Transaction.
  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override;

  // Committed notifications, oldest first (the outbox has no reader in the
  // Store interface yet; tests inspect it here). Blocks while another
  // thread's transaction is live. REQUIRES: this thread holds none.
  std::vector<Notification> notifications() const;

  struct State;  // all tables; defined in memory_store.cpp

 private:
  class Txn;

  // Guarded by gate_, which the live Transaction holds.
  mutable TransactionGate gate_;
  std::unique_ptr<State> state_;
};

}  // namespace turnaround::storage

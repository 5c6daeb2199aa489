#pragma once
// SnapshotStore: one read transaction shared by everything a read-only
// request does. The server runs each GET with it: authentication, the
// handler's Engine calls (get_case, allowed_events, list_cases, ...) all
// begin "their" read transaction, and get a borrowed view of the same one.
//
// Why: a SQLite read transaction costs system calls (file locks, a size
// check) on begin and end, and a GET used three; sharing one also gives
// the request a single consistent snapshot.
//
// A borrowed transaction forwards every read; a write through it is
// kInternal (a read-only request that writes is a bug), and so is
// begin(kWrite). The underlying transaction is begun on first use and
// ended when the SnapshotStore is destroyed.
//
// Thread-safety: one thread (the request's). REQUIRES: `base` outlives it,
// and every borrowed Transaction is destroyed before it.

#include <memory>
#include <string>

#include "engine/store.h"

namespace turnaround::api {

class SnapshotStore final : public Store {
 public:
  explicit SnapshotStore(Store& base) : base_(base) {}

  Result<std::unique_ptr<Transaction>> begin(TxnMode mode) override;

 private:
  Store& base_;
  std::unique_ptr<Transaction> txn_;  // begun on first use
};

}  // namespace turnaround::api

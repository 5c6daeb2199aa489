#include "api/http/store_pool.h"

#include <algorithm>
#include <cstdint>

namespace turnaround::api {

Result<std::unique_ptr<ReadPoolStore>> ReadPoolStore::open(const std::string& path, int readers,
                                                           const storage::SqliteOptions& options) {
  std::unique_ptr<ReadPoolStore> pool(new ReadPoolStore());
  TA_ASSIGN_OR_RETURN(pool->writer_, storage::SqliteStore::open(path, options));
  storage::SqliteOptions reader_options = options;
  reader_options.create_if_missing = false;
  reader_options.cache_mib = std::max(4, options.cache_mib / 4);
  for (int i = 0; i < std::max(1, readers); ++i) {
    TA_ASSIGN_OR_RETURN(auto reader, storage::SqliteStore::open(path, reader_options));
    pool->readers_.push_back(std::move(reader));
  }
  return pool;
}

storage::SqliteStore& ReadPoolStore::reader() {
  // The thread's reader, chosen on its first read. (One pool per process in
  // practice; with several, a thread reuses its slot number modulo size.)
  thread_local std::size_t slot = SIZE_MAX;
  if (slot == SIZE_MAX) slot = next_reader_.fetch_add(1);
  return *readers_[slot % readers_.size()];
}

Result<std::unique_ptr<Transaction>> ReadPoolStore::begin(TxnMode mode) {
  if (mode == TxnMode::kWrite) return writer_->begin(mode);
  return reader().begin(mode);
}

Result<std::unique_ptr<Transaction>> ReadPoolStore::begin_kept_read() { return reader().begin_kept_read(); }

void ReadPoolStore::end_kept_read() { reader().end_kept_read(); }

}  // namespace turnaround::api

// The WAL-coalescing VFS (wal_coalescing_vfs.h): a shim over the default
// VFS in the manner of SQLite's own test shims (vfstrace.c): every VFS
// method forwards to the default VFS; xOpen wraps WAL files in WalFile and
// main database files in DbFile (which forwards everything, and flushes its
// connection's WAL at the two moments below), and opens every other file
// directly as the default VFS's own file.

#include "storage/wal_coalescing_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace turnaround::storage {

namespace {

constexpr const char* kVfsName = "turnaround-wal-coalescing";
// Largest buffer: beyond it the gathered bytes are written out and a new
// run begins (a bulk import's commit can be tens of MiB).
constexpr std::size_t kBufferBytes = 4u << 20;
// Largest write handed to the default VFS at once: the unix VFS writes at
// most 128 KiB - 1 per call (it masks the length with 0x1ffff, as no page
// is larger), so the buffer goes out in pieces of this size.
constexpr std::size_t kMaxWriteBytes = 124u << 10;

std::atomic<std::uint64_t> g_writes{0};
std::atomic<std::uint64_t> g_file_writes{0};

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

struct DbFile;

// What both wrapped kinds of file start with: SQLite's handle (base), and
// the default VFS's file, which lives in the same allocation at
// kRealFileOffset (the VFS's szOsFile makes room for both).
struct Wrapped {
  sqlite3_file base;
  sqlite3_file* real;
};

// A WAL file. `pending` holds bytes for the file starting at offset
// `start`. `db` is the main database file of the same connection, if it
// was opened through this VFS.
struct WalFile {
  Wrapped head;
  std::vector<char>* pending;
  sqlite3_int64 start;
  DbFile* db;
};

// A main database file. `name` is the filename SQLite opened it with (the
// key that finds it from its WAL: a WAL's name lives in the same
// allocation, see sqlite3_filename_database); `wal` is the connection's WAL
// file once open.
struct DbFile {
  Wrapped head;
  const char* name;
  WalFile* wal;
};

// Where the default VFS's file starts in either allocation.
constexpr std::size_t kRealFileOffset = (std::max(sizeof(WalFile), sizeof(DbFile)) + 7) / 8 * 8;

// The main database files open through this VFS, by their name pointer:
// each connection has its own, so a WAL finds the database file of its own
// connection. Guarded by open_files_mutex().
std::mutex& open_files_mutex() {
  static auto* m = new std::mutex();
  return *m;
}
std::unordered_map<const char*, DbFile*>& open_databases() {
  // Never destroyed: a connection closed by a static destructor still finds it.
  static auto* m = new std::unordered_map<const char*, DbFile*>();
  return *m;
}

// The default VFS's file behind a wrapped one, and its methods.
sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<Wrapped*>(f)->real; }
const sqlite3_io_methods* real_io(sqlite3_file* f) { return real_of(f)->pMethods; }

// The methods a wrapper leaves as they are: forwarded to the default VFS's
// file (the shared-memory and mapping ones only where it has them).
int fwd_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return real_io(f)->xRead(real_of(f), out, amount, offset);
}
int fwd_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return real_io(f)->xWrite(real_of(f), data, amount, offset);
}
int fwd_truncate(sqlite3_file* f, sqlite3_int64 size) { return real_io(f)->xTruncate(real_of(f), size); }
int fwd_sync(sqlite3_file* f, int flags) { return real_io(f)->xSync(real_of(f), flags); }
int fwd_file_size(sqlite3_file* f, sqlite3_int64* size) { return real_io(f)->xFileSize(real_of(f), size); }
int fwd_lock(sqlite3_file* f, int level) { return real_io(f)->xLock(real_of(f), level); }
int fwd_unlock(sqlite3_file* f, int level) { return real_io(f)->xUnlock(real_of(f), level); }
int fwd_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_io(f)->xCheckReservedLock(real_of(f), out);
}
int fwd_file_control(sqlite3_file* f, int op, void* arg) {
  return real_io(f)->xFileControl(real_of(f), op, arg);
}
int fwd_sector_size(sqlite3_file* f) { return real_io(f)->xSectorSize(real_of(f)); }
int fwd_device_characteristics(sqlite3_file* f) { return real_io(f)->xDeviceCharacteristics(real_of(f)); }
int fwd_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  if (real_io(f)->iVersion < 2) return SQLITE_IOERR;
  return real_io(f)->xShmMap(real_of(f), region, size, extend, out);
}
int fwd_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  if (real_io(f)->iVersion < 2) return SQLITE_IOERR;
  return real_io(f)->xShmLock(real_of(f), offset, n, flags);
}
void fwd_shm_barrier(sqlite3_file* f) {
  if (real_io(f)->iVersion >= 2) real_io(f)->xShmBarrier(real_of(f));
}
int fwd_shm_unmap(sqlite3_file* f, int remove) {
  if (real_io(f)->iVersion < 2) return SQLITE_OK;
  return real_io(f)->xShmUnmap(real_of(f), remove);
}
int fwd_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  if (real_io(f)->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return real_io(f)->xFetch(real_of(f), offset, amount, out);
}
int fwd_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  if (real_io(f)->iVersion < 3) return SQLITE_OK;
  return real_io(f)->xUnfetch(real_of(f), offset, page);
}

// Opens the default VFS's file into `head`'s allocation. SQLite's handle
// keeps no methods until the caller sets them on success: SQLite then
// skips xClose after a failed open.
int open_real(sqlite3_vfs* real, sqlite3_filename name, Wrapped* head, int flags, int* out_flags) {
  head->base.pMethods = nullptr;
  head->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(head) + kRealFileOffset);
  const int rc = real->xOpen(real, name, head->real, flags, out_flags);
  if (rc != SQLITE_OK && head->real->pMethods) head->real->pMethods->xClose(head->real);
  return rc;
}

// --- WAL files: writes gathered.

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
sqlite3_file* file_of(WalFile* w) { return &w->head.base; }

// Writes `bytes` at `offset` to the default VFS's file, in pieces of at
// most kMaxWriteBytes.
int write_out(WalFile* w, const char* data, std::size_t bytes, sqlite3_int64 offset) {
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxWriteBytes);
    g_file_writes.fetch_add(1, std::memory_order_relaxed);
    const int rc = fwd_write(file_of(w), data + done, static_cast<int>(n),
                             offset + static_cast<sqlite3_int64>(done));
    if (rc != SQLITE_OK) return rc;
    done += n;
  }
  return SQLITE_OK;
}

// Writes what is gathered. On failure the bytes stay gathered: SQLite
// believes them written (a statement that fails here may be undone alone,
// and its transaction go on to commit them), so a later flush retries.
int flush(WalFile* w) {
  std::vector<char>& p = *w->pending;
  if (p.empty()) return SQLITE_OK;
  const int rc = write_out(w, p.data(), p.size(), w->start);
  if (rc == SQLITE_OK) p.clear();
  return rc;
}

// At the end of a write transaction or of the file, where SQLite no longer
// needs what is gathered: written if it can be, dropped either way.
void flush_or_drop(WalFile* w) {
  (void)flush(w);
  w->pending->clear();
}

int wal_close(sqlite3_file* f) {
  WalFile* w = wal(f);
  {
    std::lock_guard lock(open_files_mutex());
    if (w->db) w->db->wal = nullptr;
    w->db = nullptr;
  }
  const int flushed = flush(w);
  w->pending->clear();
  const int rc = real_io(f)->xClose(real_of(f));
  delete w->pending;
  w->pending = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

int wal_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  WalFile* w = wal(f);
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return fwd_read(f, out, amount, offset);
}

int gather(WalFile* w, const void* data, int amount, sqlite3_int64 offset);

int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* w = wal(f);
  g_writes.fetch_add(1, std::memory_order_relaxed);
  try {
    return gather(w, data, amount, offset);
  } catch (const std::bad_alloc&) {
    // No memory for the buffer (reserved once, on the first write): write
    // what is gathered, then this, straight through.
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    g_file_writes.fetch_add(1, std::memory_order_relaxed);
    return fwd_write(f, data, amount, offset);
  }
}

// wal_write's work: append to the buffer, patch it, or flush and restart it.
int gather(WalFile* w, const void* data, int amount, sqlite3_int64 offset) {
  std::vector<char>& p = *w->pending;
  const auto bytes = static_cast<std::size_t>(amount);
  const char* in = static_cast<const char*>(data);
  if (!p.empty()) {
    const sqlite3_int64 end = w->start + static_cast<sqlite3_int64>(p.size());
    if (offset == end && p.size() + bytes <= kBufferBytes) {
      p.insert(p.end(), in, in + bytes);
      return SQLITE_OK;
    }
    if (offset >= w->start && offset + amount <= end) {
      // A frame of this transaction written again (SQLite rewrites a page
      // it spilled earlier): patch it in place.
      std::memcpy(p.data() + (offset - w->start), in, bytes);
      return SQLITE_OK;
    }
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
  }
  if (bytes >= kBufferBytes) return write_out(w, in, bytes, offset);
  if (p.capacity() == 0) p.reserve(kBufferBytes);
  w->start = offset;
  p.assign(in, in + bytes);
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
  WalFile* w = wal(f);
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return fwd_truncate(f, size);
}

int wal_sync(sqlite3_file* f, int flags) {
  WalFile* w = wal(f);
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return fwd_sync(f, flags);
}

int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
  WalFile* w = wal(f);
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return fwd_file_size(f, size);
}

int wal_file_control(sqlite3_file* f, int op, void* arg) {
  WalFile* w = wal(f);
  // SQLite 3.40 sends none to a WAL (size hints and chunk sizes go to the
  // database file); should one come, it sees every byte gathered.
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return fwd_file_control(f, op, arg);
}

// Memory mapping belongs to database files: a WAL is read with xRead.
int wal_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  *out = nullptr;  // no mapping: SQLite reads with xRead instead
  (void)f, (void)offset, (void)amount;
  return SQLITE_OK;
}
int wal_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  (void)f, (void)offset, (void)page;
  return SQLITE_OK;
}

const sqlite3_io_methods kWalMethods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    fwd_lock,
    fwd_unlock,
    fwd_check_reserved_lock,
    wal_file_control,
    fwd_sector_size,
    fwd_device_characteristics,
    fwd_shm_map,
    fwd_shm_lock,
    fwd_shm_barrier,
    fwd_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

// --- Main database files: everything forwarded, plus two flushes of the
// connection's WAL.

DbFile* dbf(sqlite3_file* f) { return reinterpret_cast<DbFile*>(f); }

int db_close(sqlite3_file* f) {
  DbFile* d = dbf(f);
  {
    std::lock_guard lock(open_files_mutex());
    if (d->wal) d->wal->db = nullptr;
    d->wal = nullptr;
    open_databases().erase(d->name);
  }
  return real_io(f)->xClose(real_of(f));
}
int db_unlock(sqlite3_file* f, int level) {
  DbFile* d = dbf(f);
  // Leaving an exclusive lock on the file (locking_mode=EXCLUSIVE, where
  // SQLite takes no WAL locks in shared memory) ends this connection's
  // claim on the WAL too: nothing may stay gathered past it.
  if (level < SQLITE_LOCK_EXCLUSIVE && d->wal) flush_or_drop(d->wal);
  return fwd_unlock(f, level);
}
// Offset 0 of the WAL's shared-memory locks is its write lock
// (WAL_WRITE_LOCK in SQLite's wal.c).
constexpr int kWalWriteLock = 0;

int db_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  DbFile* d = dbf(f);
  if ((flags & SQLITE_SHM_UNLOCK) && offset == kWalWriteLock && d->wal) {
    // The connection ends a write transaction. A committed one synced (so
    // flushed) already; what is still gathered is the frames of one rolled
    // back after it spilled pages. SQLite would have written them by now,
    // beyond the WAL's end: write them while this connection still holds
    // the lock. Written later, they would land on frames that another
    // writer commits at the same offsets in the meantime. Their failure to
    // be written loses nothing (SQLite ignores the result of this unlock).
    flush_or_drop(d->wal);
  }
  return fwd_shm_lock(f, offset, n, flags);
}
void db_shm_barrier(sqlite3_file* f) {
  DbFile* d = dbf(f);
  // SQLite calls this between the two copies of the WAL index header it
  // writes to publish a commit, before readers can accept it: every frame
  // gathered reaches the file first. (A failure here cannot fail the
  // commit, which is why the VFS is for synchronous=FULL: there the
  // commit's sync flushed, and reported a failure, already.)
  if (d->wal) (void)flush(d->wal);
  fwd_shm_barrier(f);
}
const sqlite3_io_methods kDbMethods = {
    3,
    db_close,
    fwd_read,
    fwd_write,
    fwd_truncate,
    fwd_sync,
    fwd_file_size,
    fwd_lock,
    db_unlock,
    fwd_check_reserved_lock,
    fwd_file_control,
    fwd_sector_size,
    fwd_device_characteristics,
    fwd_shm_map,
    db_shm_lock,
    db_shm_barrier,
    fwd_shm_unmap,
    fwd_fetch,
    fwd_unfetch,
};

int open_database(sqlite3_vfs* real, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  DbFile* d = dbf(f);
  d->name = name;
  d->wal = nullptr;
  if (int rc = open_real(real, name, &d->head, flags, out_flags); rc != SQLITE_OK) return rc;
  {
    std::lock_guard lock(open_files_mutex());
    open_databases()[name] = d;
  }
  d->head.base.pMethods = &kDbMethods;
  return SQLITE_OK;
}

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  sqlite3_vfs* real = real_vfs(vfs);
  if ((flags & SQLITE_OPEN_MAIN_DB) && name) return open_database(real, name, f, flags, out_flags);
  if (!(flags & SQLITE_OPEN_WAL)) {
    // Neither: the default VFS's own file, in place (our szOsFile is
    // larger than its own).
    return real->xOpen(real, name, f, flags, out_flags);
  }
  WalFile* w = wal(f);
  w->head.base.pMethods = nullptr;  // SQLite skips xClose if this open fails
  w->pending = new (std::nothrow) std::vector<char>();
  if (!w->pending) return SQLITE_NOMEM;
  w->start = 0;
  w->db = nullptr;
  if (int rc = open_real(real, name, &w->head, flags, out_flags); rc != SQLITE_OK) {
    delete w->pending;
    w->pending = nullptr;
    return rc;
  }
  if (name) {
    // SQLite keeps a connection's database, journal and WAL names in one
    // allocation: the WAL's name leads to the pointer its database file was
    // opened with.
    std::lock_guard lock(open_files_mutex());
    auto it = open_databases().find(sqlite3_filename_database(name));
    if (it != open_databases().end() && !it->second->wal) {
      w->db = it->second;
      it->second->wal = w;
    }
  }
  w->head.base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) { return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name); }
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) { real_vfs(vfs)->xDlError(real_vfs(vfs), n, out); }
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) { real_vfs(vfs)->xDlClose(real_vfs(vfs), handle); }
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), n, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) { return real_vfs(vfs)->xSleep(real_vfs(vfs), micros); }
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), n, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}
int vfs_set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return real_vfs(vfs)->xSetSystemCall(real_vfs(vfs), name, call);
}
sqlite3_syscall_ptr vfs_get_system_call(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xGetSystemCall(real_vfs(vfs), name);
}
const char* vfs_next_system_call(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xNextSystemCall(real_vfs(vfs), name);
}

sqlite3_vfs* make_vfs() {
  sqlite3_initialize();
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (!real) throw std::runtime_error("SQLite has no default VFS");
  auto owned = std::make_unique<sqlite3_vfs>();
  sqlite3_vfs* vfs = owned.get();
  // Version 2 at least (xCurrentTimeInt64), version 3 if the default has
  // the system-call methods.
  vfs->iVersion = real->iVersion >= 3 ? 3 : 2;
  vfs->szOsFile = static_cast<int>(kRealFileOffset) + real->szOsFile;
  vfs->mxPathname = real->mxPathname;
  vfs->zName = kVfsName;
  vfs->pAppData = real;
  vfs->xOpen = vfs_open;
  vfs->xDelete = vfs_delete;
  vfs->xAccess = vfs_access;
  vfs->xFullPathname = vfs_full_pathname;
  vfs->xDlOpen = real->xDlOpen ? vfs_dl_open : nullptr;
  vfs->xDlError = real->xDlError ? vfs_dl_error : nullptr;
  vfs->xDlSym = real->xDlSym ? vfs_dl_sym : nullptr;
  vfs->xDlClose = real->xDlClose ? vfs_dl_close : nullptr;
  vfs->xRandomness = vfs_randomness;
  vfs->xSleep = vfs_sleep;
  vfs->xCurrentTime = vfs_current_time;
  vfs->xGetLastError = vfs_get_last_error;
  vfs->xCurrentTimeInt64 = real->iVersion >= 2 && real->xCurrentTimeInt64 ? vfs_current_time_int64 : nullptr;
  if (vfs->iVersion >= 3) {
    vfs->xSetSystemCall = vfs_set_system_call;
    vfs->xGetSystemCall = vfs_get_system_call;
    vfs->xNextSystemCall = vfs_next_system_call;
  }
  if (sqlite3_vfs_register(vfs, 0) != SQLITE_OK) throw std::runtime_error("cannot register the SQLite VFS");
  return owned.release();  // registered: SQLite keeps the pointer for the process's life
}

}  // namespace

const char* wal_coalescing_vfs() {
  static sqlite3_vfs* const vfs = make_vfs();  // kept for the process's life
  return vfs->zName;
}

WalWriteStats wal_write_stats() {
  return WalWriteStats{g_writes.load(std::memory_order_relaxed),
                       g_file_writes.load(std::memory_order_relaxed)};
}

}  // namespace turnaround::storage

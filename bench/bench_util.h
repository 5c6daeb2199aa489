#pragma once
// Small helpers shared by the benchmark programs in bench/ (header only:
// bench/CMakeLists.txt turns every bench/*.cpp into its own executable).
//
// Output convention: human-readable lines on stdout, plus one
// "RESULT key=value" line per figure, which bench/run.sh collects into its
// summary table.

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/sqlite_store.h"

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A value of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1.
inline long proc_status_kib(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':') {
      return std::stol(line.substr(key.size() + 1));
    }
  }
  return -1;
}

inline double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

// CPU time (user + system) of the process so far, seconds.
inline double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

inline double current_rss_mib() { return mib(proc_status_kib("VmRSS")); }

inline double phase_peak_rss_mib() { return mib(proc_status_kib("VmHWM")); }

// The highest VmHWM seen before a reset_peak_rss().
inline double& peak_before_resets() {
  static double peak = 0;
  return peak;
}

// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, so the peak
// of one phase can be read afterwards with phase_peak_rss_mib(). Linux >= 4.0.
// (The reset also lowers getrusage's ru_maxrss, hence peak_rss_mib() below.)
inline bool reset_peak_rss() {
  double& before = peak_before_resets();
  before = std::max(before, phase_peak_rss_mib());
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}

// Peak RSS of the whole process so far, MiB: getrusage, and the peaks seen
// before any reset_peak_rss().
inline double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return std::max({static_cast<double>(ru.ru_maxrss) / 1024.0, peak_before_resets(),
                   phase_peak_rss_mib()});
}

// Removes a SQLite database and its WAL/SHM companions.
inline void remove_db(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::remove(p, ec);
  std::filesystem::remove(p.string() + "-wal", ec);
  std::filesystem::remove(p.string() + "-shm", ec);
  std::filesystem::remove(p.string() + "-journal", ec);
}

inline double file_mib(const std::filesystem::path& p) {
  std::error_code ec;
  auto size = std::filesystem::file_size(p, ec);
  return ec ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

// The connection settings SqliteStore::open applies (storage/sqlite_store.cpp,
// configure(); the texts are storage/statements.h kPragma*), with the
// SqliteOptions defaults, so a floor measured on its own connection runs
// under the same conditions as the engine's store. Keep in step with
// configure() when it changes.
inline void configure_like_store(SQLite::Database& db, bool synchronous_full) {
  const turnaround::storage::SqliteOptions defaults;
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("PRAGMA cache_size=-" + std::to_string(defaults.cache_mib * 1024));
}

// "journal_mode=wal synchronous=1 foreign_keys=1 cache_size=-65536", read back.
inline std::string describe_pragmas(SQLite::Database& db) {
  return "journal_mode=" + db.execAndGet("PRAGMA journal_mode").getString() +
         " synchronous=" + db.execAndGet("PRAGMA synchronous").getString() +
         " foreign_keys=" + db.execAndGet("PRAGMA foreign_keys").getString() +
         " cache_size=" + db.execAndGet("PRAGMA cache_size").getString();
}

// Median time of writing 4 KiB and fdatasync()ing it, in a scratch file of
// `dir`, ms: what a WAL checkpoint (or a synchronous=FULL commit) waits for
// per sync on this disk at this moment. -1 if the probe cannot run.
// Calls `sync(fd, i)` for i = 0, 1, ... on a scratch file of `dir` while it
// returns true; the file is removed after. False if it cannot be created.
template <typename Sync>
bool with_fsync_probe(const std::filesystem::path& dir, Sync sync) {
  const std::string path = (dir / "fsync-probe.tmp").string();
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return false;
  for (int i = 0; sync(fd, i); ++i) {
  }
  ::close(fd);
  ::unlink(path.c_str());
  return true;
}

// Appends 4 KiB as block `i` of `fd` and fdatasync()s it.
inline bool write_and_sync(int fd, int i) {
  static const char block[4096] = {};
  return ::pwrite(fd, block, sizeof block, static_cast<off_t>(i) * 4096) == 4096 &&
         ::fdatasync(fd) == 0;
}

inline double fsync_latency_ms(const std::filesystem::path& dir, int n = 21) {
  std::vector<double> ms;
  with_fsync_probe(dir, [&](int fd, int i) {
    if (i >= n) return false;
    auto start = Clock::now();
    if (!write_and_sync(fd, i)) return false;
    ms.push_back(seconds_since(start) * 1000.0);
    return true;
  });
  if (ms.empty()) return -1;
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// How many times per second this disk rewrites one 4 KiB block and
// fdatasync()s it, one after another for `seconds` (a file of `dir`): the
// disk's fsync rate, which bounds any commit that waits for the disk (the
// file's size does not change, as a WAL's does not once it is reused). -1
// if the probe cannot run.
inline double fsync_rate_per_s(const std::filesystem::path& dir, double seconds) {
  long n = 0;
  const auto start = Clock::now();
  const bool ran = with_fsync_probe(dir, [&](int fd, int) {
    if (seconds_since(start) >= seconds || !write_and_sync(fd, 0)) return false;
    ++n;
    return true;
  });
  const double took = seconds_since(start);
  return ran && n > 0 && took > 0 ? n / took : -1;
}

inline void result(const std::string& key, double value, int precision = 1) {
  std::printf("RESULT %s=%.*f\n", key.c_str(), precision, value);
}
inline void result(const std::string& key, std::int64_t value) {
  std::printf("RESULT %s=%lld\n", key.c_str(), static_cast<long long>(value));
}
inline void result_text(const std::string& key, const std::string& value) {
  std::printf("RESULT %s=%s\n", key.c_str(), value.c_str());
}

}  // namespace bench

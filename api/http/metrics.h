#pragma once
// The server's counters, rendered in the Prometheus text exposition format
// (version 0.0.4) by GET /metrics:
//
//   turnaround_http_requests_total{method, route, status}    counter
//   turnaround_http_request_duration_seconds{route}          histogram
//   turnaround_http_connections_open                         gauge
//   turnaround_http_connections_refused_total                counter (over the cap)
//   turnaround_ingest_batch_items                            histogram (group commit)
//   turnaround_ingest_batch_requests                         histogram
//   turnaround_ingest_batches_failed_total                   counter
//   turnaround_timers_fired_total, turnaround_reminders_total,
//   turnaround_escalations_total, turnaround_deadlines_missed_total   counters (this process)
//   turnaround_tick_failures_total                           counter
//   turnaround_open_cases{state}                             gauge (from the database)
//   turnaround_timers_pending                                gauge (from the database)
//
// `route` is the route's pattern ("/v1/cases/{id}"), never the raw path, so
// the number of series stays bounded; unmatched paths count as "unmatched".
//
// Thread-safety: every method may be called from any thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace turnaround::api {

// Counts read from the database at scrape time.
struct StoreGauges {
  bool ok = false;  // false: the query failed; the gauges are left out
  std::map<std::string, std::int64_t> open_cases_by_state;
  std::int64_t timers_pending = 0;
};

class Metrics {
 public:
  void record_request(std::string_view method, std::string_view route, int status,
                      double seconds);
  void record_ingest_batch(std::size_t items, std::size_t requests, bool ok);
  void record_tick(std::int64_t fired, std::int64_t reminders, std::int64_t escalations,
                   std::int64_t deadlines_missed, bool ok);
  void connection_opened();
  void connection_closed();
  void connection_refused();

  // The exposition text.
  std::string render(const StoreGauges& gauges) const;

 private:
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static constexpr std::array<double, 12> kBatchBuckets = {1,  2,   4,   8,   16,   32,
                                                           64, 128, 256, 512, 1024, 4096};
  template <std::size_t N>
  struct Histogram {
    std::array<std::uint64_t, N> buckets{};  // non-cumulative; rendered cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void add(const std::array<double, N>& bounds, double v);
  };

  mutable std::mutex mutex_;
  // Guarded by mutex_.
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram<kLatencyBuckets.size()>, std::less<>> latency_;
  Histogram<kBatchBuckets.size()> batch_items_;
  Histogram<kBatchBuckets.size()> batch_requests_;
  std::uint64_t batches_failed_ = 0;
  std::int64_t connections_open_ = 0;
  std::uint64_t connections_refused_ = 0;
  std::uint64_t timers_fired_ = 0, reminders_ = 0, escalations_ = 0, deadlines_missed_ = 0;
  std::uint64_t tick_failures_ = 0;
};

}  // namespace turnaround::api

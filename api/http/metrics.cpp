#include "api/http/metrics.h"

#include <cstdio>

namespace turnaround::api {

namespace {

// Prometheus label values escape backslash, quote and newline.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

template <typename H, std::size_t N>
void render_histogram(std::string& out, const std::string& name, const std::string& labels,
                      const std::array<double, N>& bounds, const H& h) {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < N; ++i) {
    cumulative += h.buckets[i];
    out += name + "_bucket{" + labels + sep + "le=\"" + number(bounds[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + number(h.sum) + "\n";
  out += name + "_count" + braces + " " + std::to_string(h.count) + "\n";
}

}  // namespace

template <std::size_t N>
void Metrics::Histogram<N>::add(const std::array<double, N>& bounds, double v) {
  ++count;
  sum += v;
  for (std::size_t i = 0; i < N; ++i) {
    if (v <= bounds[i]) {
      ++buckets[i];
      return;
    }
  }
}

void Metrics::record_request(std::string_view method, std::string_view route, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), std::string(route), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram<kLatencyBuckets.size()>{}).first;
  it->second.add(kLatencyBuckets, seconds);
}

void Metrics::record_ingest_batch(std::size_t items, std::size_t requests, bool ok) {
  std::lock_guard lock(mutex_);
  batch_items_.add(kBatchBuckets, static_cast<double>(items));
  batch_requests_.add(kBatchBuckets, static_cast<double>(requests));
  if (!ok) ++batches_failed_;
}

void Metrics::record_tick(std::int64_t fired, std::int64_t reminders, std::int64_t escalations,
                          std::int64_t deadlines_missed, bool ok) {
  std::lock_guard lock(mutex_);
  timers_fired_ += static_cast<std::uint64_t>(fired);
  reminders_ += static_cast<std::uint64_t>(reminders);
  escalations_ += static_cast<std::uint64_t>(escalations);
  deadlines_missed_ += static_cast<std::uint64_t>(deadlines_missed);
  if (!ok) ++tick_failures_;
}

void Metrics::connection_opened() {
  std::lock_guard lock(mutex_);
  ++connections_open_;
}

void Metrics::connection_closed() {
  std::lock_guard lock(mutex_);
  --connections_open_;
}

void Metrics::connection_refused() {
  std::lock_guard lock(mutex_);
  ++connections_refused_;
}

std::string Metrics::render(const StoreGauges& gauges) const {
  std::string out;
  std::lock_guard lock(mutex_);
  header(out, "turnaround_http_requests_total", "counter", "HTTP requests by method, route and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "turnaround_http_requests_total{method=\"" + label(method) + "\",route=\"" +
           label(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) +
           "\n";
  }
  header(out, "turnaround_http_request_duration_seconds", "histogram",
         "Time from a request's last byte read to its response, by route.");
  for (const auto& [route, h] : latency_) {
    render_histogram(out, "turnaround_http_request_duration_seconds",
                     "route=\"" + label(route) + "\"", kLatencyBuckets, h);
  }
  header(out, "turnaround_http_connections_open", "gauge", "Open client connections.");
  out += "turnaround_http_connections_open " + std::to_string(connections_open_) + "\n";
  header(out, "turnaround_http_connections_refused_total", "counter",
         "Connections refused because the connection cap was reached.");
  out += "turnaround_http_connections_refused_total " + std::to_string(connections_refused_) + "\n";
  header(out, "turnaround_ingest_batch_items", "histogram",
         "Items per group commit of POST /v1/responses and /v1/churn-events.");
  render_histogram(out, "turnaround_ingest_batch_items", "", kBatchBuckets, batch_items_);
  header(out, "turnaround_ingest_batch_requests", "histogram", "Requests per group commit.");
  render_histogram(out, "turnaround_ingest_batch_requests", "", kBatchBuckets, batch_requests_);
  header(out, "turnaround_ingest_batches_failed_total", "counter",
         "Group commits that failed (their requests got 5xx).");
  out += "turnaround_ingest_batches_failed_total " + std::to_string(batches_failed_) + "\n";
  header(out, "turnaround_timers_fired_total", "counter", "Timers fired by this server's scheduler.");
  out += "turnaround_timers_fired_total " + std::to_string(timers_fired_) + "\n";
  header(out, "turnaround_reminders_total", "counter", "Reminders sent by this server's scheduler.");
  out += "turnaround_reminders_total " + std::to_string(reminders_) + "\n";
  header(out, "turnaround_escalations_total", "counter", "Escalations by this server's scheduler.");
  out += "turnaround_escalations_total " + std::to_string(escalations_) + "\n";
  header(out, "turnaround_deadlines_missed_total", "counter",
         "Deadlines found missed by this server's scheduler.");
  out += "turnaround_deadlines_missed_total " + std::to_string(deadlines_missed_) + "\n";
  header(out, "turnaround_tick_failures_total", "counter", "Scheduler ticks that failed (retried).");
  out += "turnaround_tick_failures_total " + std::to_string(tick_failures_) + "\n";
  if (gauges.ok) {
    header(out, "turnaround_open_cases", "gauge", "Open cases by state.");
    for (const auto& [state, n] : gauges.open_cases_by_state) {
      out += "turnaround_open_cases{state=\"" + label(state) + "\"} " + std::to_string(n) + "\n";
    }
    header(out, "turnaround_timers_pending", "gauge", "Pending timers in the database.");
    out += "turnaround_timers_pending " + std::to_string(gauges.timers_pending) + "\n";
  }
  return out;
}

}  // namespace turnaround::api

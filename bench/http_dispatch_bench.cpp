// http_dispatch_bench: the cost of the HTTP API's request handling without
// sockets or threads: api::dispatch() (authentication, the role check, the
// handler, JSON) for GET /v1/cases/{id}, called in a loop on one thread over
// an existing database. With bench/http_bench.sh's figures it splits a GET's
// cost between the handler and the server around it.
//
//   http_dispatch_bench DB TOKEN [--cases N] [--seconds S]
//
// Prints "RESULT dispatch.get_case_per_s=N" and microseconds per call.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "api/cli/context.h"
#include "api/http/handlers.h"
#include "api/http/store_pool.h"
#include "engine/configuration.h"

using namespace turnaround;

namespace {
// CPU time of this thread so far (user + system), seconds: the figure that
// other processes on the machine do not disturb.
double thread_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: http_dispatch_bench DB TOKEN [--cases N] [--seconds S]\n");
    return 2;
  }
  int cases = 1000;
  double seconds = 3;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--cases") cases = std::stoi(argv[i + 1]);
    if (std::string(argv[i]) == "--seconds") seconds = std::stod(argv[i + 1]);
  }
  storage::SqliteOptions options;
  options.create_if_missing = false;
  auto store = api::ReadPoolStore::open(argv[1], 1, options);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().to_string().c_str()), 1;
  auto config = load_configuration(**store);
  if (!config.ok()) return std::fprintf(stderr, "%s\n", config.status().to_string().c_str()), 1;
  api::SystemClock clock;
  Engine engine(**store, clock, config->company, config->registry);
  api::Services services{engine, **store, nullptr};
  api::HttpRequest req;
  req.method = "GET";
  req.authorization = std::string("Bearer ") + argv[2];
  long n = 0, bytes = 0, failed = 0;
  const double cpu0 = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    for (int k = 0; k < 100; ++k, ++n) {
      req.target = "/v1/cases/" + std::to_string(n % cases + 1);
      auto m = api::Router::standard().match(req.method, req.path());
      auto d = api::dispatch(req, std::get<api::RouteMatch>(m), services);
      bytes += static_cast<long>(d.response.body.size());
      failed += d.response.status != 200;
    }
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = thread_cpu_seconds() - cpu0;
  std::printf("GET /v1/cases/{id} through dispatch(): %ld calls in %.2f s, %.1f us each (%.1f us of "
              "CPU), %ld bytes average, %ld not 200\n",
              n, took, 1e6 * took / n, 1e6 * cpu / n, bytes / std::max(1L, n), failed);
  std::printf("RESULT dispatch.get_case_cpu_us=%.1f\n", 1e6 * cpu / n);
  std::printf("RESULT dispatch.get_case_per_s=%.0f\n", n / took);
  return failed ? 1 : 0;
}

// kill -9 during concurrent ingest: every response that got a 2xx is in the
// database exactly once after a restart, and no customer got a second open
// case. 64 clients (threads with keep-alive connections) post single
// responses for 20 s; the server (synchronous=FULL, group commit) is
// killed midway and restarted, and the clients carry on against it.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "tests/e2e/http_server.h"

namespace turnaround::testing {
namespace {

using namespace std::chrono_literals;

TEST_CASE("HttpDurability.KillNineLosesNoAcknowledgedResponse" * doctest::timeout(120)) {
  Cli cli;
  cli.init();
  const std::string bot = add_user_with_token(cli, "bot", {"ingest"});
  auto server = std::make_unique<Server>(cli, std::vector<std::string>{"--no-access-log"});
  std::atomic<int> port{server->port()};

  constexpr int kClients = 64;
  std::mutex mutex;
  std::set<std::string> acked;    // got a 2xx
  std::set<std::string> refused;  // got a complete non-2xx reply
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      // Each client's responses come from 4 customers, so most attach to an
      // existing case: a duplicate case would show.
      std::unique_ptr<HttpClient> c;
      for (int n = 0; !stop; ++n) {
        const std::string id = "K" + std::to_string(t) + "-" + std::to_string(n);
        const std::string customer = "C" + std::to_string(t) + "-" + std::to_string(n % 4);
        try {
          if (!c) c = std::make_unique<HttpClient>(port.load());
          ++sent;
          auto r = c->post("/v1/responses", response_json(id, customer, n % 7), bot);
          std::lock_guard lock(mutex);
          (r.status / 100 == 2 ? acked : refused).insert(id);
        } catch (const std::exception&) {
          c.reset();  // the server is gone: this response's fate is unknown; move on
          std::this_thread::sleep_for(20ms);
        }
      }
    });
  }
  // 20 s of load as the issue asks: 10 s, kill -9, restart, about 10 s more.
  std::this_thread::sleep_for(10s);
  std::size_t acked_before_kill = 0;
  {
    std::lock_guard lock(mutex);
    acked_before_kill = acked.size();
  }
  server->kill9();
  std::this_thread::sleep_for(300ms);  // clients fail and retry meanwhile
  // Restart on the same file (recovery); the clients carry on against it.
  server = std::make_unique<Server>(cli, std::vector<std::string>{"--no-access-log"});
  port = server->port();
  std::this_thread::sleep_for(9500ms);
  stop = true;
  for (auto& t : clients) t.join();
  INFO("sent " << sent.load() << ", acknowledged " << acked.size() << " (" << acked_before_kill
                << " before the kill), refused " << refused.size());
  CHECK(acked_before_kill > 100);
  CHECK(acked.size() > acked_before_kill);  // the restarted server took more
  CHECK(refused.empty());
  CHECK(server->stop() == 0);

  // Check the file directly, then start once more for the re-post below.
  server = std::make_unique<Server>(cli);
  HttpClient c(server->port());
  CHECK(c.get("/healthz").status == 200);
  {
    SQLite::Database db(cli.db, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT count(*) FROM responses WHERE response_id = ?");
    std::size_t missing = 0;
    for (const auto& id : acked) {
      q.bind(1, id);
      q.executeStep();
      if (q.getColumn(0).getInt64() != 1) ++missing;
      q.reset();
    }
    CHECK(missing == 0);
    // No customer has two open cases of one workflow.
    CHECK(db.execAndGet("SELECT count(*) FROM (SELECT customer_id FROM cases WHERE closed_at IS NULL "
                        "GROUP BY customer_id, workflow HAVING count(*) > 1)")
              .getInt64() == 0);
    // Every stored detractor response belongs to exactly one case.
    CHECK(db.execAndGet("SELECT count(*) FROM responses WHERE score <= 6 AND case_id IS NULL").getInt64() == 0);
  }
  // Posting the acknowledged responses again changes nothing: all duplicates.
  std::vector<std::string> ids(acked.begin(), acked.end());
  for (std::size_t i = 0; i < ids.size(); i += 500) {
    std::string body = "[";
    for (std::size_t k = i; k < std::min(ids.size(), i + 500); ++k) {
      const std::string& id = ids[k];
      const auto dash = id.find('-');
      const int t = std::stoi(id.substr(1, dash - 1));
      const int n = std::stoi(id.substr(dash + 1));
      if (k > i) body += ",";
      body += response_json(id, "C" + std::to_string(t) + "-" + std::to_string(n % 4), n % 7);
    }
    body += "]";
    auto r = c.post("/v1/responses", body, bot);
    REQUIRE(r.status == 200);
    const auto summary = r.json().at("summary");
    CHECK(summary.at("duplicates").as_int64() == summary.at("read").as_int64());
  }
  CHECK(server->stop() == 0);
}

}  // namespace
}  // namespace turnaround::testing

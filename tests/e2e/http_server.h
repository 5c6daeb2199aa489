#pragma once
// Starting and stopping the real `turnaround serve` on 127.0.0.1 with an
// ephemeral port (--listen 127.0.0.1:0; the port is read from the first
// line of its stdout), on a database made by the CLI (Cli, e2e_util.h).

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_util.h"
#include "tests/e2e/http_client.h"

namespace turnaround::testing {

class Server {
 public:
  // Starts `turnaround serve --db cli.db --listen 127.0.0.1:0 EXTRA...` and
  // waits for its "listening on" line. Its stderr goes to `err_path` if
  // given (a FIFO, say), else to a file of its own.
  explicit Server(Cli& cli, std::vector<std::string> extra = {}, std::string err_path = "")
      : cli_(cli) {
    static int n = 0;
    const std::string tag = std::to_string(++n);
    out_ = cli.dir.file("serve" + tag + ".out");
    err_ = err_path.empty() ? cli.dir.file("serve" + tag + ".err") : std::move(err_path);
    std::vector<std::string> argv = {TURNAROUND_BIN, "serve", "--db", cli.db, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = spawn_process(argv, out_, err_);
    REQUIRE(pid_ > 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
      const std::string out = slurp(out_);
      const std::string prefix = "listening on http://127.0.0.1:";
      if (auto at = out.find(prefix); at != std::string::npos && out.find('\n', at) != std::string::npos) {
        port_ = std::stoi(out.substr(at + prefix.size()));
      } else {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          FAIL("turnaround serve exited early: " << slurp(err_));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    REQUIRE_MESSAGE(port_ > 0, "no 'listening on' line; stderr: " << slurp(err_));
  }
  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      wait_exit(pid_);
    }
  }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string stderr_text() const { return slurp(err_); }
  std::string stdout_text() const { return slurp(out_); }

  // SIGTERM, then the exit code.
  int stop(int signo = SIGTERM) {
    kill(pid_, signo);
    const int rc = wait_exit(pid_);
    pid_ = -1;
    return rc;
  }
  void kill9() {
    kill(pid_, SIGKILL);
    wait_exit(pid_);
    pid_ = -1;
  }

 private:
  Cli& cli_;
  std::string out_, err_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// `turnaround user add ID ... --token` and the token from its last line.
inline std::string add_user_with_token(Cli& cli, const std::string& id, const std::vector<std::string>& roles) {
  std::vector<std::string> args = {"user", "add", id, "--db", cli.db, "--name", "Name of " + id, "--token"};
  for (const auto& r : roles) {
    args.push_back("--role");
    args.push_back(r);
  }
  std::string out = cli.ok(args);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

// `turnaround user token add ID`: a token for an existing person.
inline std::string token_for(Cli& cli, const std::string& id) {
  std::string out = cli.ok({"user", "token", "add", id, "--db", cli.db});
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

// A detractor response as JSON.
inline std::string response_json(const std::string& id, const std::string& customer, int score,
                                 const std::string& segment = "smb", double arr = 5000) {
  boost::json::object o;
  o["response_id"] = id;
  o["customer_id"] = customer;
  o["customer_name"] = "Customer " + customer;
  o["segment"] = segment;
  o["arr"] = arr;
  o["score"] = score;
  o["comment"] = "comment";
  o["responded_at"] = "2026-11-01T09:00:00Z";
  return boost::json::serialize(o);
}

}  // namespace turnaround::testing

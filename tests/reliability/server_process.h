// ServerProcess: the shipped mnrecords_server binary run as a child process
// on loopback, for tests that kill it (SIGKILL) or stop it (SIGTERM) the way
// an operator or a crash would, and start it again on the same port and
// database. Several ServerProcesses may run on one PostgreSQL database.
#ifndef MNRECORDS_TESTS_RELIABILITY_SERVER_PROCESS_H_
#define MNRECORDS_TESTS_RELIABILITY_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords::testing {

class ServerProcess {
 public:
  // The server runs `binary` with --db=`db` (a SQLite file or a
  // postgresql:// URI, passed as is) --config=`config_path`; its stdout and
  // stderr are appended to `log_path`, and `log_path`.port is its port file
  // (so each ServerProcess needs its own `log_path`).
  ServerProcess(std::string binary, std::string db, std::string config_path,
                std::string log_path);
  // Kills a running server (SIGKILL).
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Start spawns the server listening on 127.0.0.1:`port` (0: a free port
  // the first time, the same port after that) and returns the port once it
  // serves, or an error (with the end of the log) if it exited or did not
  // come up within 20 s.
  absl::StatusOr<int> Start(int port = 0);
  // Kill sends SIGKILL and reaps the process.
  void Kill();
  // Terminate sends SIGTERM and returns the exit code once the process
  // exited; DEADLINE_EXCEEDED (and a SIGKILL) if it still ran after
  // `limit`; INTERNAL if it died of a signal.
  absl::StatusOr<int> Terminate(absl::Duration limit);
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  // LogTail returns the last `bytes` of the server's output.
  std::string LogTail(size_t bytes = 2000) const;

 private:
  std::string binary_, db_, config_path_, log_path_, port_file_;
  pid_t pid_ = -1;
  int port_ = 0;
};

using ServerProcesses = std::vector<std::unique_ptr<ServerProcess>>;

// StartServers starts `count` servers of `binary` on `db` with
// `config_path`, logging to `dir`/server{i}.log, and returns their targets
// ("127.0.0.1:port"). Each is appended to `servers` before it starts, so a
// caller can show the logs of all of them when one fails.
absl::StatusOr<std::vector<std::string>> StartServers(
    int count, const std::string& binary, const std::string& db,
    const std::string& config_path, const std::string& dir,
    ServerProcesses& servers);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_SERVER_PROCESS_H_

// ServerProcess runs the real mnrecords_server binary on a database, as an
// operator would, so the scale benchmark measures start-up and resident
// memory of the process that ships.
#ifndef MNRECORDS_TESTS_SCALE_SERVER_PROCESS_H_
#define MNRECORDS_TESTS_SCALE_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords::scale {

// ProcessMemory is what /proc/PID/status says, in KiB.
struct ProcessMemory {
  int64_t rss_kib = 0;  // VmRSS: resident now
  int64_t hwm_kib = 0;  // VmHWM: peak resident since start
};

class ServerProcess {
 public:
  // Start spawns `binary` on `db` (plaintext on 127.0.0.1, an ephemeral
  // port) with `config`, and returns once it answers a health check with
  // SERVING. startup() is the time from spawning to that answer.
  // UNAVAILABLE if it does not serve within `timeout` (the process is
  // killed).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, const std::string& db,
      const std::string& config, const std::string& work_dir,
      absl::Duration timeout = absl::Seconds(60));

  // The destructor kills the process if Stop was not called.
  ~ServerProcess();

  // Stop sends SIGTERM and waits; OK if the server exited with status 0.
  absl::Status Stop();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  absl::Duration startup() const { return startup_; }
  std::string target() const;
  absl::StatusOr<ProcessMemory> Memory() const;
  // CpuSeconds is the CPU time (user + system) the process used so far,
  // from /proc/PID/stat: unlike wall time, it does not grow while the
  // process waits for a core on a busy machine.
  absl::StatusOr<double> CpuSeconds() const;

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  absl::Duration startup_;
  std::string port_file_;
};

}  // namespace mnrecords::scale

#endif  // MNRECORDS_TESTS_SCALE_SERVER_PROCESS_H_

// WatchProcess: the shipped `mnrec changes watch --clinic=c1 --json` run as a
// child process, each line it prints on stdout handed to a callback as it
// arrives, for tests that follow a clinic's change feed the way a consumer
// would, and kill or stop that consumer and resume it from a cursor.
#ifndef MNRECORDS_TESTS_RELIABILITY_WATCH_PROCESS_H_
#define MNRECORDS_TESTS_RELIABILITY_WATCH_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords::testing {

class WatchProcess {
 public:
  // The consumer runs `binary` (mnrec) against `target` (host:port) with
  // `token` (passed as MNREC_SERVER and MNREC_TOKEN). `on_line` gets each
  // complete stdout line (without its newline) on a reader thread of this
  // class, one at a time; an unterminated last line (the process was
  // killed mid-write) is dropped.
  WatchProcess(std::string binary, std::string target, std::string token,
               std::function<void(const std::string&)> on_line);
  // Kills a running consumer (SIGKILL).
  ~WatchProcess();
  WatchProcess(const WatchProcess&) = delete;
  WatchProcess& operator=(const WatchProcess&) = delete;

  // Start spawns `mnrec changes watch --clinic=c1 --json --since=since`
  // (without --since if `since` is empty), its stderr written to
  // `log_path`. FAILED_PRECONDITION if one is running.
  absl::Status Start(const std::string& since, const std::string& log_path);
  // Stop sends `signal`, waits up to `limit` for the process to exit (then
  // SIGKILLs it), reads its stdout to the end and joins the reader. Returns
  // the exit code, or 128 + the signal that ended it.
  absl::StatusOr<int> Stop(int signal, absl::Duration limit);
  bool running() const { return pid_ > 0; }
  // ResumeCursor is the cursor the last run printed on stderr
  // ("next_cursor: C", after SIGTERM), or NOT_FOUND.
  absl::StatusOr<std::string> ResumeCursor() const;
  // LogTail returns the end of the last run's stderr.
  std::string LogTail(size_t bytes = 2000) const;

 private:
  void Read(int fd);

  std::string binary_, target_, token_, log_path_;
  std::function<void(const std::string&)> on_line_;
  pid_t pid_ = -1;
  std::thread reader_;
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_WATCH_PROCESS_H_

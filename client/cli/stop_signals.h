// StopOnSignals: turns SIGINT and SIGTERM into a call of a stop function,
// for commands that run until interrupted (`mnrec changes watch`).
#ifndef MNRECORDS_CLIENT_CLI_STOP_SIGNALS_H_
#define MNRECORDS_CLIENT_CLI_STOP_SIGNALS_H_

#include <csignal>
#include <functional>
#include <thread>

namespace mnrecords {
namespace cli {

// While a StopOnSignals lives, SIGINT and SIGTERM no longer end the process:
// the first one calls `stop` on a thread of its own (the signal handler only
// writes a byte to a pipe, as a handler may, whatever thread gRPC runs it
// on). The destructor restores the previous handling. At most one instance
// at a time. If the pipe cannot be made, signals keep their default
// handling.
class StopOnSignals {
 public:
  explicit StopOnSignals(std::function<void()> stop);
  ~StopOnSignals();

  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  bool installed_ = false;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::thread waiter_;
};

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_STOP_SIGNALS_H_

#include "client/cli/stop_signals.h"

#include <unistd.h>

#include <cerrno>
#include <utility>

namespace mnrecords {
namespace cli {
namespace {

// The pipe between the handler and the waiter thread; one instance at a time.
int stop_pipe[2] = {-1, -1};

constexpr char kSignalled = 1;
constexpr char kDone = 0;  // the destructor wakes the waiter

void WriteByte(char byte) {
  while (write(stop_pipe[1], &byte, 1) < 0 && errno == EINTR) {
  }
}

extern "C" void OnStopSignal(int) {
  const int saved_errno = errno;
  WriteByte(kSignalled);
  errno = saved_errno;
}

}  // namespace

StopOnSignals::StopOnSignals(std::function<void()> stop) {
  if (pipe(stop_pipe) != 0) return;
  installed_ = true;
  waiter_ = std::thread([stop = std::move(stop)] {
    char byte = kDone;
    while (read(stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
    if (byte == kSignalled) stop();
  });
  struct sigaction action {};
  action.sa_handler = &OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopOnSignals::~StopOnSignals() {
  if (!installed_) return;
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  WriteByte(kDone);
  waiter_.join();
  close(stop_pipe[0]);
  close(stop_pipe[1]);
  stop_pipe[0] = stop_pipe[1] = -1;
}

}  // namespace cli
}  // namespace mnrecords

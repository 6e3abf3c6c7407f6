// Progress for a person watching a terminal. Each display writes to a file
// descriptor (standard error by default) only when it is a terminal and
// TERM is not "dumb": in scripts, pipes and CI logs they write nothing, so
// what machines read stays clean.
#ifndef MNRECORDS_CLIENT_CLI_TERMINAL_PROGRESS_H_
#define MNRECORDS_CLIENT_CLI_TERMINAL_PROGRESS_H_

#include <unistd.h>

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace mnrecords {
namespace cli {

// TerminalLine is one line rewritten in place ("\r...", erased to its end),
// cut to the terminal's width so that it never wraps. Not thread-safe.
class TerminalLine {
 public:
  explicit TerminalLine(int fd = STDERR_FILENO);
  // Clears the line if something is shown.
  ~TerminalLine();
  TerminalLine(const TerminalLine&) = delete;
  TerminalLine& operator=(const TerminalLine&) = delete;

  // active: `fd` is a terminal, so Show and Print write.
  bool active() const { return active_; }
  // Show replaces the line with `text`.
  void Show(absl::string_view text);
  // Print clears the line and writes `text` and a newline: a line that
  // stays (e.g. a phase's summary).
  void Print(absl::string_view text);
  // Clear erases what Show wrote.
  void Clear();

 private:
  void Write(absl::string_view bytes);

  const int fd_;
  const bool active_;
  bool shown_ = false;
};

// WaitingIndicator shows "<label> ... 3.4 s", the time since it was made,
// while a call with no progress of its own runs (a backup, an export). It
// appears only once the call has taken `delay` (quick calls never flicker),
// updates ten times a second, and is erased when the indicator is
// destroyed, before the call's result is printed.
class WaitingIndicator {
 public:
  explicit WaitingIndicator(std::string label, int fd = STDERR_FILENO,
                            absl::Duration delay = absl::Milliseconds(300));
  ~WaitingIndicator();
  WaitingIndicator(const WaitingIndicator&) = delete;
  WaitingIndicator& operator=(const WaitingIndicator&) = delete;

 private:
  void Run();

  const std::string label_;
  const absl::Duration delay_;
  const absl::Time start_ = absl::Now();
  TerminalLine line_;  // only the thread writes it
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_TERMINAL_PROGRESS_H_

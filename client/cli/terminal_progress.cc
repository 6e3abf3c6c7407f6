#include "client/cli/terminal_progress.h"

#include <sys/ioctl.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mnrecords {
namespace cli {
namespace {

bool IsTerminal(int fd) {
  const char* term = std::getenv("TERM");
  return isatty(fd) == 1 &&
         !(term != nullptr && std::strcmp(term, "dumb") == 0);
}

// Columns of the terminal on `fd`; 80 when it does not say.
size_t Width(int fd) {
  struct winsize size;
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

constexpr absl::string_view kEraseLine = "\r\033[K";

}  // namespace

TerminalLine::TerminalLine(int fd) : fd_(fd), active_(IsTerminal(fd)) {}

TerminalLine::~TerminalLine() { Clear(); }

void TerminalLine::Write(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n <= 0) return;  // a display only: nothing to recover
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void TerminalLine::Show(absl::string_view text) {
  if (!active_) return;
  // One column kept free: writing the last one makes some terminals wrap.
  const size_t room = Width(fd_) - 1;
  if (text.size() > room) text = text.substr(0, room);
  Write(absl::StrCat(kEraseLine, text));
  shown_ = true;
}

void TerminalLine::Print(absl::string_view text) {
  if (!active_) return;
  Write(absl::StrCat(kEraseLine, text, "\n"));
  shown_ = false;
}

void TerminalLine::Clear() {
  if (!active_ || !shown_) return;
  Write(kEraseLine);
  shown_ = false;
}

WaitingIndicator::WaitingIndicator(std::string label, int fd,
                                   absl::Duration delay)
    : label_(std::move(label)), delay_(delay), line_(fd) {
  if (line_.active()) thread_ = std::thread([this] { Run(); });
}

WaitingIndicator::~WaitingIndicator() {
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void WaitingIndicator::Run() {
  absl::MutexLock lock(&mu_);
  if (mu_.AwaitWithTimeout(absl::Condition(&done_), delay_)) return;
  do {
    line_.Show(absl::StrFormat("%s ... %.1f s", label_,
                               absl::ToDoubleSeconds(absl::Now() - start_)));
  } while (
      !mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Milliseconds(100)));
  line_.Clear();
}

}  // namespace cli
}  // namespace mnrecords

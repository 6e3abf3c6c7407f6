// The CLI's terminal progress (client/cli/terminal_progress.h) on a real
// pseudo-terminal, and silence on a pipe.
#include "client/cli/terminal_progress.h"

#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace mnrecords::cli {
namespace {

// A pseudo-terminal 40 columns wide; read() gets what was written to it.
class Pty {
 public:
  Pty() {
    struct winsize size = {};
    size.ws_row = 24;
    size.ws_col = 40;
    EXPECT_EQ(openpty(&master_, &slave_, nullptr, nullptr, &size), 0);
    fcntl(master_, F_SETFL, O_NONBLOCK);
  }
  ~Pty() {
    close(slave_);
    close(master_);
  }
  int fd() const { return slave_; }
  std::string Read() {
    std::string out;
    char buffer[4096];
    for (;;) {
      const ssize_t n = read(master_, buffer, sizeof(buffer));
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int master_ = -1;
  int slave_ = -1;
};

class TerminalProgressTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("TERM", "xterm", 1); }
};

TEST_F(TerminalProgressTest, LineIsRewrittenInPlaceCutToWidthAndCleared) {
  Pty pty;
  {
    TerminalLine line(pty.fd());
    ASSERT_TRUE(line.active());
    line.Show("copy records: 10 rows");
    line.Show(std::string(100, 'x'));
    line.Print("copy records: done, 20 rows");
    line.Show("prove records");
  }  // destroyed: the shown line is erased
  EXPECT_EQ(pty.Read(),
            "\r\033[Kcopy records: 10 rows"
            "\r\033[K" +
                std::string(39, 'x') +
                "\r\033[Kcopy records: done, 20 rows\r\n"  // the pty's \r\n
                "\r\033[Kprove records"
                "\r\033[K");
}

TEST_F(TerminalProgressTest, NothingOnAPipeOrADumbTerminal) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  {
    TerminalLine line(pipe_fds[1]);
    EXPECT_FALSE(line.active());
    line.Show("x");
    line.Print("y");
    WaitingIndicator waiting("backing up", pipe_fds[1], absl::ZeroDuration());
    absl::SleepFor(absl::Milliseconds(150));
  }
  close(pipe_fds[1]);
  char c;
  EXPECT_EQ(read(pipe_fds[0], &c, 1), 0) << "wrote to a pipe";
  close(pipe_fds[0]);

  Pty pty;
  setenv("TERM", "dumb", 1);
  EXPECT_FALSE(TerminalLine(pty.fd()).active());
}

TEST_F(TerminalProgressTest, WaitingIndicatorShowsElapsedTimeThenErasesIt) {
  Pty pty;
  {
    WaitingIndicator waiting("backing up the database", pty.fd(),
                             absl::ZeroDuration());
    absl::SleepFor(absl::Milliseconds(350));
  }
  const std::string shown = pty.Read();
  EXPECT_TRUE(absl::StrContains(shown, "backing up the database ... 0."))
      << shown;
  EXPECT_TRUE(absl::EndsWith(shown, "\r\033[K")) << shown;
}

TEST_F(TerminalProgressTest, QuickCallsShowNothing) {
  Pty pty;
  { WaitingIndicator waiting("exporting", pty.fd(), absl::Seconds(5)); }
  EXPECT_EQ(pty.Read(), "");
}

}  // namespace
}  // namespace mnrecords::cli

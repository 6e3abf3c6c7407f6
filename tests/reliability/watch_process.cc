#include "tests/reliability/watch_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace mnrecords::testing {

WatchProcess::WatchProcess(std::string binary, std::string target,
                           std::string token,
                           std::function<void(const std::string&)> on_line)
    : binary_(std::move(binary)),
      target_(std::move(target)),
      token_(std::move(token)),
      on_line_(std::move(on_line)) {}

WatchProcess::~WatchProcess() {
  if (running()) Stop(SIGKILL, absl::Seconds(5)).IgnoreError();
}

absl::Status WatchProcess::Start(const std::string& since,
                                 const std::string& log_path) {
  if (running()) return absl::FailedPreconditionError("already running");
  log_path_ = log_path;
  // Everything the child needs is built before fork: between fork and exec
  // a multithreaded parent's child may only make async-signal-safe calls.
  std::vector<std::string> args = {binary_, "changes", "watch", "--clinic=c1",
                                   "--json"};
  if (!since.empty()) args.push_back("--since=" + since);
  std::vector<std::string> env = {"MNREC_SERVER=" + target_,
                                  "MNREC_TOKEN=" + token_};
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, "MNREC_")) env.push_back(*e);
  }
  std::vector<char*> argv, envp;
  for (std::string& a : args) argv.push_back(a.data());
  for (std::string& e : env) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  int out[2];
  // Close-on-exec, so that servers spawned later do not hold the write end
  // (the reader would never see the end of the output).
  if (pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe2");
  const int log =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log < 0) {
    close(out[0]);
    close(out[1]);
    return absl::InternalError("cannot open " + log_path);
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  close(log);
  if (pid_ < 0) {
    close(out[0]);
    return absl::InternalError("fork failed");
  }
  reader_ = std::thread([this, fd = out[0]] { Read(fd); });
  return absl::OkStatus();
}

void WatchProcess::Read(int fd) {
  std::string pending;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos;
         start = end + 1) {
      on_line_(pending.substr(start, end - start));
    }
    pending.erase(0, start);
  }
  close(fd);
}

absl::StatusOr<int> WatchProcess::Stop(int signal, absl::Duration limit) {
  if (!running()) return absl::FailedPreconditionError("not running");
  kill(pid_, signal);
  const absl::Time give_up = absl::Now() + limit;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (absl::Now() >= give_up) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  pid_ = -1;
  reader_.join();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

absl::StatusOr<std::string> WatchProcess::ResumeCursor() const {
  std::ifstream in(log_path_);
  std::string line, cursor;
  bool found = false;
  while (std::getline(in, line)) {
    constexpr absl::string_view kPrefix = "next_cursor: ";
    if (!absl::StartsWith(line, kPrefix)) continue;
    std::vector<std::string> words =
        absl::StrSplit(line.substr(kPrefix.size()), ' ');
    cursor = words.empty() ? "" : words[0];
    found = true;
  }
  if (!found) return absl::NotFoundError("no next_cursor in " + log_path_);
  return cursor;
}

std::string WatchProcess::LogTail(size_t bytes) const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

}  // namespace mnrecords::testing

#include "tests/reliability/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mnrecords::testing {

ServerProcess::ServerProcess(std::string binary, std::string db,
                             std::string config_path, std::string log_path)
    : binary_(std::move(binary)),
      db_(std::move(db)),
      config_path_(std::move(config_path)),
      log_path_(std::move(log_path)),
      port_file_(log_path_ + ".port") {}

ServerProcess::~ServerProcess() {
  Kill();
  std::remove(port_file_.c_str());
}

absl::StatusOr<int> ServerProcess::Start(int port) {
  if (running()) return absl::FailedPreconditionError("already running");
  if (port == 0) port = port_;
  std::remove(port_file_.c_str());
  const std::string listen = absl::StrCat("--listen=127.0.0.1:", port);
  const std::string db = "--db=" + db_;
  const std::string config = "--config=" + config_path_;
  const std::string port_file = "--port_file=" + port_file_;
  const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (log < 0) return absl::InternalError("cannot open " + log_path_);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execl(binary_.c_str(), binary_.c_str(), listen.c_str(), db.c_str(),
          config.c_str(), port_file.c_str(), nullptr);
    _exit(127);
  }
  close(log);
  if (pid_ < 0) return absl::InternalError("fork failed");
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (absl::Now() < give_up) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat("server exited during start-up:\n", LogTail()));
    }
    std::ifstream in(port_file_);
    std::string text;
    int served = 0;
    if (in >> text && absl::SimpleAtoi(text, &served)) {
      port_ = served;
      return served;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  Kill();
  return absl::DeadlineExceededError(
      absl::StrCat("server did not serve within 20 s:\n", LogTail()));
}

void ServerProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

absl::StatusOr<int> ServerProcess::Terminate(absl::Duration limit) {
  if (!running()) return absl::FailedPreconditionError("not running");
  kill(pid_, SIGTERM);
  const absl::Time give_up = absl::Now() + limit;
  for (;;) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return absl::InternalError(
          absl::StrCat("server died of signal ", WTERMSIG(status)));
    }
    if (absl::Now() >= give_up) {
      Kill();
      return absl::DeadlineExceededError(absl::StrCat(
          "server still ran ", absl::FormatDuration(limit), " after SIGTERM"));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
}

std::string ServerProcess::LogTail(size_t bytes) const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

absl::StatusOr<std::vector<std::string>> StartServers(
    int count, const std::string& binary, const std::string& db,
    const std::string& config_path, const std::string& dir,
    ServerProcesses& servers) {
  std::vector<std::string> targets;
  for (int i = 0; i < count; ++i) {
    servers.push_back(std::make_unique<ServerProcess>(
        binary, db, config_path, absl::StrCat(dir, "/server", i, ".log")));
    absl::StatusOr<int> port = servers.back()->Start();
    if (!port.ok()) return port.status();
    targets.push_back(absl::StrCat("127.0.0.1:", *port));
  }
  return targets;
}

}  // namespace mnrecords::testing

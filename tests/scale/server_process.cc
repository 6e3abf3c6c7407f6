#include "tests/scale/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/client.h"

namespace mnrecords::scale {

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, const std::string& db, const std::string& config,
    const std::string& work_dir, absl::Duration timeout) {
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->port_file_ = absl::StrCat(work_dir, "/port-", getpid());
  std::remove(p->port_file_.c_str());
  const std::string db_flag = "--db=" + db;
  const std::string port_flag = "--port_file=" + p->port_file_;
  const std::string config_flag = "--config=" + config;
  const absl::Time start = absl::Now();
  p->pid_ = fork();
  if (p->pid_ < 0) return absl::InternalError("fork failed");
  if (p->pid_ == 0) {
    // The start-up banner would interleave with the figures; errors stay.
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    execl(binary.c_str(), binary.c_str(), "--listen=127.0.0.1:0",
          db_flag.c_str(), port_flag.c_str(), config_flag.c_str(),
          "--shutdown_grace=5s", nullptr);
    _exit(127);
  }
  const absl::Time give_up = start + timeout;
  while (absl::Now() < give_up) {
    if (p->port_ == 0) {
      std::ifstream in(p->port_file_);
      std::string text;
      if (in >> text && !absl::SimpleAtoi(text, &p->port_)) p->port_ = 0;
    }
    if (p->port_ != 0) {
      ClientOptions options;
      options.target = p->target();
      options.max_attempts = 1;
      absl::StatusOr<RecordsClient> client = RecordsClient::Create(options);
      if (client.ok()) {
        CallOptions call;
        call.timeout = absl::Seconds(1);
        absl::StatusOr<bool> serving = client->IsServing("", call);
        if (serving.ok() && *serving) {
          p->startup_ = absl::Now() - start;
          return p;
        }
      }
    }
    int status = 0;
    if (waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->pid_ = -1;
      return absl::UnavailableError(absl::StrCat(
          binary, " exited (status ", status, ") before serving ", db));
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  return absl::UnavailableError(absl::StrCat(binary, " did not serve ", db,
                                             " within ",
                                             absl::FormatDuration(timeout)));
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::remove(port_file_.c_str());
}

absl::Status ServerProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("mnrecords_server did not exit cleanly (", status, ")"));
  }
  return absl::OkStatus();
}

std::string ServerProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

absl::StatusOr<double> ServerProcess::CpuSeconds() const {
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name (in parentheses, may hold spaces):
  // state is field 3, utime field 14, stime field 15.
  const size_t close = text.rfind(')');
  if (close == std::string::npos)
    return absl::NotFoundError("no /proc/PID/stat");
  std::vector<std::string> fields = absl::StrSplit(text.substr(close + 2), ' ');
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::InternalError("unreadable /proc/PID/stat");
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

absl::StatusOr<ProcessMemory> ServerProcess::Memory() const {
  std::ifstream in(absl::StrCat("/proc/", pid_, "/status"));
  if (!in) return absl::NotFoundError("no /proc/PID/status");
  ProcessMemory m;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = line;
    int64_t* field = nullptr;
    if (absl::ConsumePrefix(&v, "VmRSS:")) field = &m.rss_kib;
    if (absl::ConsumePrefix(&v, "VmHWM:")) field = &m.hwm_kib;
    if (field == nullptr) continue;
    v = absl::StripAsciiWhitespace(v);
    absl::ConsumeSuffix(&v, " kB");
    if (!absl::SimpleAtoi(v, field)) *field = 0;
  }
  return m;
}

}  // namespace mnrecords::scale

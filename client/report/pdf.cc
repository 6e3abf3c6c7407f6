#include "client/report/pdf.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace mnrecords::report {
namespace {

bool IsExecutable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string FindChromium() {
  if (const char* chosen = std::getenv("MNRECORDS_CHROMIUM");
      chosen != nullptr && *chosen != '\0') {
    return chosen;
  }
  const char* path = std::getenv("PATH");
  const std::vector<std::string> dirs =
      absl::StrSplit(path == nullptr ? "/usr/bin:/bin" : path, ':');
  for (const char* name : {"chromium", "chromium-browser"}) {
    for (const std::string& dir : dirs) {
      const std::string candidate = absl::StrCat(dir, "/", name);
      if (IsExecutable(candidate)) return candidate;
    }
  }
  return "";
}

absl::Status PrintToPdf(const std::string& html_path,
                        const std::string& pdf_path, std::string chromium) {
  if (chromium.empty()) chromium = FindChromium();
  if (!IsExecutable(chromium)) {
    return absl::FailedPreconditionError(
        "no chromium to print the PDF with: install Debian's chromium "
        "(apt-get install chromium) or set MNRECORDS_CHROMIUM; the HTML "
        "report is complete without it");
  }
  std::error_code error;
  const std::filesystem::path html =
      std::filesystem::absolute(html_path, error);
  const std::filesystem::path pdf = std::filesystem::absolute(pdf_path, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot resolve ", html_path, ": ", error.message()));
  }
  char profile_template[] = "/tmp/mnrecords-chromium-XXXXXX";
  if (mkdtemp(profile_template) == nullptr) {
    return absl::InternalError(absl::StrCat(
        "cannot make a chromium profile directory: ", std::strerror(errno)));
  }
  const std::string profile = profile_template;
  std::filesystem::remove(pdf, error);
  std::vector<std::string> args = {
      chromium,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--no-pdf-header-footer",
      absl::StrCat("--user-data-dir=", profile),
      absl::StrCat("--print-to-pdf=", pdf.string()),
      absl::StrCat("file://", html.string())};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // Chromium talks a lot on stdout and stderr; none of it is ours to show.
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (spawned == 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  std::filesystem::remove_all(profile, error);
  if (spawned != 0) {
    return absl::InternalError(
        absl::StrCat("cannot start ", chromium, ": ", std::strerror(spawned)));
  }
  const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  const auto size = std::filesystem::file_size(pdf, error);
  if (!exited_ok || error || size == 0) {
    return absl::InternalError(absl::StrCat(chromium, " did not print ",
                                            html_path, " to ", pdf_path,
                                            exited_ok ? "" : " (it failed)"));
  }
  return absl::OkStatus();
}

}  // namespace mnrecords::report

#include "client/cli/cli_status.h"

#include <cstdio>

#include "absl/strings/cord.h"
#include "absl/strings/str_replace.h"

namespace mnrecords {
namespace cli {
namespace {

constexpr char kUsagePayload[] = "type.mnrecords.example/mnrec.UsageError";

// One line: newlines in server messages would break scripts reading stderr.
std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\r", " "}, {"\n", " "}});
}

}  // namespace

absl::Status UsageError(std::string message) {
  absl::Status status = absl::InvalidArgumentError(std::move(message));
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

int ReportAndExitCode(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsUsageError(status)) {
    std::fprintf(stderr, "mnrec: %s\n", OneLine(status.message()).c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "mnrec: %s: %s\n",
               absl::StatusCodeToString(status.code()).c_str(),
               OneLine(status.message()).c_str());
  return kExitServerError;
}

}  // namespace cli
}  // namespace mnrecords

// How mnrec reports errors: usage errors exit 2, server errors exit 1, each
// as one line on stderr.
#ifndef MNRECORDS_CLIENT_CLI_CLI_STATUS_H_
#define MNRECORDS_CLIENT_CLI_CLI_STATUS_H_

#include <string>

#include "absl/status/status.h"

namespace mnrecords {
namespace cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitServerError = 1;
inline constexpr int kExitUsage = 2;

// UsageError returns INVALID_ARGUMENT marked as the user's mistake on the
// command line (as opposed to an error the server returned).
absl::Status UsageError(std::string message);

// IsUsageError reports whether `status` came from UsageError.
bool IsUsageError(const absl::Status& status);

// ReportAndExitCode prints `status` as one line on stderr ("mnrec: <msg>" for
// usage errors, "mnrec: <CODE>: <msg>" otherwise) and returns the exit code.
int ReportAndExitCode(const absl::Status& status);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_CLI_STATUS_H_

// Resource names from --clinic/--patient/--course/--session: each takes an
// id (joined to the levels above) or a full name (containing '/').
#ifndef MNRECORDS_CLIENT_CLI_NAMES_H_
#define MNRECORDS_CLIENT_CLI_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mnrecords {
namespace cli {

absl::StatusOr<std::string> ClinicName();   // clinics/{clinic}
absl::StatusOr<std::string> PatientName();  // …/patients/{patient}
absl::StatusOr<std::string> CourseName();   // …/courses/{course}
absl::StatusOr<std::string> SessionName();  // …/sessions/{session}
// InstructionSetName: the value of --<flag> (e.g. instruction_set or
// aftercare) as an id (with --clinic) or a full name.
absl::StatusOr<std::string> InstructionSetName(absl::string_view flag,
                                               const std::string& value);

// NameArg returns the positional argument `index` of a command if present
// (a full resource name), else `fallback()`; a usage error if neither.
template <typename Fallback>
absl::StatusOr<std::string> NameArg(const std::vector<std::string>& args,
                                    size_t index, Fallback fallback) {
  if (args.size() > index) return args[index];
  return fallback();
}

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_NAMES_H_

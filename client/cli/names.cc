#include "client/cli/names.h"

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"

namespace mnrecords {
namespace cli {
namespace {

// Join returns `value` if it is a full name, else parent + "/" + collection
// + "/" + value; a usage error if the flag is empty.
absl::StatusOr<std::string> Join(absl::StatusOr<std::string> (*parent)(),
                                 absl::string_view collection,
                                 absl::string_view flag,
                                 const std::string& value) {
  if (value.empty()) {
    return UsageError(
        absl::StrCat("--", flag, " is required (an id or a name)"));
  }
  if (absl::StrContains(value, '/')) return value;
  auto parent_name = parent();
  if (!parent_name.ok()) return parent_name.status();
  return absl::StrCat(*parent_name, "/", collection, "/", value);
}

}  // namespace

absl::StatusOr<std::string> ClinicName() {
  const std::string clinic = absl::GetFlag(FLAGS_clinic);
  if (clinic.empty()) return UsageError("--clinic is required");
  if (absl::StartsWith(clinic, "clinics/")) return clinic;
  if (absl::StrContains(clinic, '/')) {
    return UsageError("--clinic: expected an id or clinics/{clinic}");
  }
  return absl::StrCat("clinics/", clinic);
}

absl::StatusOr<std::string> PatientName() {
  return Join(&ClinicName, "patients", "patient", absl::GetFlag(FLAGS_patient));
}

absl::StatusOr<std::string> CourseName() {
  return Join(&PatientName, "courses", "course", absl::GetFlag(FLAGS_course));
}

absl::StatusOr<std::string> SessionName() {
  return Join(&CourseName, "sessions", "session", absl::GetFlag(FLAGS_session));
}

absl::StatusOr<std::string> InstructionSetName(absl::string_view flag,
                                               const std::string& value) {
  return Join(&ClinicName, "instructionSets", flag, value);
}

}  // namespace cli
}  // namespace mnrecords

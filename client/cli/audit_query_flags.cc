#include "client/cli/audit_query_flags.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {

absl::StatusOr<clinic::microneedling::v1::ListAuditEventsRequest>
AuditQueryFromFlags() {
  clinic::microneedling::v1::ListAuditEventsRequest request;
  if (absl::GetFlag(FLAGS_clinic) == "-") {
    request.set_parent("clinics/-");
  } else {
    absl::Status s = SetParent(request, &ClinicName);
    if (!s.ok()) return s;
  }
  request.set_principal(absl::GetFlag(FLAGS_principal));
  request.set_resource_prefix(absl::GetFlag(FLAGS_resource_prefix));
  request.set_action(absl::GetFlag(FLAGS_action));
  request.set_outcome(absl::GetFlag(FLAGS_outcome));
  if (absl::GetFlag(FLAGS_newest_first)) request.set_order_by("time desc");
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  if (!absl::GetFlag(FLAGS_patient).empty()) {
    absl::StatusOr<std::string> patient = PatientName();
    if (!patient.ok()) return patient.status();
    request.set_patient(*patient);
  }
  absl::Status s = ApplyTimeRangeFlags(request);
  if (!s.ok()) return s;
  return request;
}

absl::Status ReadCheckpointFlag(
    clinic::microneedling::v1::AuditCheckpoint* checkpoint) {
  const std::string path = absl::GetFlag(FLAGS_checkpoint);
  if (path.empty()) return absl::OkStatus();
  std::ifstream in(path);
  if (!in) return UsageError(absl::StrCat("--checkpoint: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      text.str(), checkpoint, options);
  if (!parsed.ok()) {
    return UsageError(absl::StrCat(
        "--checkpoint: ", path,
        " is not an AuditCheckpoint in JSON: ", parsed.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords

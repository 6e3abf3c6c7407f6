// Flags of the auditor's commands: consent history|at|coverage|verify and
// audit list|export|verify|checkpoint.
#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, time, "", "[consent at] RFC 3339 point in time");
ABSL_FLAG(std::string, start_time, "",
          "[consent history/coverage, audit list] RFC 3339, inclusive");
ABSL_FLAG(std::string, end_time, "",
          "[consent history/coverage, audit list] RFC 3339, exclusive");
ABSL_FLAG(std::string, principal, "", "[audit list] principal id");
ABSL_FLAG(std::string, resource_prefix, "",
          "[audit list] resource names starting with this");
ABSL_FLAG(std::string, action, "",
          "[audit list] full method, e.g. "
          "/clinic.microneedling.v1.TreatmentRecords/GetPatient");
ABSL_FLAG(std::string, outcome, "",
          "[audit list] only this outcome: a gRPC code name (OK, "
          "PERMISSION_DENIED, ...) or ERROR for every failed call");
ABSL_FLAG(std::string, format, "",
          "[audit export] fhir-r4 (one Bundle of AuditEvent resources) or csv");
ABSL_FLAG(bool, newest_first, false, "[audit list] newest events first");
ABSL_FLAG(int64_t, start_sequence, 0, "[audit verify] first event (default 1)");
ABSL_FLAG(int64_t, end_sequence, 0,
          "[audit verify] last event (default: head)");
ABSL_FLAG(std::string, checkpoint, "",
          "[audit verify, records verify] JSON file written by `mnrec audit "
          "checkpoint --json`");
ABSL_FLAG(int32_t, max_problems, 0,
          "[records verify] report at most this many problems (default 100)");
ABSL_FLAG(std::string, checkpoint_out, "",
          "[admin backup] also write the backup's audit checkpoint to this "
          "JSON file (for `audit verify --checkpoint` after a restore)");

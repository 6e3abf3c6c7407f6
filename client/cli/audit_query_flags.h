// The flags the auditor's commands share.
//
// AuditQueryFromFlags: the ListAuditEventsRequest of `audit list` and
// `audit export` — --clinic (or - for the calls that named none),
// --patient, --principal, --resource_prefix, --action, --outcome,
// --start_time, --end_time, --newest_first, --page_size. INVALID_ARGUMENT
// (a usage error) for a flag that does not parse.
#ifndef MNRECORDS_CLIENT_CLI_AUDIT_QUERY_FLAGS_H_
#define MNRECORDS_CLIENT_CLI_AUDIT_QUERY_FLAGS_H_

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/audit_service.pb.h"

namespace mnrecords {
namespace cli {

absl::StatusOr<clinic::microneedling::v1::ListAuditEventsRequest>
AuditQueryFromFlags();

// ReadCheckpointFlag fills `checkpoint` from the --checkpoint file (JSON of
// `mnrec audit checkpoint --json`), if the flag is set; a usage error if
// the file cannot be read or is not one.
absl::Status ReadCheckpointFlag(
    clinic::microneedling::v1::AuditCheckpoint* checkpoint);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_AUDIT_QUERY_FLAGS_H_

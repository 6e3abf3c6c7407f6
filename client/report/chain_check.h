// The audit chain check a report prints: VerifyAuditLog against a
// checkpoint — one the auditor kept, or the head read when the report was
// made — with what was checked, so the paper can be tied back to the log.
#ifndef MNRECORDS_CLIENT_REPORT_CHAIN_CHECK_H_
#define MNRECORDS_CLIENT_REPORT_CHAIN_CHECK_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "client/client.h"

namespace mnrecords::report {

struct ChainCheck {
  clinic::microneedling::v1::AuditCheckpoint checkpoint;  // checked against
  bool checkpoint_given = false;  // false: the head read at report time
  clinic::microneedling::v1::VerifyAuditLogResponse result;
};

// CheckChain verifies the whole chain against `checkpoint`, or against the
// head it reads first when there is none.
absl::StatusOr<ChainCheck> CheckChain(
    const RecordsClient& client,
    const std::optional<clinic::microneedling::v1::AuditCheckpoint>&
        checkpoint);

// RenderChainCheck is the report section on the check (HTML).
std::string RenderChainCheck(const ChainCheck& check);

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_CHAIN_CHECK_H_

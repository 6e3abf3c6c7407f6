// Machine-readable details on an error status. They travel as absl::Status
// payloads keyed by their type URL ("type.googleapis.com/google.rpc.X");
// the gRPC layer sends every payload in the standard grpc-status-details-bin
// trailer (a google.rpc.Status), plus a google.rpc.ErrorInfo with the
// error's reason (clinic/microneedling/v1/error_reason.proto).
#ifndef MNRECORDS_COMMON_ERROR_DETAILS_H_
#define MNRECORDS_COMMON_ERROR_DETAILS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/error_reason.pb.h"
#include "google/protobuf/message.h"

namespace mnrecords {

// The ErrorInfo domain of every error this server returns.
inline constexpr absl::string_view kErrorDomain = "mnrecords.clinic";

// One protocol rule that refused a record.
struct RuleViolation {
  std::string code;         // the finding code, e.g. "MNP-CONSENT-MISSING"
  std::string plugin;       // the plugin that reported it
  std::string description;  // for a person
};

// ProtocolRuleError: FAILED_PRECONDITION whose message lists the rules
// ("CODE (plugin): description; ..."), with a google.rpc.PreconditionFailure
// holding one violation per rule and the reason PROTOCOL_RULE_BLOCKED.
absl::Status ProtocolRuleError(const std::vector<RuleViolation>& violations);

// WithErrorReason: `status` (not OK) carrying `reason` as its ErrorInfo
// reason, in place of the default its code would get.
absl::Status WithErrorReason(absl::Status status,
                             clinic::microneedling::v1::ErrorReason reason);

// The type URL of a message type, as google.protobuf.Any spells it.
std::string TypeUrlOf(const google::protobuf::Message& message);

}  // namespace mnrecords

#endif  // MNRECORDS_COMMON_ERROR_DETAILS_H_

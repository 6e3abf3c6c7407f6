#include "common/error_details.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

void Attach(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrlOf(detail), absl::Cord(detail.SerializeAsString()));
}

}  // namespace

std::string TypeUrlOf(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/", message.GetTypeName());
}

absl::Status ProtocolRuleError(const std::vector<RuleViolation>& violations) {
  google::rpc::PreconditionFailure failure;
  std::vector<std::string> lines;
  for (const RuleViolation& v : violations) {
    google::rpc::PreconditionFailure::Violation* out = failure.add_violations();
    out->set_type(v.code);
    out->set_subject(v.plugin);
    out->set_description(v.description);
    lines.push_back(absl::StrCat(v.code, " (", v.plugin, "): ", v.description));
  }
  absl::Status status =
      absl::FailedPreconditionError(absl::StrJoin(lines, "; "));
  Attach(status, failure);
  return WithErrorReason(std::move(status), v1::PROTOCOL_RULE_BLOCKED);
}

absl::Status WithErrorReason(absl::Status status, v1::ErrorReason reason) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(v1::ErrorReason_Name(reason));
  info.set_domain(std::string(kErrorDomain));
  Attach(status, info);
  return status;
}

}  // namespace mnrecords

#include "common/error_details.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

void Attach(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrlOf(detail), absl::Cord(detail.SerializeAsString()));
}

template <typename M>
absl::optional<M> Attached(const absl::Status& status) {
  const absl::optional<absl::Cord> payload =
      status.GetPayload(TypeUrlOf(M::default_instance()));
  M detail;
  if (!payload.has_value() || !detail.ParseFromString(std::string(*payload))) {
    return absl::nullopt;
  }
  return detail;
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

absl::optional<v1::ErrorReason> AttachedErrorReason(
    const absl::Status& status) {
  const absl::optional<google::rpc::ErrorInfo> info =
      Attached<google::rpc::ErrorInfo>(status);
  v1::ErrorReason reason;
  if (!info.has_value() || !v1::ErrorReason_Parse(info->reason(), &reason)) {
    return absl::nullopt;
  }
  return reason;
}

absl::optional<google::rpc::PreconditionFailure> AttachedPreconditionFailure(
    const absl::Status& status) {
  return Attached<google::rpc::PreconditionFailure>(status);
}

}  // namespace mnrecords

#include "client/error_details.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "google/rpc/error_details.pb.h"

namespace mnrecords {
namespace {

template <typename M>
bool ReadPayload(const absl::Status& status, M& detail) {
  const absl::optional<absl::Cord> payload = status.GetPayload(
      absl::StrCat("type.googleapis.com/", M::descriptor()->full_name()));
  return payload.has_value() && detail.ParseFromString(std::string(*payload));
}

}  // namespace

ErrorDetails GetErrorDetails(const absl::Status& status) {
  ErrorDetails out;
  if (google::rpc::ErrorInfo info; ReadPayload(status, info)) {
    out.reason = info.reason();
    out.domain = info.domain();
    out.metadata.insert(info.metadata().begin(), info.metadata().end());
  }
  if (google::rpc::BadRequest request; ReadPayload(status, request)) {
    for (const auto& v : request.field_violations()) {
      out.field_violations.push_back({v.field(), v.description()});
    }
  }
  if (google::rpc::PreconditionFailure failure; ReadPayload(status, failure)) {
    for (const auto& v : failure.violations()) {
      out.precondition_violations.push_back(
          {v.type(), v.subject(), v.description()});
    }
  }
  return out;
}

}  // namespace mnrecords

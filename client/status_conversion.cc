#include "client/status_conversion.h"

#include <string>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"

namespace mnrecords {

absl::Status ToAbslStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  // grpc::StatusCode and absl::StatusCode share their numeric values
  // (0..16); anything outside that range is reported as UNKNOWN.
  const int code = static_cast<int>(status.error_code());
  absl::Status out =
      code < 0 || code > static_cast<int>(absl::StatusCode::kUnauthenticated)
          ? absl::UnknownError(status.error_message())
          : absl::Status(static_cast<absl::StatusCode>(code),
                         status.error_message());
  // The details trailer (a google.rpc.Status): each detail becomes a
  // payload under its type URL. Details that do not parse are dropped; the
  // code and message stand on their own.
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : details.details()) {
      out.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
  }
  return out;
}

}  // namespace mnrecords

// The one place where absl::Status becomes grpc::Status.
#ifndef MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_
#define MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace mnrecords {

// ToGrpcStatus maps the code one to one (the codes are the same set), keeps
// the message, and sends ToRpcStatus(status) as the error details (the
// grpc-status-details-bin trailer).
grpc::Status ToGrpcStatus(const absl::Status& status);

// ToRpcStatus: the google.rpc.Status of an error: its code and message, every
// detail attached to it (common/error_details.h), and always
// - a google.rpc.ErrorInfo (domain kErrorDomain): the attached reason, else
//   the default reason of the code;
// - for INVALID_ARGUMENT, a google.rpc.BadRequest: the attached one, else
//   one field violation read from the message, whose convention is
//   "<field path>: <what is wrong>" (server/validation/field_checks.h); a
//   message without a field path gives a violation of the whole request
//   (field "").
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status.
#ifndef MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_
#define MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace mnrecords {

// ToGrpcStatus maps the code one to one (the codes are the same set) and
// keeps the message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_STATUS_H_

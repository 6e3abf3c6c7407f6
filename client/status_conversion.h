// The one place where a grpc::Status becomes an absl::Status.
#ifndef MNRECORDS_CLIENT_STATUS_CONVERSION_H_
#define MNRECORDS_CLIENT_STATUS_CONVERSION_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace mnrecords {

// ToAbslStatus returns an absl::Status with the same code (the codes match
// one to one) and the same message. The error details the server sent
// (google.rpc.Status.details) become payloads keyed by their type URL;
// read them with GetErrorDetails (client/error_details.h).
absl::Status ToAbslStatus(const grpc::Status& status);

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_STATUS_CONVERSION_H_

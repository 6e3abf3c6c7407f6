// The one place where a grpc::Status becomes an absl::Status.
#ifndef MNRECORDS_CLIENT_STATUS_CONVERSION_H_
#define MNRECORDS_CLIENT_STATUS_CONVERSION_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace mnrecords {

// ToAbslStatus returns an absl::Status with the same code (the codes match
// one to one) and the same message. Error details are not carried over.
absl::Status ToAbslStatus(const grpc::Status& status);

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_STATUS_CONVERSION_H_

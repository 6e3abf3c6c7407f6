// Requests carrying fields this server does not know are refused, so that a
// newer client's data is never silently dropped from a record nor stored as
// opaque bytes.
#ifndef MNRECORDS_SERVER_GRPC_UNKNOWN_FIELDS_H_
#define MNRECORDS_SERVER_GRPC_UNKNOWN_FIELDS_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace mnrecords {

// CheckNoUnknownFields returns INVALID_ARGUMENT naming the path and number
// of the first unknown field in `message` or any message inside it.
absl::Status CheckNoUnknownFields(const google::protobuf::Message& message);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_UNKNOWN_FIELDS_H_

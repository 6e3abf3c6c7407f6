// Conversions between google.protobuf.Timestamp and absl::Time.
#ifndef MNRECORDS_COMMON_TIME_UTIL_H_
#define MNRECORDS_COMMON_TIME_UTIL_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace mnrecords {

// ToProtoTime converts an absl::Time (microsecond precision kept).
google::protobuf::Timestamp ToProtoTime(absl::Time t);

// FromProtoTime converts a Timestamp that passed ValidateTimestamp.
absl::Time FromProtoTime(const google::protobuf::Timestamp& ts);

// ToUnixMicros of a Timestamp that passed ValidateTimestamp.
int64_t ProtoTimeToMicros(const google::protobuf::Timestamp& ts);

// ValidateTimestamp checks that `ts` is within 0001-01-01..9999-12-31 with
// nanos in [0, 1e9) (the Timestamp contract). INVALID_ARGUMENT names field.
absl::Status ValidateTimestamp(absl::string_view field,
                               const google::protobuf::Timestamp& ts);

}  // namespace mnrecords

#endif  // MNRECORDS_COMMON_TIME_UTIL_H_

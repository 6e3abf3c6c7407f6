// grpc.health.v1 messages encoded by hand, so the library carries no second
// generated copy of health.proto (two copies in one process abort at
// startup in the protobuf descriptor pool).
#ifndef MNRECORDS_CLIENT_INTERNAL_HEALTH_CODEC_H_
#define MNRECORDS_CLIENT_INTERNAL_HEALTH_CODEC_H_

#include <string>

#include "absl/status/statusor.h"

namespace mnrecords {
namespace internal {

inline constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";

// HealthCheckResponse.ServingStatus values.
enum class ServingStatus {
  kUnknown = 0,
  kServing = 1,
  kNotServing = 2,
  kServiceUnknown = 3
};

// EncodeHealthCheckRequest returns HealthCheckRequest{service} in wire form.
std::string EncodeHealthCheckRequest(const std::string& service);

// DecodeHealthCheckResponse returns the status field of a wire-form
// HealthCheckResponse (unknown fields skipped), or DATA_LOSS if malformed.
absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(
    const std::string& bytes);

}  // namespace internal
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_INTERNAL_HEALTH_CODEC_H_

#include "client/internal/health_codec.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace mnrecords {
namespace internal {

using ::google::protobuf::internal::WireFormatLite;

std::string EncodeHealthCheckRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;  // proto3: a default field is not sent
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  WireFormatLite::WriteString(1, service, &coded);
  coded.Trim();
  return out;
}

absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(
    const std::string& bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  std::uint32_t status = 0;  // proto3 default: UNKNOWN
  while (std::uint32_t tag = in.ReadTag()) {
    if (tag == WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_VARINT)) {
      if (!in.ReadVarint32(&status)) break;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError("malformed grpc.health.v1 response");
    }
  }
  if (!in.ConsumedEntireMessage()) {
    return absl::DataLossError("malformed grpc.health.v1 response");
  }
  if (status > 3) return ServingStatus::kUnknown;
  return static_cast<ServingStatus>(status);
}

}  // namespace internal
}  // namespace mnrecords

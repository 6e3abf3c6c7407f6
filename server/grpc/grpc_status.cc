#include "server/grpc/grpc_status.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "clinic/microneedling/v1/error_reason.pb.h"
#include "common/error_details.h"
#include "google/rpc/error_details.pb.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

v1::ErrorReason DefaultReason(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return v1::INVALID_FIELD;
    case absl::StatusCode::kFailedPrecondition:
      return v1::RECORD_STATE_CONFLICT;
    case absl::StatusCode::kAborted:
      return v1::ETAG_MISMATCH;
    case absl::StatusCode::kNotFound:
      return v1::RECORD_NOT_FOUND;
    case absl::StatusCode::kAlreadyExists:
      return v1::RECORD_ALREADY_EXISTS;
    case absl::StatusCode::kUnauthenticated:
      return v1::CREDENTIALS_REJECTED;
    case absl::StatusCode::kPermissionDenied:
      return v1::ACCESS_DENIED;
    case absl::StatusCode::kResourceExhausted:
      return v1::SERVER_AT_CAPACITY;
    case absl::StatusCode::kUnavailable:
      return v1::SERVICE_UNAVAILABLE;
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
      return v1::CALL_NOT_COMPLETED;
    case absl::StatusCode::kOutOfRange:
      return v1::OUT_OF_RANGE_REQUEST;
    case absl::StatusCode::kUnimplemented:
      return v1::NOT_IMPLEMENTED;
    default:
      return v1::SERVER_FAULT;
  }
}

bool IsFieldPathChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.' || c == '[' || c == ']';
}

// The violation an INVALID_ARGUMENT message describes: "<field path>: <what
// is wrong>", or the whole request when the message starts otherwise.
google::rpc::BadRequest FromMessage(absl::string_view message) {
  google::rpc::BadRequest request;
  google::rpc::BadRequest::FieldViolation* violation =
      request.add_field_violations();
  const size_t colon = message.find(": ");
  absl::string_view field =
      colon == absl::string_view::npos ? "" : message.substr(0, colon);
  for (char c : field) {
    if (!IsFieldPathChar(c)) {
      field = "";
      break;
    }
  }
  violation->set_field(std::string(field));
  violation->set_description(
      std::string(field.empty() ? message : message.substr(colon + 2)));
  return request;
}

void Add(google::rpc::Status& rpc, const google::protobuf::Message& detail) {
  google::protobuf::Any* any = rpc.add_details();
  any->set_type_url(TypeUrlOf(detail));
  any->set_value(detail.SerializeAsString());
}

}  // namespace

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  if (status.ok()) return rpc;
  const std::string error_info = TypeUrlOf(google::rpc::ErrorInfo());
  const std::string bad_request = TypeUrlOf(google::rpc::BadRequest());
  bool has_error_info = false;
  bool has_bad_request = false;
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& value) {
        has_error_info |= type_url == error_info;
        has_bad_request |= type_url == bad_request;
        google::protobuf::Any* any = rpc.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(value));
      });
  if (!has_error_info) {
    google::rpc::ErrorInfo info;
    info.set_reason(v1::ErrorReason_Name(DefaultReason(status.code())));
    info.set_domain(std::string(kErrorDomain));
    Add(rpc, info);
  }
  if (status.code() == absl::StatusCode::kInvalidArgument && !has_bad_request) {
    Add(rpc, FromMessage(status.message()));
  }
  return rpc;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

}  // namespace mnrecords

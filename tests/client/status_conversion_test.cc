#include "client/status_conversion.h"

#include "client/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

TEST(StatusConversionTest, OkIsOk) {
  EXPECT_EQ(ToAbslStatus(grpc::Status::OK), absl::OkStatus());
}

TEST(StatusConversionTest, EveryCodeMapsOneToOneAndKeepsTheMessage) {
  for (int code = 1; code <= 16; ++code) {
    const grpc::Status in(static_cast<grpc::StatusCode>(code),
                          "session.treated_areas[0].needle_depth_mm: 4.5");
    const absl::Status out = ToAbslStatus(in);
    EXPECT_EQ(static_cast<int>(out.code()), code);
    EXPECT_EQ(out.message(), "session.treated_areas[0].needle_depth_mm: 4.5");
  }
}

TEST(StatusConversionTest, NamedCodesMatch) {
  EXPECT_EQ(
      ToAbslStatus(grpc::Status(grpc::StatusCode::ABORTED, "etag")).code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(
      ToAbslStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "")).code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ToAbslStatus(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                      "no consent"))
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StatusConversionTest, OutOfRangeCodeIsUnknown) {
  const absl::Status out =
      ToAbslStatus(grpc::Status(static_cast<grpc::StatusCode>(42), "odd"));
  EXPECT_EQ(out.code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(out.message(), "odd");
}

// The details trailer (a google.rpc.Status) survives the conversion and
// reads back through GetErrorDetails; a trailer that does not parse is
// dropped, the code and message kept.
TEST(StatusConversionTest, ErrorDetailsTravel) {
  google::rpc::Status details;
  details.set_code(9);
  google::rpc::ErrorInfo info;
  info.set_reason("PROTOCOL_RULE_BLOCKED");
  info.set_domain("mnrecords.clinic");
  (*info.mutable_metadata())["clinic"] = "c1";
  details.add_details()->PackFrom(info);
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type("MNP-PREP-TOPICALS");
  violation->set_subject("microneedling-protocol");
  violation->set_description("retinoids last used 2 days before");
  details.add_details()->PackFrom(failure);
  google::rpc::BadRequest bad;
  auto* field = bad.add_field_violations();
  field->set_field("session.performed_at");
  field->set_description("required");
  details.add_details()->PackFrom(bad);

  const absl::Status out =
      ToAbslStatus(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                "blocked", details.SerializeAsString()));
  EXPECT_EQ(out.code(), absl::StatusCode::kFailedPrecondition);
  const ErrorDetails read = GetErrorDetails(out);
  EXPECT_EQ(read.reason, "PROTOCOL_RULE_BLOCKED");
  EXPECT_EQ(read.domain, "mnrecords.clinic");
  EXPECT_EQ(read.metadata.at("clinic"), "c1");
  ASSERT_EQ(read.precondition_violations.size(), 1u);
  EXPECT_EQ(read.precondition_violations[0].type, "MNP-PREP-TOPICALS");
  EXPECT_EQ(read.precondition_violations[0].subject, "microneedling-protocol");
  ASSERT_EQ(read.field_violations.size(), 1u);
  EXPECT_EQ(read.field_violations[0].field, "session.performed_at");

  const absl::Status garbled = ToAbslStatus(grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT, "x: y", "\xff\xff not a proto"));
  EXPECT_EQ(garbled.message(), "x: y");
  EXPECT_TRUE(GetErrorDetails(garbled).reason.empty());
  EXPECT_TRUE(GetErrorDetails(absl::OkStatus()).field_violations.empty());
}

}  // namespace
}  // namespace mnrecords

#include "client/status_conversion.h"

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

}  // namespace
}  // namespace mnrecords

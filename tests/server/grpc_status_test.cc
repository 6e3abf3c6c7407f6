// The one mapping from absl::Status to grpc::Status and its details
// (server/grpc/grpc_status.h).
#include "server/grpc/grpc_status.h"

#include "common/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

template <typename M>
std::vector<M> Unpacked(const google::rpc::Status& status) {
  std::vector<M> out;
  for (const google::protobuf::Any& any : status.details()) {
    M detail;
    if (any.UnpackTo(&detail)) out.push_back(detail);
  }
  return out;
}

TEST(GrpcStatusTest, InvalidArgumentNamesTheFieldOfItsMessage) {
  const google::rpc::Status rpc = ToRpcStatus(absl::InvalidArgumentError(
      "session.treated_areas[0].needle_depth_mm: must be between 0.1 and 3, "
      "got 4"));
  EXPECT_EQ(rpc.code(), 3);
  const auto requests = Unpacked<google::rpc::BadRequest>(rpc);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].field_violations_size(), 1);
  EXPECT_EQ(requests[0].field_violations(0).field(),
            "session.treated_areas[0].needle_depth_mm");
  EXPECT_EQ(requests[0].field_violations(0).description(),
            "must be between 0.1 and 3, got 4");
  const auto infos = Unpacked<google::rpc::ErrorInfo>(rpc);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "INVALID_FIELD");
  EXPECT_EQ(infos[0].domain(), "mnrecords.clinic");
}

TEST(GrpcStatusTest, MessageWithoutFieldPathIsAboutTheWholeRequest) {
  for (const char* message :
       {"record name must not be empty", "a b: not a path", ": empty"}) {
    SCOPED_TRACE(message);
    const auto requests = Unpacked<google::rpc::BadRequest>(
        ToRpcStatus(absl::InvalidArgumentError(message)));
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].field_violations(0).field(), "");
    EXPECT_EQ(requests[0].field_violations(0).description(), message);
  }
}

TEST(GrpcStatusTest, EachCodeHasAStableDefaultReason) {
  EXPECT_EQ(Unpacked<google::rpc::ErrorInfo>(
                ToRpcStatus(absl::NotFoundError("clinics/c1/patients/x")))[0]
                .reason(),
            "RECORD_NOT_FOUND");
  EXPECT_EQ(Unpacked<google::rpc::ErrorInfo>(
                ToRpcStatus(absl::InternalError("oops")))[0]
                .reason(),
            "SERVER_FAULT");
  EXPECT_EQ(Unpacked<google::rpc::ErrorInfo>(
                ToRpcStatus(absl::DataLossError("torn page")))[0]
                .reason(),
            "SERVER_FAULT");
  EXPECT_TRUE(Unpacked<google::rpc::BadRequest>(
                  ToRpcStatus(absl::NotFoundError("x: y")))
                  .empty());
}

TEST(GrpcStatusTest, AttachedDetailsTravelAndReplaceTheDefaults) {
  const absl::Status blocked = ProtocolRuleError(
      {{"MNP-A", "protocol", "first"}, {"MNP-B", "protocol", "second"}});
  EXPECT_EQ(blocked.message(),
            "MNP-A (protocol): first; MNP-B (protocol): "
            "second");
  const google::rpc::Status rpc = ToRpcStatus(blocked);
  const auto infos = Unpacked<google::rpc::ErrorInfo>(rpc);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason(), "PROTOCOL_RULE_BLOCKED");
  const auto failures = Unpacked<google::rpc::PreconditionFailure>(rpc);
  ASSERT_EQ(failures.size(), 1u);
  ASSERT_EQ(failures[0].violations_size(), 2);
  EXPECT_EQ(failures[0].violations(1).type(), "MNP-B");
  EXPECT_EQ(failures[0].violations(1).subject(), "protocol");
  EXPECT_EQ(failures[0].violations(1).description(), "second");

  const grpc::Status sent = ToGrpcStatus(blocked);
  google::rpc::Status trailer;
  ASSERT_TRUE(trailer.ParseFromString(sent.error_details()));
  EXPECT_EQ(trailer.SerializeAsString(), rpc.SerializeAsString());
}

TEST(GrpcStatusTest, OkHasNoDetails) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).error_details().empty());
}

}  // namespace
}  // namespace mnrecords

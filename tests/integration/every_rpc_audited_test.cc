// Auditing is not optional: every RPC of every mnrecords service, called
// with an empty request (so most fail validation), appends exactly one
// audit event naming that method and the call's outcome. The list of RPCs
// comes from the proto descriptors, so an RPC added later is covered
// without touching this test.
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// CallEmpty calls `method` with an empty request and returns its status.
grpc::Status CallEmpty(grpc::GenericStub& stub, const std::string& method,
                       const std::string& token) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::Slice slice("");
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return status;
}

TEST(EveryRpcAuditedTest, EachCallAppendsOneEventWithItsMethodAndOutcome) {
  TestServer server;
  auto channel =
      grpc::CreateChannel(server.target(), grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  int calls = 0;
  for (const char* name :
       {v1::TreatmentRecords::service_full_name(),
        v1::Consents::service_full_name(), v1::Audit::service_full_name(),
        v1::Admin::service_full_name(), v1::ChangeFeed::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method =
          "/" + service->full_name() + "/" + service->method(i)->name();
      SCOPED_TRACE(method);
      auto before = server.auditor_client().GetAuditCheckpoint();
      ASSERT_TRUE(before.ok()) << before.status();
      // The checkpoint call appended its own event: before + 1.
      const grpc::Status status = CallEmpty(stub, method, server.token("ehr"));
      ASSERT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
      v1::ListAuditEventsRequest list;
      list.set_parent("clinics/-");
      list.set_action(method);
      auto events = server.auditor_client().ListAllAuditEvents(list);
      ASSERT_TRUE(events.ok()) << events.status();
      std::vector<v1::AuditEvent> mine;
      for (const auto& e : *events) {
        if (e.sequence() == before->sequence() + 2) mine.push_back(e);
      }
      ASSERT_EQ(mine.size(), 1u) << "no audit event right after the call";
      EXPECT_EQ(mine[0].outcome(), static_cast<int>(status.error_code()));
      EXPECT_EQ(mine[0].principal(), "ehr");
      ++calls;
    }
  }
  EXPECT_GE(calls, 34);  // 18 TreatmentRecords + 13 Consents + 3 Audit
  auto verified = server.auditor_client().VerifyAuditLog({});
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->problem();
}

}  // namespace
}  // namespace mnrecords::testing

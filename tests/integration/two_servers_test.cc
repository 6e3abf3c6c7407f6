// Two servers on one PostgreSQL database keep the promises of one: a
// request_id retried on the other server returns the first result and
// stores nothing new; of two concurrent amendments of one record through
// the two servers exactly one wins and the other is ABORTED; the audit log
// is one chain with an event for every call of both servers; a watch on
// one server sees the writes of both, once each, in the order every reader
// of the database sees them.
//
// ctest runs it with MNRECORDS_TEST_BACKEND=postgres.
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class TwoServersTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(TestBackendIsPostgres()); }
  static TestServerOptions SameDatabase(const TestServer& other) {
    TestServerOptions options;
    options.database = other.db_path();
    return options;
  }

  TestServer a_;
  TestServer b_{SameDatabase(a_)};
};

TEST_F(TwoServersTest, ARetryOnTheOtherServerReturnsTheFirstResult) {
  v1::CreatePatientRequest create = PatientRequest("c1", "MRN-TWO-1");
  create.set_request_id(NewRequestId());
  auto first = a_.client().CreatePatient(create);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = b_.client().CreatePatient(create);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(again->etag(), first->etag());
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  auto patients = b_.client().ListAllPatients(list);
  ASSERT_TRUE(patients.ok()) << patients.status();
  EXPECT_EQ(patients->size(), 1u);
}

TEST_F(TwoServersTest, ConcurrentAmendmentsThroughBothServersOneWins) {
  auto patient = a_.client().CreatePatient(PatientRequest("c1", "MRN-TWO-2"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  for (int round = 0; round < 10; ++round) {
    v1::GetPatientRequest get;
    get.set_name(patient->name());
    auto current = b_.client().GetPatient(get);
    ASSERT_TRUE(current.ok()) << current.status();
    auto amend = [&](RecordsClient& client, const std::string& author,
                     absl::StatusCode* code) {
      v1::AmendPatientRequest request;
      *request.mutable_patient() = *current;
      request.mutable_patient()->set_fitzpatrick_skin_type(
          current->fitzpatrick_skin_type() == v1::FITZPATRICK_SKIN_TYPE_V
              ? v1::FITZPATRICK_SKIN_TYPE_IV
              : v1::FITZPATRICK_SKIN_TYPE_V);
      request.mutable_update_mask()->add_paths("fitzpatrick_skin_type");
      request.set_etag(current->etag());
      request.set_request_id(NewRequestId());
      request.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
      request.mutable_amendment()->set_reason("concurrent correction");
      request.mutable_amendment()->set_author(author);
      *code = client.AmendPatient(request).status().code();
    };
    absl::StatusCode via_a = absl::StatusCode::kUnknown;
    absl::StatusCode via_b = absl::StatusCode::kUnknown;
    std::thread t([&] { amend(a_.client(), "dr-a", &via_a); });
    amend(b_.client(), "dr-b", &via_b);
    t.join();
    SCOPED_TRACE(absl::StrCat("round ", round));
    EXPECT_EQ(
        (via_a == absl::StatusCode::kOk) + (via_b == absl::StatusCode::kOk), 1);
    EXPECT_TRUE(via_a == absl::StatusCode::kAborted ||
                via_b == absl::StatusCode::kAborted);
    auto after = a_.client().GetPatient(get);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_EQ(after->revision().revision_id(),
              current->revision().revision_id() + 1);
  }
}

TEST_F(TwoServersTest, TheAuditLogIsOneChainOfBothServersCalls) {
  for (int i = 0; i < 20; ++i) {
    TestServer& server = i % 2 == 0 ? a_ : b_;
    auto created = server.client().CreatePatient(
        PatientRequest("c1", absl::StrCat("MRN-TWO-A", i)));
    ASSERT_TRUE(created.ok()) << created.status();
  }
  v1::VerifyAuditLogRequest verify;
  auto verified = a_.auditor_client().VerifyAuditLog(verify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
  v1::ListAuditEventsRequest events;
  events.set_parent("clinics/c1");
  events.set_action("/clinic.microneedling.v1.TreatmentRecords/CreatePatient");
  auto listed = b_.auditor_client().ListAllAuditEvents(events);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 20u);
}

TEST_F(TwoServersTest, AWatchOnOneServerSeesTheWritesOfBoth) {
  auto stub = v1::ChangeFeed::NewStub(
      grpc::CreateChannel(a_.target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + a_.token("ehr"));
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  auto stream = stub->WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(stream->Read(&response));  // the watch is open

  constexpr int kPerServer = 20;
  std::set<std::string> written;
  std::mutex written_mu;
  auto write = [&](TestServer& server, const std::string& prefix) {
    for (int i = 0; i < kPerServer; ++i) {
      auto p = server.client().CreatePatient(
          PatientRequest("c1", absl::StrCat(prefix, i)));
      ASSERT_TRUE(p.ok()) << p.status();
      std::lock_guard<std::mutex> lock(written_mu);
      written.insert(p->name());
    }
  };
  std::thread through_a(write, std::ref(a_), "MRN-A-");
  std::thread through_b(write, std::ref(b_), "MRN-B-");
  through_a.join();
  through_b.join();

  std::vector<v1::Change> watched;
  while (watched.size() < 2 * kPerServer && stream->Read(&response)) {
    for (const v1::Change& c : response.changes()) watched.push_back(c);
  }
  context.TryCancel();
  while (stream->Read(&response)) {
  }
  stream->Finish();
  ASSERT_EQ(watched.size(), 2u * kPerServer);
  std::set<std::string> seen;
  for (size_t i = 0; i < watched.size(); ++i) {
    EXPECT_TRUE(seen.insert(watched[i].name()).second)
        << watched[i].name() << " twice";
    if (i > 0) {
      EXPECT_LT(watched[i - 1].cursor(), watched[i].cursor());
    }
  }
  EXPECT_EQ(seen, written);

  // The other server lists the same changes in the same order.
  auto stub_b = v1::ChangeFeed::NewStub(
      grpc::CreateChannel(b_.target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext list_context;
  list_context.AddMetadata("authorization", "Bearer " + b_.token("ehr"));
  v1::ListChangesRequest list;
  list.set_parent("clinics/c1");
  list.set_page_size(1000);
  v1::ListChangesResponse listed;
  ASSERT_TRUE(stub_b->ListChanges(&list_context, list, &listed).ok());
  ASSERT_EQ(listed.changes_size(), static_cast<int>(watched.size()));
  for (int i = 0; i < listed.changes_size(); ++i) {
    EXPECT_EQ(listed.changes(i).cursor(), watched[i].cursor());
    EXPECT_EQ(listed.changes(i).name(), watched[i].name());
  }
}

}  // namespace
}  // namespace mnrecords::testing

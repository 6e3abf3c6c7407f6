// RecordsClient against a real gRPC server on loopback (fake_records_server).
#include "client/client.h"

#include <regex>
#include <set>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/client/fake_records_server.h"

namespace mnrecords {
namespace {

using ::mnrecords::testing::FakeRecordsServer;

const std::regex kUuidV4(
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

class ClientTest : public ::testing::Test {
 protected:
  RecordsClient MakeClient(int max_attempts = 4) {
    ClientOptions options;
    options.target = server_.target();
    options.max_attempts = max_attempts;
    options.initial_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(5);
    options.default_timeout = absl::Seconds(10);
    auto client = RecordsClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return *client;
  }

  static v1::CreatePatientRequest CreateRequest() {
    v1::CreatePatientRequest request;
    request.set_parent("clinics/c1");
    auto* id = request.mutable_patient()->add_identifiers();
    id->set_system("urn:mrn");
    id->set_value("12345");
    return request;
  }

  FakeRecordsServer server_;
};

TEST_F(ClientTest, EmptyRequestIdGetsAUuidThatEveryRetryReuses) {
  server_.service().FailFirst(2);
  auto patient = MakeClient().CreatePatient(CreateRequest());
  ASSERT_TRUE(patient.ok()) << patient.status();

  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_TRUE(std::regex_match(calls[0].request_id, kUuidV4))
      << calls[0].request_id;
  EXPECT_EQ(calls[1].request_id, calls[0].request_id);
  EXPECT_EQ(calls[2].request_id, calls[0].request_id);
  EXPECT_EQ(patient->name(), "clinics/c1/patients/p-" + calls[0].request_id);
}

TEST_F(ClientTest, ProvidedRequestIdIsKept) {
  server_.service().FailFirst(1);
  auto request = CreateRequest();
  request.set_request_id("ehr-msg-0001");
  auto patient = MakeClient().CreatePatient(request);
  ASSERT_TRUE(patient.ok()) << patient.status();
  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request_id, "ehr-msg-0001");
  EXPECT_EQ(calls[1].request_id, "ehr-msg-0001");
}

TEST_F(ClientTest, SeparateCallsGetSeparateRequestIds) {
  auto client = MakeClient();
  ASSERT_TRUE(client.CreatePatient(CreateRequest()).ok());
  ASSERT_TRUE(client.CreatePatient(CreateRequest()).ok());
  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(calls[0].request_id, calls[1].request_id);
}

TEST_F(ClientTest, GivesUpAfterMaxAttemptsWithUnavailable) {
  server_.service().FailFirst(100);
  auto patient = MakeClient(/*max_attempts=*/3).CreatePatient(CreateRequest());
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(patient.status().message(), "scripted outage");
  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(std::set<std::string>(
                {calls[0].request_id, calls[1].request_id, calls[2].request_id})
                .size(),
            1u);
}

TEST_F(ClientTest, MaxAttemptsOneMeansNoRetry) {
  server_.service().FailFirst(1);
  auto patient = MakeClient(/*max_attempts=*/1).CreatePatient(CreateRequest());
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(server_.service().calls().size(), 1u);
}

TEST_F(ClientTest, InvalidArgumentIsNotRetriedAndKeepsItsMessage) {
  server_.service().SetFinalStatus(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                   "patient.identifiers[0].system: must be a URI"));
  auto patient = MakeClient().CreatePatient(CreateRequest());
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(patient.status().message(),
            "patient.identifiers[0].system: must be a URI");
  EXPECT_EQ(server_.service().calls().size(), 1u);
}

TEST_F(ClientTest, AbortedIsNotRetried) {
  server_.service().SetFinalStatus(
      grpc::Status(grpc::StatusCode::ABORTED, "etag mismatch"));
  auto patient = MakeClient().CreatePatient(CreateRequest());
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(server_.service().calls().size(), 1u);
}

TEST_F(ClientTest, ReadsAreRetriedOnUnavailable) {
  server_.service().FailFirst(2);
  v1::GetPatientRequest request;
  request.set_name("clinics/c1/patients/p1");
  auto patient = MakeClient().GetPatient(request);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->name(), "clinics/c1/patients/p1");
  EXPECT_EQ(server_.service().calls().size(), 3u);
}

TEST_F(ClientTest, WriteDeadlineExceededIsNotRetried) {
  auto client = MakeClient();
  ASSERT_TRUE(client.CreatePatient(CreateRequest()).ok());  // connect first
  server_.service().SetDelay(absl::Milliseconds(500));
  v1::LogSessionRequest request;
  request.set_parent("clinics/c1/patients/p1/courses/k1");
  CallOptions call;
  call.timeout = absl::Milliseconds(100);
  auto session = client.LogSession(request, call);
  EXPECT_EQ(session.status().code(), absl::StatusCode::kDeadlineExceeded);
  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].method, "LogSession");
  EXPECT_TRUE(std::regex_match(calls[1].request_id, kUuidV4));
}

TEST_F(ClientTest, DeadlineBoundsAllRetries) {
  server_.service().FailFirst(1000);
  ClientOptions options;
  options.target = server_.target();
  options.max_attempts = 1000;
  options.initial_backoff = absl::Milliseconds(20);
  options.max_backoff = absl::Milliseconds(20);
  options.default_timeout = absl::Milliseconds(300);
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok());
  const absl::Time start = absl::Now();
  auto patient = client->CreatePatient(CreateRequest());
  // The server's UNAVAILABLE; or DEADLINE_EXCEEDED when a slow machine (the
  // sanitizer build) still ran a last attempt into the deadline.
  EXPECT_TRUE(patient.status().code() == absl::StatusCode::kUnavailable ||
              patient.status().code() == absl::StatusCode::kDeadlineExceeded)
      << patient.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_LT(server_.service().calls().size(), 100u);
}

TEST_F(ClientTest, BearerTokenIsSentOnEveryAttempt) {
  server_.service().FailFirst(1);
  ClientOptions options;
  options.target = server_.target();
  options.initial_backoff = absl::Milliseconds(1);
  options.bearer_token = "s3cret-t0ken";
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client->CreatePatient(CreateRequest()).ok());
  const auto calls = server_.service().calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].authorization, "Bearer s3cret-t0ken");
  EXPECT_EQ(calls[1].authorization, "Bearer s3cret-t0ken");
}

TEST_F(ClientTest, NoTokenNoAuthorizationMetadata) {
  ASSERT_TRUE(MakeClient().CreatePatient(CreateRequest()).ok());
  EXPECT_EQ(server_.service().calls().at(0).authorization, "");
}

TEST_F(ClientTest, CopiesShareTheConnection) {
  RecordsClient a = MakeClient();
  RecordsClient b = a;
  ASSERT_TRUE(a.CreatePatient(CreateRequest()).ok());
  ASSERT_TRUE(b.CreatePatient(CreateRequest()).ok());
  EXPECT_EQ(server_.service().calls().size(), 2u);
}

TEST_F(ClientTest, UnimplementedServiceIsNotRetried) {
  // The fake server has no Consents service.
  v1::RecordConsentRequest request;
  request.set_parent("clinics/c1/patients/p1");
  auto consent = MakeClient().RecordConsent(request);
  EXPECT_EQ(consent.status().code(), absl::StatusCode::kUnimplemented);
}

TEST_F(ClientTest, ListAllWalksEveryPage) {
  server_.service().SetPages(3, /*repeat_token=*/false);
  v1::ListPatientsRequest request;
  request.set_parent("clinics/c1");
  auto patients = MakeClient().ListAllPatients(request);
  ASSERT_TRUE(patients.ok()) << patients.status();
  ASSERT_EQ(patients->size(), 6u);
  EXPECT_EQ((*patients)[0].name(), "clinics/c1/patients/p0");
  EXPECT_EQ((*patients)[5].name(), "clinics/c1/patients/p5");
  EXPECT_EQ(server_.service().calls().size(), 3u);
}

TEST_F(ClientTest, ListAllStopsOnARepeatedToken) {
  server_.service().SetPages(3, /*repeat_token=*/true);
  v1::ListPatientsRequest request;
  request.set_parent("clinics/c1");
  auto patients = MakeClient().ListAllPatients(request);
  EXPECT_EQ(patients.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(server_.service().calls().size(), 2u);
}

TEST_F(ClientTest, IsServingFollowsTheHealthService) {
  auto client = MakeClient();
  auto serving = client.IsServing();
  ASSERT_TRUE(serving.ok()) << serving.status();
  EXPECT_TRUE(*serving);

  server_.server().GetHealthCheckService()->SetServingStatus(false);
  serving = client.IsServing();
  ASSERT_TRUE(serving.ok()) << serving.status();
  EXPECT_FALSE(*serving);
}

TEST_F(ClientTest, IsServingOfAnUnknownServiceIsNotFound) {
  auto serving = MakeClient().IsServing("no.such.Service");
  EXPECT_EQ(serving.status().code(), absl::StatusCode::kNotFound);
}

TEST(ClientNoServerTest, UnreachableServerIsUnavailable) {
  ClientOptions options;
  options.target = "127.0.0.1:1";  // nothing listens on port 1
  options.max_attempts = 2;
  options.initial_backoff = absl::Milliseconds(1);
  // The retry waits for a connection until the deadline, then gives up.
  options.default_timeout = absl::Seconds(1);
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->IsServing().status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(client->GetPatient(v1::GetPatientRequest()).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(ClientOptionsTest, BadOptionsAreInvalidArgument) {
  ClientOptions options;
  EXPECT_EQ(RecordsClient::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);  // no target
  options.target = "localhost:50051";
  options.max_attempts = 0;
  EXPECT_EQ(RecordsClient::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.max_attempts = 4;
  options.bearer_token = "abc\r\nx-evil: 1";
  EXPECT_EQ(RecordsClient::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.bearer_token = "";
  options.default_timeout = absl::ZeroDuration();
  EXPECT_EQ(RecordsClient::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.default_timeout = absl::Seconds(1);
  EXPECT_TRUE(RecordsClient::Create(options).ok());
  EXPECT_EQ(RecordsClient::CreateForChannel(nullptr, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClientOptionsTest, NonPositiveCallTimeoutIsInvalidArgument) {
  ClientOptions options;
  options.target = "127.0.0.1:1";
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok());
  CallOptions call;
  call.timeout = absl::ZeroDuration();
  EXPECT_EQ(client->GetPatient(v1::GetPatientRequest(), call).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->IsServing("", call).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mnrecords

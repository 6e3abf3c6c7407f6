// A client already connected to a server that restarts: its calls made
// while the server is down go out once it listens again, within their
// deadline, on the same channel (docs/client.md "Server restarts").
#include <iostream>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

TEST(ClientRecoveryTest, ACallDuringARestartSucceedsOnceTheServerIsBack) {
  TestServer server;
  // A client as an integrator makes one: RecordsClient::Create, defaults.
  ClientOptions options;
  options.target = server.target();
  options.bearer_token = server.token("ehr");
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  auto patient = client->CreatePatient(PatientRequest("c1", "MRN-1"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::GetPatientRequest get;
  get.set_name(patient->name());

  const int port = server.port();
  for (int restart = 0; restart < 3; ++restart) {
    SCOPED_TRACE(restart);
    server.Stop();
    // Down for longer than the retries' backoffs add up to (50 + 100 + 200
    // ms): without waiting for the connection the call would fail.
    absl::Time back_at;
    std::thread restarter([&] {
      absl::SleepFor(absl::Milliseconds(800));
      server.Start(port);
      back_at = absl::Now();
    });
    CallOptions call;
    call.timeout = absl::Seconds(15);
    auto read = client->GetPatient(get, call);
    const absl::Time answered = absl::Now();
    restarter.join();
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->name(), patient->name());
    std::cout << "restart " << restart << ": answered "
              << absl::FormatDuration(answered - back_at)
              << " after the server listened again\n";
    // A write on the same channel, right after.
    EXPECT_TRUE(client
                    ->CreatePatient(
                        PatientRequest("c1", absl::StrCat("MRN-R", restart)))
                    .ok());
  }
}

TEST(ClientRecoveryTest,
     ACallToAServerThatStaysDownIsUnavailableAtItsDeadline) {
  TestServer server;
  ClientOptions options;
  options.target = server.target();
  options.bearer_token = server.token("ehr");
  auto client = RecordsClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  server.Stop();
  CallOptions call;
  call.timeout = absl::Seconds(2);
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  // Nobody listens: the retry waits for a connection that never comes, and
  // the call ends UNAVAILABLE (not sent) at its deadline, not later.
  const absl::Time start = absl::Now();
  auto listed = client->ListPatients(list, call);
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kUnavailable)
      << listed.status();
  EXPECT_NE(listed.status().message().find("before the call's deadline"),
            std::string::npos)
      << listed.status();
  EXPECT_LT(took, absl::Seconds(4));
  // With one attempt, no waiting: UNAVAILABLE at once.
  options.max_attempts = 1;
  auto once = RecordsClient::Create(options);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->ListPatients(list, call).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mnrecords::testing

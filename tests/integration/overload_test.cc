// Overload and deadlines through the real server (docs/reliability.md "Overload
// and deadlines"). A server limited to a few calls in flight, on a slow disk
// (the fault VFS delays every fsync), is flooded with concurrent writes from
// many connections: health checking keeps answering within its deadline,
// calls beyond the limit fail at once with RESOURCE_EXHAUSTED (or
// UNAVAILABLE) instead of queueing, none runs past its deadline, and the
// process's memory stays flat from one flood to the next. And a write whose
// deadline passes while it waits for the writer is not stored.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "server/app/server_app.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MNR_HAS_ASAN 1
#endif
#endif
#ifndef MNR_HAS_ASAN
#define MNR_HAS_ASAN 0
#endif

namespace mnrecords::testing {
namespace {

constexpr int kMaxCallsInFlight = 4;
constexpr int kConnections = 16;
constexpr int kCallersPerConnection = 8;
constexpr int kSyncDelayMs = 20;

// ResidentMiB is this process's resident set size (server and clients).
double ResidentMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stod(line.substr(6)) / 1024.0;  // kB
    }
  }
  return 0;
}

class OverloadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(mnr_fault_vfs_register(), SQLITE_OK);
  }
  void SetUp() override {
    auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = server_.client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
    mnr_fault_vfs_set_sync_delay_ms(kSyncDelayMs);
  }
  void TearDown() override { mnr_fault_vfs_set_sync_delay_ms(0); }

  static TestServerOptions Limited() {
    TestServerOptions options;
    options.configure = [](ServerConfig& config, TestingOptions& test_only) {
      test_only.sqlite_vfs = MNR_FAULT_VFS_NAME;
      config.max_calls_in_flight = kMaxCallsInFlight;
    };
    return options;
  }

  // A client with one attempt on a connection of its own (a local
  // subchannel pool: gRPC would otherwise share one TCP connection).
  RecordsClient OwnConnectionClient() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    ClientOptions options;
    options.bearer_token = server_.token("ehr");
    options.max_attempts = 1;
    auto client = RecordsClient::CreateForChannel(
        grpc::CreateCustomChannel(server_.target(),
                                  grpc::InsecureChannelCredentials(), args),
        options);
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }

  v1::LogSessionRequest NewSession() {
    v1::LogSessionRequest request = SessionRequest(course_, TestNow());
    request.set_session_id(absl::StrCat("s", ++sessions_));
    return request;
  }

  TestServer server_{Limited()};
  std::string course_;
  std::atomic<int> sessions_{0};
};

TEST_F(OverloadTest, HealthAnswersAndExcessCallsAreRefusedNotQueued) {
  std::vector<RecordsClient> clients;
  for (int i = 0; i < kConnections; ++i)
    clients.push_back(OwnConnectionClient());
  RecordsClient health = OwnConnectionClient();
  const absl::Duration kCallDeadline = absl::Seconds(5);
  const absl::Duration kHealthDeadline = absl::Seconds(1);
  const absl::Duration kFlood = absl::Milliseconds(1500);

  std::vector<double> rss_after;
  const double rss_before = ResidentMiB();
  for (int round = 0; round < 3; ++round) {
    std::mutex mu;
    std::map<absl::StatusCode, int> codes;
    absl::Duration slowest_call;
    std::atomic<bool> flooding{true};
    std::vector<std::thread> callers;
    for (int c = 0; c < kConnections; ++c) {
      for (int k = 0; k < kCallersPerConnection; ++k) {
        callers.emplace_back([&, c] {
          while (flooding.load()) {
            const absl::Time start = absl::Now();
            auto done =
                clients[c].LogSession(NewSession(), CallOptions{kCallDeadline});
            const absl::Duration took = absl::Now() - start;
            {
              std::lock_guard<std::mutex> lock(mu);
              ++codes[done.status().code()];
              slowest_call = std::max(slowest_call, took);
            }
            // A refused caller backs off a little, as a real one would.
            if (!done.ok()) absl::SleepFor(absl::Milliseconds(5));
          }
        });
      }
    }
    int health_checks = 0;
    int health_failures = 0;
    absl::Duration slowest_health;
    const absl::Time flood_end = absl::Now() + kFlood;
    while (absl::Now() < flood_end) {
      const absl::Time start = absl::Now();
      auto serving = health.IsServing("", CallOptions{kHealthDeadline});
      slowest_health = std::max(slowest_health, absl::Now() - start);
      ++health_checks;
      if (!serving.ok() || !*serving) {
        ++health_failures;
        ADD_FAILURE() << "health check: "
                      << (serving.ok() ? "NOT_SERVING"
                                       : serving.status().ToString());
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    flooding = false;
    for (std::thread& t : callers) t.join();
    rss_after.push_back(ResidentMiB());

    int total = 0;
    std::string summary;
    for (const auto& [code, n] : codes) {
      total += n;
      absl::StrAppend(&summary, " ", absl::StatusCodeToString(code), "=", n);
      EXPECT_TRUE(code == absl::StatusCode::kOk ||
                  code == absl::StatusCode::kResourceExhausted ||
                  code == absl::StatusCode::kUnavailable)
          << absl::StatusCodeToString(code) << " x" << n;
    }
    std::printf(
        "round %d: %d callers on %d connections, %d calls:%s; slowest call "
        "%s; %d health checks, slowest %s; RSS %.1f MiB\n",
        round, kConnections * kCallersPerConnection, kConnections, total,
        summary.c_str(), absl::FormatDuration(slowest_call).c_str(),
        health_checks, absl::FormatDuration(slowest_health).c_str(),
        rss_after.back());
    EXPECT_GT(codes[absl::StatusCode::kResourceExhausted], 0);
    EXPECT_GT(codes[absl::StatusCode::kOk], 0);
    EXPECT_EQ(health_failures, 0);
    EXPECT_LT(slowest_health, kHealthDeadline);
    EXPECT_LT(slowest_call, kCallDeadline);
  }
  std::printf("RSS before %.1f MiB, after the floods %.1f / %.1f / %.1f MiB\n",
              rss_before, rss_after[0], rss_after[1], rss_after[2]);
  // Refused calls cost nothing that stays: the second and third floods do
  // not grow the process (a generous margin for allocator noise). Not under
  // AddressSanitizer, whose quarantine holds freed memory on purpose.
#if !defined(__SANITIZE_ADDRESS__) && !MNR_HAS_ASAN
  EXPECT_LT(rss_after[2] - rss_after[0], 32.0);
#endif
}

TEST_F(OverloadTest, AWriteWhoseDeadlinePassesWhileWaitingIsNotStored) {
  mnr_fault_vfs_set_sync_delay_ms(400);
  RecordsClient first = OwnConnectionClient();
  RecordsClient late = OwnConnectionClient();
  std::thread slow([&] {
    auto done = first.LogSession(NewSession());
    EXPECT_TRUE(done.ok()) << done.status();
  });
  absl::SleepFor(absl::Milliseconds(100));  // `first` now holds the writer
  const v1::LogSessionRequest request = NewSession();
  auto expired = late.LogSession(request, CallOptions{absl::Milliseconds(150)});
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kDeadlineExceeded)
      << expired.status();
  slow.join();
  mnr_fault_vfs_set_sync_delay_ms(0);
  // Once the writer is free, the late call's session is not there: the
  // server did not store what the caller had already given up on.
  auto after = server_.client().LogSession(NewSession());
  ASSERT_TRUE(after.ok()) << after.status();
  v1::GetSessionRequest get;
  get.set_name(absl::StrCat(course_, "/sessions/", request.session_id()));
  EXPECT_EQ(server_.client().GetSession(get).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mnrecords::testing

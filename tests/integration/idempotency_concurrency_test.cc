// Idempotency under concurrency, against the real server: one request_id
// sent by many callers at once creates one record and every caller gets the
// same (first) result; the request_id still answers with the first result
// after a restart and a day later; the same request_id with a different
// body is INVALID_ARGUMENT naming request_id, before and after a restart;
// and once its retention has passed, the id is forgotten.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/support/course_fixture.h"

namespace mnrecords::testing {
namespace {

// Barrier lets `n` threads pass Wait() only once all of them reached it.
class Barrier {
 public:
  explicit Barrier(int n) : left_(n) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--left_ == 0) {
      cv_.notify_all();
    } else {
      cv_.wait(lock, [this] { return left_ == 0; });
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

// AllAtOnce runs `call(i)` for i in [0, n) on n threads released together.
template <typename R, typename F>
std::vector<absl::StatusOr<R>> AllAtOnce(int n, F call) {
  std::vector<absl::StatusOr<R>> results(n, absl::UnknownError("not run"));
  Barrier barrier(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      barrier.Wait();
      results[i] = call(i);
    });
  }
  for (std::thread& t : threads) t.join();
  return results;
}

std::string Bytes(const google::protobuf::Message& m) {
  std::string out;
  m.SerializeToString(&out);
  return out;
}

// The sessions logged in `course` (-1 if they cannot be listed).
int SessionsOf(RecordsClient& client, const std::string& course) {
  v1::ListSessionsRequest list;
  list.set_parent(course);
  auto sessions = client.ListAllSessions(list);
  EXPECT_TRUE(sessions.ok()) << sessions.status();
  return sessions.ok() ? static_cast<int>(sessions->size()) : -1;
}

class IdempotencyConcurrencyTest : public CourseFixture {
 protected:
  int SessionCount() { return SessionsOf(client(), course_.name()); }
  int PatientCount() {
    v1::ListPatientsRequest list;
    list.set_parent("clinics/c1");
    auto patients = client().ListAllPatients(list);
    EXPECT_TRUE(patients.ok()) << patients.status();
    return patients.ok() ? static_cast<int>(patients->size()) : -1;
  }
};

TEST_F(IdempotencyConcurrencyTest, TenAtOnceCreateOneSessionWithOneResult) {
  const v1::LogSessionRequest request =
      SessionRequest(course_.name(), TestNow() - absl::Hours(2));
  // Ten callers, each its own connection, one request_id.
  std::vector<RecordsClient> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(server_.NewClient(server_.token("ehr")));
  }
  auto results = AllAtOnce<v1::TreatmentSession>(
      10, [&](int i) { return clients[i].LogSession(request); });
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(Bytes(*result), Bytes(*results[0]));
  }
  EXPECT_EQ(SessionCount(), 1);
}

TEST_F(IdempotencyConcurrencyTest, TenAtOnceCreateOnePatientWithGeneratedId) {
  const v1::CreatePatientRequest request = PatientRequest("c1", "MRN-TEN");
  ASSERT_TRUE(request.patient_id().empty());  // the server picks the id
  const int before = PatientCount();
  auto results = AllAtOnce<v1::Patient>(
      10, [&](int) { return client().CreatePatient(request); });
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(Bytes(*result), Bytes(*results[0]));
  }
  EXPECT_EQ(PatientCount(), before + 1);
}

TEST_F(IdempotencyConcurrencyTest, OneBodyWinsWhenTwoRaceForOneRequestId) {
  v1::LogSessionRequest a =
      SessionRequest(course_.name(), TestNow() - absl::Hours(2));
  v1::LogSessionRequest b = a;
  b.mutable_session()->set_duration_minutes(50);
  auto results = AllAtOnce<v1::TreatmentSession>(
      10, [&](int i) { return client().LogSession(i % 2 ? a : b); });
  std::string winner;
  std::string first_result;
  int ok = 0;
  for (int i = 0; i < 10; ++i) {
    if (!results[i].ok()) continue;
    if (++ok == 1) first_result = Bytes(*results[i]);
    EXPECT_EQ(Bytes(*results[i]), first_result) << "one result for all";
    winner = results[i]->duration_minutes() == 50 ? "b" : "a";
  }
  ASSERT_EQ(ok, 5) << "exactly the callers of the first body succeed";
  for (int i = 0; i < 10; ++i) {
    const bool sent_winner = (i % 2 ? "a" : "b") == winner;
    if (sent_winner) {
      ASSERT_TRUE(results[i].ok()) << results[i].status();
    } else {
      EXPECT_EQ(results[i].status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_TRUE(
          absl::StartsWith(results[i].status().message(), "request_id:"))
          << results[i].status();
    }
  }
  EXPECT_EQ(SessionCount(), 1);
}

TEST_F(IdempotencyConcurrencyTest, FirstResultSurvivesRestartAndADay) {
  const v1::LogSessionRequest request =
      SessionRequest(course_.name(), TestNow() - absl::Hours(2));
  auto first = client().LogSession(request);
  ASSERT_TRUE(first.ok()) << first.status();
  v1::LogSessionRequest different = request;
  different.mutable_session()->set_notes("Another session.");

  server_.Restart();
  auto again = client().LogSession(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Bytes(*again), Bytes(*first));
  auto conflict = client().LogSession(different);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(conflict.status().message(), "request_id:"))
      << conflict.status();

  // The promise is at least 24 hours; by default ids are kept 7 days.
  server_.clock().Advance(absl::Hours(25));
  server_.Restart();
  auto day_later = client().LogSession(request);
  ASSERT_TRUE(day_later.ok()) << day_later.status();
  EXPECT_EQ(Bytes(*day_later), Bytes(*first));
  EXPECT_EQ(client().LogSession(different).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SessionCount(), 1);
}

// Retention: with request_id_retention_hours 24, an id 23 hours old still
// answers with the first result; once 25 hours old it is forgotten (by the
// background expiry) and the same request is a new call.
class RequestIdRetentionTest : public ::testing::Test {
 protected:
  static TestServerOptions Options() {
    TestServerOptions options;
    options.configure = [](ServerConfig& config, TestingOptions& testing) {
      config.file.set_request_id_retention_hours(24);
      testing.request_expiry_interval = absl::Milliseconds(20);
    };
    return options;
  }
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-R1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
  }
  RecordsClient& client() { return server_.client(); }
  int SessionCount() { return SessionsOf(client(), course_); }

  TestServer server_{Options()};
  std::string course_;
};

TEST_F(RequestIdRetentionTest, IdInsideRetentionDeduplicatesOnePastItDoesNot) {
  const v1::LogSessionRequest request =
      SessionRequest(course_, TestNow() - absl::Hours(2));
  auto first = client().LogSession(request);
  ASSERT_TRUE(first.ok()) << first.status();
  v1::LogSessionRequest different = request;
  different.mutable_session()->set_notes("Another session.");

  // 23 hours on, many expiry passes later: still remembered.
  server_.clock().Advance(absl::Hours(23));
  absl::SleepFor(absl::Milliseconds(300));
  auto retry = client().LogSession(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(Bytes(*retry), Bytes(*first));
  EXPECT_EQ(client().LogSession(different).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SessionCount(), 1);

  // 25 hours on: the background expiry forgets the id (within a few of its
  // 20 ms passes); the same request then logs a second session.
  server_.clock().Advance(absl::Hours(2));
  absl::StatusOr<v1::TreatmentSession> after = first;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    after = client().LogSession(request);
    ASSERT_TRUE(after.ok()) << after.status();
    if (after->name() != first->name()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_NE(after->name(), first->name()) << "the id was never forgotten";
  EXPECT_EQ(SessionCount(), 2);
  // The id is remembered again, now for the new session.
  auto again = client().LogSession(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), after->name());
}

}  // namespace
}  // namespace mnrecords::testing

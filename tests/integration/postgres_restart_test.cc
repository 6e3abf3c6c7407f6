// The server on PostgreSQL while the database restarts under a write load:
// calls fail with UNAVAILABLE while it is down (never a wrong answer),
// health reports writes NOT_SERVING, the server recovers by itself once the
// database is back, a retry with the same request_id then succeeds once, and
// nothing acknowledged is lost; the audit log verifies afterwards.
//
// ctest runs it with MNRECORDS_TEST_BACKEND=postgres and RUN_SERIAL: it
// stops and starts the run's throwaway PostgreSQL server
// (scripts/with-postgres.sh) with pg_ctlcluster.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/course_fixture.h"

namespace mnrecords::testing {
namespace {

// PgCluster runs pg_ctlcluster `action` on the one cluster pg_lsclusters
// lists (the run's throwaway one).
void PgCluster(const std::string& action) {
  FILE* list = popen("pg_lsclusters -h", "r");
  ASSERT_NE(list, nullptr);
  char line[512] = {};
  const bool read = fgets(line, sizeof(line), list) != nullptr;
  pclose(list);
  ASSERT_TRUE(read) << "pg_lsclusters listed no cluster";
  std::istringstream fields(line);
  std::string version, cluster;
  fields >> version >> cluster;
  const std::string command = absl::StrCat("pg_ctlcluster ", version, " ",
                                           cluster, " ", action, " -m fast");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

class PostgresRestartTest : public CourseFixture {
 protected:
  // WaitForWrites polls health until writes are `serving` or `limit` passed.
  bool WaitForWrites(bool serving, absl::Duration limit) {
    const absl::Time deadline = absl::Now() + limit;
    while (absl::Now() < deadline) {
      absl::StatusOr<bool> now = client().IsServing(kWritesHealthService);
      if (now.ok() && *now == serving) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }
};

struct Sent {
  v1::LogSessionRequest request;
  absl::StatusCode code = absl::StatusCode::kUnknown;
};

TEST_F(PostgresRestartTest, CallsFailUnavailableWhileDownAndNothingIsLost) {
  ASSERT_TRUE(TestBackendIsPostgres());
  std::mutex mu;
  std::vector<Sent> sent;
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&] {
      while (!stop.load()) {
        Sent call;
        call.request = SessionRequest(course_.name(), TestNow());
        call.request.set_session_id(absl::StrCat("s", next.fetch_add(1)));
        call.request.set_request_id(NewRequestId());
        call.code = client()
                        .LogSession(call.request, CallOptions{absl::Seconds(5)})
                        .status()
                        .code();
        std::lock_guard<std::mutex> lock(mu);
        sent.push_back(std::move(call));
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  PgCluster("stop");
  EXPECT_TRUE(WaitForWrites(false, absl::Seconds(10)))
      << "health still reports writes SERVING with the database down";
  auto refused = client().LogSession(SessionRequest(course_.name(), TestNow()),
                                     CallOptions{absl::Seconds(2)});
  EXPECT_TRUE(refused.status().code() == absl::StatusCode::kUnavailable ||
              refused.status().code() == absl::StatusCode::kDeadlineExceeded)
      << refused.status();
  PgCluster("start");
  EXPECT_TRUE(WaitForWrites(true, absl::Seconds(20)))
      << "the server did not recover once the database was back";
  absl::SleepFor(absl::Milliseconds(500));
  stop.store(true);
  for (std::thread& t : writers) t.join();

  int acknowledged = 0, retried = 0;
  for (const Sent& call : sent) {
    SCOPED_TRACE(call.request.session_id());
    const std::string name =
        absl::StrCat(course_.name(), "/sessions/", call.request.session_id());
    if (call.code == absl::StatusCode::kOk) {
      ++acknowledged;
    } else {
      // Outcome unknown or refused: the same request again is OK now, and
      // stores the session at most once.
      EXPECT_TRUE(call.code == absl::StatusCode::kUnavailable ||
                  call.code == absl::StatusCode::kDeadlineExceeded)
          << call.code;
      auto again = client().LogSession(call.request);
      ASSERT_TRUE(again.ok()) << again.status();
      EXPECT_EQ(again->name(), name);
      ++retried;
    }
    v1::GetSessionRequest get;
    get.set_name(name);
    auto stored = client().GetSession(get);
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->revision().revision_id(), 1);
  }
  EXPECT_GT(acknowledged, 0);
  EXPECT_GT(retried, 0) << "no call met the outage";
  // Each session once: the course lists exactly the sessions sent.
  v1::ListSessionsRequest list;
  list.set_parent(course_.name());
  auto all = client().ListAllSessions(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), sent.size());

  v1::VerifyAuditLogRequest verify;
  auto verified = server_.auditor_client().VerifyAuditLog(verify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
}

}  // namespace
}  // namespace mnrecords::testing

// ChangeFeed (client/change_feed.h) and RecordsClient::ListChanges against
// the scripted ChangeFeed service of fake_records_server: streams that break
// where a test says, so that resume, stop and error paths can be checked.
#include "client/change_feed.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "client/internal/connection.h"
#include "gtest/gtest.h"
#include "tests/client/fake_records_server.h"

namespace mnrecords {
namespace {

using ::mnrecords::testing::FakeRecordsServer;
using Attempt = ::mnrecords::testing::ScriptedChangeFeedService::Attempt;
using ::mnrecords::testing::ScriptedChangeFeedService;

std::string Cursor(int i) { return ScriptedChangeFeedService::Cursor(i); }

grpc::Status Outage(grpc::StatusCode code) {
  return grpc::Status(code, "scripted");
}

class ChangeFeedTest : public ::testing::Test {
 protected:
  RecordsClient MakeClient() {
    ClientOptions options;
    options.target = server_.target();
    options.bearer_token = "feed-token";
    options.initial_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(5);
    auto client = RecordsClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return *client;
  }

  static ChangeFeedOptions FeedOptions(std::string start_cursor = "") {
    ChangeFeedOptions options;
    options.parent = "clinics/c1";
    options.start_cursor = std::move(start_cursor);
    options.backoff.initial = absl::Milliseconds(1);
    options.backoff.max = absl::Milliseconds(10);
    return options;
  }

  // RunUntil runs `feed` and collects the cursors it delivers; the callback
  // stops the feed once it has seen `stop_after` changes.
  static absl::Status RunUntil(ChangeFeed& feed, size_t stop_after,
                               std::vector<std::string>& delivered) {
    return feed.Run([&](const v1::Change& change) {
      delivered.push_back(change.cursor());
      if (delivered.size() >= stop_after) feed.Stop();
      return absl::OkStatus();
    });
  }

  std::vector<std::string> AfterCursors() {
    std::vector<std::string> cursors;
    for (const auto& w : server_.change_feed().watches()) {
      cursors.push_back(w.request.after_cursor());
    }
    return cursors;
  }

  FakeRecordsServer server_;
};

TEST_F(ChangeFeedTest, ResumesAfterTheLastDeliveredChangeOnEveryRetriable) {
  const std::vector<grpc::StatusCode> retriable = {
      grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
      grpc::StatusCode::INTERNAL,    grpc::StatusCode::RESOURCE_EXHAUSTED,
      grpc::StatusCode::ABORTED,     grpc::StatusCode::CANCELLED,
      grpc::StatusCode::OK};
  const int n = static_cast<int>(retriable.size());
  server_.change_feed().SetLog(2 * n + 1);
  std::vector<Attempt> script;
  for (grpc::StatusCode code : retriable) {
    Attempt attempt;
    attempt.changes = 2;
    attempt.end = Outage(code);
    script.push_back(attempt);
  }
  server_.change_feed().Script(script);

  ChangeFeed feed(MakeClient(), FeedOptions());
  std::vector<std::string> delivered;
  ASSERT_TRUE(RunUntil(feed, 2 * n + 1, delivered).ok());

  std::vector<std::string> want;
  for (int i = 1; i <= 2 * n + 1; ++i) want.push_back(Cursor(i));
  EXPECT_EQ(delivered, want);  // each once, in order, none skipped
  std::vector<std::string> after = {""};
  for (int i = 1; i <= n; ++i) after.push_back(Cursor(2 * i));
  EXPECT_EQ(AfterCursors(), after);
  EXPECT_EQ(feed.cursor(), Cursor(2 * n + 1));
  for (const auto& w : server_.change_feed().watches()) {
    EXPECT_EQ(w.authorization, "Bearer feed-token");
    EXPECT_EQ(w.request.parent(), "clinics/c1");
    EXPECT_FALSE(w.request.start_at_head());
  }
}

TEST_F(ChangeFeedTest, StartsFromTheStoredCursorAndPassesTheFilter) {
  server_.change_feed().SetLog(5);
  ChangeFeedOptions options = FeedOptions(Cursor(3));
  options.filter.set_patient("clinics/c1/patients/p9");
  options.filter.add_kinds(v1::RECORD_KIND_SESSION);
  options.filter.set_names_only(true);
  ChangeFeed feed(MakeClient(), options);
  EXPECT_EQ(feed.cursor(), Cursor(3));
  std::vector<std::string> delivered;
  ASSERT_TRUE(RunUntil(feed, 2, delivered).ok());
  EXPECT_EQ(delivered, (std::vector<std::string>{Cursor(4), Cursor(5)}));
  const auto watches = server_.change_feed().watches();
  ASSERT_EQ(watches.size(), 1u);
  EXPECT_EQ(watches[0].request.after_cursor(), Cursor(3));
  EXPECT_EQ(watches[0].request.filter().SerializeAsString(),
            options.filter.SerializeAsString());
}

TEST_F(ChangeFeedTest, HeartbeatMovesTheResumePointPastFilteredChanges) {
  server_.change_feed().SetLog(6);
  Attempt first;
  first.changes = 1;
  first.heartbeat_cursor = Cursor(4);  // 2..4 were filtered out
  server_.change_feed().Script({first});
  ChangeFeed feed(MakeClient(), FeedOptions());
  std::vector<std::string> delivered;
  ASSERT_TRUE(RunUntil(feed, 3, delivered).ok());
  EXPECT_EQ(delivered,
            (std::vector<std::string>{Cursor(1), Cursor(5), Cursor(6)}));
  EXPECT_EQ(AfterCursors(), (std::vector<std::string>{"", Cursor(4)}));
}

TEST_F(ChangeFeedTest, AChangeSentAgainIsNotDeliveredAgain) {
  server_.change_feed().SetLog(4);
  Attempt first;
  first.changes = 2;
  Attempt again;  // starts with change 2, already delivered
  again.changes = 2;
  again.resend_last = true;
  server_.change_feed().Script({first, again});
  ChangeFeed feed(MakeClient(), FeedOptions());
  std::vector<std::string> delivered;
  ASSERT_TRUE(RunUntil(feed, 4, delivered).ok());
  EXPECT_EQ(delivered, (std::vector<std::string>{Cursor(1), Cursor(2),
                                                 Cursor(3), Cursor(4)}));
}

TEST_F(ChangeFeedTest, CallbackErrorStopsAndLeavesTheCursorAtTheLastOk) {
  server_.change_feed().SetLog(5);
  ChangeFeed feed(MakeClient(), FeedOptions());
  std::vector<std::string> delivered;
  absl::Status status = feed.Run([&](const v1::Change& change) {
    delivered.push_back(change.cursor());
    if (delivered.size() == 3) return absl::DataLossError("chart is full");
    return absl::OkStatus();
  });
  EXPECT_EQ(status, absl::DataLossError("chart is full"));
  EXPECT_EQ(feed.cursor(), Cursor(2));
  EXPECT_EQ(server_.change_feed().watches().size(), 1u);

  // Run again: the failed change comes again, nothing before it.
  delivered.clear();
  ASSERT_TRUE(RunUntil(feed, 1, delivered).ok());
  EXPECT_EQ(delivered, std::vector<std::string>{Cursor(3)});
}

TEST_F(ChangeFeedTest, NonRetriableStatusesAreReturned) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::PERMISSION_DENIED,
        grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::NOT_FOUND,
        grpc::StatusCode::FAILED_PRECONDITION,
        grpc::StatusCode::UNIMPLEMENTED}) {
    FakeRecordsServer server;
    server.change_feed().SetLog(3);
    Attempt attempt;
    attempt.changes = 1;
    attempt.end = Outage(code);
    server.change_feed().Script({attempt});
    ClientOptions client_options;
    client_options.target = server.target();
    ChangeFeed feed(*RecordsClient::Create(client_options), FeedOptions());
    int calls = 0;
    absl::Status status = feed.Run([&](const v1::Change&) {
      ++calls;
      return absl::OkStatus();
    });
    EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(code));
    EXPECT_EQ(status.message(), "scripted");
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(feed.cursor(), Cursor(1));
    EXPECT_EQ(server.change_feed().watches().size(), 1u);
  }
}

TEST_F(ChangeFeedTest, StopFromAnotherThreadEndsAnOpenStream) {
  server_.change_feed().SetLog(1);  // then the stream stays open
  ChangeFeed feed(MakeClient(), FeedOptions());
  absl::Notification first;
  absl::Status status;
  std::thread runner([&] {
    status = feed.Run([&](const v1::Change&) {
      first.Notify();
      return absl::OkStatus();
    });
  });
  ASSERT_TRUE(first.WaitForNotificationWithTimeout(absl::Seconds(10)));
  const absl::Time stop = absl::Now();
  feed.Stop();
  runner.join();
  EXPECT_LT(absl::Now() - stop, absl::Seconds(2));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(feed.cursor(), Cursor(1));
  // Stop is final.
  EXPECT_TRUE(feed.Run([](const v1::Change&) {
                    return absl::InternalError("delivered after Stop");
                  })
                  .ok());
}

TEST_F(ChangeFeedTest, StopEndsTheBackoffWait) {
  server_.change_feed().Script({Attempt{}});  // UNAVAILABLE at once
  ChangeFeedOptions options = FeedOptions();
  options.backoff.initial = absl::Seconds(60);
  options.backoff.max = absl::Seconds(60);
  options.backoff.jitter = 0;
  ChangeFeed feed(MakeClient(), options);
  absl::Status status;
  std::thread runner([&] {
    status = feed.Run([](const v1::Change&) { return absl::OkStatus(); });
  });
  server_.change_feed().WaitForWatches(1);
  absl::SleepFor(absl::Milliseconds(50));  // into the 60 s wait
  const absl::Time stop = absl::Now();
  feed.Stop();
  runner.join();
  EXPECT_LT(absl::Now() - stop, absl::Seconds(2));
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(ChangeFeedTest, StartAtHeadReadsTheHeadOnceAndResumesFromIt) {
  server_.change_feed().SetLog(5);
  server_.change_feed().SetHead(Cursor(3));
  server_.change_feed().FailListChanges(1);
  Attempt broken;  // breaks before sending anything
  server_.change_feed().Script({broken});
  ChangeFeedOptions options = FeedOptions();
  options.start_at_head = true;
  ChangeFeed feed(MakeClient(), options);
  std::vector<std::string> delivered;
  ASSERT_TRUE(RunUntil(feed, 2, delivered).ok());
  EXPECT_EQ(delivered, (std::vector<std::string>{Cursor(4), Cursor(5)}));
  EXPECT_EQ(AfterCursors(), (std::vector<std::string>{Cursor(3), Cursor(3)}));
  EXPECT_EQ(server_.change_feed().lists().size(), 2u);  // one retry
}

TEST_F(ChangeFeedTest, UnusableOptionsAreInvalidArgument) {
  ChangeFeedOptions no_parent = FeedOptions();
  no_parent.parent.clear();
  ChangeFeedOptions both = FeedOptions(Cursor(1));
  both.start_at_head = true;
  ChangeFeedOptions shrinking = FeedOptions();
  shrinking.backoff.multiplier = 0.5;
  for (const auto& options : {no_parent, both, shrinking}) {
    ChangeFeed feed(MakeClient(), options);
    EXPECT_EQ(
        feed.Run([](const v1::Change&) { return absl::OkStatus(); }).code(),
        absl::StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(server_.change_feed().watches().empty());
}

TEST_F(ChangeFeedTest, ListChangesIsARetriedRead) {
  server_.change_feed().FailListChanges(2);
  server_.change_feed().SetHead(Cursor(7));
  v1::ListChangesRequest request;
  request.set_parent("clinics/c1");
  request.set_after_cursor(Cursor(2));
  request.set_page_size(10);
  auto page = MakeClient().ListChanges(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->head_cursor(), Cursor(7));
  EXPECT_EQ(page->next_cursor(), Cursor(2));
  const auto lists = server_.change_feed().lists();
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_EQ(lists[2].SerializeAsString(), request.SerializeAsString());
}

TEST(ChangeFeedBackoffTest, GrowsByTheMultiplierUpToTheCap) {
  const absl::Duration initial = absl::Milliseconds(100);
  const absl::Duration max = absl::Seconds(5);
  EXPECT_EQ(internal::ExponentialBackoff(initial, max, 2.0, 1), initial);
  EXPECT_EQ(internal::ExponentialBackoff(initial, max, 2.0, 2),
            absl::Milliseconds(200));
  EXPECT_EQ(internal::ExponentialBackoff(initial, max, 2.0, 6),
            absl::Milliseconds(3200));
  EXPECT_EQ(internal::ExponentialBackoff(initial, max, 2.0, 7), max);
  EXPECT_EQ(internal::ExponentialBackoff(initial, max, 2.0, 1000), max);
  for (int i = 0; i < 100; ++i) {
    const absl::Duration d = internal::Jitter(absl::Seconds(1), 0.5);
    EXPECT_GE(d, absl::Milliseconds(500));
    EXPECT_LE(d, absl::Seconds(1));
  }
  EXPECT_EQ(internal::Jitter(absl::Seconds(1), 0), absl::Seconds(1));
}

TEST(ChangeFeedRetriableTest, TheDocumentedCodes) {
  EXPECT_TRUE(IsRetriableChangeFeedStatus(grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(IsRetriableChangeFeedStatus(grpc::StatusCode::CANCELLED));
  EXPECT_FALSE(IsRetriableChangeFeedStatus(grpc::StatusCode::UNKNOWN));
  EXPECT_FALSE(IsRetriableChangeFeedStatus(grpc::StatusCode::DATA_LOSS));
  EXPECT_FALSE(IsRetriableChangeFeedStatus(grpc::StatusCode::OUT_OF_RANGE));
}

}  // namespace
}  // namespace mnrecords

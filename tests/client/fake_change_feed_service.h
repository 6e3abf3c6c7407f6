// A scripted ChangeFeed service for the ChangeFeed helper's tests.
//
// Why a fake and not the real server: the tests need streams that break at
// a chosen point (after N changes, with a chosen status, with a heartbeat
// or a change sent twice), which the real server cannot be made to do on
// demand. The fake keeps a log of changes with real, sortable cursors and
// serves every watch from its after_cursor, so a client that resumes from
// the wrong place receives the wrong changes.
#ifndef MNRECORDS_TESTS_CLIENT_FAKE_CHANGE_FEED_SERVICE_H_
#define MNRECORDS_TESTS_CLIENT_FAKE_CHANGE_FEED_SERVICE_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"

namespace mnrecords {
namespace testing {

namespace v1 = ::clinic::microneedling::v1;

// ScriptedChangeFeedService serves a log of `SetLog(n)` changes with cursors
// Cursor(1) .. Cursor(n) (zero-padded, so they sort as strings).
//
// Each WatchChanges is recorded, then runs the next scripted Attempt: it
// sends up to `changes` changes after the request's after_cursor, one per
// response, then a heartbeat if asked, then ends with `end`. Once the script
// is used up, a watch sends every remaining change and then stays open,
// sending nothing, until the client cancels or the server shuts down.
class ScriptedChangeFeedService final : public v1::ChangeFeed::Service {
 public:
  struct Attempt {
    int changes = 0;
    // Start one change early: the change at after_cursor is sent again.
    bool resend_last = false;
    // If not empty, a heartbeat with this progress_cursor after the changes.
    std::string heartbeat_cursor;
    grpc::Status end{grpc::StatusCode::UNAVAILABLE, "scripted outage"};
  };
  struct Watch {
    v1::WatchChangesRequest request;
    std::string authorization;
  };

  // Cursor returns the cursor of change `i` (1-based) of the log.
  static std::string Cursor(int i);

  void SetLog(int changes) ABSL_LOCKS_EXCLUDED(mu_);
  void Script(std::vector<Attempt> attempts) ABSL_LOCKS_EXCLUDED(mu_);
  // ListChanges answers with this head_cursor (and no changes).
  void SetHead(std::string head_cursor) ABSL_LOCKS_EXCLUDED(mu_);
  // The first `n` ListChanges calls fail with UNAVAILABLE.
  void FailListChanges(int n) ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<Watch> watches() const ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<v1::ListChangesRequest> lists() const ABSL_LOCKS_EXCLUDED(mu_);
  // WaitForWatches blocks until at least `n` watches have started.
  void WaitForWatches(int n) const ABSL_LOCKS_EXCLUDED(mu_);

  grpc::Status ListChanges(grpc::ServerContext* context,
                           const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;
  grpc::Status WatchChanges(
      grpc::ServerContext* context, const v1::WatchChangesRequest* request,
      grpc::ServerWriter<v1::WatchChangesResponse>* writer) override;

 private:
  // The log index of the first change after `cursor`.
  int FirstAfter(const std::string& cursor) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  v1::Change MakeChange(int i) const;

  mutable absl::Mutex mu_;
  int log_size_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Attempt> script_ ABSL_GUARDED_BY(mu_);
  std::string head_ ABSL_GUARDED_BY(mu_);
  int failing_lists_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Watch> watches_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListChangesRequest> lists_ ABSL_GUARDED_BY(mu_);
};

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_CLIENT_FAKE_CHANGE_FEED_SERVICE_H_

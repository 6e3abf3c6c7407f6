// ChangeFeed: follows one clinic's changes from a stored cursor, across
// disconnects and server restarts.
//
//   #include "client/change_feed.h"
//
//   mnrecords::ChangeFeedOptions options;
//   options.parent = "clinics/c1";
//   options.start_cursor = LoadCursor();  // "" the first time
//   mnrecords::ChangeFeed feed(client, options);
//   absl::Status status = feed.Run([&](const mnrecords::v1::Change& change) {
//     // Apply the change and store change.cursor() in one transaction.
//     return ApplyAndSaveCursor(change);
//   });
//
// The API: proto/clinic/microneedling/v1/change_feed_service.proto.
#ifndef MNRECORDS_CLIENT_CHANGE_FEED_H_
#define MNRECORDS_CLIENT_CHANGE_FEED_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "clinic/microneedling/v1/change_feed_service.pb.h"
#include "grpcpp/client_context.h"

namespace mnrecords {

// ChangeFeedBackoff: the wait before reconnecting after a stream ended.
// After the n-th failed attempt in a row the wait is
// initial * multiplier^(n-1), at most `max`, then jittered: a random point in
// [wait * (1 - jitter), wait]. An attempt that received anything from the
// server (a change or a heartbeat) resets n. The cap is 1 s, like the
// client's own retries (and its channel's reconnect backoff): a follower
// is back within about a second of its server, and one attempt a second
// costs a down server nothing.
struct ChangeFeedBackoff {
  absl::Duration initial = absl::Milliseconds(100);
  absl::Duration max = absl::Seconds(1);
  double multiplier = 2.0;  // >= 1
  double jitter = 0.5;      // in [0, 1]; 0 waits exactly
};

// ChangeFeedOptions: which changes a ChangeFeed follows and from where.
struct ChangeFeedOptions {
  // clinics/{clinic}. Required.
  std::string parent;
  // Which changes: a patient's only, some record kinds only, names only.
  v1::ChangeFilter filter;
  // Deliver the changes after this cursor; "" = from the clinic's first
  // change. Normally the cursor the caller stored last time.
  std::string start_cursor;
  // Instead of start_cursor (which must then be empty): only changes
  // committed after Run starts. Run first reads the clinic's head cursor
  // (ListChanges, within ClientOptions::default_timeout, retried like a
  // watch) and follows from it, so a reconnect before the first change
  // still resumes from that point and misses nothing.
  bool start_at_head = false;
  ChangeFeedBackoff backoff;
};

// ChangeFeed watches a clinic's changes (ChangeFeed.WatchChanges) and hands
// each one to a callback, reconnecting from the last cursor when the stream
// breaks.
//
// Delivery: Run hands the callback every change the server sends after the
// start cursor, in commit order, each once. cursor() is the cursor of the
// last change whose callback returned OK, or a later heartbeat's
// progress_cursor (filtered-out changes move the resume point too); every
// reconnect asks for the changes after it. A change the server sends again at
// or before cursor() (cursors sort in commit order) is not delivered again.
// If the caller persists cursor() (or change.cursor()) together with the
// effect of each change, in one transaction, and starts the next
// ChangeFeed from the stored cursor, every change is applied exactly once
// and in order across crashes of either side. Stored in a separate step,
// a crash between apply and store repeats that one change on restart: make
// applying idempotent (e.g. by name and revision_id) in that case.
//
// Errors: the stream ends with UNAVAILABLE (server shutdown, network),
// DEADLINE_EXCEEDED, INTERNAL (a broken HTTP/2 stream), RESOURCE_EXHAUSTED
// (too many watches), ABORTED, CANCELLED (not by Stop) or even OK: Run
// reconnects after a backoff, indefinitely. Any other status
// (INVALID_ARGUMENT, PERMISSION_DENIED, UNAUTHENTICATED, NOT_FOUND,
// FAILED_PRECONDITION, UNIMPLEMENTED, UNKNOWN, ...) is returned by Run.
// A callback error stops Run, which returns it unchanged; cursor() stays at
// the last change whose callback returned OK, so a new Run (or a new
// ChangeFeed from cursor()) delivers the failed change again.
//
// Connection: every attempt is a fresh grpc::ClientContext on the client's
// channel, with the client's bearer token, no deadline and wait-for-ready
// on: while the server is down an attempt waits for the channel to
// reconnect (gRPC's reconnect backoff, capped at the client's max_backoff),
// so the feed resumes within about that long of the server's return; the
// backoff here paces attempts that the server ended.
//
// Thread Safety: Run must not be called by two threads at once; it calls
// the callback on the thread that called Run. Stop() and cursor() may be
// called from any thread at any time, including from the callback.
class ChangeFeed {
 public:
  // ChangeFeed keeps a copy of `client` (which shares its channel) and of
  // `options`; it does not contact the server until Run.
  ChangeFeed(RecordsClient client, ChangeFeedOptions options);

  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Run follows the clinic until Stop(), a callback error or a
  // non-retriable status (see above). Returns OK after Stop(), the
  // callback's error unchanged, or the server's status; INVALID_ARGUMENT
  // for unusable options (no parent, start_at_head with a start_cursor, a
  // backoff outside its ranges), INTERNAL if the server sends a change
  // without a cursor. After Stop() it returns OK at once; otherwise it may
  // be called again to resume from cursor().
  absl::Status Run(
      absl::FunctionRef<absl::Status(const v1::Change&)> on_change);

  // Stop ends Run promptly: it cancels the open stream or the backoff wait;
  // a callback in progress finishes and no further change is delivered.
  // Final: Run returns OK at once from then on. Safe from any thread.
  void Stop();

  // cursor returns the resume point: the start cursor (or the head read
  // for start_at_head; "" before it was read, which is no resume point)
  // until something is delivered, then the cursor after which the next
  // change will come.
  std::string cursor() const;

 private:
  // How one WatchChanges attempt ended.
  struct Attempt {
    grpc::Status stream;    // the stream's final status
    absl::Status stop;      // not OK: Run returns it (callback error)
    bool received = false;  // the server sent at least one response
  };

  Attempt ReadHead();
  Attempt Watch(absl::FunctionRef<absl::Status(const v1::Change&)> on_change);
  // Deliver hands one response's changes to the callback and advances the
  // cursor; returns the callback's error (or INTERNAL for a bad change).
  absl::Status Deliver(
      const v1::WatchChangesResponse& response,
      absl::FunctionRef<absl::Status(const v1::Change&)> on_change);
  // Activate makes `context` the one Stop cancels; false if stopped.
  bool Activate(grpc::ClientContext* context) ABSL_LOCKS_EXCLUDED(mu_);
  void Deactivate() ABSL_LOCKS_EXCLUDED(mu_);
  bool stopped() const ABSL_LOCKS_EXCLUDED(mu_);
  bool head_resolved() const ABSL_LOCKS_EXCLUDED(mu_);

  const RecordsClient client_;
  const ChangeFeedOptions options_;

  mutable absl::Mutex mu_;
  std::string cursor_ ABSL_GUARDED_BY(mu_);
  bool head_resolved_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// IsRetriableChangeFeedStatus reports whether ChangeFeed reconnects after a
// stream that ended with `code` (the list above).
bool IsRetriableChangeFeedStatus(grpc::StatusCode code);

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CHANGE_FEED_H_

// WatchChangesReactor: one WatchChanges stream (change_feed_service.proto).
//
// It admits the call like any other (authentication, authorization,
// unknown fields), validates the request, registers with the hub (limits)
// and audits the start; then it repeats: read the next page after its
// cursor (ChangeFeedService::NextChanges, on the watch pool), send it, and
// when nothing is new wait for the hub to wake it. Only one page is read
// or in flight at a time, so a consumer that reads slowly holds one page
// of server memory however far behind it is. With nothing to send it sends
// a heartbeat with its cursor every heartbeat interval. It ends when the
// client cancels (CANCELLED), a read fails (its status), or the server
// shuts down (UNAVAILABLE naming the cursor to resume from), and audits
// the end with that status. A refused watch leaves one audit event (its
// refusal), a started one two (its start, OK, and its end).
//
// Thread safety: gRPC, the hub and the pool call in on their own threads;
// the reactor serializes them under its own lock and deletes itself once
// gRPC is done with it and no task of its own is pending.
#ifndef MNRECORDS_SERVER_GRPC_WATCH_CHANGES_REACTOR_H_
#define MNRECORDS_SERVER_GRPC_WATCH_CHANGES_REACTOR_H_

#include <cstdint>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "server/audit/audited_call.h"
#include "server/grpc/blocking_pool.h"
#include "server/grpc/call_observer.h"
#include "server/grpc/call_runner.h"
#include "server/service/change_feed_service.h"
#include "server/service/change_watch_hub.h"

namespace mnrecords {

// WatchEnvironment is what every watch needs; everything must outlive the
// server.
struct WatchEnvironment {
  CallEnvironment& calls;
  ChangeFeedService& service;
  ChangeWatchHub& hub;
  BlockingPool& pool;  // where watches read
};

class WatchChangesReactor final
    : public grpc::ServerWriteReactor<v1::WatchChangesResponse>,
      public ChangeWatcher {
 public:
  // Start begins serving `request` (which gRPC keeps alive until OnDone).
  static WatchChangesReactor* Start(WatchEnvironment& env,
                                    grpc::CallbackServerContext& context,
                                    const v1::WatchChangesRequest& request);

  void Wake() override;
  void Shutdown() override;

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  enum class State { kStarting, kReading, kWriting, kIdle, kEnding };

  WatchChangesReactor(WatchEnvironment& env,
                      grpc::CallbackServerContext& context,
                      const v1::WatchChangesRequest& request);

  // ScheduleLocked runs `task` on the watch pool, keeping this alive
  // meanwhile.
  void ScheduleLocked(void (WatchChangesReactor::*task)())
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Begin admits and starts the watch (on the pool).
  void Begin();
  // Read reads the next page and sends it, or goes idle (on the pool).
  void Read();
  // EndNow ends the watch with `status`: leaves the hub, audits the end,
  // finishes the RPC. Not under mu_.
  void EndNow(absl::Status status);
  // ShutdownStatus is the UNAVAILABLE of a server shutdown, with the cursor.
  absl::Status ShutdownStatus() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  WatchEnvironment& env_;
  grpc::CallbackServerContext& context_;
  const v1::WatchChangesRequest& request_;
  AuditedCall start_call_;
  std::optional<AuditedCall> end_call_;
  const CallTiming timing_;
  ChangeWatch watch_;

  absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kStarting;
  bool registered_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;  // woken while busy
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool sent_any_ ABSL_GUARDED_BY(mu_) = false;
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_sent_ ABSL_GUARDED_BY(mu_);
  int pending_tasks_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  v1::WatchChangesResponse response_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_WATCH_CHANGES_REACTOR_H_

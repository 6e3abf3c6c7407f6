// AccessLog: one JSON line per call (mnrecords.log.v1.AccessLogEntry in
// proto3 JSON) to a file or standard output: time, method, principal and
// role, clinic, status code, latency, request_id, peer, sizes. Never record
// content (docs/operations.md "Access log").
//
// Rotation: move the file away, then Reopen (the server does on SIGHUP);
// lines written meanwhile go to the moved file, none are lost.
//
// Thread safe; a line is written whole, under a lock, with one write(2).
#ifndef MNRECORDS_SERVER_OBSERVABILITY_ACCESS_LOG_H_
#define MNRECORDS_SERVER_OBSERVABILITY_ACCESS_LOG_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/grpc/call_observer.h"

namespace mnrecords {

class AccessLog final : public CallObserver {
 public:
  // Open appends to `path` (created 0600 if missing), or writes to standard
  // output for "-". The error of an unopenable path.
  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(
      const std::string& path);
  ~AccessLog() override;
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Reopen opens the path again (after a rotation). On failure the old
  // file stays in use and the error is returned.
  absl::Status Reopen();

  void OnCallStarted(absl::string_view) override {}
  void OnCallFinished(const FinishedCall& call) override;

 private:
  AccessLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  const std::string path_;
  absl::Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);
};

// AccessLogLine is the JSON line (with its "\n") AccessLog writes for
// `call`.
std::string AccessLogLine(const FinishedCall& call);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_OBSERVABILITY_ACCESS_LOG_H_

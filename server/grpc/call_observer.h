// CallObserver: told about each call of ours as it arrives and once it has
// finished, for the server's metrics and its access log. It sees who
// called, which method, the outcome, the timing and the sizes; it is handed
// the request and response only to measure or to read their request_id and
// resource, and must never keep or print record content.
#ifndef MNRECORDS_SERVER_GRPC_CALL_OBSERVER_H_
#define MNRECORDS_SERVER_GRPC_CALL_OBSERVER_H_

#include <chrono>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/auth/call_context.h"

namespace mnrecords {

// FinishedCall describes a call that has finished. References are valid
// only during OnCallFinished.
struct FinishedCall {
  // Method (full name), peer and principal; the principal's id is
  // "(unauthenticated)" when the call was refused before authentication.
  const CallContext& context;
  const google::protobuf::Message& request;
  // The response sent, or nullptr when the call failed (or streamed).
  const google::protobuf::Message* response = nullptr;
  absl::StatusCode code = absl::StatusCode::kOk;
  absl::Time start;           // when the call arrived (wall clock)
  absl::Duration latency;     // arrival to response (monotonic clock)
  bool audit_stored = false;  // the call's audit event was stored
};

// Implementations must be thread-safe and must not block: they run on
// gRPC's threads and on the store's writer thread.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // OnCallStarted: a call of `method` ("/pkg.Service/Method") arrived.
  virtual void OnCallStarted(absl::string_view method) = 0;
  // OnCallFinished: the call ended; runs just before its status is sent.
  virtual void OnCallFinished(const FinishedCall& call) = 0;
};

// CallTiming is when a call arrived, on the wall clock (for the record) and
// the monotonic one (for its latency).
class CallTiming {
 public:
  absl::Time start() const { return start_; }
  absl::Duration elapsed() const {
    return absl::FromChrono(std::chrono::steady_clock::now() - steady_start_);
  }

 private:
  const absl::Time start_ = absl::Now();
  const std::chrono::steady_clock::time_point steady_start_ =
      std::chrono::steady_clock::now();
};

// NotifyFinished tells each of `observers` that the call described by the
// rest has finished now (`response` nullptr unless it succeeded).
inline void NotifyFinished(const std::vector<CallObserver*>& observers,
                           const CallContext& context,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message* response,
                           absl::StatusCode code, const CallTiming& timing,
                           bool audit_stored) {
  if (observers.empty()) return;
  const FinishedCall finished{context,     request,        response,
                              code,        timing.start(), timing.elapsed(),
                              audit_stored};
  for (CallObserver* observer : observers) observer->OnCallFinished(finished);
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_CALL_OBSERVER_H_

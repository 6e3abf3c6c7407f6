// CallDriver: a closed-loop load driver. It keeps exactly `in_flight` calls
// outstanding (each slot issues its next call when the previous completes,
// on gRPC's callback threads, so no thread per call), picks each call's kind
// by weight, and records the latency of every call that starts after the
// warm-up and completes before the end.
#ifndef MNRECORDS_TESTS_LOADGEN_CALL_DRIVER_H_
#define MNRECORDS_TESTS_LOADGEN_CALL_DRIVER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace mnrecords::loadgen {

// CallKind issues one kind of call. Start must return at once and run
// `done` exactly once, when the call completes (on any thread). `slot` is
// the issuing slot (0..in_flight-1): a slot's calls never overlap, so a
// kind may give each slot its own records to write. Thread-safe.
class CallKind {
 public:
  virtual ~CallKind() = default;
  virtual const std::string& name() const = 0;
  virtual void Start(grpc::ClientContext* context, int slot,
                     std::mt19937_64& rng,
                     std::function<void(const grpc::Status&)> done) = 0;
  // Instead: a kind (of the mix) the slot must call first this turn, e.g.
  // CreateCourse before a session when the slot's course is full; nullptr
  // (the default) to go ahead.
  virtual CallKind* Instead(int /*slot*/) { return nullptr; }
};

struct WeightedKind {
  CallKind* kind;  // not owned
  int weight;      // >= 0; 0: only called through CallKind::Instead
};

struct DriverOptions {
  int in_flight = 64;
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
  // Per-call deadline; a call past it counts as DEADLINE_EXCEEDED.
  absl::Duration deadline = absl::Seconds(30);
  uint64_t seed = 1;
};

// KindResult: what one kind did in the measured window.
struct KindResult {
  std::string name;
  int64_t ok = 0;
  std::map<int, int64_t> errors;       // grpc::StatusCode -> count
  std::map<int, std::string> samples;  // grpc::StatusCode -> one message
  std::vector<int64_t> latencies_ns;   // successful calls only
};

struct DriverResult {
  absl::Duration measured;        // length of the measured window
  double client_cpu_seconds;      // this process's CPU in the window
  std::vector<KindResult> kinds;  // in the order of the mix
};

// Run drives the mix for warm-up + duration and returns the measured
// window's results. Blocks until every outstanding call has completed.
DriverResult Run(const std::vector<WeightedKind>& mix,
                 const DriverOptions& options);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_CALL_DRIVER_H_

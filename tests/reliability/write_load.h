// WriteLoad: concurrent clients that keep creating records (patients and
// sessions) on a server, or on several serving one database, and retry every
// call whose outcome they could not learn (connection died, deadline) with the
// same request_id, and remember exactly what each call sent and what it got
// back, for a durability check afterwards (durability_check.h).
#ifndef MNRECORDS_TESTS_RELIABILITY_WRITE_LOAD_H_
#define MNRECORDS_TESTS_RELIABILITY_WRITE_LOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/client.h"

namespace mnrecords::testing {

namespace v1 = ::clinic::microneedling::v1;

enum class CallOutcome { kAcknowledged, kFailed, kUnknown };

// SentCreate is one write call (CreatePatient, LogSession, or an
// AmendSession of a session the same worker logged) with all of its
// attempts, which share one request_id.
struct SentCreate {
  bool is_patient = false;
  bool is_amendment = false;
  // Unique per call: the patient's identifier value, or the first word of
  // the session's notes (an amendment keeps the notes).
  std::string tag;
  v1::CreatePatientRequest patient;  // if is_patient
  v1::AmendSessionRequest amend;     // if is_amendment
  v1::LogSessionRequest session;     // else
  CallOutcome outcome = CallOutcome::kUnknown;
  bool ever_unknown = false;  // some attempt ended with an unknown outcome
  std::string name;           // the created/amended record (if acknowledged)
  std::string response;       // the OK response, serialized
  absl::Status status;        // the last attempt's status
  absl::Time acked_at = absl::InfiniteFuture();  // when OK came back
};

// IsUnknownOutcome: a call that ended with `code` may or may not have been
// applied (the server died or went away while it ran).
bool IsUnknownOutcome(absl::StatusCode code);

// RequestId is the request_id of `call`.
const std::string& RequestId(const SentCreate& call);

// SendCreate sends `call` once (with the client's own retries on
// UNAVAILABLE) and records the status, and name/response on OK.
absl::Status SendCreate(const RecordsClient& client, SentCreate& call);

struct WriteLoadOptions {
  // host:port of each server (all on one database): worker w talks to
  // targets[w % targets.size()] (a retry on a new channel goes to the next
  // target), Prepare to targets[0]. At least one.
  std::vector<std::string> targets;
  std::string token;  // an EHR system of clinic c1
  int workers = 64;
  uint64_t seed = 1;
  bool amendments = true;  // false: creates only
  // After an unknown outcome, retry on a new connection (true) or keep
  // the worker's channel and let gRPC reconnect it (false).
  bool new_channel_on_unknown = true;
};

// ConnectWorker opens a client of `target` (host:port) as a worker does:
// options.token, its own connection that reconnects within 200 ms after a
// restart, a 10 s deadline and quick retries on UNAVAILABLE.
absl::StatusOr<RecordsClient> ConnectWorker(const WriteLoadOptions& options,
                                            const std::string& target);

class WriteLoad {
 public:
  // Prepare creates one patient and one course per worker (setup records,
  // not among the checked calls); INVALID_ARGUMENT without targets.
  static absl::StatusOr<std::unique_ptr<WriteLoad>> Prepare(
      WriteLoadOptions options);
  ~WriteLoad();

  // Start starts the workers. Each loops: build a call (one in four a
  // patient; else, one in five an amendment of the duration of the last
  // session it logged, else a new session in its course), send it until
  // the outcome is known (OK or a definite error), remember it.
  void Start();
  // Stop lets each worker finish its current attempt, joins them and
  // returns every call; a call still unknown is kUnknown.
  std::vector<SentCreate> Stop();
  // calls_done counts finished calls so far.
  int64_t calls_done() const { return done_.load(); }
  // setup_tags are the identifier values of the setup patients.
  const std::set<std::string>& setup_tags() const { return setup_tags_; }

 private:
  explicit WriteLoad(WriteLoadOptions options) : options_(options) {}
  void Work(int worker);

  WriteLoadOptions options_;
  std::vector<std::string> courses_;  // one per worker
  std::set<std::string> setup_tags_;
  std::vector<std::vector<SentCreate>> sent_;  // per worker
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> done_{0};
  std::atomic<int64_t> next_call_{0};  // tags stay unique across Start()s
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_WRITE_LOAD_H_

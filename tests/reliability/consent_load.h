// ConsentLoad: concurrent clients that keep recording and revoking consents
// in clinic c1 while a server is killed and restarted, next to a WriteLoad
// (write_load.h), so that a change feed carries consent changes too. Each
// call of unknown outcome is retried with its request_id until the outcome
// is known; only counts are kept (the change feed mirror test compares the
// server's changes, not what was sent).
#ifndef MNRECORDS_TESTS_RELIABILITY_CONSENT_LOAD_H_
#define MNRECORDS_TESTS_RELIABILITY_CONSENT_LOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/reliability/write_load.h"

namespace mnrecords::testing {

class ConsentLoad {
 public:
  // Prepare publishes an instruction set (as `admin_token`, an admin of c1)
  // and creates one patient per worker through options.targets[0];
  // options.token must be an EHR system of c1. INVALID_ARGUMENT without
  // targets.
  static absl::StatusOr<std::unique_ptr<ConsentLoad>> Prepare(
      WriteLoadOptions options, const std::string& admin_token);
  ~ConsentLoad();

  // Start starts the workers: each loops recording a consent for its
  // patient and, every other time, revoking the last one it recorded.
  void Start();
  // Stop lets each worker finish its current attempt and joins them.
  void Stop();

  int64_t acknowledged() const { return acknowledged_.load(); }
  int64_t failed() const { return failed_.load(); }  // a definite error

 private:
  explicit ConsentLoad(WriteLoadOptions options) : options_(options) {}
  void Work(int worker);

  WriteLoadOptions options_;
  v1::InstructionSet instructions_;
  std::vector<std::string> patients_;  // one per worker
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> acknowledged_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> next_call_{0};
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_CONSENT_LOAD_H_

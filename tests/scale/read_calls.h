// ReadCalls: every read RPC of the API as a named call on a seeded
// database. Each call picks its target (patient, course, session, ...) from
// the seed plan with the iteration number, so every run asks the same
// questions of a database built with the same seed.
#ifndef MNRECORDS_TESTS_SCALE_READ_CALLS_H_
#define MNRECORDS_TESTS_SCALE_READ_CALLS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "tools/seed/seed_plan.h"

namespace mnrecords::scale {

// Targets are the records the calls read: patients of the seed plan spread
// over the whole database, those with photos, and a month in the middle of
// the history.
struct Targets {
  seed::SeedLayout layout;
  std::vector<seed::PatientPlan> patients;        // with >= 1 session in k1
  std::vector<seed::PatientPlan> photo_patients;  // with a baseline photo
  absl::Time month_start;                         // a whole month of history
  absl::Time month_end;
};

// PickTargets regenerates the plan of `options` and keeps `count` patients
// (and `count` with photos) at evenly spread indexes.
absl::StatusOr<Targets> PickTargets(const seed::SeedOptions& options,
                                    int count);

// Tokens of the two principals the benchmark config lists.
struct Tokens {
  std::string ehr;      // ROLE_EHR_SYSTEM, every seeded clinic
  std::string auditor;  // ROLE_AUDITOR, every seeded clinic
};

// ReadCall is one RPC: Run(i) makes call number i and returns its status.
struct ReadCall {
  std::string name;
  std::function<grpc::Status(int64_t i)> run;
};

// ReadCalls builds the calls against `channel`. `verify_window` is how many
// of the last audit events VerifyAuditLog checks (the full log is measured
// separately); `audit_head` is the last sequence number.
std::vector<ReadCall> ReadCalls(std::shared_ptr<grpc::Channel> channel,
                                const Tokens& tokens,
                                std::shared_ptr<const Targets> targets,
                                int64_t audit_head, int64_t verify_window);

// VerifyWholeLog calls VerifyAuditLog over the whole log; returns the
// number of events checked (and FAILED_PRECONDITION if not ok).
absl::StatusOr<int64_t> VerifyWholeLog(std::shared_ptr<grpc::Channel> channel,
                                       const Tokens& tokens);

// AuditHead returns the last audit sequence number.
absl::StatusOr<int64_t> AuditHead(std::shared_ptr<grpc::Channel> channel,
                                  const Tokens& tokens);

}  // namespace mnrecords::scale

#endif  // MNRECORDS_TESTS_SCALE_READ_CALLS_H_

// The load generator's data shape and call kinds. Setup creates, in one
// clinic, the instruction sets (one with two revisions), patients with the
// four consents (a third of them re-consented, so consents have
// revisions), and one or two courses of 3–6 planned sessions per patient
// with one or two sessions logged. The kinds then log 1–2 KB sessions with
// 3–6 treated areas, read course summaries and consent histories, and
// record new consents that supersede older ones. Every request is one the
// real server accepts (the protocol plugin included).
#ifndef MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_
#define MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "tests/loadgen/call_driver.h"

namespace mnrecords::loadgen {

namespace v1 = ::clinic::microneedling::v1;

struct WorkloadOptions {
  std::string clinic = "demo";
  std::string token;        // EHR system (or clinician) in `clinic`
  std::string admin_token;  // publishes the instruction sets
  int patients = 256;
  int setup_threads = 8;
};

// Dataset: what setup created. Read-only once setup returns.
struct Dataset {
  std::string clinic;
  std::vector<std::string> patients;  // resource names
  std::vector<std::string> courses;   // resource names
  std::vector<int> course_patient;    // index into patients, per course
  std::vector<int> course_planned;    // planned session count, per course
  std::vector<int> course_logged;     // sessions logged by setup, per course
  // Latest revision of each instruction set, by InstructionKind (1..4).
  std::vector<v1::InstructionSet> sets;
  absl::Time history_start;  // consents signed; sessions after this
};

// Setup creates the dataset through `channels` (round robin). Errors name
// the call that failed.
absl::StatusOr<Dataset> Setup(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadOptions& options);

// SessionBody builds a completed session of 1–2 KB serialized with 3–6
// treated areas, performed at `performed_at`.
v1::TreatmentSession SessionBody(const Dataset& data, absl::Time performed_at,
                                 std::mt19937_64& rng);

// The kinds of the mix, by name: log_session, course_summary,
// consent_history, record_consent; and health_check (the empty-RPC
// ceiling: grpc.health.v1.Health/Check, no credentials). nullptr for an
// unknown name. log_session logs each slot's sessions into the slot's
// current course, about five weeks apart; when that course has its planned
// 3–6 sessions, the slot first creates a new course for one of its
// patients through the kind `create_course` (MakeKind("create_course")
// must be in the mix, weight 0; Link joins the two). A slot calls on
// channels[slot % channels.size()]; `in_flight` is the driver's slot count
// (record_consent gives each slot its own patients, so one patient's consents
// are signed in order).
std::unique_ptr<CallKind> MakeKind(
    const std::string& name, const Dataset* data, const std::string& token,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int in_flight);

// Link makes `log_session` call `create_course` first when a slot's course
// is full (both made by MakeKind for the same data and in_flight).
void Link(CallKind* log_session, CallKind* create_course);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_

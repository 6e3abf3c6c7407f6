// The load generator's data shape and call kinds. Setup creates, in one
// clinic (or in each of K clinics), the instruction sets (one with two
// revisions), patients with the four consents (a third of them
// re-consented, so consents have revisions), and one or two courses of 3–6
// planned sessions per patient with one or two sessions logged; with K
// clinics patient i is in clinic i % K and signs its own clinic's sets.
// Optionally each slot also gets a course of its own, pre-logged with N
// sessions (the "course that already holds 1,000 sessions" scenario). The
// kinds then log 1–2 KB sessions with 3–6 treated areas, read course
// summaries and consent histories, and record new consents that supersede
// older ones. Every request is one the real server accepts (the protocol
// plugin included; sessions logged an hour apart get WARN findings only).
#ifndef MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_
#define MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
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
  // 1: everything in `clinic`; K > 1: in clinics "<clinic>-0".."<clinic>-K-1".
  int clinics = 1;
  std::string token;        // EHR system (or clinician) in every clinic
  std::string admin_token;  // publishes the instruction sets (every clinic)
  int patients = 256;       // at least `slots`
  int setup_threads = 8;
  int slots = 1;  // the driver's in_flight (for the slots' own courses)
  // 0: no slot courses; N >= 1: each slot gets a course of its own with N
  // sessions logged one hour apart from history_start + 1 day.
  int course_sessions = 0;
};

// The planned session count of the slots' own courses: the most the API
// accepts.
inline constexpr int kSlotCoursePlanned = 20;

// Dataset: what setup created. Read-only once setup returns.
struct Dataset {
  std::vector<std::string> clinics;   // clinic ids; patient i in i % size
  std::vector<std::string> patients;  // resource names
  std::vector<std::string> courses;   // resource names
  std::vector<int> course_patient;    // index into patients, per course
  std::vector<int> course_planned;    // planned session count, per course
  std::vector<int> course_logged;     // sessions logged by setup, per course
  // Latest revision of each instruction set by clinic, then by
  // InstructionKind (1..4) - 1.
  std::vector<std::vector<v1::InstructionSet>> sets;
  absl::Time history_start;  // consents signed; sessions after this
  // With WorkloadOptions::course_sessions N >= 1: each slot's own course
  // (by slot), holding N sessions one hour apart from slot_course_start.
  std::vector<std::string> slot_courses;
  int course_sessions = 0;
  absl::Time slot_course_start;
};

// ClinicOfPatient: the index in data.clinics of patient `patient`'s clinic.
inline int ClinicOfPatient(const Dataset& data, size_t patient) {
  return static_cast<int>(patient % data.clinics.size());
}

// OwnedPatient: the `pick`-th (modulo their number) of the patients that
// only `slot` writes for, all in clinic slot % K: patients c + K*q of
// clinic c = slot % K whose q is slot / K modulo the clinic's slot count.
// Needs at least `in_flight` patients.
size_t OwnedPatient(const Dataset& data, int slot, int in_flight,
                    uint64_t pick);

// SlotOwnsPatient: whether OwnedPatient(data, slot, in_flight, n) is
// `patient` for some n.
bool SlotOwnsPatient(const Dataset& data, int slot, int in_flight,
                     size_t patient);

// Setup creates the dataset through `channels` (round robin). Errors name
// the call that failed.
absl::StatusOr<Dataset> Setup(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadOptions& options);

// SessionBody builds a completed session of 1–2 KB serialized with 3–6
// treated areas, performed at `performed_at`, with the aftercare set of
// data.clinics[clinic].
v1::TreatmentSession SessionBody(const Dataset& data, int clinic,
                                 absl::Time performed_at, std::mt19937_64& rng);

// The kinds of the mix, by name: log_session, course_summary,
// consent_history, record_consent; and health_check (the empty-RPC
// ceiling: grpc.health.v1.Health/Check, no credentials). nullptr for an
// unknown name. log_session logs each slot's sessions into the slot's
// current course, about five weeks apart; when that course has its planned
// 3–6 sessions, the slot first creates a new course for one of its
// patients through the kind `create_course` (MakeKind("create_course")
// must be in the mix, weight 0; Link joins the two). With slot courses
// (Dataset::course_sessions >= 1) log_session instead logs each slot's
// sessions into the slot's own course, one hour apart after the pre-logged
// ones, and never switches courses (no create_course). A slot calls on
// channels[slot % channels.size()]; `in_flight` is the driver's slot count
// (record_consent and create_course give each slot its own patients
// (OwnedPatient), so one patient's consents are signed in order; with K
// clinics a slot writes only in clinic slot % K).
std::unique_ptr<CallKind> MakeKind(
    const std::string& name, const Dataset* data, const std::string& token,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int in_flight);

// Link makes `log_session` call `create_course` first when a slot's course
// is full (both made by MakeKind for the same data and in_flight).
void Link(CallKind* log_session, CallKind* create_course);

// WriteObserver is called with the name of each record a write kind
// (log_session, create_course, record_consent) wrote, as its reply
// arrives (on the call's completion thread).
using WriteObserver = std::function<void(const std::string& name)>;

// ObserveWrites sets `kind`'s observer (made by MakeKind); a no-op for a
// kind that writes nothing.
void ObserveWrites(CallKind* kind, WriteObserver observer);

// CourseSizes: the fewest and the most sessions the slots' current courses
// hold, counting those log_session (made by MakeKind) started; {0, 0} for
// another kind. Call it only while no call is in flight.
std::pair<int, int> CourseSizes(const CallKind* log_session);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_WORKLOAD_H_

// Setup of the load generator's dataset and the session body (workload.h).
#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "tests/loadgen/workload.h"

namespace mnrecords::loadgen {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Status Failed(const std::string& what, const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat("setup ", what, ": ", s.error_message()));
}

void Authorize(grpc::ClientContext& ctx, const std::string& token) {
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

constexpr v1::InstructionKind kKinds[] = {
    v1::INSTRUCTION_KIND_PREPARATION, v1::INSTRUCTION_KIND_AFTERCARE,
    v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PHOTOGRAPHY};

// Publish publishes revision `revision` of instruction set `id` in `clinic`.
absl::StatusOr<v1::InstructionSet> Publish(v1::Consents::Stub& stub,
                                           const WorkloadOptions& o,
                                           const std::string& clinic,
                                           const std::string& id,
                                           v1::InstructionKind kind,
                                           int revision, absl::Time effective) {
  v1::PublishInstructionSetRequest r;
  r.set_parent(absl::StrCat("clinics/", clinic));
  r.set_instruction_set_id(id);
  r.set_request_id(absl::StrCat(id, "-r", revision));
  v1::InstructionSet* s = r.mutable_instruction_set();
  s->set_kind(kind);
  s->set_title(absl::StrCat(v1::InstructionKind_Name(kind), " instructions"));
  s->add_items()->set_text("Avoid sun exposure for at least 48 hours before.");
  s->add_items()->set_text("Arrive with clean skin, no makeup.");
  s->add_items()->set_text(absl::StrCat(
      "Ask the clinic about anything unclear (revision ", revision, ")."));
  *s->mutable_effective_time() = Ts(effective);
  s->set_published_by("bench-admin");
  grpc::ClientContext ctx;
  Authorize(ctx, o.admin_token);
  v1::InstructionSet out;
  grpc::Status st = stub.PublishInstructionSet(&ctx, r, &out);
  if (!st.ok()) return Failed(absl::StrCat("PublishInstructionSet ", id), st);
  return out;
}

v1::RecordConsentRequest ConsentRequest(const std::string& patient,
                                        const v1::InstructionSet& set,
                                        absl::Time signed_at,
                                        const std::string& request_id) {
  v1::RecordConsentRequest r;
  r.set_parent(patient);
  v1::Consent* c = r.mutable_consent();
  c->mutable_instructions()->set_instruction_set(set.name());
  c->mutable_instructions()->set_revision_id(set.revision_id());
  c->mutable_instructions()->set_content_sha256(set.content_sha256());
  c->set_decision(v1::CONSENT_DECISION_GRANTED);
  *c->mutable_signed_at() = Ts(signed_at);
  c->set_method(v1::CONSENT_METHOD_ELECTRONIC_SIGNATURE);
  c->mutable_signer()->set_relationship(v1::Signer::RELATIONSHIP_PATIENT);
  c->set_recorded_by("nurse-kim");
  r.set_request_id(request_id);
  return r;
}

// CourseRequest: a course of `planned` sessions 4-6 weeks apart on three
// areas for `patient`.
v1::CreateCourseRequest CourseRequest(const std::string& patient,
                                      v1::Indication indication, int planned,
                                      const std::string& request_id) {
  v1::CreateCourseRequest cr;
  cr.set_parent(patient);
  v1::TreatmentCourse* course = cr.mutable_course();
  course->add_indications(indication);
  for (auto [area, lat] :
       {std::pair{v1::BODY_AREA_CHEEK, v1::LATERALITY_BILATERAL},
        std::pair{v1::BODY_AREA_FOREHEAD, v1::LATERALITY_MIDLINE},
        std::pair{v1::BODY_AREA_CHIN, v1::LATERALITY_MIDLINE}}) {
    v1::BodySite* site = course->add_treatment_areas();
    site->set_area(area);
    site->set_laterality(lat);
  }
  course->set_planned_session_count(planned);
  course->set_planned_interval_min_days(28);
  course->set_planned_interval_max_days(42);
  course->set_responsible_clinician("dr-lee");
  cr.set_request_id(request_id);
  return cr;
}

// PatientHistory creates patient `i` in its clinic: consents, courses,
// first sessions.
absl::Status PatientHistory(const std::shared_ptr<grpc::Channel>& channel,
                            const WorkloadOptions& o, const std::string& run,
                            int i, Dataset& data, absl::Mutex& mu) {
  v1::TreatmentRecords::Stub records(channel);
  v1::Consents::Stub consents(channel);
  std::mt19937_64 rng(static_cast<uint64_t>(i) * 7919 + 17);
  const std::string rid = absl::StrCat(run, "-p", i);
  const int clinic = ClinicOfPatient(data, static_cast<size_t>(i));
  const std::vector<v1::InstructionSet>& sets =
      data.sets[static_cast<size_t>(clinic)];

  v1::CreatePatientRequest pr;
  pr.set_parent(
      absl::StrCat("clinics/", data.clinics[static_cast<size_t>(clinic)]));
  v1::PatientIdentifier* id = pr.mutable_patient()->add_identifiers();
  id->set_system("urn:oid:2.16.840.1.113883.19.5");
  id->set_value(absl::StrCat("MRN-", rid));
  pr.mutable_patient()->set_fitzpatrick_skin_type(
      static_cast<v1::FitzpatrickSkinType>(1 + rng() % 6));
  pr.set_request_id(rid);
  v1::Patient patient;
  {
    grpc::ClientContext ctx;
    Authorize(ctx, o.token);
    grpc::Status st = records.CreatePatient(&ctx, pr, &patient);
    if (!st.ok()) return Failed("CreatePatient", st);
  }
  for (size_t k = 0; k < sets.size(); ++k) {
    const int times = (k == 2 && i % 3 == 0) ? 2 : 1;  // re-consent
    for (int t = 0; t < times; ++t) {
      grpc::ClientContext ctx;
      Authorize(ctx, o.token);
      v1::Consent out;
      grpc::Status st = consents.RecordConsent(
          &ctx,
          ConsentRequest(patient.name(), sets[k],
                         data.history_start + absl::Minutes(10 * t),
                         absl::StrCat(rid, "-c", k, "-", t)),
          &out);
      if (!st.ok()) return Failed("RecordConsent", st);
    }
  }
  const int courses = 1 + static_cast<int>(rng() % 2);
  for (int c = 0; c < courses; ++c) {
    v1::CreateCourseRequest cr = CourseRequest(
        patient.name(),
        c == 0 ? v1::INDICATION_ACNE_SCARS : v1::INDICATION_TEXTURE_PORES,
        3 + static_cast<int>(rng() % 4), absl::StrCat(rid, "-course", c));
    v1::TreatmentCourse created;
    {
      grpc::ClientContext ctx;
      Authorize(ctx, o.token);
      grpc::Status st = records.CreateCourse(&ctx, cr, &created);
      if (!st.ok()) return Failed("CreateCourse", st);
    }
    const int sessions = 1 + static_cast<int>(rng() % 2);
    for (int s = 0; s < sessions; ++s) {
      v1::LogSessionRequest lr;
      lr.set_parent(created.name());
      *lr.mutable_session() = SessionBody(
          data, clinic, data.history_start + absl::Hours(24 * (30 + 35 * s)),
          rng);
      lr.set_request_id(absl::StrCat(rid, "-course", c, "-s", s));
      grpc::ClientContext ctx;
      Authorize(ctx, o.token);
      v1::TreatmentSession out;
      grpc::Status st = records.LogSession(&ctx, lr, &out);
      if (!st.ok()) return Failed("LogSession", st);
    }
    absl::MutexLock lock(&mu);
    data.courses.push_back(created.name());
    data.course_patient.push_back(i);
    data.course_planned.push_back(created.planned_session_count());
    data.course_logged.push_back(sessions);
  }
  absl::MutexLock lock(&mu);
  data.patients[static_cast<size_t>(i)] = patient.name();
  return absl::OkStatus();
}

// SlotCourse creates slot `slot`'s own course for one of the slot's
// patients and logs data.course_sessions sessions into it, one hour apart
// from data.slot_course_start, one call after the other.
absl::Status SlotCourse(const std::shared_ptr<grpc::Channel>& channel,
                        const WorkloadOptions& o, const std::string& run,
                        int slot, Dataset& data, absl::Mutex& mu) {
  v1::TreatmentRecords::Stub records(channel);
  std::mt19937_64 rng(static_cast<uint64_t>(slot) * 104729 + 3);
  const std::string rid = absl::StrCat(run, "-slot", slot);
  const size_t patient = OwnedPatient(data, slot, o.slots, 0);
  const int clinic = ClinicOfPatient(data, patient);
  v1::TreatmentCourse course;
  {
    grpc::ClientContext ctx;
    Authorize(ctx, o.token);
    grpc::Status st = records.CreateCourse(
        &ctx,
        CourseRequest(data.patients[patient], v1::INDICATION_ACNE_SCARS,
                      kSlotCoursePlanned, rid),
        &course);
    if (!st.ok()) return Failed("CreateCourse (slot course)", st);
  }
  for (int s = 0; s < data.course_sessions; ++s) {
    v1::LogSessionRequest lr;
    lr.set_parent(course.name());
    *lr.mutable_session() =
        SessionBody(data, clinic, data.slot_course_start + absl::Hours(s), rng);
    lr.set_request_id(absl::StrCat(rid, "-s", s));
    grpc::ClientContext ctx;
    Authorize(ctx, o.token);
    v1::TreatmentSession out;
    grpc::Status st = records.LogSession(&ctx, lr, &out);
    if (!st.ok()) return Failed("LogSession (slot course)", st);
  }
  absl::MutexLock lock(&mu);
  data.slot_courses[static_cast<size_t>(slot)] = course.name();
  return absl::OkStatus();
}

// ParallelFor runs fn(channel, i) for i in [0, n) on `threads` threads,
// thread t calling on channels[t % size]; returns the first error (a
// thread stops at its first error, the others finish their items).
absl::Status ParallelFor(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int threads,
    int n,
    const std::function<absl::Status(const std::shared_ptr<grpc::Channel>&,
                                     int)>& fn) {
  std::atomic<int> next{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> pool;
  for (int t = 0; t < std::min(threads, n); ++t) {
    pool.emplace_back([&, t] {
      const auto& channel = channels[static_cast<size_t>(t) % channels.size()];
      for (int i = next++; i < n; i = next++) {
        absl::Status st = fn(channel, i);
        if (!st.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = st;
          return;
        }
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return first_error;
}

// PublishSets publishes the four instruction sets (aftercare with two
// revisions) in data.clinics[clinic] into data.sets[clinic].
absl::Status PublishSets(const std::shared_ptr<grpc::Channel>& channel,
                         const WorkloadOptions& o, const std::string& run,
                         absl::Time now, int clinic, Dataset& data) {
  static constexpr const char* kIds[] = {"prep", "aftercare", "procedure",
                                         "photos"};
  v1::Consents::Stub admin(channel);
  const std::string& clinic_id = data.clinics[static_cast<size_t>(clinic)];
  std::vector<v1::InstructionSet>& sets =
      data.sets[static_cast<size_t>(clinic)];
  for (size_t k = 0; k < std::size(kKinds); ++k) {
    // The clinic in the id keeps request ids unique across clinics.
    const std::string id = data.clinics.size() == 1
                               ? absl::StrCat(run, "-", kIds[k])
                               : absl::StrCat(run, "-c", clinic, "-", kIds[k]);
    absl::StatusOr<v1::InstructionSet> set = Publish(
        admin, o, clinic_id, id, kKinds[k], 1, now - absl::Hours(24 * 730));
    if (set.ok() && kKinds[k] == v1::INSTRUCTION_KIND_AFTERCARE) {
      set = Publish(admin, o, clinic_id, id, kKinds[k], 2,
                    now - absl::Hours(24 * 500));
    }
    if (!set.ok()) return set.status();
    sets.push_back(*set);
  }
  return absl::OkStatus();
}

}  // namespace

v1::TreatmentSession SessionBody(const Dataset& data, int clinic,
                                 absl::Time performed_at,
                                 std::mt19937_64& rng) {
  static constexpr std::pair<v1::BodyArea, v1::Laterality> kAreas[] = {
      {v1::BODY_AREA_CHEEK, v1::LATERALITY_LEFT},
      {v1::BODY_AREA_CHEEK, v1::LATERALITY_RIGHT},
      {v1::BODY_AREA_FOREHEAD, v1::LATERALITY_MIDLINE},
      {v1::BODY_AREA_CHIN, v1::LATERALITY_MIDLINE},
      {v1::BODY_AREA_PERIORAL, v1::LATERALITY_MIDLINE},
      {v1::BODY_AREA_NOSE, v1::LATERALITY_MIDLINE}};
  static constexpr const char* kNotes[] = {
      "Patient arrived with clean skin; check-in answers reviewed. ",
      "Topical anaesthetic applied for thirty minutes, then removed. ",
      "Skin prepped with chlorhexidine; depth adjusted over bony areas. ",
      "Uniform pinpoint bleeding on the cheeks, less on the forehead. ",
      "Hyaluronic serum applied after the passes; cooling mask after. ",
      "Aftercare explained verbally and the printed sheet handed out. ",
      "Patient tolerated the procedure well and reported mild discomfort. ",
      "Follow-up booked in four to six weeks; photos at the next visit. "};
  v1::TreatmentSession s;
  s.set_status(v1::SESSION_STATUS_COMPLETED);
  *s.mutable_performed_at() = Ts(performed_at);
  s.set_duration_minutes(40 + static_cast<int>(rng() % 20));
  s.set_clinician("dr-lee");
  s.mutable_device()->set_model("Pen A6");
  s.mutable_device()->set_serial_number("SN-0042-7731");
  s.mutable_cartridge()->set_model("12-needle nano");
  s.mutable_cartridge()->set_lot("LOT-2026-11");
  s.mutable_cartridge()->set_needle_count(12);
  const int areas = 3 + static_cast<int>(rng() % 4);
  for (int a = 0; a < areas; ++a) {
    v1::TreatedArea* t = s.add_treated_areas();
    t->mutable_site()->set_area(kAreas[a].first);
    t->mutable_site()->set_laterality(kAreas[a].second);
    t->set_needle_depth_mm(a < 2 ? 1.5 : 0.5);
    t->set_passes(2 + static_cast<int>(rng() % 3));
  }
  s.mutable_numbing()->set_product("lidocaine 4% cream");
  s.mutable_numbing()->set_contact_minutes(30);
  s.add_topicals_applied("hyaluronic acid serum");
  s.add_topicals_applied("chlorhexidine 0.05% solution");
  s.mutable_prep_check_in()->set_sun_exposure_last_48h(
      v1::PrepCheckIn::ANSWER_NO);
  s.mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_YES);
  s.mutable_immediate_response()->set_erythema(v1::ERYTHEMA_GRADE_MILD);
  s.mutable_immediate_response()->set_pinpoint_bleeding(
      v1::PINPOINT_BLEEDING_MINIMAL);
  s.set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_NONE);
  const v1::InstructionSet& aftercare =
      data.sets[static_cast<size_t>(clinic)][1];
  s.mutable_aftercare_instructions()->set_instruction_set(aftercare.name());
  s.mutable_aftercare_instructions()->set_revision_id(aftercare.revision_id());
  // Notes of 700–1500 characters make the session 1–2 KB.
  const size_t target = 700 + rng() % 800;
  std::string notes;
  while (notes.size() < target) notes += kNotes[rng() % std::size(kNotes)];
  s.set_notes(notes.substr(0, target));
  return s;
}

size_t OwnedPatient(const Dataset& data, int slot, int in_flight,
                    uint64_t pick) {
  const auto k = data.clinics.size();
  const auto n = data.patients.size();
  const auto s = static_cast<size_t>(slot);
  const auto clinic = s % k;
  const size_t slots = (static_cast<size_t>(in_flight) - clinic + k - 1) / k;
  const size_t patients = (n - clinic + k - 1) / k;  // of the clinic
  const size_t rank = s / k;                         // among the clinic's slots
  const size_t owned = (patients - rank + slots - 1) / slots;
  return clinic + k * (rank + slots * (pick % owned));
}

bool SlotOwnsPatient(const Dataset& data, int slot, int in_flight,
                     size_t patient) {
  const auto k = data.clinics.size();
  const auto s = static_cast<size_t>(slot);
  const size_t clinic = s % k;
  const size_t slots = (static_cast<size_t>(in_flight) - clinic + k - 1) / k;
  return patient % k == clinic && (patient / k) % slots == s / k;
}

absl::StatusOr<Dataset> Setup(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadOptions& o) {
  Dataset data;
  for (int c = 0; c < o.clinics; ++c) {
    data.clinics.push_back(o.clinics == 1 ? o.clinic
                                          : absl::StrCat(o.clinic, "-", c));
  }
  const absl::Time now = absl::Now();
  data.history_start = now - absl::Hours(24 * 400);
  const std::string run = absl::StrCat("bench-", absl::ToUnixMicros(now));
  absl::Mutex mu;

  data.sets.resize(data.clinics.size());
  absl::Status st =
      ParallelFor(channels, o.setup_threads, o.clinics,
                  [&](const std::shared_ptr<grpc::Channel>& channel, int c) {
                    return PublishSets(channel, o, run, now, c, data);
                  });
  if (!st.ok()) return st;

  data.patients.resize(static_cast<size_t>(o.patients));
  st = ParallelFor(channels, o.setup_threads, o.patients,
                   [&](const std::shared_ptr<grpc::Channel>& channel, int i) {
                     return PatientHistory(channel, o, run, i, data, mu);
                   });
  if (!st.ok()) return st;

  if (o.course_sessions > 0) {
    data.course_sessions = o.course_sessions;
    data.slot_course_start = data.history_start + absl::Hours(24);
    data.slot_courses.resize(static_cast<size_t>(o.slots));
    st = ParallelFor(channels, o.setup_threads, o.slots,
                     [&](const std::shared_ptr<grpc::Channel>& channel, int s) {
                       return SlotCourse(channel, o, run, s, data, mu);
                     });
    if (!st.ok()) return st;
  }
  return data;
}

}  // namespace mnrecords::loadgen

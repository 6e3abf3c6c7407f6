// Setup of the load generator's dataset and the session body (workload.h).
#include <atomic>
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

absl::StatusOr<v1::InstructionSet> Publish(v1::Consents::Stub& stub,
                                           const WorkloadOptions& o,
                                           const std::string& id,
                                           v1::InstructionKind kind,
                                           int revision, absl::Time effective) {
  v1::PublishInstructionSetRequest r;
  r.set_parent(absl::StrCat("clinics/", o.clinic));
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

// PatientHistory creates patient `i`: consents, courses, first sessions.
absl::Status PatientHistory(const std::shared_ptr<grpc::Channel>& channel,
                            const WorkloadOptions& o, const std::string& run,
                            int i, Dataset& data, absl::Mutex& mu) {
  v1::TreatmentRecords::Stub records(channel);
  v1::Consents::Stub consents(channel);
  std::mt19937_64 rng(static_cast<uint64_t>(i) * 7919 + 17);
  const std::string rid = absl::StrCat(run, "-p", i);

  v1::CreatePatientRequest pr;
  pr.set_parent(absl::StrCat("clinics/", o.clinic));
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
  for (size_t k = 0; k < data.sets.size(); ++k) {
    const int times = (k == 2 && i % 3 == 0) ? 2 : 1;  // re-consent
    for (int t = 0; t < times; ++t) {
      grpc::ClientContext ctx;
      Authorize(ctx, o.token);
      v1::Consent out;
      grpc::Status st = consents.RecordConsent(
          &ctx,
          ConsentRequest(patient.name(), data.sets[k],
                         data.history_start + absl::Minutes(10 * t),
                         absl::StrCat(rid, "-c", k, "-", t)),
          &out);
      if (!st.ok()) return Failed("RecordConsent", st);
    }
  }
  const int courses = 1 + static_cast<int>(rng() % 2);
  for (int c = 0; c < courses; ++c) {
    v1::CreateCourseRequest cr;
    cr.set_parent(patient.name());
    v1::TreatmentCourse* course = cr.mutable_course();
    course->add_indications(c == 0 ? v1::INDICATION_ACNE_SCARS
                                   : v1::INDICATION_TEXTURE_PORES);
    for (auto [area, lat] :
         {std::pair{v1::BODY_AREA_CHEEK, v1::LATERALITY_BILATERAL},
          std::pair{v1::BODY_AREA_FOREHEAD, v1::LATERALITY_MIDLINE},
          std::pair{v1::BODY_AREA_CHIN, v1::LATERALITY_MIDLINE}}) {
      v1::BodySite* site = course->add_treatment_areas();
      site->set_area(area);
      site->set_laterality(lat);
    }
    course->set_planned_session_count(3 + static_cast<int>(rng() % 4));
    course->set_planned_interval_min_days(28);
    course->set_planned_interval_max_days(42);
    course->set_responsible_clinician("dr-lee");
    cr.set_request_id(absl::StrCat(rid, "-course", c));
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
          data, data.history_start + absl::Hours(24 * (30 + 35 * s)), rng);
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

}  // namespace

v1::TreatmentSession SessionBody(const Dataset& data, absl::Time performed_at,
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
  const v1::InstructionSet& aftercare = data.sets[1];
  s.mutable_aftercare_instructions()->set_instruction_set(aftercare.name());
  s.mutable_aftercare_instructions()->set_revision_id(aftercare.revision_id());
  // Notes of 700–1500 characters make the session 1–2 KB.
  const size_t target = 700 + rng() % 800;
  std::string notes;
  while (notes.size() < target) notes += kNotes[rng() % std::size(kNotes)];
  s.set_notes(notes.substr(0, target));
  return s;
}

absl::StatusOr<Dataset> Setup(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadOptions& o) {
  Dataset data;
  data.clinic = o.clinic;
  const absl::Time now = absl::Now();
  data.history_start = now - absl::Hours(24 * 400);
  const std::string run = absl::StrCat("bench-", absl::ToUnixMicros(now));

  v1::Consents::Stub admin(channels[0]);
  static constexpr const char* kIds[] = {"prep", "aftercare", "procedure",
                                         "photos"};
  for (size_t k = 0; k < std::size(kKinds); ++k) {
    const std::string id = absl::StrCat(run, "-", kIds[k]);
    absl::StatusOr<v1::InstructionSet> set =
        Publish(admin, o, id, kKinds[k], 1, now - absl::Hours(24 * 730));
    if (set.ok() && kKinds[k] == v1::INSTRUCTION_KIND_AFTERCARE) {
      set = Publish(admin, o, id, kKinds[k], 2, now - absl::Hours(24 * 500));
    }
    if (!set.ok()) return set.status();
    data.sets.push_back(*set);
  }

  data.patients.resize(static_cast<size_t>(o.patients));
  std::atomic<int> next{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < o.setup_threads; ++t) {
    threads.emplace_back([&, t] {
      const auto& channel = channels[static_cast<size_t>(t) % channels.size()];
      for (int i = next++; i < o.patients; i = next++) {
        absl::Status st = PatientHistory(channel, o, run, i, data, mu);
        if (!st.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = st;
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (!first_error.ok()) return first_error;
  return data;
}

}  // namespace mnrecords::loadgen

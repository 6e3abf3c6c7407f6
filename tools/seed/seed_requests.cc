#include "tools/seed/seed_requests.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time_util.h"

namespace mnrecords::seed {
namespace {

// Mix is a small deterministic hash for picking variants.
uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

template <typename T, size_t N>
const T& Pick(const T (&items)[N], uint64_t h) {
  return items[h % N];
}

std::string Clinician(const PatientPlan& p, uint64_t h) {
  return absl::StrFormat("dr-%s-%02d", p.clinic, static_cast<int>(h % 12) + 1);
}

std::string RequestId(absl::string_view what, const PatientPlan& p,
                      absl::string_view detail) {
  return absl::StrCat("seed-", what, "-", p.clinic, "-", p.id,
                      detail.empty() ? "" : "-", detail);
}

constexpr const char* kNotePhrases[] = {
    "Patient arrived on time with clean skin; no make-up or sunscreen "
    "residue.",
    "Topical anaesthetic applied and removed after the contact time; skin "
    "cleansed with chlorhexidine.",
    "Treatment performed in a cross-hatch pattern, three passes per zone, "
    "with extra passes over the deepest scars.",
    "Depth reduced over the bony prominences of the forehead and jawline.",
    "Uniform pinpoint bleeding in the treated zones; no bruising observed.",
    "Hyaluronic acid serum applied after treatment as a glide and to soothe.",
    "Patient tolerated the procedure well and reported a pain score of 3/10.",
    "Erythema settled noticeably before discharge; cooling mask applied for "
    "ten minutes.",
    "Aftercare reviewed verbally: no make-up for 24 hours, gentle cleanser, "
    "broad-spectrum SPF 50 and no actives for five days.",
    "Patient reports visible improvement in texture since the previous "
    "session and is satisfied with progress.",
    "Follow-up photographs planned at the next visit under the standard "
    "lighting set-up.",
    "Discussed expected downtime of two to three days with mild redness and "
    "flaking.",
};

constexpr v1::BodyArea kFaceAreas[] = {
    v1::BODY_AREA_FOREHEAD,    v1::BODY_AREA_PERIORBITAL,
    v1::BODY_AREA_CHEEK,       v1::BODY_AREA_NOSE,
    v1::BODY_AREA_PERIORAL,    v1::BODY_AREA_CHIN,
    v1::BODY_AREA_JAWLINE,     v1::BODY_AREA_NECK,
    v1::BODY_AREA_DECOLLETAGE,
};

constexpr v1::Indication kIndications[] = {
    v1::INDICATION_FINE_LINES_WRINKLES, v1::INDICATION_ACNE_SCARS,
    v1::INDICATION_SURGICAL_SCARS,      v1::INDICATION_TEXTURE_PORES,
    v1::INDICATION_STRETCH_MARKS,       v1::INDICATION_HYPERPIGMENTATION,
};

v1::Laterality LateralityOf(v1::BodyArea area, uint64_t h) {
  switch (area) {
    case v1::BODY_AREA_FOREHEAD:
    case v1::BODY_AREA_NOSE:
    case v1::BODY_AREA_CHIN:
    case v1::BODY_AREA_NECK:
    case v1::BODY_AREA_DECOLLETAGE:
    case v1::BODY_AREA_PERIORAL:
      return v1::LATERALITY_MIDLINE;
    default:
      return h % 3 == 0
                 ? v1::LATERALITY_BILATERAL
                 : (h % 3 == 1 ? v1::LATERALITY_LEFT : v1::LATERALITY_RIGHT);
  }
}

const char* KindId(v1::InstructionKind kind) {
  switch (kind) {
    case v1::INSTRUCTION_KIND_PREPARATION:
      return "preparation";
    case v1::INSTRUCTION_KIND_AFTERCARE:
      return "aftercare";
    case v1::INSTRUCTION_KIND_PROCEDURE:
      return "procedure";
    case v1::INSTRUCTION_KIND_PHOTOGRAPHY:
      return "photography";
    default:
      return "other";
  }
}

}  // namespace

std::string InstructionSetName(const std::string& clinic,
                               v1::InstructionKind kind) {
  return absl::StrCat("clinics/", clinic, "/instructionSets/", KindId(kind));
}

std::vector<v1::PublishInstructionSetRequest> InstructionSetRequests(
    const SeedLayout& layout, const std::string& clinic) {
  std::vector<v1::PublishInstructionSetRequest> out;
  auto add = [&](v1::InstructionKind kind, int revision) {
    v1::PublishInstructionSetRequest r;
    r.set_parent(absl::StrCat("clinics/", clinic));
    r.set_instruction_set_id(KindId(kind));
    v1::InstructionSet* s = r.mutable_instruction_set();
    s->set_kind(kind);
    s->set_title(absl::StrCat("Microneedling ", KindId(kind),
                              " instructions, edition ", revision));
    for (int i = 0; i < 6; ++i) {
      s->add_items()->set_text(
          absl::StrCat(kNotePhrases[(i + revision) % std::size(kNotePhrases)],
                       " (item ", i + 1, ")"));
    }
    s->set_published_by("seed-admin");
    *s->mutable_effective_time() =
        ToProtoTime(revision == 1 ? layout.window_start - absl::Hours(24 * 60)
                                  : layout.reissue_time);
    r.set_request_id(absl::StrCat("seed-publish-", clinic, "-", KindId(kind),
                                  "-", revision));
    out.push_back(std::move(r));
  };
  for (v1::InstructionKind kind :
       {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
        v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    add(kind, 1);
  }
  add(v1::INSTRUCTION_KIND_PREPARATION, 2);
  add(v1::INSTRUCTION_KIND_AFTERCARE, 2);
  return out;
}

v1::CreatePatientRequest PatientRequest(const PatientPlan& p) {
  v1::CreatePatientRequest r;
  r.set_parent(absl::StrCat("clinics/", p.clinic));
  r.set_patient_id(p.id);
  v1::PatientIdentifier* mrn = r.mutable_patient()->add_identifiers();
  mrn->set_system(absl::StrCat("urn:mrn:", p.clinic));
  mrn->set_value(absl::StrFormat("MRN%08d", p.index + 1));
  r.mutable_patient()->set_fitzpatrick_skin_type(
      static_cast<v1::FitzpatrickSkinType>(p.fitzpatrick));
  r.set_request_id(RequestId("patient", p, ""));
  return r;
}

v1::CreateCourseRequest CourseRequest(const PatientPlan& p,
                                      const CoursePlan& c) {
  const uint64_t h = Mix(p.index, c.id.back());
  v1::CreateCourseRequest r;
  r.set_parent(PatientName(p));
  r.set_course_id(c.id);
  v1::TreatmentCourse* course = r.mutable_course();
  course->add_indications(Pick(kIndications, h));
  if (h % 3 == 0) course->add_indications(Pick(kIndications, (h >> 8) + 1));
  if (course->indications_size() == 2 &&
      course->indications(0) == course->indications(1)) {
    course->mutable_indications()->RemoveLast();
  }
  v1::BodySite* area = course->add_treatment_areas();
  area->set_area(v1::BODY_AREA_FULL_FACE);
  course->set_planned_session_count(c.planned_sessions);
  course->set_planned_interval_min_days(28);
  course->set_planned_interval_max_days(42);
  course->set_status(v1::COURSE_STATUS_ACTIVE);
  course->set_responsible_clinician(Clinician(p, h));
  course->set_notes(
      "Course planned after consultation; expectations, "
      "downtime and photography discussed.");
  r.set_request_id(RequestId("course", p, c.id));
  return r;
}

v1::LogSessionRequest SessionRequest(const PatientPlan& p, const CoursePlan& c,
                                     int i) {
  const uint64_t h = Mix(p.index * 16 + c.id.back(), i);
  const absl::Time performed_at = c.sessions[i];
  v1::LogSessionRequest r;
  r.set_parent(CourseName(p, c));
  r.set_session_id(absl::StrCat("s", i + 1));
  v1::TreatmentSession* s = r.mutable_session();
  s->set_status(v1::SESSION_STATUS_COMPLETED);
  *s->mutable_performed_at() = ToProtoTime(performed_at);
  s->set_duration_minutes(30 + static_cast<int>(h % 31));
  s->set_clinician(Clinician(p, Mix(p.index, c.id.back())));
  s->mutable_device()->set_model("Dermapen 4");
  s->mutable_device()->set_serial_number(
      absl::StrFormat("DP4-%s-%03d", p.clinic, static_cast<int>(h % 7)));
  v1::NeedleCartridge* cart = s->mutable_cartridge();
  cart->set_model(h % 2 ? "16-needle nano" : "12-needle");
  cart->set_needle_count(h % 2 ? 16 : 12);
  const absl::CivilMonth month =
      absl::ToCivilMonth(performed_at, absl::UTCTimeZone());
  cart->set_lot(absl::StrFormat("LOT-%04d%02d-%c", month.year(), month.month(),
                                static_cast<char>('A' + h % 4)));
  *cart->mutable_lot_expiry_time() =
      ToProtoTime(performed_at + absl::Hours(24 * 365));
  const int areas = 3 + static_cast<int>((h >> 4) % 4);
  for (int a = 0; a < areas; ++a) {
    const v1::BodyArea area = kFaceAreas[(h + a * 2) % std::size(kFaceAreas)];
    v1::TreatedArea* t = s->add_treated_areas();
    t->mutable_site()->set_area(area);
    t->mutable_site()->set_laterality(LateralityOf(area, h >> a));
    t->mutable_site()->set_description(
        absl::StrCat("zone ", a + 1, " of the treatment map"));
    t->set_needle_depth_mm(0.5 + 0.25 * ((h >> (a + 8)) % 5));
    t->set_passes(2 + static_cast<int>((h >> (a + 12)) % 3));
  }
  s->mutable_numbing()->set_product("lidocaine 4% / prilocaine cream");
  s->mutable_numbing()->set_contact_minutes(30 + static_cast<int>(h % 16));
  s->add_topicals_applied("hyaluronic acid serum 1.5%");
  if (h % 4 == 0) s->add_topicals_applied("growth factor serum");
  s->mutable_prep_check_in()->set_sun_exposure_last_48h(
      h % 50 == 0 ? v1::PrepCheckIn::ANSWER_YES : v1::PrepCheckIn::ANSWER_NO);
  s->mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_YES);
  *s->mutable_prep_check_in()->mutable_last_retinoid_use_time() =
      ToProtoTime(performed_at - absl::Hours(24 * (5 + h % 10)));
  s->mutable_immediate_response()->set_erythema(
      h % 5 == 0 ? v1::ERYTHEMA_GRADE_MODERATE : v1::ERYTHEMA_GRADE_MILD);
  s->mutable_immediate_response()->set_pinpoint_bleeding(
      v1::PINPOINT_BLEEDING_MINIMAL);
  if (h % 40 == 0) {
    s->set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_PRESENT);
    v1::AdverseEvent* e = s->add_adverse_events();
    e->set_description(
        "Transient urticarial reaction around the treated area, resolved "
        "with cool compresses within an hour.");
    e->set_severity(v1::ADVERSE_EVENT_SEVERITY_MILD);
    *e->mutable_onset_time() = ToProtoTime(performed_at + absl::Minutes(20));
  } else {
    s->set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_NONE);
  }
  v1::InstructionRevisionRef* care = s->mutable_aftercare_instructions();
  care->set_instruction_set(
      InstructionSetName(p.clinic, v1::INSTRUCTION_KIND_AFTERCARE));
  care->set_revision_id(c.id == "k1" ? 1 : 2);
  v1::AftercareDelivery* delivery = s->mutable_aftercare_delivery();
  *delivery->mutable_delivered_at() =
      ToProtoTime(performed_at + absl::Minutes(50));
  delivery->set_method(h % 3 == 0 ? v1::AFTERCARE_DELIVERY_METHOD_EMAIL
                                  : v1::AFTERCARE_DELIVERY_METHOD_PRINTED);
  delivery->set_delivered_by("nurse-1");
  std::string notes =
      absl::StrCat("Session ", i + 1, " of ", c.planned_sessions, ". ");
  const int phrases = 6 + static_cast<int>((h >> 20) % 3);
  for (int k = 0; k < phrases; ++k) {
    absl::StrAppend(
        &notes, kNotePhrases[((h >> (k * 4)) + k) % std::size(kNotePhrases)],
        " ");
  }
  s->set_notes(notes);
  r.set_request_id(RequestId("session", p, absl::StrCat(c.id, "-s", i + 1)));
  return r;
}

v1::AmendCourseRequest CompleteCourseRequest(const PatientPlan& p,
                                             const CoursePlan& c) {
  v1::AmendCourseRequest r;
  r.mutable_course()->set_name(CourseName(p, c));
  r.mutable_course()->set_status(v1::COURSE_STATUS_COMPLETED);
  r.mutable_update_mask()->add_paths("status");
  r.set_etag("r1");
  r.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
  r.mutable_amendment()->set_reason("all planned sessions performed");
  r.mutable_amendment()->set_author(Clinician(p, Mix(p.index, c.id.back())));
  r.set_request_id(RequestId("complete", p, c.id));
  return r;
}

v1::RecordConsentRequest ConsentRequest(const PatientPlan& p,
                                        v1::InstructionKind kind,
                                        int64_t revision,
                                        absl::Time signed_at) {
  v1::RecordConsentRequest r;
  r.set_parent(PatientName(p));
  r.set_consent_id(absl::StrCat(KindId(kind), "-", revision));
  v1::Consent* c = r.mutable_consent();
  c->mutable_instructions()->set_instruction_set(
      InstructionSetName(p.clinic, kind));
  c->mutable_instructions()->set_revision_id(revision);
  c->set_decision(v1::CONSENT_DECISION_GRANTED);
  *c->mutable_signed_at() = ToProtoTime(signed_at);
  c->set_method(v1::CONSENT_METHOD_ELECTRONIC_SIGNATURE);
  c->mutable_signer()->set_relationship(v1::Signer::RELATIONSHIP_PATIENT);
  c->set_recorded_by(absl::StrCat("nurse-", p.clinic));
  r.set_request_id(
      RequestId("consent", p, absl::StrCat(KindId(kind), "-", revision)));
  return r;
}

v1::RevokeConsentRequest RevokePhotoConsentRequest(const PatientPlan& p) {
  v1::RevokeConsentRequest r;
  r.set_name(absl::StrCat(PatientName(p), "/consents/photography-1"));
  r.set_reason("Patient withdrew consent to clinical photography.");
  r.set_author(absl::StrCat("nurse-", p.clinic));
  *r.mutable_revoke_time() = ToProtoTime(p.revoke_time);
  r.set_request_id(RequestId("revoke", p, "photography-1"));
  return r;
}

v1::CreatePhotoRequest PhotoRequest(const PatientPlan& p, const CoursePlan& c,
                                    int i, v1::PhotoPhase phase) {
  const bool baseline = phase == v1::PHOTO_PHASE_BASELINE;
  v1::CreatePhotoRequest r;
  r.set_parent(SessionName(p, c, i));
  r.set_photo_id(baseline ? "baseline-frontal" : "follow-up-frontal");
  v1::OutcomePhoto* photo = r.mutable_photo();
  photo->set_phase(phase);
  *photo->mutable_captured_at() =
      ToProtoTime(c.sessions[i] - absl::Minutes(baseline ? 10 : 5));
  photo->set_view(v1::PHOTO_VIEW_FRONTAL);
  photo->mutable_body_site()->set_area(v1::BODY_AREA_FULL_FACE);
  photo->set_identifiable(true);
  photo->set_capture_device("Canon EOS R6, ring flash");
  photo->set_storage_uri(absl::StrCat("s3://", p.clinic, "-photos/", p.id, "/",
                                      c.id, "/s", i + 1, "-", r.photo_id(),
                                      ".jpg"));
  photo->set_image_sha256(absl::StrFormat(
      "%016x%016x%016x%016x", Mix(p.index, i), Mix(p.index, i + 1),
      Mix(p.index, phase), Mix(p.index, c.id.back())));
  photo->set_byte_size(2000000 +
                       static_cast<int64_t>(Mix(p.index, i) % 900000));
  photo->set_media_type("image/jpeg");
  photo->set_width_px(4000);
  photo->set_height_px(6000);
  r.set_request_id(RequestId(
      "photo", p, absl::StrCat(c.id, "-s", i + 1, "-", r.photo_id())));
  return r;
}

}  // namespace mnrecords::seed

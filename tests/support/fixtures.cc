#include "tests/support/fixtures.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace mnrecords::testing {

absl::Time TestNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 2, 9, 0, 0),
                         absl::UTCTimeZone());
}

std::string NewRequestId() {
  static std::atomic<int> counter{0};
  return absl::StrCat("test-", absl::ToUnixNanos(absl::Now()), "-",
                      counter.fetch_add(1));
}

v1::CreatePatientRequest PatientRequest(const std::string& clinic,
                                        const std::string& mrn) {
  v1::CreatePatientRequest r;
  r.set_parent(absl::StrCat("clinics/", clinic));
  v1::PatientIdentifier* id = r.mutable_patient()->add_identifiers();
  id->set_system("urn:oid:1.2.36.146.595.217.0.1");
  id->set_value(mrn);
  r.mutable_patient()->set_fitzpatrick_skin_type(v1::FITZPATRICK_SKIN_TYPE_III);
  r.set_request_id(NewRequestId());
  return r;
}

v1::CreateCourseRequest CourseRequest(const std::string& patient_name) {
  v1::CreateCourseRequest r;
  r.set_parent(patient_name);
  v1::TreatmentCourse* c = r.mutable_course();
  c->add_indications(v1::INDICATION_ACNE_SCARS);
  v1::BodySite* area = c->add_treatment_areas();
  area->set_area(v1::BODY_AREA_CHEEK);
  area->set_laterality(v1::LATERALITY_BILATERAL);
  c->set_planned_session_count(3);
  c->set_planned_interval_min_days(28);
  c->set_planned_interval_max_days(42);
  c->set_responsible_clinician("dr-lee");
  r.set_request_id(NewRequestId());
  return r;
}

v1::LogSessionRequest SessionRequest(const std::string& course_name,
                                     absl::Time performed_at) {
  v1::LogSessionRequest r;
  r.set_parent(course_name);
  v1::TreatmentSession* s = r.mutable_session();
  s->set_status(v1::SESSION_STATUS_COMPLETED);
  *s->mutable_performed_at() = ToProtoTime(performed_at);
  s->set_duration_minutes(45);
  s->set_clinician("dr-lee");
  s->mutable_device()->set_model("Pen A6");
  s->mutable_cartridge()->set_model("12-needle");
  s->mutable_cartridge()->set_lot("LOT-2026-11");
  s->mutable_cartridge()->set_needle_count(12);
  for (auto lat : {v1::LATERALITY_LEFT, v1::LATERALITY_RIGHT}) {
    v1::TreatedArea* a = s->add_treated_areas();
    a->mutable_site()->set_area(v1::BODY_AREA_CHEEK);
    a->mutable_site()->set_laterality(lat);
    a->set_needle_depth_mm(1.5);
    a->set_passes(3);
  }
  s->mutable_numbing()->set_product("lidocaine 4% cream");
  s->mutable_numbing()->set_contact_minutes(30);
  s->add_topicals_applied("hyaluronic acid serum");
  s->mutable_prep_check_in()->set_sun_exposure_last_48h(
      v1::PrepCheckIn::ANSWER_NO);
  s->mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_YES);
  s->mutable_immediate_response()->set_erythema(v1::ERYTHEMA_GRADE_MILD);
  s->mutable_immediate_response()->set_pinpoint_bleeding(
      v1::PINPOINT_BLEEDING_MINIMAL);
  s->set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_NONE);
  s->set_notes("Tolerated well.");
  r.set_request_id(NewRequestId());
  return r;
}

v1::PublishInstructionSetRequest InstructionsRequest(const std::string& clinic,
                                                     const std::string& id,
                                                     v1::InstructionKind kind) {
  v1::PublishInstructionSetRequest r;
  r.set_parent(absl::StrCat("clinics/", clinic));
  r.set_instruction_set_id(id);
  v1::InstructionSet* s = r.mutable_instruction_set();
  s->set_kind(kind);
  s->set_title(absl::StrCat(v1::InstructionKind_Name(kind), " instructions"));
  s->add_items()->set_text("Avoid sun exposure for at least 48 hours before.");
  s->add_items()->set_text("Arrive with clean skin, no makeup.");
  s->set_published_by("admin-1");
  r.set_request_id(NewRequestId());
  return r;
}

v1::RecordConsentRequest ConsentRequest(const std::string& patient_name,
                                        const v1::InstructionSet& set,
                                        absl::Time signed_at) {
  v1::RecordConsentRequest r;
  r.set_parent(patient_name);
  v1::Consent* c = r.mutable_consent();
  c->mutable_instructions()->set_instruction_set(set.name());
  c->mutable_instructions()->set_revision_id(set.revision_id());
  c->mutable_instructions()->set_content_sha256(set.content_sha256());
  c->set_decision(v1::CONSENT_DECISION_GRANTED);
  *c->mutable_signed_at() = ToProtoTime(signed_at);
  c->set_method(v1::CONSENT_METHOD_ELECTRONIC_SIGNATURE);
  c->mutable_signer()->set_relationship(v1::Signer::RELATIONSHIP_PATIENT);
  c->set_recorded_by("nurse-kim");
  r.set_request_id(NewRequestId());
  return r;
}

v1::PublishInstructionSetRequest QuestionnaireRequest(
    const std::string& clinic) {
  v1::PublishInstructionSetRequest r;
  r.set_parent(absl::StrCat("clinics/", clinic));
  r.set_instruction_set_id("screening");
  v1::InstructionSet* s = r.mutable_instruction_set();
  s->set_kind(v1::INSTRUCTION_KIND_SCREENING);
  s->set_title("Health questions");
  v1::InstructionItem* pregnancy = s->add_items();
  pregnancy->set_question_code("pregnancy-or-breastfeeding");
  pregnancy->set_contraindication(v1::CONTRAINDICATION_ABSOLUTE);
  pregnancy->set_text("Are you pregnant or breastfeeding?");
  v1::InstructionItem* keloid = s->add_items();
  keloid->set_question_code("keloid-scarring");
  keloid->set_contraindication(v1::CONTRAINDICATION_RELATIVE);
  keloid->set_text("Have you ever formed keloid or raised scars?");
  s->set_published_by("admin-1");
  r.set_request_id(NewRequestId());
  return r;
}

v1::RecordScreeningRequest ScreeningRequest(
    const std::string& patient_name, const v1::InstructionSet& questionnaire,
    absl::Time asked_at) {
  v1::RecordScreeningRequest r;
  r.set_parent(patient_name);
  v1::Screening* s = r.mutable_screening();
  s->mutable_questionnaire()->set_instruction_set(questionnaire.name());
  s->mutable_questionnaire()->set_revision_id(questionnaire.revision_id());
  *s->mutable_asked_at() = ToProtoTime(asked_at);
  s->set_asked_by("nurse-kim");
  for (const v1::InstructionItem& q : questionnaire.items()) {
    v1::ScreeningAnswer* a = s->add_answers();
    a->set_question_code(q.question_code());
    a->set_answer(v1::ScreeningAnswer::ANSWER_NO);
  }
  r.set_request_id(NewRequestId());
  return r;
}

v1::CreatePhotoRequest PhotoRequest(const std::string& session_name,
                                    v1::PhotoPhase phase,
                                    absl::Time captured_at) {
  v1::CreatePhotoRequest r;
  r.set_parent(session_name);
  v1::OutcomePhoto* p = r.mutable_photo();
  p->set_phase(phase);
  *p->mutable_captured_at() = ToProtoTime(captured_at);
  p->set_view(v1::PHOTO_VIEW_FRONTAL);
  p->mutable_body_site()->set_area(v1::BODY_AREA_FULL_FACE);
  p->set_identifiable(true);
  p->set_capture_device("Canon R6");
  p->set_storage_uri("s3://clinic-photos/p1/baseline-frontal.jpg");
  p->set_image_sha256(std::string(64, 'a'));
  p->set_byte_size(2400000);
  p->set_media_type("image/jpeg");
  p->set_width_px(4000);
  p->set_height_px(6000);
  r.set_request_id(NewRequestId());
  return r;
}

v1::RecordOutcomeAssessmentRequest AssessmentRequest(
    const std::string& course_name, absl::Time assessed_at) {
  v1::RecordOutcomeAssessmentRequest r;
  r.set_parent(course_name);
  v1::OutcomeAssessment* a = r.mutable_assessment();
  a->set_scale(v1::OUTCOME_SCALE_GAIS);
  a->set_rater(v1::OUTCOME_RATER_CLINICIAN);
  a->set_score(2);
  a->set_timepoint(v1::OUTCOME_TIMEPOINT_FOLLOW_UP);
  *a->mutable_assessed_at() = ToProtoTime(assessed_at);
  a->set_assessed_by("dr-lee");
  r.set_request_id(NewRequestId());
  return r;
}

v1::ReleasePhotoRequest ReleaseRequest(const std::string& photo_name,
                                       v1::PhotoUse purpose,
                                       absl::Time released_at) {
  v1::ReleasePhotoRequest r;
  r.set_parent(photo_name);
  v1::PhotoRelease* release = r.mutable_release();
  release->set_purpose(purpose);
  *release->mutable_released_at() = ToProtoTime(released_at);
  release->set_released_by("dr-lee");
  release->set_recipient("Grand rounds, dermatology department");
  r.set_request_id(NewRequestId());
  return r;
}

}  // namespace mnrecords::testing

// ExportPatientRecord with format "fhir-r4" through the real server: a
// patient with two courses, an amended session, a revoked consent and
// photos. Every exported Bundle is checked by the official FHIR R4 JSON
// schema (tests/fhir/validate_bundle.js, which also resolves references),
// and the mapped values are compared with what the server stored.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fhir_validator.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using Json = nlohmann::json;
constexpr char kCanonical[] = "https://mnrecords.example/fhir";

std::string Ns(const std::string& name) {
  return absl::StrCat(kCanonical, "/NamingSystem/", name);
}
std::string Ext(const std::string& name) {
  return absl::StrCat(kCanonical, "/StructureDefinition/", name);
}

// The identifier value of `system` in a resource, or "" (identifier is a
// list in most resources, one Identifier in a QuestionnaireResponse).
std::string IdentifierValue(const Json& resource, const std::string& system) {
  Json ids = resource.value("identifier", Json::array());
  if (ids.is_object()) ids = Json::array({ids});
  for (const Json& id : ids) {
    if (id.value("system", "") == system) return id.value("value", "");
  }
  return "";
}

// ExtensionOf returns the extension `name` of `element` (null if absent).
Json ExtensionOf(const Json& element, const std::string& name) {
  if (!element.contains("extension")) return Json();
  for (const Json& e : element["extension"]) {
    if (e["url"] == Ext(name)) return e;
  }
  return Json();
}

class FhirExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.clock().Set(TestNow());
    patient_ = Must(client().CreatePatient(PatientRequest("c1", "MRN-FHIR")));
    auto procedure =
        InstructionsRequest("c1", "procedure", v1::INSTRUCTION_KIND_PROCEDURE);
    // The procedure text is in sections, like the plugin's default.
    procedure.mutable_instruction_set()->mutable_items(0)->set_section(
        "What is done");
    procedure.mutable_instruction_set()->mutable_items(1)->set_section("Risks");
    procedure.mutable_instruction_set()
        ->mutable_items(1)
        ->set_clinic_wording_required(true);
    procedure_set_ =
        Must(server_.admin_client().PublishInstructionSet(procedure));
    aftercare_v1_ =
        Must(server_.admin_client().PublishInstructionSet(InstructionsRequest(
            "c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE)));
    auto changed =
        InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE);
    changed.mutable_instruction_set()->add_items()->set_text("Wear SPF 30+.");
    aftercare_v2_ = Must(server_.admin_client().PublishInstructionSet(changed));
    photos_set_ = Must(server_.admin_client().PublishInstructionSet(
        InstructionsRequest("c1", "photos", v1::INSTRUCTION_KIND_PHOTOGRAPHY)));

    const absl::Time t0 = TestNow() - absl::Hours(24 * 120);
    consent_procedure_ = Must(client_consents().RecordConsent(
        ConsentRequest(patient_.name(), procedure_set_, t0)));
    auto witnessed = ConsentRequest(patient_.name(), photos_set_, t0);
    witnessed.mutable_consent()->set_method(
        v1::CONSENT_METHOD_VERBAL_WITH_WITNESS);
    witnessed.mutable_consent()->mutable_witness()->set_display_name(
        "Nurse Kim");
    witnessed.mutable_consent()->mutable_witness()->set_role("nurse");
    *witnessed.mutable_consent()->mutable_expire_time() =
        ToProtoTime(TestNow() + absl::Hours(24 * 365));
    consent_photos_ = Must(client_consents().RecordConsent(witnessed));
    const auto aftercare_consent = Must(client_consents().RecordConsent(
        ConsentRequest(patient_.name(), aftercare_v1_, t0)));
    v1::RevokeConsentRequest revoke;
    revoke.set_name(aftercare_consent.name());
    revoke.set_reason("Patient withdrew consent by phone.");
    revoke.set_author("nurse-kim");
    *revoke.mutable_revoke_time() = ToProtoTime(TestNow() - absl::Hours(1));
    consent_revoked_ = Must(client_consents().RevokeConsent(revoke));

    questionnaire_ = Must(server_.admin_client().PublishInstructionSet(
        QuestionnaireRequest("c1")));
    auto screened = ScreeningRequest(patient_.name(), questionnaire_, t0);
    screened.mutable_screening()->mutable_answers(1)->set_answer(
        v1::ScreeningAnswer::ANSWER_YES);
    screened.mutable_screening()->mutable_answers(1)->set_details(
        "raised scar after an appendectomy");
    screening_ = Must(client().RecordScreening(screened));

    auto acne = CourseRequest(patient_.name());
    acne.set_course_id("acne");
    course_a_ = Must(client().CreateCourse(acne));
    auto scars = CourseRequest(patient_.name());
    scars.set_course_id("scars");
    scars.mutable_course()->set_status(v1::COURSE_STATUS_ACTIVE);
    course_b_ = Must(client().CreateCourse(scars));

    auto s1 = SessionRequest(course_a_.name(), t0 + absl::Hours(24));
    s1.set_session_id("s1");
    auto* ref = s1.mutable_session()->mutable_aftercare_instructions();
    ref->set_instruction_set(aftercare_v1_.name());
    ref->set_revision_id(aftercare_v1_.revision_id());
    session_a1_ = Must(client().LogSession(s1));
    auto s2 = SessionRequest(course_a_.name(), t0 + absl::Hours(24 * 30));
    s2.set_session_id("s2");
    auto* event = s2.mutable_session()->add_adverse_events();
    event->set_description("Petechiae on the left cheek");
    event->set_severity(v1::ADVERSE_EVENT_SEVERITY_MILD);
    s2.mutable_session()->set_adverse_events_assessment(
        v1::ADVERSE_EVENTS_ASSESSMENT_PRESENT);
    const auto s2_stored = Must(client().LogSession(s2));
    v1::AmendSessionRequest amend;
    amend.mutable_session()->set_name(s2_stored.name());
    amend.mutable_session()->set_duration_minutes(50);
    amend.mutable_update_mask()->add_paths("duration_minutes");
    amend.set_etag(s2_stored.etag());
    amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
    amend.mutable_amendment()->set_reason("Timer misread.");
    amend.mutable_amendment()->set_author("dr-lee");
    session_a2_ = Must(client().AmendSession(amend));
    auto b1 = SessionRequest(course_b_.name(), t0 + absl::Hours(48));
    b1.set_session_id("b1");
    session_b1_ = Must(client().LogSession(b1));

    auto baseline = PhotoRequest(session_a1_.name(), v1::PHOTO_PHASE_BASELINE,
                                 t0 + absl::Hours(24));
    baseline.mutable_photo()->set_image_sha256(std::string(64, 'b'));
    photo_baseline_ = Must(client().CreatePhoto(baseline));
    auto follow_up = PhotoRequest(session_a2_.name(), v1::PHOTO_PHASE_FOLLOW_UP,
                                  t0 + absl::Hours(24 * 30));
    follow_up.mutable_photo()->set_storage_uri("s3://clinic-photos/p1/s2.jpg");
    photo_follow_up_ = Must(client().CreatePhoto(follow_up));

    auto rated = AssessmentRequest(course_a_.name(), t0 + absl::Hours(24 * 30));
    rated.mutable_assessment()->set_session(session_a2_.name());
    rated.mutable_assessment()->add_photos(photo_follow_up_.name());
    rated.mutable_assessment()->set_notes("Scars visibly shallower.");
    assessment_clinician_ = Must(client().RecordOutcomeAssessment(rated));
    auto satisfied =
        AssessmentRequest(course_a_.name(), t0 + absl::Hours(24 * 30));
    satisfied.mutable_assessment()->set_scale(
        v1::OUTCOME_SCALE_PATIENT_SATISFACTION);
    satisfied.mutable_assessment()->set_rater(v1::OUTCOME_RATER_PATIENT);
    satisfied.mutable_assessment()->set_score(1);
    assessment_patient_ = Must(client().RecordOutcomeAssessment(satisfied));
  }

  template <typename T>
  T Must(absl::StatusOr<T> r) {
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : T();
  }

  RecordsClient& client() { return server_.client(); }
  RecordsClient& client_consents() { return server_.client(); }

  absl::StatusOr<v1::ExportPatientRecordResponse> Export(
      const std::string& course = "", const std::string& format = "fhir-r4") {
    v1::ExportPatientRecordRequest r;
    r.set_name(patient_.name());
    r.set_course(course);
    r.set_format(format);
    return client().ExportPatientRecord(r);
  }

  // ExportBundle exports, checks the schema, and indexes entries by our
  // resource name (Provenance by fullUrl).
  Json ExportBundle(const std::string& course = "") {
    auto response = Export(course);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return Json();
    EXPECT_EQ(response->media_type(), "application/fhir+json");
    EXPECT_EQ(ValidateFhirBundle(response->content()), "");
    Json bundle = Json::parse(response->content());
    for (const Json& e : bundle["entry"]) {
      const Json& r = e["resource"];
      by_url_[e["fullUrl"]] = r;
      const std::string name = IdentifierValue(r, Ns("resource-name"));
      if (!name.empty()) by_name_[name] = r;
      by_type_[r["resourceType"]].push_back(r);
    }
    return bundle;
  }

  const Json& Resolve(const Json& reference) {
    static const Json kNull;
    auto it = by_url_.find(reference.value("reference", ""));
    EXPECT_NE(it, by_url_.end()) << reference.dump();
    return it == by_url_.end() ? kNull : it->second;
  }

  TestServer server_;
  v1::Patient patient_;
  v1::InstructionSet procedure_set_, aftercare_v1_, aftercare_v2_, photos_set_,
      questionnaire_;
  v1::Screening screening_;
  v1::Consent consent_procedure_, consent_photos_, consent_revoked_;
  v1::TreatmentCourse course_a_, course_b_;
  v1::TreatmentSession session_a1_, session_a2_, session_b1_;
  v1::OutcomePhoto photo_baseline_, photo_follow_up_;
  v1::OutcomeAssessment assessment_clinician_, assessment_patient_;
  std::map<std::string, Json> by_url_, by_name_;
  std::map<std::string, std::vector<Json>> by_type_;
};

TEST_F(FhirExportTest, WholePatientIsAValidBundleWithEveryRecord) {
  const Json bundle = ExportBundle();
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  EXPECT_EQ(by_type_["CarePlan"].size(), 2u);
  EXPECT_EQ(by_type_["Procedure"].size(), 3u);
  EXPECT_EQ(by_type_["Media"].size(), 2u);
  EXPECT_EQ(by_type_["Consent"].size(), 3u);
  // procedure r1, aftercare r1 (consent and session), photos r1.
  EXPECT_EQ(by_type_["DocumentReference"].size(), 3u);
  EXPECT_EQ(by_type_["Questionnaire"].size(), 1u);
  EXPECT_EQ(by_type_["QuestionnaireResponse"].size(), 1u);
  EXPECT_EQ(by_type_["Observation"].size(), 2u);
  EXPECT_EQ(by_type_.count("Patient"), 0u) << "no demographics invented";
}

TEST_F(FhirExportTest, OutcomeAssessmentsAreObservationsOfTheirScale) {
  ExportBundle();
  const Json& gais = by_name_[assessment_clinician_.name()];
  ASSERT_EQ(gais["resourceType"], "Observation");
  EXPECT_EQ(gais["status"], "final");
  EXPECT_EQ(gais["code"]["coding"][0]["system"],
            absl::StrCat(kCanonical, "/CodeSystem/outcome-scale"));
  EXPECT_EQ(gais["code"]["coding"][0]["code"], "gais");
  EXPECT_EQ(gais["valueCodeableConcept"]["coding"][0]["code"], "2");
  EXPECT_EQ(gais["valueCodeableConcept"]["coding"][0]["display"],
            "Much improved");
  EXPECT_EQ(gais["category"][0]["coding"][0]["code"], "exam");
  EXPECT_EQ(gais["effectiveDateTime"],
            absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                             FromProtoTime(assessment_clinician_.assessed_at()),
                             absl::UTCTimeZone()));
  EXPECT_EQ(gais["performer"][0]["identifier"]["value"], "dr-lee");
  EXPECT_EQ(Resolve(gais["basedOn"][0])["resourceType"], "CarePlan");
  EXPECT_EQ(IdentifierValue(Resolve(gais["partOf"][0]), Ns("resource-name")),
            session_a2_.name());
  EXPECT_EQ(
      IdentifierValue(Resolve(gais["derivedFrom"][0]), Ns("resource-name")),
      photo_follow_up_.name());
  EXPECT_EQ(gais["note"][0]["text"], "Scars visibly shallower.");

  const Json& satisfaction = by_name_[assessment_patient_.name()];
  EXPECT_EQ(satisfaction["category"][0]["coding"][0]["code"], "survey");
  EXPECT_EQ(satisfaction["valueCodeableConcept"]["text"], "Very satisfied");
  EXPECT_EQ(satisfaction["performer"][0], gais["subject"])
      << "the patient rated it";
  EXPECT_EQ(satisfaction.count("partOf"), 0u);
}

TEST_F(FhirExportTest, AScreeningIsAQuestionnaireResponseToItsExactRevision) {
  ExportBundle();
  ASSERT_EQ(by_type_["Questionnaire"].size(), 1u);
  const Json& q = by_type_["Questionnaire"][0];
  EXPECT_EQ(q["url"],
            absl::StrCat(kCanonical, "/Questionnaire/", questionnaire_.name()));
  EXPECT_EQ(q["version"], "1");
  EXPECT_EQ(q["status"], "active");
  EXPECT_EQ(IdentifierValue(q, Ns("instruction-content-sha256")),
            questionnaire_.content_sha256());
  ASSERT_EQ(q["item"].size(), 2u);
  EXPECT_EQ(q["item"][0]["linkId"], "pregnancy-or-breastfeeding");
  EXPECT_EQ(q["item"][0]["type"], "boolean");
  EXPECT_EQ(q["item"][0]["code"][0]["system"],
            absl::StrCat(kCanonical, "/CodeSystem/screening-question"));
  EXPECT_EQ(q["item"][0]["extension"][0]["valueCoding"]["code"], "absolute");
  EXPECT_EQ(q["item"][1]["extension"][0]["valueCoding"]["code"], "relative");

  const Json& r = by_name_[screening_.name()];
  EXPECT_EQ(r["resourceType"], "QuestionnaireResponse");
  EXPECT_EQ(r["questionnaire"],
            absl::StrCat(q["url"].get<std::string>(), "|1"));
  EXPECT_EQ(r["status"], "completed");
  EXPECT_EQ(r["subject"]["identifier"]["value"],
            patient_.identifiers(0).value());
  EXPECT_EQ(r["author"]["identifier"]["value"], "nurse-kim");
  ASSERT_EQ(r["item"].size(), 2u);
  EXPECT_EQ(r["item"][0]["answer"][0]["valueBoolean"], false);
  EXPECT_EQ(r["item"][1]["linkId"], "keloid-scarring");
  EXPECT_EQ(r["item"][1]["answer"][0]["valueBoolean"], true);
  EXPECT_EQ(r["item"][1]["answer"][0]["extension"][0]["valueString"],
            "raised scar after an appendectomy");
}

TEST_F(FhirExportTest, PatientIsReferencedByTheEhrIdentifier) {
  ExportBundle();
  for (const auto& [type, resources] : by_type_) {
    for (const Json& r : resources) {
      const char* key = type == "Consent" ? "patient" : "subject";
      if (!r.contains(key)) continue;
      EXPECT_EQ(r[key]["identifier"]["system"],
                patient_.identifiers(0).system());
      EXPECT_EQ(r[key]["identifier"]["value"], "MRN-FHIR");
    }
  }
}

TEST_F(FhirExportTest, CourseIsACarePlanWithTimingAndItsSessions) {
  ExportBundle();
  const Json& plan = by_name_[course_a_.name()];
  EXPECT_EQ(plan["status"], "active");
  EXPECT_EQ(plan["intent"], "plan");
  EXPECT_EQ(ExtensionOf(plan, "course-status")["valueCoding"]["code"],
            "planned");
  const Json& activity = plan["activity"][0];
  EXPECT_EQ(activity["detail"]["status"], "not-started");
  const Json& repeat = activity["detail"]["scheduledTiming"]["repeat"];
  EXPECT_EQ(repeat["count"], 3);
  EXPECT_EQ(repeat["period"], 28);
  EXPECT_EQ(repeat["periodMax"], 42);
  EXPECT_EQ(repeat["periodUnit"], "d");
  EXPECT_EQ(activity["detail"]["reasonCode"][0]["coding"][0]["code"],
            "acne-scars");
  ASSERT_EQ(activity["outcomeReference"].size(), 2u);
  EXPECT_EQ(IdentifierValue(Resolve(activity["outcomeReference"][0]),
                            Ns("resource-name")),
            session_a1_.name());
  EXPECT_EQ(by_name_[course_b_.name()]["activity"][0]["detail"]["status"],
            "in-progress");
}

TEST_F(FhirExportTest, AmendedSessionShowsItsCurrentRevisionAndProvenance) {
  ExportBundle();
  const Json& p = by_name_[session_a2_.name()];
  EXPECT_EQ(p["status"], "completed");
  EXPECT_EQ(p["meta"]["versionId"], "2");
  const absl::Time start =
      absl::FromUnixSeconds(session_a2_.performed_at().seconds());
  EXPECT_EQ(p["performedPeriod"]["end"],
            absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", start + absl::Minutes(50),
                             absl::UTCTimeZone()));
  EXPECT_EQ(IdentifierValue(Resolve(p["basedOn"][0]), Ns("resource-name")),
            course_a_.name());
  EXPECT_EQ(p["performer"][0]["actor"]["identifier"]["value"], "dr-lee");
  ASSERT_EQ(p["bodySite"].size(), 2u);
  EXPECT_EQ(p["bodySite"][0]["coding"][0]["code"], "cheek");
  EXPECT_EQ(ExtensionOf(p["bodySite"][0], "laterality")["valueCoding"]["code"],
            "left");
  EXPECT_EQ(ExtensionOf(p["bodySite"][0], "needle-depth-mm")["valueDecimal"],
            1.5);
  EXPECT_EQ(ExtensionOf(p["bodySite"][1], "needle-passes")["valuePositiveInt"],
            3);
  EXPECT_EQ(p["complication"][0]["text"], "Petechiae on the left cheek");
  const Json& pen = p["contained"][0];
  EXPECT_EQ(pen["deviceName"][0]["name"], "Pen A6");
  EXPECT_EQ(p["contained"][1]["lotNumber"], "LOT-2026-11");

  int found = 0;
  for (const Json& prov : by_type_["Provenance"]) {
    if (prov["target"][0]["reference"] !=
        absl::StrCat("urn:uuid:", p["id"].get<std::string>())) {
      continue;
    }
    ++found;
    EXPECT_EQ(prov["target"][0]["identifier"]["value"],
              session_a2_.name() + "/revisions/2");
    EXPECT_EQ(prov["entity"][0]["role"], "revision");
    EXPECT_EQ(prov["entity"][0]["what"]["identifier"]["value"],
              session_a2_.name() + "/revisions/1");
    EXPECT_EQ(prov["reason"][0]["text"], "Timer misread.");
    EXPECT_EQ(prov["reason"][0]["coding"][0]["code"], "correction");
    EXPECT_EQ(prov["agent"][0]["who"]["identifier"]["value"], "dr-lee");
    EXPECT_EQ(prov["activity"]["coding"][0]["code"], "UPDATE");
  }
  EXPECT_EQ(found, 1);
}

TEST_F(FhirExportTest, SessionPointsAtTheAftercareTextItHandedOut) {
  ExportBundle();
  const Json& p = by_name_[session_a1_.name()];
  const Json& doc =
      Resolve(ExtensionOf(p, "aftercare-instructions")["valueReference"]);
  EXPECT_EQ(doc["masterIdentifier"]["value"],
            aftercare_v1_.name() + "/revisions/1");
  EXPECT_EQ(doc["status"], "superseded") << "revision 2 was published since";
}

TEST_F(FhirExportTest, ConsentsMapStatesTextsHashesAndWitness) {
  ExportBundle();
  const Json& granted = by_name_[consent_procedure_.name()];
  EXPECT_EQ(granted["status"], "active");
  EXPECT_EQ(granted["scope"]["coding"][0]["code"], "treatment");
  EXPECT_EQ(granted["provision"]["type"], "permit");
  const Json& text = Resolve(granted["sourceReference"]);
  EXPECT_EQ(text["resourceType"], "DocumentReference");
  EXPECT_EQ(IdentifierValue(text, Ns("instruction-content-sha256")),
            procedure_set_.content_sha256());
  EXPECT_EQ(ExtensionOf(granted, "instruction-content-sha256")["valueString"],
            consent_procedure_.instructions().content_sha256());
  // The text the patient saw, each section under its heading.
  std::string shown;
  ASSERT_TRUE(absl::Base64Unescape(
      text["content"][0]["attachment"]["data"].get<std::string>(), &shown));
  EXPECT_EQ(shown,
            "INSTRUCTION_KIND_PROCEDURE instructions\n"
            "\nWhat is done\n"
            "- Avoid sun exposure for at least 48 hours before.\n"
            "\nRisks\n"
            "- Arrive with clean skin, no makeup.\n");

  const Json& photos = by_name_[consent_photos_.name()];
  EXPECT_EQ(photos["scope"]["coding"][0]["code"], "patient-privacy");
  EXPECT_EQ(photos["verification"][0]["verified"], true);
  EXPECT_EQ(photos["verification"][0]["verifiedWith"]["display"],
            "Nurse Kim (nurse)");
  EXPECT_TRUE(photos["provision"]["period"].contains("end"));

  const Json& revoked = by_name_[consent_revoked_.name()];
  EXPECT_EQ(revoked["status"], "inactive");
  EXPECT_EQ(ExtensionOf(revoked, "consent-state")["valueCoding"]["code"],
            "revoked");
  const Json& old_text = Resolve(revoked["sourceReference"]);
  EXPECT_EQ(old_text["status"], "superseded");
  EXPECT_EQ(IdentifierValue(old_text, Ns("instruction-content-sha256")),
            aftercare_v1_.content_sha256());

  // Both states of the revoked consent are recoverable from Provenance.
  std::vector<std::string> states;
  for (const Json& prov : by_type_["Provenance"]) {
    if (Resolve(prov["target"][0]) != revoked) continue;
    states.push_back(prov["reason"][0]["coding"][0]["code"]);
    if (prov["activity"]["coding"][0]["code"] == "UPDATE") {
      EXPECT_EQ(prov["reason"][0]["text"],
                "Patient withdrew consent by phone.");
      EXPECT_EQ(prov["agent"][0]["who"]["identifier"]["value"], "nurse-kim");
    }
  }
  EXPECT_EQ(states, (std::vector<std::string>{"active", "revoked"}));
}

TEST_F(FhirExportTest, PhotosAreMediaWithTheStoredSha256) {
  ExportBundle();
  for (const v1::OutcomePhoto* photo : {&photo_baseline_, &photo_follow_up_}) {
    const Json& m = by_name_[photo->name()];
    EXPECT_EQ(m["status"], "completed");
    EXPECT_EQ(IdentifierValue(m, Ns("image-sha256")), photo->image_sha256());
    EXPECT_EQ(m["content"]["url"], photo->storage_uri());
    EXPECT_EQ(m["content"]["contentType"], "image/jpeg");
    EXPECT_EQ(m["content"]["size"], photo->byte_size());
    EXPECT_FALSE(m["content"].contains("hash")) << "FHIR's hash is SHA-1";
    EXPECT_EQ(m["view"]["coding"][0]["code"], "frontal");
    EXPECT_EQ(m["bodySite"]["coding"][0]["code"], "full-face");
  }
  const std::string session = photo_follow_up_.name().substr(
      0, photo_follow_up_.name().find("/photos/"));
  EXPECT_EQ(
      IdentifierValue(Resolve(by_name_[photo_follow_up_.name()]["partOf"][0]),
                      Ns("resource-name")),
      session);
}

TEST_F(FhirExportTest, OneCourseExportsOnlyThatCourse) {
  ExportBundle(course_b_.name());
  EXPECT_EQ(by_type_["CarePlan"].size(), 1u);
  ASSERT_EQ(by_type_["Procedure"].size(), 1u);
  EXPECT_EQ(IdentifierValue(by_type_["Procedure"][0], Ns("resource-name")),
            session_b1_.name());
  EXPECT_EQ(by_type_.count("Media"), 0u);
  EXPECT_EQ(by_type_["Consent"].size(), 3u) << "consents are the patient's";
}

TEST_F(FhirExportTest, ExportIsReproducible) {
  auto first = Export();
  auto second = Export();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->content(), second->content());
}

TEST_F(FhirExportTest, BadRequestsAreRejectedPrecisely) {
  auto unknown = Export("", "hl7-v2");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(unknown.status().message(), "format:"))
      << unknown.status();
  EXPECT_EQ(Export("", "").status().code(), absl::StatusCode::kInvalidArgument);
  auto other = Must(client().CreatePatient(PatientRequest("c1", "MRN-OTHER")));
  auto foreign = Export(other.name() + "/courses/acne");
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Export(patient_.name() + "/courses/nope").status().code(),
            absl::StatusCode::kNotFound);
  v1::ExportPatientRecordRequest missing;
  missing.set_name("clinics/c1/patients/nobody");
  missing.set_format("fhir-r4");
  EXPECT_EQ(client().ExportPatientRecord(missing).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mnrecords::testing

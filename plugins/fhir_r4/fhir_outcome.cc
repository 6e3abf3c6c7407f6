// An outcome assessment as a FHIR Observation: the scale is the code and
// the score the value, both from local code systems (the scales are
// published, but no standard code system carries them); the course is what
// it is basedOn, the session it was rated at what it is partOf, and the
// photos it was judged on what it is derivedFrom.
#include <string>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

std::string ObservationStatus(const v1::OutcomeAssessment& a) {
  if (a.status() == v1::OUTCOME_ASSESSMENT_STATUS_ENTERED_IN_ERROR) {
    return "entered-in-error";
  }
  return a.revision().revision_id() > 1 ? "amended" : "final";
}

}  // namespace

Json ObservationOf(const History<v1::OutcomeAssessment>& assessment,
                   const Json& patient) {
  const v1::OutcomeAssessment& a = assessment.back();
  const std::string scale =
      LocalCode(v1::OutcomeScale_Name(a.scale()), "OUTCOME_SCALE_");
  const bool by_patient = a.rater() == v1::OUTCOME_RATER_PATIENT;
  Json j{
      {"resourceType", "Observation"},
      {"id", EntryId("Observation", a.name())},
      {"meta", {{"versionId", std::to_string(a.revision().revision_id())}}},
      {"identifier", Json::array({{{"system", NamingSystemUrl("resource-name")},
                                   {"value", a.name()}}})},
      {"basedOn", Json::array({{{"reference",
                                 EntryUrl("CarePlan",
                                          Parent(a.name(), "assessments"))}}})},
      {"status", ObservationStatus(a)},
      // Standard FHIR observation categories: what the patient reports is a
      // survey, what the clinician grades an exam.
      {"category",
       Json::array({Concept(
           {{"system",
             "http://terminology.hl7.org/CodeSystem/observation-category"},
            {"code", by_patient ? "survey" : "exam"}})})},
      {"code",
       Concept(LocalCoding("outcome-scale", v1::OutcomeScale_Name(a.scale()),
                           "OUTCOME_SCALE_"))},
      {"subject", patient},
      {"effectiveDateTime", FhirDateTime(a.assessed_at())},
      {"performer",
       Json::array({by_patient ? patient : StaffRef(a.assessed_by())})},
      {"valueCodeableConcept",
       Concept(
           {{"system", CodeSystemUrl(absl::StrCat("outcome-score-", scale))},
            {"code", std::to_string(a.score())},
            {"display", a.score_label()}},
           a.score_label())},
      {"extension", Json::array({Extension(
                        "outcome-timepoint", "valueCoding",
                        LocalCoding("outcome-timepoint",
                                    v1::OutcomeTimepoint_Name(a.timepoint()),
                                    "OUTCOME_TIMEPOINT_"))})}};
  if (!a.session().empty()) {
    j["partOf"] =
        Json::array({{{"reference", EntryUrl("Procedure", a.session())}}});
  }
  if (a.photos_size() > 0) {
    Json photos = Json::array();
    for (const std::string& photo : a.photos()) {
      photos.push_back({{"reference", EntryUrl("Media", photo)}});
    }
    j["derivedFrom"] = std::move(photos);
  }
  if (!a.notes().empty()) {
    j["note"] = Json::array({{{"text", a.notes()}}});
  }
  return j;
}

}  // namespace mnrecords::fhir_r4

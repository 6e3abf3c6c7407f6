// A SCREENING questionnaire revision as a FHIR Questionnaire, and a
// screening as a QuestionnaireResponse answering exactly that revision
// (canonical url|version). Question codes and contraindication classes are
// local code systems; no standard code is claimed.
#include <string>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

// QuestionnaireUrl is the canonical url of a questionnaire (one per
// instruction set; revisions are its versions).
std::string QuestionnaireUrl(absl::string_view set_name) {
  return absl::StrCat(kCanonical, "/Questionnaire/", set_name);
}

Json QuestionCoding(absl::string_view code) {
  return {{"system", CodeSystemUrl("screening-question")},
          {"code", std::string(code)}};
}

}  // namespace

Json QuestionnaireOf(const v1::InstructionSet& s, int64_t current_revision_id) {
  const std::string key = InstructionKey(s.name(), s.revision_id());
  Json items = Json::array();
  for (const v1::InstructionItem& q : s.items()) {
    items.push_back(
        {{"extension",
          Json::array({Extension(
              "contraindication-class", "valueCoding",
              LocalCoding("contraindication-class",
                          v1::Contraindication_Name(q.contraindication()),
                          "CONTRAINDICATION_"))})},
         {"linkId", q.question_code()},
         {"code", Json::array({QuestionCoding(q.question_code())})},
         {"text", q.text()},
         {"type", "boolean"},
         {"required", true}});
  }
  Json j{
      {"resourceType", "Questionnaire"},
      {"id", EntryId("Questionnaire", key)},
      {"url", QuestionnaireUrl(s.name())},
      {"identifier",
       Json::array({{{"system", NamingSystemUrl("instruction-revision")},
                     {"value", key}},
                    {{"system", NamingSystemUrl("instruction-content-sha256")},
                     {"value", s.content_sha256()}}})},
      {"version", std::to_string(s.revision_id())},
      {"title", s.title()},
      {"status", s.revision_id() < current_revision_id ? "retired" : "active"},
      {"subjectType", Json::array({"Patient"})}};
  if (s.has_publish_time()) j["date"] = FhirDateTime(s.publish_time());
  if (!s.published_by().empty()) j["publisher"] = s.published_by();
  j["item"] = std::move(items);
  return j;
}

Json QuestionnaireResponseOf(const History<v1::Screening>& screening,
                             const v1::InstructionSet& questionnaire,
                             const Json& patient) {
  const v1::Screening& s = screening.back();
  Json items = Json::array();
  for (const v1::InstructionItem& q : questionnaire.items()) {
    for (const v1::ScreeningAnswer& a : s.answers()) {
      if (a.question_code() != q.question_code()) continue;
      Json answer{
          {"valueBoolean", a.answer() == v1::ScreeningAnswer::ANSWER_YES}};
      if (!a.details().empty()) {
        answer["extension"] = Json::array({Extension(
            "screening-answer-details", "valueString", a.details())});
      }
      items.push_back({{"linkId", q.question_code()},
                       {"text", q.text()},
                       {"answer", Json::array({std::move(answer)})}});
    }
  }
  Json j{{"resourceType", "QuestionnaireResponse"},
         {"id", EntryId("QuestionnaireResponse", s.name())},
         {"meta", {{"versionId", std::to_string(s.revision().revision_id())}}},
         {"identifier",
          {{"system", NamingSystemUrl("resource-name")}, {"value", s.name()}}},
         {"questionnaire",
          absl::StrCat(QuestionnaireUrl(s.questionnaire().instruction_set()),
                       "|", s.questionnaire().revision_id())},
         {"status", s.status() == v1::SCREENING_STATUS_ENTERED_IN_ERROR
                        ? "entered-in-error"
                        : "completed"},
         {"subject", patient},
         {"authored", FhirDateTime(s.asked_at())},
         {"author", StaffRef(s.asked_by())},
         {"item", std::move(items)}};
  return j;
}

}  // namespace mnrecords::fhir_r4

#include "plugins/fhir_r4/fhir_exporter.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

Json Entry(Json resource) {
  std::string url =
      absl::StrCat("urn:uuid:", resource["id"].get<std::string>());
  return Json{{"fullUrl", std::move(url)}, {"resource", std::move(resource)}};
}

template <typename R>
std::vector<v1::RevisionInfo> RevisionsOf(const History<R>& history) {
  std::vector<v1::RevisionInfo> out;
  for (const R& r : history) out.push_back(r.revision());
  return out;
}

// SessionNamesOf: the exported sessions of `course`, in creation order.
std::vector<std::string> SessionNamesOf(const plugins::ExportSnapshot& s,
                                        const std::string& course) {
  std::vector<std::string> out;
  const std::string prefix = absl::StrCat(course, "/sessions/");
  for (const auto& h : s.sessions) {
    const std::string& name = h.back().name();
    if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(name);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> FhirR4Exporter::Export(
    const plugins::ExportSnapshot& s) const {
  const Json patient = PatientRef(s.patient);
  Json entries = Json::array();
  std::vector<Json> provenances;
  for (const auto& h : s.courses) {
    entries.push_back(
        Entry(CarePlanOf(h, patient, SessionNamesOf(s, h.back().name()))));
    for (Json& p :
         AmendmentProvenances("CarePlan", h.back().name(), RevisionsOf(h))) {
      provenances.push_back(std::move(p));
    }
  }
  for (const auto& h : s.sessions) {
    entries.push_back(Entry(ProcedureOf(h, patient)));
    for (Json& p :
         AmendmentProvenances("Procedure", h.back().name(), RevisionsOf(h))) {
      provenances.push_back(std::move(p));
    }
  }
  for (const auto& h : s.photos) {
    entries.push_back(Entry(MediaOf(h, patient)));
    for (Json& p :
         AmendmentProvenances("Media", h.back().name(), RevisionsOf(h))) {
      provenances.push_back(std::move(p));
    }
  }
  for (const auto& h : s.consents) {
    entries.push_back(Entry(ConsentOf(h, patient)));
    for (Json& p : ConsentProvenances(h)) provenances.push_back(std::move(p));
  }
  for (const auto& h : s.screenings) {
    const v1::InstructionRevisionRef& ref = h.back().questionnaire();
    for (const v1::InstructionSet& revision : s.instruction_revisions) {
      if (revision.name() != ref.instruction_set() ||
          revision.revision_id() != ref.revision_id()) {
        continue;
      }
      entries.push_back(Entry(QuestionnaireResponseOf(h, revision, patient)));
    }
    for (Json& p : AmendmentProvenances("QuestionnaireResponse",
                                        h.back().name(), RevisionsOf(h))) {
      provenances.push_back(std::move(p));
    }
  }
  for (const v1::SessionSignature& signature : s.signatures) {
    provenances.push_back(SignatureProvenanceOf(signature));
  }
  for (const auto& h : s.assessments) {
    entries.push_back(Entry(ObservationOf(h, patient)));
    for (Json& p :
         AmendmentProvenances("Observation", h.back().name(), RevisionsOf(h))) {
      provenances.push_back(std::move(p));
    }
  }
  for (const v1::InstructionSet& revision : s.instruction_revisions) {
    auto current = s.instruction_current_revision.find(revision.name());
    const int64_t current_id = current == s.instruction_current_revision.end()
                                   ? revision.revision_id()
                                   : current->second;
    entries.push_back(Entry(revision.kind() == v1::INSTRUCTION_KIND_SCREENING
                                ? QuestionnaireOf(revision, current_id)
                                : DocumentReferenceOf(revision, current_id)));
  }
  for (Json& p : provenances) entries.push_back(Entry(std::move(p)));

  const std::string scope =
      s.course_filter.empty() ? s.patient.name() : s.course_filter;
  Json bundle{{"resourceType", "Bundle"},
              {"id", ResourceUuid(absl::StrCat("Bundle/", scope))},
              {"identifier",
               {{"system", NamingSystemUrl("export-scope")}, {"value", scope}}},
              {"type", "collection"},
              {"entry", std::move(entries)}};
  return DumpDocument(bundle, "the export");
}

absl::Status RegisterFhirR4Exporter(plugins::ExporterRegistry& registry) {
  return registry.Register(std::string(kFhirR4Format),
                           std::make_unique<FhirR4Exporter>());
}

}  // namespace mnrecords::fhir_r4

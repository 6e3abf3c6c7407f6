// One FHIR R4 resource per record of ours (README "FHIR R4 export" maps
// every field): a course is a CarePlan, a session a Procedure, a photo a
// Media, a consent a Consent, an instruction text revision a
// DocumentReference (a screening questionnaire revision a Questionnaire), a
// screening a QuestionnaireResponse, an outcome assessment an Observation,
// and each amendment or consent state
// change a Provenance. Each builder takes the record's history (oldest revision
// first; the resource shows the current one) and returns the resource JSON
// with its deterministic `id`; EntryUrl gives the Bundle fullUrl that
// references point at.
#ifndef MNRECORDS_PLUGINS_FHIR_R4_FHIR_RESOURCES_H_
#define MNRECORDS_PLUGINS_FHIR_R4_FHIR_RESOURCES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "plugins/api/exporter.h"
#include "plugins/fhir_r4/fhir_terms.h"

namespace mnrecords::fhir_r4 {

namespace v1 = ::clinic::microneedling::v1;
using plugins::History;

// EntryId is the resource id of our record `name` as `resource_type`;
// EntryUrl is "urn:uuid:" + EntryId, the entry's fullUrl.
std::string EntryId(absl::string_view resource_type, absl::string_view name);
std::string EntryUrl(absl::string_view resource_type, absl::string_view name);

// Parent is `name` up to its last "/<collection>/" segment, e.g. the
// session of ".../sessions/s1/photos/p1" for collection "photos".
std::string Parent(absl::string_view name, absl::string_view collection);

// InstructionKey names one instruction revision: "<set>/revisions/<n>".
std::string InstructionKey(absl::string_view set, int64_t revision_id);

// PatientRef is the logical reference to the patient by the EHR's first
// identifier (no Patient resource: we hold no demographics).
Json PatientRef(const v1::Patient& patient);

// StaffRef is a logical reference to a clinician or other staff member by
// the clinic's own id.
Json StaffRef(absl::string_view staff_id);

Json CarePlanOf(const History<v1::TreatmentCourse>& course, const Json& patient,
                const std::vector<std::string>& session_names);
Json ProcedureOf(const History<v1::TreatmentSession>& session,
                 const Json& patient);
Json MediaOf(const History<v1::OutcomePhoto>& photo, const Json& patient);
Json ConsentOf(const History<v1::Consent>& consent, const Json& patient);
Json DocumentReferenceOf(const v1::InstructionSet& revision,
                         int64_t current_revision_id);
// A SCREENING questionnaire revision is a Questionnaire (url per set,
// version per revision); a screening a QuestionnaireResponse answering it.
Json QuestionnaireOf(const v1::InstructionSet& revision,
                     int64_t current_revision_id);
Json QuestionnaireResponseOf(const History<v1::Screening>& screening,
                             const v1::InstructionSet& questionnaire,
                             const Json& patient);

// A session signature is a Provenance of its Procedure revision, with the
// signer's role and signature (fhir_signature.cc).
Json SignatureProvenanceOf(const v1::SessionSignature& signature);

// An outcome assessment is an Observation (fhir_outcome.cc).
Json ObservationOf(const History<v1::OutcomeAssessment>& assessment,
                   const Json& patient);

// AmendmentProvenances: one Provenance per revision 2..n of the record
// `name` exported as `resource_type` (which revision replaced which, who,
// when, why).
std::vector<Json> AmendmentProvenances(
    absl::string_view resource_type, absl::string_view name,
    const std::vector<v1::RevisionInfo>& revisions);

// ConsentProvenances: one Provenance per state the consent has been in
// (recorded, revoked, entered in error), oldest first.
std::vector<Json> ConsentProvenances(const History<v1::Consent>& consent);

}  // namespace mnrecords::fhir_r4

#endif  // MNRECORDS_PLUGINS_FHIR_R4_FHIR_RESOURCES_H_

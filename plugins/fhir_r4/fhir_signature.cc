// A session signature as a FHIR Provenance of the Procedure: who signed
// which revision, when, in what role, attesting which text. The signature
// types are the published ASTM E1762 codes FHIR uses for Signature.type.
#include <string>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

constexpr absl::string_view kSignatureType = "urn:iso-astm:E1762-95:2013";
constexpr absl::string_view kParticipantType =
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

}  // namespace

Json SignatureProvenanceOf(const v1::SessionSignature& s) {
  const bool author = s.kind() == v1::SIGNATURE_KIND_AUTHOR;
  const std::string session = Parent(s.name(), "signatures");
  const Json who = StaffRef(s.signer_clinician_id());
  Json agent{{"type", Concept({{"system", std::string(kParticipantType)},
                               {"code", author ? "author" : "verifier"}})},
             {"who", who}};
  if (!s.signer_credential().empty()) {
    agent["role"] = Json::array({{{"text", s.signer_credential()}}});
  }
  Json target{{"reference", EntryUrl("Procedure", session)}};
  target.update(IdentifierRef(
      NamingSystemUrl("record-revision"),
      absl::StrCat(session, "/revisions/", s.session_revision_id())));
  return Json{
      {"resourceType", "Provenance"},
      {"id", EntryId("Provenance", s.name())},
      {"target", Json::array({target})},
      {"recorded", FhirDateTime(s.signed_at())},
      {"policy",
       Json::array({EntryUrl("DocumentReference",
                             InstructionKey(s.attestation().instruction_set(),
                                            s.attestation().revision_id()))})},
      {"agent", Json::array({agent})},
      {"signature",
       Json::array(
           {{{"type",
              Json::array({{{"system", std::string(kSignatureType)},
                            {"code", author ? "1.2.840.10065.1.12.1.1"
                                            : "1.2.840.10065.1.12.1.5"},
                            {"display", author ? "Author's Signature"
                                               : "Verification Signature"}}})},
             {"when", FhirDateTime(s.signed_at())},
             {"who", who}}})}};
}

}  // namespace mnrecords::fhir_r4

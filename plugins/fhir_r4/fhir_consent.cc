// Consent (a patient's decision) and DocumentReference (the exact
// instruction text revision it was given on).
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

std::string ConsentStatus(v1::ConsentState s) {
  switch (s) {
    case v1::CONSENT_STATE_ACTIVE:
      return "active";
    case v1::CONSENT_STATE_REVOKED:
    case v1::CONSENT_STATE_EXPIRED:
    case v1::CONSENT_STATE_SUPERSEDED:
      return "inactive";
    case v1::CONSENT_STATE_ENTERED_IN_ERROR:
      return "entered-in-error";
    default:
      return "proposed";
  }
}

// Scope: the published consentscope codes; photography is a privacy
// consent, the other instruction kinds are treatment consents.
Json ConsentScope(v1::InstructionKind kind) {
  const bool privacy = kind == v1::INSTRUCTION_KIND_PHOTOGRAPHY;
  return Concept(
      {{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
       {"code", privacy ? "patient-privacy" : "treatment"},
       {"display", privacy ? "Privacy Consent" : "Treatment"}});
}

Json InstructionKindConcept(v1::InstructionKind kind) {
  return Concept(LocalCoding("instruction-kind", v1::InstructionKind_Name(kind),
                             "INSTRUCTION_KIND_"));
}

std::string PersonDisplay(absl::string_view name, absl::string_view role) {
  if (role.empty()) return std::string(name);
  return absl::StrCat(name, " (", role, ")");
}

// InstructionText is the attachment text of a revision: the title, then
// one line per item, each section's heading on its own line before its
// first item.
std::string InstructionText(const v1::InstructionSet& s) {
  std::string text = absl::StrCat(s.title(), "\n");
  const std::string* section = nullptr;
  for (const v1::InstructionItem& item : s.items()) {
    if (!item.section().empty() &&
        (section == nullptr || *section != item.section())) {
      absl::StrAppend(&text, "\n", item.section(), "\n");
    }
    section = &item.section();
    absl::StrAppend(&text, "- ", item.text(), "\n");
  }
  return text;
}

}  // namespace

Json ConsentOf(const History<v1::Consent>& history, const Json& patient) {
  const v1::Consent& c = history.back();
  const v1::InstructionRevisionRef& ref = c.instructions();
  Json j{{"resourceType", "Consent"},
         {"id", EntryId("Consent", c.name())},
         {"meta", {{"versionId", std::to_string(c.revision().revision_id())}}}};
  Json ext = Json::array(
      {Extension("consent-state", "valueCoding",
                 LocalCoding("consent-state", v1::ConsentState_Name(c.state()),
                             "CONSENT_STATE_")),
       Extension(
           "consent-method", "valueCoding",
           LocalCoding("consent-method", v1::ConsentMethod_Name(c.method()),
                       "CONSENT_METHOD_")),
       Extension("instruction-content-sha256", "valueString",
                 ref.content_sha256())});
  if (!c.recorded_by().empty()) {
    ext.push_back(
        Extension("recorded-by", "valueReference", StaffRef(c.recorded_by())));
  }
  if (c.kind() == v1::INSTRUCTION_KIND_PHOTOGRAPHY) {
    // The photo uses it decides on (none listed: the clinical record).
    if (c.photo_uses().empty()) {
      ext.push_back(Extension(
          "photo-use", "valueCoding",
          LocalCoding("photo-use", "PHOTO_USE_CLINICAL_RECORD", "PHOTO_USE_")));
    }
    for (int use : c.photo_uses()) {
      ext.push_back(Extension(
          "photo-use", "valueCoding",
          LocalCoding("photo-use",
                      v1::PhotoUse_Name(static_cast<v1::PhotoUse>(use)),
                      "PHOTO_USE_")));
    }
    ext.push_back(Extension("identifiable-images-allowed", "valueBoolean",
                            c.identifiable_images_allowed()));
  }
  j["extension"] = ext;
  j["identifier"] = Json::array(
      {{{"system", NamingSystemUrl("resource-name")}, {"value", c.name()}}});
  j["status"] = ConsentStatus(c.state());
  j["scope"] = ConsentScope(c.kind());
  j["category"] = Json::array({Concept({{"system", "http://loinc.org"},
                                        {"code", "59284-0"},
                                        {"display", "Patient Consent"}}),
                               InstructionKindConcept(c.kind())});
  j["patient"] = patient;
  j["dateTime"] = FhirDateTime(c.signed_at());
  if (c.signer().relationship() == v1::Signer::RELATIONSHIP_REPRESENTATIVE) {
    j["performer"] =
        Json::array({{{"display", PersonDisplay(c.signer().display_name(),
                                                c.signer().role())}}});
  } else {
    j["performer"] = Json::array({patient});
  }
  j["sourceReference"] = {
      {"reference",
       EntryUrl("DocumentReference",
                InstructionKey(ref.instruction_set(), ref.revision_id()))}};
  j["policy"] = Json::array(
      {{{"uri", absl::StrCat(kCanonical, "/ConsentPolicy/instruction-text")}}});
  if (!c.witness().display_name().empty()) {
    j["verification"] =
        Json::array({{{"verified", true},
                      {"verifiedWith",
                       {{"display", PersonDisplay(c.witness().display_name(),
                                                  c.witness().role())}}},
                      {"verificationDate", FhirDateTime(c.signed_at())}}});
  }
  Json period{{"start", FhirDateTime(c.signed_at())}};
  if (HasTime(c.expire_time())) period["end"] = FhirDateTime(c.expire_time());
  j["provision"] = {
      {"type",
       c.decision() == v1::CONSENT_DECISION_GRANTED ? "permit" : "deny"},
      {"period", period}};
  return j;
}

Json DocumentReferenceOf(const v1::InstructionSet& s,
                         int64_t current_revision_id) {
  const std::string key = InstructionKey(s.name(), s.revision_id());
  Json attachment{{"contentType", "text/plain; charset=utf-8"},
                  {"data", absl::Base64Escape(InstructionText(s))},
                  {"title", s.title()}};
  if (HasTime(s.effective_time())) {
    attachment["creation"] = FhirDateTime(s.effective_time());
  }
  Json d{
      {"resourceType", "DocumentReference"},
      {"id", EntryId("DocumentReference", key)},
      {"masterIdentifier",
       {{"system", NamingSystemUrl("instruction-revision")}, {"value", key}}},
      {"identifier",
       Json::array({{{"system", NamingSystemUrl("instruction-content-sha256")},
                     {"value", s.content_sha256()}}})},
      {"status",
       s.revision_id() < current_revision_id ? "superseded" : "current"},
      {"type", InstructionKindConcept(s.kind())}};
  if (HasTime(s.publish_time())) d["date"] = FhirDateTime(s.publish_time());
  if (!s.published_by().empty()) {
    d["author"] = Json::array({StaffRef(s.published_by())});
  }
  d["description"] = s.title();
  d["content"] = Json::array({{{"attachment", attachment}}});
  return d;
}

}  // namespace mnrecords::fhir_r4

// Provenance: which revision of a record replaced which, by whom, when and
// why; for consents, every state the consent has been in.
#include <string>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

constexpr absl::string_view kDataOperation =
    "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

std::string RevisionKey(absl::string_view name, int64_t revision_id) {
  return absl::StrCat(name, "/revisions/", revision_id);
}

// RevisionRef: a logical reference to one revision of a record.
Json RevisionRef(absl::string_view name, int64_t revision_id) {
  return IdentifierRef(NamingSystemUrl("record-revision"),
                       RevisionKey(name, revision_id));
}

// Target: the exported resource, identified down to the revision.
Json Target(absl::string_view resource_type, absl::string_view name,
            int64_t revision_id) {
  Json target{{"reference", EntryUrl(resource_type, name)}};
  target.update(RevisionRef(name, revision_id));
  return Json::array({target});
}

Json Activity(absl::string_view code) {
  return Concept(
      {{"system", std::string(kDataOperation)}, {"code", std::string(code)}});
}

Json Provenance(absl::string_view name, int64_t revision_id) {
  return Json{{"resourceType", "Provenance"},
              {"id", EntryId("Provenance", RevisionKey(name, revision_id))}};
}

}  // namespace

std::vector<Json> AmendmentProvenances(
    absl::string_view resource_type, absl::string_view name,
    const std::vector<v1::RevisionInfo>& revisions) {
  std::vector<Json> out;
  for (const v1::RevisionInfo& r : revisions) {
    if (r.revision_id() < 2) continue;
    const v1::Amendment& a = r.amendment();
    Json p = Provenance(name, r.revision_id());
    p["target"] = Target(resource_type, name, r.revision_id());
    p["recorded"] = FhirDateTime(r.create_time());
    p["reason"] = Json::array(
        {Concept(LocalCoding("amendment-kind", v1::AmendmentKind_Name(a.kind()),
                             "AMENDMENT_KIND_"),
                 a.reason())});
    p["activity"] = Activity(
        a.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR ? "NULLIFY" : "UPDATE");
    p["agent"] = Json::array({{{"who", StaffRef(a.author())}}});
    p["entity"] =
        Json::array({{{"role", "revision"},
                      {"what", RevisionRef(name, r.revision_id() - 1)}}});
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Json> ConsentProvenances(const History<v1::Consent>& history) {
  const v1::Consent& c = history.back();
  std::vector<Json> out;
  for (const v1::ConsentStateChange& change : c.state_history()) {
    const int64_t rev = change.revision_id();
    Json p = Provenance(c.name(), rev);
    p["target"] = Target("Consent", c.name(), rev);
    p["recorded"] = FhirDateTime(change.change_time());
    Json reason = Concept(
        LocalCoding("consent-state", v1::ConsentState_Name(change.state()),
                    "CONSENT_STATE_"),
        change.reason());
    p["reason"] = Json::array({reason});
    p["activity"] = Activity(
        rev <= 1                                               ? "CREATE"
        : change.state() == v1::CONSENT_STATE_ENTERED_IN_ERROR ? "NULLIFY"
                                                               : "UPDATE");
    const std::string& who =
        change.author().empty() ? c.recorded_by() : change.author();
    p["agent"] = Json::array({{{"who", StaffRef(who)}}});
    if (rev > 1) {
      p["entity"] = Json::array(
          {{{"role", "revision"}, {"what", RevisionRef(c.name(), rev - 1)}}});
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace mnrecords::fhir_r4

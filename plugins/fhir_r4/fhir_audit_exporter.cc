#include "plugins/fhir_r4/fhir_audit_exporter.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "plugins/fhir_r4/fhir_exporter.h"

namespace mnrecords::fhir_r4 {
namespace {

using plugins::v1::AuditEvent;

// The published code systems AuditEvent binds to (FHIR R4 terminology and
// DICOM PS3.16's DCM).
constexpr char kDicom[] = "http://dicom.nema.org/resources/ontology/DCM";
constexpr char kSourceType[] =
    "http://terminology.hl7.org/CodeSystem/security-source-type";
constexpr char kEntityType[] =
    "http://terminology.hl7.org/CodeSystem/audit-entity-type";
constexpr char kObjectRole[] =
    "http://terminology.hl7.org/CodeSystem/object-role";

Json Coding(absl::string_view system, absl::string_view code,
            absl::string_view display) {
  return Json{{"system", std::string(system)},
              {"code", std::string(code)},
              {"display", std::string(display)}};
}

// MethodOf is "Method" of "/package.Service/Method".
absl::string_view MethodOf(absl::string_view action) {
  const size_t slash = action.rfind('/');
  return slash == absl::string_view::npos ? action : action.substr(slash + 1);
}

// ServiceOf is "package.Service" of "/package.Service/Method".
absl::string_view ServiceOf(absl::string_view action) {
  absl::ConsumePrefix(&action, "/");
  return action.substr(0, action.find('/'));
}

bool StartsWithAny(absl::string_view s,
                   std::initializer_list<absl::string_view> prefixes) {
  for (absl::string_view p : prefixes) {
    if (absl::StartsWith(s, p)) return true;
  }
  return false;
}

// EventType is the DICOM audit event id of the call (docs/fhir-mapping.md
// "Audit events as FHIR AuditEvent").
Json EventType(const AuditEvent& e, bool about_patients) {
  const absl::string_view method = MethodOf(e.action());
  const absl::string_view service = ServiceOf(e.action());
  if (e.outcome_name() == "UNAUTHENTICATED") {
    return Coding(kDicom, "110114", "User Authentication");
  }
  if (absl::EndsWith(service, ".Audit")) {
    return Coding(kDicom, "110101", "Audit Log Used");
  }
  if (method == "ExportPatientRecord") {
    return Coding(kDicom, "110106", "Export");
  }
  if (StartsWithAny(method, {"List", "Watch"}) ||
      method == "GetConsentCoverage") {
    return Coding(kDicom, "110112", "Query");
  }
  if (about_patients) return Coding(kDicom, "110110", "Patient Record");
  return Coding(kDicom, "110100", "Application Activity");
}

// Action is the AuditEvent action code (C, R, U, E) of the method.
const char* Action(const AuditEvent& e) {
  const absl::string_view method = MethodOf(e.action());
  if (StartsWithAny(method, {"Create", "Log", "Record", "Publish"})) {
    return "C";
  }
  if (StartsWithAny(method, {"Amend", "Revoke", "Mark"})) return "U";
  if (StartsWithAny(method,
                    {"Get", "List", "Watch", "Export", "Verify", "Pair"})) {
    return "R";
  }
  return "E";
}

// Outcome: 0 success, 4 the caller's request failed (bad input, refused,
// not found, cancelled), 8 the server failed.
const char* Outcome(int code) {
  switch (code) {
    case 0:
      return "0";
    case 2:   // UNKNOWN
    case 4:   // DEADLINE_EXCEEDED
    case 12:  // UNIMPLEMENTED
    case 13:  // INTERNAL
    case 14:  // UNAVAILABLE
    case 15:  // DATA_LOSS
      return "8";
    default:
      return "4";
  }
}

// RequestingAgent is the principal that called, with its address.
Json RequestingAgent(const AuditEvent& e) {
  Json agent{
      {"type", Concept(Coding(kDicom, "110153", "Source Role ID"))},
      {"role", Json::array({Concept(Json{
                   {"system", CodeSystemUrl("principal-role")},
                   {"code", e.role().empty() ? "unspecified" : e.role()}})})},
      {"who", IdentifierRef(NamingSystemUrl("principal-id"), e.principal())},
      {"requestor", true}};
  absl::string_view peer = e.peer();
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    agent["network"] = {
        {"address", std::string(peer.substr(0, peer.rfind(':')))},
        {"type", "2"}};
  } else if (absl::ConsumePrefix(&peer, "ipv6:")) {
    absl::string_view host = peer.substr(0, peer.rfind(':'));
    absl::ConsumePrefix(&host, "[");
    absl::ConsumeSuffix(&host, "]");
    agent["network"] = {{"address", std::string(host)}, {"type", "2"}};
  }
  return agent;
}

Json Entity(absl::string_view name, Json type, Json role) {
  return Json{{"what", IdentifierRef(NamingSystemUrl("resource-name"), name)},
              {"type", std::move(type)},
              {"role", std::move(role)}};
}

}  // namespace

Json AuditEventOf(const AuditEvent& e) {
  Json entities = Json::array();
  Json patients = Json::array();
  for (const std::string& p : e.records_accessed().patients()) {
    patients.push_back(Entity(p, Coding(kEntityType, "1", "Person"),
                              Coding(kObjectRole, "1", "Patient")));
  }
  // A call on a patient's resource that disclosed nothing (it failed, or
  // wrote) is still about that patient.
  const std::string& own_patient = e.patient();
  const bool about_patients = !patients.empty() || !own_patient.empty();
  if (patients.empty() && !own_patient.empty()) {
    patients.push_back(Entity(own_patient, Coding(kEntityType, "1", "Person"),
                              Coding(kObjectRole, "1", "Patient")));
  }
  if (!e.resource().empty()) {
    Json named = Entity(e.resource(), Coding(kEntityType, "2", "System Object"),
                        Coding(kObjectRole, "4", "Domain Resource"));
    if (!e.request_id().empty()) {
      named["detail"] = Json::array(
          {Json{{"type", "request_id"}, {"valueString", e.request_id()}}});
    }
    entities.push_back(std::move(named));
  }
  for (Json& p : patients) entities.push_back(std::move(p));

  Json extensions = Json::array(
      {Extension("audit-sequence", "valueString", absl::StrCat(e.sequence())),
       Extension("audit-hash", "valueString", e.hash()),
       Extension("audit-prev-hash", "valueString", e.prev_hash())});
  if (e.has_records_accessed()) {
    const auto& a = e.records_accessed();
    extensions.push_back(Extension("records-disclosed", "valueString",
                                   absl::StrCat(a.record_count())));
    extensions.push_back(Extension("patients-disclosed", "valueString",
                                   absl::StrCat(a.patient_count())));
    extensions.push_back(
        Extension("records-disclosed-sha256", "valueString", a.sha256()));
  }

  Json out{
      {"resourceType", "AuditEvent"},
      {"id", ResourceUuid(absl::StrCat("AuditEvent/", e.name()))},
      {"extension", std::move(extensions)},
      {"type", EventType(e, about_patients)},
      {"subtype", Json::array({Json{{"system", CodeSystemUrl("api-method")},
                                    {"code", e.action()}}})},
      {"action", Action(e)},
      {"recorded", FhirDateTime(e.event_time())},
      {"outcome", Outcome(e.outcome())},
      {"outcomeDesc", e.outcome_name()},
      {"agent", Json::array({RequestingAgent(e)})},
      {"source",
       {{"site", e.clinic().empty() ? "-" : e.clinic()},
        {"observer", {{"display", "mnrecords server"}}},
        {"type",
         Json::array({Coding(kSourceType, "4", "Application Server")})}}}};
  if (!entities.empty()) out["entity"] = std::move(entities);
  return out;
}

std::string FhirR4AuditExporter::media_type() const {
  return std::string(kFhirJsonMediaType);
}

absl::StatusOr<std::string> FhirR4AuditExporter::Export(
    const plugins::AuditExportPage& page) const {
  Json entries = Json::array();
  for (const AuditEvent& e : page.events) {
    Json resource = AuditEventOf(e);
    std::string url =
        absl::StrCat("urn:uuid:", resource["id"].get<std::string>());
    entries.push_back(
        Json{{"fullUrl", std::move(url)}, {"resource", std::move(resource)}});
  }
  const std::string scope =
      page.events.empty()
          ? absl::StrCat("clinics/", page.clinic, "/auditEvents")
          : absl::StrCat(page.events.front().name(), "..",
                         page.events.back().sequence());
  Json bundle{
      {"resourceType", "Bundle"},
      {"id", ResourceUuid(absl::StrCat("AuditBundle/", scope))},
      {"identifier",
       {{"system", NamingSystemUrl("audit-export-scope")}, {"value", scope}}},
      {"type", "collection"},
      {"entry", std::move(entries)}};
  return DumpDocument(bundle, "the audit export");
}

absl::Status RegisterFhirR4AuditExporter(
    plugins::AuditExporterRegistry& registry) {
  return registry.Register(std::string(kFhirR4Format),
                           std::make_unique<FhirR4AuditExporter>());
}

}  // namespace mnrecords::fhir_r4

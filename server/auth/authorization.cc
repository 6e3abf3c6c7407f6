#include "server/auth/authorization.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/auth/principal_config.h"

namespace mnrecords {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr absl::string_view kClinicsPrefix = "clinics/";

// IsClinicId: the API's id syntax [a-z0-9][a-z0-9-]{0,62}. Anything else
// ("-", upper case, empty) names no clinic and is refused by validation.
bool IsClinicId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id[0] == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// AddClinic appends the clinic of `name` if it is "clinics/{clinic}[/...]".
void AddClinic(const std::string& name, std::vector<std::string>& clinics) {
  if (!absl::StartsWith(name, kClinicsPrefix)) return;
  const absl::string_view rest =
      absl::string_view(name).substr(kClinicsPrefix.size());
  const absl::string_view clinic = rest.substr(0, rest.find('/'));
  if (IsClinicId(clinic)) clinics.emplace_back(clinic);
}

// CollectClinics adds the clinic of every string field of `message`, at any
// depth, that holds a resource name: not only `parent` and `name`, but any
// field that names a record (a course to pair photos of, an instruction set
// revision a session points at, ...), so that no request can reach another
// clinic through a field the check did not know about.
void CollectClinics(const Message& message, std::vector<std::string>& clinics) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, f); ++i) {
          AddClinic(reflection->GetRepeatedString(message, f, i), clinics);
        }
      } else {
        AddClinic(reflection->GetString(message, f), clinics);
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, f); ++i) {
          CollectClinics(reflection->GetRepeatedMessage(message, f, i),
                         clinics);
        }
      } else {
        CollectClinics(reflection->GetMessage(message, f), clinics);
      }
    }
  }
}

}  // namespace

const std::map<std::string, std::set<Role>>& MethodRoles() {
  static const auto* const kTable = [] {
    const std::set<Role> records = {Role::kClinician, Role::kEhrSystem};
    const std::set<Role> consent_readers = {Role::kClinician, Role::kEhrSystem,
                                            Role::kAuditor};
    const std::set<Role> everyone = {Role::kClinician, Role::kEhrSystem,
                                     Role::kAuditor, Role::kAdmin};
    auto* table = new std::map<std::string, std::set<Role>>();
    auto add = [&](absl::string_view service,
                   std::initializer_list<const char*> methods,
                   const std::set<Role>& roles) {
      for (const char* m : methods) {
        (*table)[absl::StrCat("/clinic.microneedling.v1.", service, "/", m)] =
            roles;
      }
    };
    // Treatment records: written and read by the people and systems that
    // treat; auditors and admins see no clinical records.
    add("TreatmentRecords",
        {"CreatePatient",
         "GetPatient",
         "ListPatients",
         "AmendPatient",
         "CreateCourse",
         "GetCourse",
         "ListCourses",
         "AmendCourse",
         "GetCourseSummary",
         "ListDueSessions",
         "LogSession",
         "GetSession",
         "ListSessions",
         "AmendSession",
         "CreatePhoto",
         "GetPhoto",
         "ListPhotos",
         "AmendPhoto",
         "ListRevisions",
         "PairCoursePhotos",
         "ExportPatientRecord",
         "RecordScreening",
         "GetScreening",
         "ListScreenings",
         "AmendScreening",
         "RecordOutcomeAssessment",
         "GetOutcomeAssessment",
         "ListOutcomeAssessments",
         "AmendOutcomeAssessment",
         "ReleasePhoto"},
        records);
    // Sign-off: only a clinician signs (in their own name; who may sign
    // what is checked against the session); who treats reads signatures
    // and the list of charts waiting for one.
    add("TreatmentRecords", {"SignSession"}, {Role::kClinician});
    add("TreatmentRecords", {"ListSessionSignatures", "ListUnsignedSessions"},
        records);
    // Where a patient's photos went and whether the consent allowed it:
    // auditors check it as they check consents.
    add("TreatmentRecords", {"ListPhotoReleases", "CheckPhotoUse"},
        consent_readers);
    // A clinic's plugin settings (the protocol's thresholds): admins
    // publish them, like instruction texts; everyone of the clinic reads
    // them, since every finding names the revision it was judged under.
    add("TreatmentRecords", {"PublishPluginSettings"}, {Role::kAdmin});
    add("TreatmentRecords",
        {"GetPluginSettings", "ListPluginSettingsRevisions"}, everyone);
    // The change feed carries the records themselves: whoever reads
    // records may follow it.
    add("ChangeFeed", {"ListChanges", "WatchChanges"}, records);
    // Instruction texts: only admins publish; everyone reads them.
    add("Consents", {"PublishInstructionSet"}, {Role::kAdmin});
    add("Consents",
        {"GetInstructionSet", "ListInstructionSets",
         "ListInstructionSetRevisions"},
        everyone);
    // Consents: recorded, revoked and marked entered in error at the point
    // of care; auditors read them, their history, what was in force when,
    // coverage of sessions, and whether the signed text is unchanged.
    add("Consents",
        {"RecordConsent", "RevokeConsent", "MarkConsentEnteredInError"},
        records);
    add("Consents",
        {"GetConsent", "ListConsents", "ListConsentHistory",
         "GetConsentStateAt", "GetConsentCoverage", "VerifyConsent"},
        consent_readers);
    // The audit log: auditors read it; admins may check its chain and
    // that the stored records are what the chain committed to.
    add("Audit", {"ListAuditEvents", "ExportAuditEvents"}, {Role::kAuditor});
    add("Audit", {"VerifyAuditLog", "GetAuditCheckpoint", "VerifyRecords"},
        {Role::kAuditor, Role::kAdmin});
    // Operating the server: only admins (the copy stays on the server).
    add("Admin", {"BackupDatabase", "ReloadConfig"}, {Role::kAdmin});
    return table;
  }();
  return *kTable;
}

std::vector<std::string> ClinicsNamedIn(const Message& request) {
  std::vector<std::string> clinics;
  CollectClinics(request, clinics);
  return clinics;
}

absl::Status Authorize(const CallContext& call, const Message& request) {
  const Principal& who = call.principal;
  const auto& table = MethodRoles();
  auto rule = table.find(call.method);
  if (rule == table.end() || rule->second.count(who.role) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("principal ", who.id, " (role ", RoleName(who.role),
                     ") may not call ", call.method));
  }
  for (const std::string& clinic : ClinicsNamedIn(request)) {
    if (std::find(who.clinics.begin(), who.clinics.end(), clinic) ==
        who.clinics.end()) {
      return absl::PermissionDeniedError(
          absl::StrCat("principal ", who.id, " has no access to clinic \"",
                       absl::CEscape(clinic), "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace mnrecords

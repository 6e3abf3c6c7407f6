#include "server/validation/resource_names.h"

#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mnrecords {
namespace {

constexpr size_t kMaxIdLength = 63;
constexpr size_t kMaxNameLength = 512;

// Collection segment names, from the clinic down, for each kind.
std::vector<absl::string_view> CollectionsOf(NameKind kind) {
  switch (kind) {
    case NameKind::kClinic:
      return {"clinics"};
    case NameKind::kPatient:
      return {"clinics", "patients"};
    case NameKind::kCourse:
      return {"clinics", "patients", "courses"};
    case NameKind::kSession:
      return {"clinics", "patients", "courses", "sessions"};
    case NameKind::kPhoto:
      return {"clinics", "patients", "courses", "sessions", "photos"};
    case NameKind::kConsent:
      return {"clinics", "patients", "consents"};
    case NameKind::kInstructionSet:
      return {"clinics", "instructionSets"};
    case NameKind::kPluginSettings:
      return {"clinics", "pluginSettings"};
    case NameKind::kScreening:
      return {"clinics", "patients", "screenings"};
    case NameKind::kOutcomeAssessment:
      return {"clinics", "patients", "courses", "assessments"};
    case NameKind::kPhotoRelease:
      return {"clinics",  "patients", "courses",
              "sessions", "photos",   "releases"};
    case NameKind::kSessionSignature:
      return {"clinics", "patients", "courses", "sessions", "signatures"};
  }
  return {};
}

std::string Pattern(NameKind kind) {
  std::vector<std::string> parts;
  for (absl::string_view c : CollectionsOf(kind)) {
    std::string singular(c == "pluginSettings" ? "plugin"
                                               : c.substr(0, c.size() - 1));
    parts.push_back(absl::StrCat(c, "/{", singular, "}"));
  }
  return absl::StrJoin(parts, "/");
}

bool IsIdChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return !first && c == '-';
}

}  // namespace

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": empty id"));
  }
  if (id.size() > kMaxIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": id longer than ", kMaxIdLength, " characters"));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    if (!IsIdChar(id[i], i == 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": id \"", id,
          "\" must match [a-z0-9][a-z0-9-]{0,62} (lower-case letters, digits, "
          "hyphens)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ResourceName> ParseName(absl::string_view field,
                                       absl::string_view value, NameKind kind,
                                       bool allow_wildcards) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (", Pattern(kind), ")"));
  }
  if (value.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": longer than ", kMaxNameLength, " characters"));
  }
  const std::vector<absl::string_view> collections = CollectionsOf(kind);
  const std::vector<absl::string_view> segments = absl::StrSplit(value, '/');
  const auto malformed = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", value, "\" is not a name of the form ", Pattern(kind)));
  };
  if (segments.size() != collections.size() * 2) return malformed();
  ResourceName name;
  name.kind = kind;
  std::string* const ids[] = {&name.clinic, &name.patient, &name.course,
                              &name.session, &name.photo};
  bool seen_wildcard = false;
  for (size_t i = 0; i < collections.size(); ++i) {
    if (segments[2 * i] != collections[i]) return malformed();
    const absl::string_view id = segments[2 * i + 1];
    const bool wildcard = IsWildcard(id);
    if (wildcard && (!allow_wildcards || i == 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": the wildcard \"-\" is not allowed ",
                       i == 0 ? "for the clinic" : "here"));
    }
    if (!wildcard) {
      if (seen_wildcard) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": after a \"-\" wildcard every id must be \"-\""));
      }
      absl::Status id_status = ValidateId(field, id);
      if (!id_status.ok()) return id_status;
    }
    seen_wildcard = seen_wildcard || wildcard;
    std::string* target = nullptr;
    if (collections[i] == "consents") {
      target = &name.consent;
    } else if (collections[i] == "instructionSets") {
      target = &name.instruction_set;
    } else if (collections[i] == "pluginSettings") {
      target = &name.plugin;
    } else if (collections[i] == "screenings") {
      target = &name.screening;
    } else if (collections[i] == "assessments") {
      target = &name.assessment;
    } else if (collections[i] == "releases") {
      target = &name.release;
    } else if (collections[i] == "signatures") {
      target = &name.signature;
    } else {
      target = ids[i];
    }
    *target = std::string(id);
  }
  return name;
}

absl::StatusOr<ResourceName> ParseAnyRecordName(absl::string_view field,
                                                absl::string_view value) {
  for (NameKind kind :
       {NameKind::kPatient, NameKind::kCourse, NameKind::kSession,
        NameKind::kPhoto, NameKind::kConsent, NameKind::kInstructionSet,
        NameKind::kPluginSettings, NameKind::kScreening,
        NameKind::kOutcomeAssessment, NameKind::kPhotoRelease,
        NameKind::kSessionSignature}) {
    absl::StatusOr<ResourceName> parsed = ParseName(field, value, kind);
    if (parsed.ok()) return parsed;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": \"", value,
      "\" is not the name of a patient, course, session, photo, consent, "
      "screening, outcome assessment, photo release, session signature, "
      "instruction set or plugin settings"));
}

ResourceName ChildName(const ResourceName& parent, NameKind kind,
                       std::string id) {
  ResourceName child = parent;
  child.kind = kind;
  switch (kind) {
    case NameKind::kClinic:
      child.clinic = std::move(id);
      break;
    case NameKind::kPatient:
      child.patient = std::move(id);
      break;
    case NameKind::kCourse:
      child.course = std::move(id);
      break;
    case NameKind::kSession:
      child.session = std::move(id);
      break;
    case NameKind::kPhoto:
      child.photo = std::move(id);
      break;
    case NameKind::kConsent:
      child.consent = std::move(id);
      break;
    case NameKind::kInstructionSet:
      child.instruction_set = std::move(id);
      break;
    case NameKind::kPluginSettings:
      child.plugin = std::move(id);
      break;
    case NameKind::kScreening:
      child.screening = std::move(id);
      break;
    case NameKind::kOutcomeAssessment:
      child.assessment = std::move(id);
      break;
    case NameKind::kPhotoRelease:
      child.release = std::move(id);
      break;
    case NameKind::kSessionSignature:
      child.signature = std::move(id);
      break;
  }
  return child;
}

std::string NewResourceId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local absl::BitGen gen;
  std::string id(16, 'a');
  for (char& c : id) c = kAlphabet[absl::Uniform(gen, 0, 36)];
  return id;
}

std::string ResourceName::ClinicName() const {
  return absl::StrCat("clinics/", clinic);
}

std::string ResourceName::PatientName() const {
  if (patient.empty() || IsWildcard(patient)) return "";
  return absl::StrCat(ClinicName(), "/patients/", patient);
}

std::string ResourceName::CourseName() const {
  if (course.empty() || IsWildcard(course) || PatientName().empty()) return "";
  return absl::StrCat(PatientName(), "/courses/", course);
}

std::string ResourceName::SessionName() const {
  if (session.empty() || IsWildcard(session) || CourseName().empty()) {
    return "";
  }
  return absl::StrCat(CourseName(), "/sessions/", session);
}

std::string ResourceName::PhotoName() const {
  if (photo.empty() || IsWildcard(photo) || SessionName().empty()) return "";
  return absl::StrCat(SessionName(), "/photos/", photo);
}

std::string ResourceName::FullName() const {
  switch (kind) {
    case NameKind::kClinic:
      return ClinicName();
    case NameKind::kPatient:
      return absl::StrCat(ClinicName(), "/patients/", patient);
    case NameKind::kCourse:
      return absl::StrCat(ClinicName(), "/patients/", patient, "/courses/",
                          course);
    case NameKind::kSession:
      return absl::StrCat(ClinicName(), "/patients/", patient, "/courses/",
                          course, "/sessions/", session);
    case NameKind::kPhoto:
      return absl::StrCat(ClinicName(), "/patients/", patient, "/courses/",
                          course, "/sessions/", session, "/photos/", photo);
    case NameKind::kConsent:
      return absl::StrCat(ClinicName(), "/patients/", patient, "/consents/",
                          consent);
    case NameKind::kInstructionSet:
      return absl::StrCat(ClinicName(), "/instructionSets/", instruction_set);
    case NameKind::kPluginSettings:
      return absl::StrCat(ClinicName(), "/pluginSettings/", plugin);
    case NameKind::kScreening:
      return absl::StrCat(ClinicName(), "/patients/", patient, "/screenings/",
                          screening);
    case NameKind::kOutcomeAssessment:
      return absl::StrCat(CourseName(), "/assessments/", assessment);
    case NameKind::kPhotoRelease:
      return absl::StrCat(PhotoName(), "/releases/", release);
    case NameKind::kSessionSignature:
      return absl::StrCat(SessionName(), "/signatures/", signature);
  }
  return "";
}

}  // namespace mnrecords

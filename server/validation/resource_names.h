// Resource names of the API (AIP-122) and their parsing.
//
//   clinics/{clinic}
//   clinics/{clinic}/patients/{patient}
//   clinics/{clinic}/patients/{patient}/courses/{course}
//   …/courses/{course}/sessions/{session}
//   …/sessions/{session}/photos/{photo}
//   …/photos/{photo}/releases/{release}
//   …/sessions/{session}/signatures/{signature}
//   …/courses/{course}/assessments/{assessment}
//   clinics/{clinic}/patients/{patient}/consents/{consent}
//   clinics/{clinic}/patients/{patient}/screenings/{screening}
//   clinics/{clinic}/instructionSets/{instruction_set}
//   clinics/{clinic}/pluginSettings/{plugin}
//
// Ids match [a-z0-9][a-z0-9-]{0,62}. In List parents, "-" stands for any id
// (AIP-159) below the clinic. Parse errors are INVALID_ARGUMENT naming the
// request field.
#ifndef MNRECORDS_SERVER_VALIDATION_RESOURCE_NAMES_H_
#define MNRECORDS_SERVER_VALIDATION_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mnrecords {

inline constexpr absl::string_view kWildcard = "-";

// NameKind is the kind of resource a name denotes.
enum class NameKind {
  kClinic,
  kPatient,
  kCourse,
  kSession,
  kPhoto,
  kConsent,
  kInstructionSet,
  kPluginSettings,
  kScreening,
  kOutcomeAssessment,
  kPhotoRelease,
  kSessionSignature,
};

// ResourceName holds the ids of a parsed name; ids below the name's kind are
// empty. With wildcards allowed an id may be "-".
struct ResourceName {
  NameKind kind = NameKind::kClinic;
  std::string clinic;
  std::string patient;
  std::string course;
  std::string session;
  std::string photo;
  std::string consent;
  std::string instruction_set;
  std::string plugin;  // of plugin settings
  std::string screening;
  std::string assessment;  // of an outcome assessment
  std::string release;     // of a photo release
  std::string signature;   // of a session signature

  // Names of this resource and its ancestors ("" where not applicable or
  // where the id is a wildcard).
  std::string ClinicName() const;
  std::string PatientName() const;
  std::string CourseName() const;
  std::string SessionName() const;
  std::string PhotoName() const;
  std::string FullName() const;  // the name itself
};

// ParseName parses `value` as a name of `kind`. `field` names the request
// field for error messages. If allow_wildcards, ids other than the clinic's
// may be "-" (but once an id is "-", every id after it must be too).
absl::StatusOr<ResourceName> ParseName(absl::string_view field,
                                       absl::string_view value, NameKind kind,
                                       bool allow_wildcards = false);

// ValidateId checks that `id` is a valid resource id.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// IsWildcard reports whether an id is the "-" wildcard.
inline bool IsWildcard(absl::string_view id) { return id == kWildcard; }

// ParseAnyRecordName parses a name of any record kind, telling them apart by
// their collection segments. INVALID_ARGUMENT if none fits.
absl::StatusOr<ResourceName> ParseAnyRecordName(absl::string_view field,
                                                absl::string_view value);

// ChildName is the name of the `kind` child with `id` under `parent`.
ResourceName ChildName(const ResourceName& parent, NameKind kind,
                       std::string id);

// NewResourceId returns a fresh random id (16 of [a-z0-9]) for a record
// created without a client-chosen id.
std::string NewResourceId();

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_VALIDATION_RESOURCE_NAMES_H_

// Validation of the resources and request fields clients send. Everything is
// checked before anything is stored; the first problem found is returned as
// INVALID_ARGUMENT naming the field path (e.g. "session.performed_at").
// These checks need no database; checks against stored state (parents,
// references, etags) live in the services.
#ifndef MNRECORDS_SERVER_VALIDATION_VALIDATION_H_
#define MNRECORDS_SERVER_VALIDATION_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// Limits of the API, in one place (docs/api.md lists them too). Text
// lengths are in bytes of UTF-8.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
// People, identifiers, titles and list filters.
inline constexpr size_t kMaxShortText = 200;
// Reasons (amendments, revocations) and audit resource prefixes.
inline constexpr size_t kMaxReasonText = 1000;
// Free-text notes and instruction items.
inline constexpr size_t kMaxNotesText = 4000;
inline constexpr size_t kMaxRecipientText = 500;
// Device serial numbers, cartridge lots, media types.
inline constexpr size_t kMaxCodeText = 100;
inline constexpr size_t kMaxUriLength = 2000;
inline constexpr size_t kMaxRequestIdLength = 64;
inline constexpr size_t kMaxEtagLength = 64;
inline constexpr size_t kMaxPageTokenLength = 200;
inline constexpr size_t kMaxFileNameLength = 200;  // backup file names
inline constexpr int64_t kMaxRevisionId = int64_t{1} << 40;
inline constexpr int64_t kMaxImageBytes = int64_t{1} << 40;
inline constexpr int kMaxImagePixels = 100000;  // width and height each
inline constexpr int kMaxNeedleCount = 100;
inline constexpr int kMaxPasses = 20;
inline constexpr int kMaxSessionMinutes = 480;
inline constexpr int kMaxNumbingMinutes = 180;
inline constexpr int kMaxPlannedSessions = 20;
inline constexpr int kMaxPlannedIntervalDays = 365;
// Repeated fields: the most entries one record may list.
inline constexpr int kMaxIdentifiers = 20;
inline constexpr int kMaxIndications = 10;
inline constexpr int kMaxAreas = 30;  // a course's or a session's areas
inline constexpr int kMaxTopicals = 20;
inline constexpr int kMaxAdverseEvents = 20;
inline constexpr int kMaxInstructionItems = 100;
inline constexpr size_t kMaxInstructionItemText = 2000;
inline constexpr size_t kMaxInstructionSection = 100;
inline constexpr int kMaxSettings = 100;
inline constexpr size_t kMaxSettingKey = 100;
inline constexpr size_t kMaxSettingValue = 200;
inline constexpr double kMinNeedleDepthMm = 0.1;
inline constexpr double kMaxNeedleDepthMm = 3.0;

// ValidateRequestId: required, 1..kMaxRequestIdLength of [A-Za-z0-9_-].
absl::Status ValidateRequestId(absl::string_view field, absl::string_view id);

// EffectivePageSize: 0 -> kDefaultPageSize; 1..kMaxPageSize as given;
// negative or larger is INVALID_ARGUMENT.
absl::StatusOr<int> EffectivePageSize(absl::string_view field, int page_size);

absl::Status ValidatePatient(absl::string_view field, const v1::Patient& p);
absl::Status ValidateCourse(absl::string_view field,
                            const v1::TreatmentCourse& c);
// `now` bounds clinical times (not more than kMaxClockSkew ahead).
absl::Status ValidateSession(absl::string_view field,
                             const v1::TreatmentSession& s, absl::Time now);
absl::Status ValidatePhoto(absl::string_view field, const v1::OutcomePhoto& p,
                           absl::Time now);
absl::Status ValidateInstructionSet(absl::string_view field,
                                    const v1::InstructionSet& s);
// ValidateScreening: questionnaire reference well formed, asked_at and
// asked_by, answers (question codes, yes/no), status and notes; the answers
// are matched to the questionnaire's questions when it is resolved.
absl::Status ValidateScreening(absl::string_view field, const v1::Screening& s,
                               absl::Time now);
// ValidatePluginSettings checks the shape of published settings (sizes,
// enums, who and why); the plugin host checks the keys, codes and values.
absl::Status ValidatePluginSettings(absl::string_view field,
                                    const v1::PluginSettings& s);
absl::Status ValidateConsent(absl::string_view field, const v1::Consent& c,
                             absl::Time now);
// ValidateSessionSignature: a kind and a well-formed attestation reference.
// Who may sign is checked against the caller and the session.
absl::Status ValidateSessionSignature(absl::string_view field,
                                      const v1::SessionSignature& s);
// ValidatePhotoRelease: purpose, released_at (not in the future), who, to
// whom, notes. Whether the consent allows it is checked against the store.
absl::Status ValidatePhotoRelease(absl::string_view field,
                                  const v1::PhotoRelease& r, absl::Time now);
absl::Status ValidateAmendment(absl::string_view field, const v1::Amendment& a);
// CheckEnteredInErrorStatus: a record's status field (`field`, e.g.
// "session.status") may say ENTERED_IN_ERROR only when the write is an
// amendment of kind ENTERED_IN_ERROR (`amendment` is nullptr for a create).
absl::Status CheckEnteredInErrorStatus(absl::string_view field,
                                       bool entered_in_error,
                                       const v1::Amendment* amendment);
// ValidateInstructionRef: a well-formed instruction set name and revision
// >= 1; content_sha256 empty or 64 lower-case hex.
absl::Status ValidateInstructionRef(absl::string_view field,
                                    const v1::InstructionRevisionRef& ref);

// ValidateUpdateMask: every path is one of `allowed`, or the mask is exactly
// "*". An empty mask is INVALID_ARGUMENT unless `allow_empty`.
absl::Status ValidateUpdateMask(absl::string_view field,
                                const google::protobuf::FieldMask& mask,
                                const std::vector<std::string>& allowed,
                                bool allow_empty);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_VALIDATION_VALIDATION_H_

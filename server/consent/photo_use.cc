#include "server/consent/photo_use.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "server/consent/consent_in_force.h"
#include "server/records/record_codec.h"

namespace mnrecords {

std::string PhotoUseName(v1::PhotoUse use) {
  return std::string(absl::StripPrefix(v1::PhotoUse_Name(use), "PHOTO_USE_"));
}

absl::StatusOr<v1::PhotoUsePermission> PhotoUsePermissionAt(
    ReadTxn& txn, const std::string& clinic, const std::string& patient,
    const v1::OutcomePhoto& photo, v1::PhotoUse use, absl::Time t) {
  MNR_ASSIGN_OR_RETURN(
      const v1::KindConsentStatus status,
      ConsentStatusAt(txn, clinic, patient, v1::INSTRUCTION_KIND_PHOTOGRAPHY, t,
                      use));
  v1::PhotoUsePermission permission;
  permission.set_use(use);
  permission.set_consent(status.consent());
  const std::string when =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
  switch (status.coverage()) {
    case v1::CONSENT_COVERAGE_GRANTED:
      break;
    case v1::CONSENT_COVERAGE_REFUSED:
      permission.set_reason(absl::StrCat("the PHOTOGRAPHY consent in force at ",
                                         when, " (", status.consent(),
                                         ") refuses ", PhotoUseName(use)));
      return permission;
    default:
      permission.set_reason(absl::StrCat("no PHOTOGRAPHY consent in force at ",
                                         when, " covers ", PhotoUseName(use)));
      return permission;
  }
  if (use != v1::PHOTO_USE_CLINICAL_RECORD && photo.identifiable()) {
    MNR_ASSIGN_OR_RETURN(const v1::Consent consent,
                         LoadRecord<v1::Consent>(txn, status.consent(), 0));
    if (!consent.identifiable_images_allowed()) {
      permission.set_reason(absl::StrCat(
          "the photo is identifiable and the PHOTOGRAPHY consent in force (",
          status.consent(), ") grants ", PhotoUseName(use),
          " for de-identified images only"));
      return permission;
    }
  }
  permission.set_allowed(true);
  return permission;
}

}  // namespace mnrecords

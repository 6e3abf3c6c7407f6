// Whether a patient's photo may be used for a purpose at a time: the
// PHOTOGRAPHY consent in force then that covers the use decides, and
// identifiable photos need a consent allowing identifiable images for any
// use beyond the clinical record.
#ifndef MNRECORDS_SERVER_CONSENT_PHOTO_USE_H_
#define MNRECORDS_SERVER_CONSENT_PHOTO_USE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// PhotoUseName is how messages name a use, e.g. "EXTERNAL_PUBLICATION".
std::string PhotoUseName(v1::PhotoUse use);

// PhotoUsePermissionAt decides whether `photo` (a current revision of a
// photo of `patient` in `clinic`) may be used for `use` at `t`: allowed
// when the PHOTOGRAPHY consent in force at `t` that covers `use` grants it
// and, for uses beyond CLINICAL_RECORD, allows identifiable images or the
// photo is not identifiable. Otherwise `reason` says why in words.
absl::StatusOr<v1::PhotoUsePermission> PhotoUsePermissionAt(
    ReadTxn& txn, const std::string& clinic, const std::string& patient,
    const v1::OutcomePhoto& photo, v1::PhotoUse use, absl::Time t);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_PHOTO_USE_H_

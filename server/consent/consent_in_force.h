// The consent decision of one kind in force for a patient at a time, read
// from the store at a cost that does not grow with the patient's consents.
#ifndef MNRECORDS_SERVER_CONSENT_CONSENT_IN_FORCE_H_
#define MNRECORDS_SERVER_CONSENT_CONSENT_IN_FORCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ConsentStatusAt is ConsentStatusForKind (consent_status.h) over the
// consents of `kind` of `patient` (a patient resource name in `clinic`)
// as stored: it walks them from the last signed at or before `t`
// backwards and stops at the first in force at `t` covering `use`, which
// decides.
absl::StatusOr<v1::KindConsentStatus> ConsentStatusAt(
    ReadTxn& txn, const std::string& clinic, const std::string& patient,
    v1::InstructionKind kind, absl::Time t,
    v1::PhotoUse use = v1::PHOTO_USE_CLINICAL_RECORD);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_CONSENT_IN_FORCE_H_

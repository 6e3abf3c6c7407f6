// When a consent is in force. A consent is in force at time T when it was
// signed at or before T, T is before its expire_time (if any), it had not
// been revoked at or before T, and it was not entered in error. Its reported
// state is EXPIRED once expire_time has passed while it is ACTIVE.
#ifndef MNRECORDS_SERVER_CONSENT_CONSENT_STATUS_H_
#define MNRECORDS_SERVER_CONSENT_CONSENT_STATUS_H_

#include <vector>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ApplyDerivedState sets c->state to EXPIRED when it is ACTIVE and its
// expire_time is at or before `now`.
void ApplyDerivedState(absl::Time now, v1::Consent* c);

// ConsentInForceAt reports whether `c` (its latest revision) was in force
// at `t`.
bool ConsentInForceAt(const v1::Consent& c, absl::Time t);

// ConsentCoversUse: whether `c` decides on `use`. A PHOTOGRAPHY consent
// decides on its photo_uses (none listed: CLINICAL_RECORD alone); a consent
// of another kind decides its kind as a whole, whatever `use` says.
bool ConsentCoversUse(const v1::Consent& c, v1::PhotoUse use);

// CoveredUses: the uses `c` decides on, as ConsentCoversUse sees them
// (UNSPECIFIED alone for a consent of another kind than PHOTOGRAPHY).
std::vector<v1::PhotoUse> CoveredUses(const v1::Consent& c);

// ConsentStatusForKind: among `consents` of one patient, the one of `kind`
// in force at `t` that covers `use` (ConsentCoversUse) and was signed last
// decides: GRANTED or REFUSED; MISSING if none.
v1::KindConsentStatus ConsentStatusForKind(
    v1::InstructionKind kind, const std::vector<v1::Consent>& consents,
    absl::Time t, v1::PhotoUse use = v1::PHOTO_USE_CLINICAL_RECORD);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_CONSENT_STATUS_H_

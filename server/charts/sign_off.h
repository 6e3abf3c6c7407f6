// Where a session's sign-off stands: whether its current revision is signed
// by its author and, when the author's sessions need one, co-signed.
#ifndef MNRECORDS_SERVER_CHARTS_SIGN_OFF_H_
#define MNRECORDS_SERVER_CHARTS_SIGN_OFF_H_

#include <vector>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// SignOffOf judges `session` (its current revision) by `signatures` (those
// of this session, any revision, any order): UNSIGNED without an AUTHOR
// signature of the current revision; AWAITING_COSIGN when that signature
// says a co-signature is required and no COSIGN of the revision exists;
// else SIGNED. `overdue` when not SIGNED and performed_at + `window` is at or
// before `now`.
v1::SessionSignOff SignOffOf(
    const v1::TreatmentSession& session,
    const std::vector<v1::SessionSignature>& signatures, absl::Time now,
    absl::Duration window);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_SIGN_OFF_H_

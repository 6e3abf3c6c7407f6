// Re-consent: when an instruction set gets a revision published with
// requires_reconsent, consents to earlier revisions stop being in force at
// that revision's effective_time and report needs_reconsent.
#ifndef MNRECORDS_SERVER_CONSENT_CONSENT_RECONSENT_H_
#define MNRECORDS_SERVER_CONSENT_CONSENT_RECONSENT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ReconsentCutoff returns the effective_time of the first revision after
// the one `c` points at that requires re-consent, or std::nullopt.
absl::StatusOr<std::optional<absl::Time>> ReconsentCutoff(ReadTxn& txn,
                                                          const v1::Consent& c);

// ApplyReconsent sets c->needs_reconsent from ReconsentCutoff and returns
// the cutoff.
absl::StatusOr<std::optional<absl::Time>> ApplyReconsent(ReadTxn& txn,
                                                         v1::Consent* c);

// InForceAt is ConsentInForceAt (consent_status.h) that also ends at the
// re-consent cutoff.
bool InForceAt(const v1::Consent& c, std::optional<absl::Time> cutoff,
               absl::Time t);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_CONSENT_RECONSENT_H_

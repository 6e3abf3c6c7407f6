// Consent state transitions as new revisions: every change (revoked,
// superseded, entered in error) is written the same way, with its author,
// time and reason in state_history and an amendment on the revision.
#ifndef MNRECORDS_SERVER_CONSENT_CONSENT_TRANSITIONS_H_
#define MNRECORDS_SERVER_CONSENT_CONSENT_TRANSITIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ConsentTransition describes one state change of a consent.
struct ConsentTransition {
  v1::ConsentState state = v1::CONSENT_STATE_UNSPECIFIED;
  google::protobuf::Timestamp change_time;  // when it took effect
  std::string author;
  std::string reason;  // kept in state_history
  v1::AmendmentKind amendment_kind = v1::AMENDMENT_KIND_ADDENDUM;
  std::string amendment_reason;  // the revision's amendment reason
};

// ApplyConsentTransition moves `c` (its current revision) to `t.state`,
// recording the change in its state_history, and returns the amendment
// its next revision carries.
v1::Amendment ApplyConsentTransition(const ConsentTransition& t,
                                     v1::Consent* c);

// AppendConsentTransition writes the next revision of `c` (its current
// revision) in `t.state`, stored at `now`, and updates `c` to it.
absl::Status AppendConsentTransition(WriteTxn& txn, absl::Time now,
                                     const ConsentTransition& t,
                                     v1::Consent* c);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_CONSENT_TRANSITIONS_H_

#include "server/consent/consent_transitions.h"

#include "common/status_macros.h"
#include "server/records/record_codec.h"
#include "server/validation/resource_names.h"

namespace mnrecords {

v1::Amendment ApplyConsentTransition(const ConsentTransition& t,
                                     v1::Consent* c) {
  c->set_state(t.state);
  v1::ConsentStateChange* change = c->add_state_history();
  change->set_state(t.state);
  *change->mutable_change_time() = t.change_time;
  change->set_author(t.author);
  change->set_reason(t.reason);
  change->set_revision_id(c->revision().revision_id() + 1);
  v1::Amendment amendment;
  amendment.set_kind(t.amendment_kind);
  amendment.set_reason(t.amendment_reason);
  amendment.set_author(t.author);
  return amendment;
}

absl::Status AppendConsentTransition(WriteTxn& txn, absl::Time now,
                                     const ConsentTransition& t,
                                     v1::Consent* c) {
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("name", c->name(), NameKind::kConsent));
  const v1::Amendment amendment = ApplyConsentTransition(t, c);
  return AppendRecordRevision(txn, name, now, amendment, c);
}

}  // namespace mnrecords

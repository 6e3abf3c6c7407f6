#include "server/consent/consent_status.h"

#include "common/time_util.h"

namespace mnrecords {

void ApplyDerivedState(absl::Time now, v1::Consent* c) {
  if (c->state() == v1::CONSENT_STATE_ACTIVE && c->has_expire_time() &&
      FromProtoTime(c->expire_time()) <= now) {
    c->set_state(v1::CONSENT_STATE_EXPIRED);
  }
}

bool ConsentInForceAt(const v1::Consent& c, absl::Time t) {
  if (c.state() == v1::CONSENT_STATE_ENTERED_IN_ERROR) return false;
  if (FromProtoTime(c.signed_at()) > t) return false;
  if (c.has_expire_time() && FromProtoTime(c.expire_time()) <= t) return false;
  for (const v1::ConsentStateChange& change : c.state_history()) {
    if ((change.state() == v1::CONSENT_STATE_REVOKED ||
         change.state() == v1::CONSENT_STATE_SUPERSEDED) &&
        FromProtoTime(change.change_time()) <= t) {
      return false;
    }
  }
  return true;
}

v1::KindConsentStatus ConsentStatusForKind(
    v1::InstructionKind kind, const std::vector<v1::Consent>& consents,
    absl::Time t) {
  v1::KindConsentStatus status;
  status.set_kind(kind);
  status.set_coverage(v1::CONSENT_COVERAGE_MISSING);
  const v1::Consent* deciding = nullptr;
  for (const v1::Consent& c : consents) {
    if (c.kind() != kind || !ConsentInForceAt(c, t)) continue;
    if (deciding == nullptr ||
        FromProtoTime(c.signed_at()) >= FromProtoTime(deciding->signed_at())) {
      deciding = &c;
    }
  }
  if (deciding != nullptr) {
    status.set_consent(deciding->name());
    status.set_coverage(deciding->decision() == v1::CONSENT_DECISION_GRANTED
                            ? v1::CONSENT_COVERAGE_GRANTED
                            : v1::CONSENT_COVERAGE_REFUSED);
  }
  return status;
}

}  // namespace mnrecords

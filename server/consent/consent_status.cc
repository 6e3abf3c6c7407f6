#include "server/consent/consent_status.h"

#include <algorithm>

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

bool ConsentCoversUse(const v1::Consent& c, v1::PhotoUse use) {
  if (c.kind() != v1::INSTRUCTION_KIND_PHOTOGRAPHY) return true;
  if (c.photo_uses().empty()) return use == v1::PHOTO_USE_CLINICAL_RECORD;
  return std::find(c.photo_uses().begin(), c.photo_uses().end(), use) !=
         c.photo_uses().end();
}

std::vector<v1::PhotoUse> CoveredUses(const v1::Consent& c) {
  if (c.kind() != v1::INSTRUCTION_KIND_PHOTOGRAPHY) {
    return {v1::PHOTO_USE_UNSPECIFIED};
  }
  if (c.photo_uses().empty()) return {v1::PHOTO_USE_CLINICAL_RECORD};
  std::vector<v1::PhotoUse> uses;
  for (int use : c.photo_uses()) uses.push_back(static_cast<v1::PhotoUse>(use));
  return uses;
}

v1::KindConsentStatus ConsentStatusForKind(
    v1::InstructionKind kind, const std::vector<v1::Consent>& consents,
    absl::Time t, v1::PhotoUse use) {
  v1::KindConsentStatus status;
  status.set_kind(kind);
  status.set_coverage(v1::CONSENT_COVERAGE_MISSING);
  if (kind == v1::INSTRUCTION_KIND_PHOTOGRAPHY) status.set_photo_use(use);
  const v1::Consent* deciding = nullptr;
  for (const v1::Consent& c : consents) {
    if (c.kind() != kind || !ConsentInForceAt(c, t) ||
        !ConsentCoversUse(c, use)) {
      continue;
    }
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

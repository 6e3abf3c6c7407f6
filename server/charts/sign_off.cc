#include "server/charts/sign_off.h"

#include "common/time_util.h"

namespace mnrecords {

v1::SessionSignOff SignOffOf(
    const v1::TreatmentSession& session,
    const std::vector<v1::SessionSignature>& signatures, absl::Time now,
    absl::Duration window) {
  const int64_t revision = session.revision().revision_id();
  v1::SessionSignOff out;
  out.set_session(session.name());
  out.set_session_revision_id(revision);
  out.set_clinician(session.clinician());
  *out.mutable_performed_at() = session.performed_at();
  const v1::SessionSignature* author = nullptr;
  const v1::SessionSignature* cosign = nullptr;
  bool signed_before = false;
  for (const v1::SessionSignature& s : signatures) {
    if (s.session_revision_id() != revision) {
      signed_before = signed_before || (s.kind() == v1::SIGNATURE_KIND_AUTHOR &&
                                        s.session_revision_id() < revision);
      continue;
    }
    if (s.kind() == v1::SIGNATURE_KIND_AUTHOR) author = &s;
    if (s.kind() == v1::SIGNATURE_KIND_COSIGN) cosign = &s;
  }
  if (author == nullptr) {
    out.set_state(v1::SIGN_OFF_STATE_UNSIGNED);
    out.set_amended_since_signed(signed_before);
  } else {
    out.set_author_signature(author->name());
    if (cosign != nullptr) out.set_cosignature(cosign->name());
    out.set_state(author->cosign_required() && cosign == nullptr
                      ? v1::SIGN_OFF_STATE_AWAITING_COSIGN
                      : v1::SIGN_OFF_STATE_SIGNED);
  }
  out.set_overdue(out.state() != v1::SIGN_OFF_STATE_SIGNED &&
                  FromProtoTime(session.performed_at()) + window <= now);
  return out;
}

}  // namespace mnrecords

// The Consents API's state changes of a recorded consent (ConsentsService
// methods): revocation and entered-in-error. Each is a new revision written
// through the change flow every record shares (ChangeRecordOnce:
// request_id, etag, audit event), with its author, time and reason in the
// consent's state_history (consent_transitions.h).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_status.h"
#include "server/consent/consent_transitions.h"
#include "server/records/record_ops.h"
#include "server/service/consents_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// CheckReasonAndAuthor checks the fields every consent state change has.
absl::Status CheckReasonAndAuthor(const std::string& reason,
                                  const std::string& author) {
  MNR_RETURN_IF_ERROR(
      CheckText("reason", reason, 1, kMaxReasonText, TextKind::kMultiLine));
  return CheckText("author", author, 1, kMaxShortText);
}

// RevokeTime is when a revocation takes effect: the request's revoke_time,
// else now. INVALID_ARGUMENT if it lies in the future or before signing.
absl::StatusOr<absl::Time> RevokeTime(const v1::RevokeConsentRequest& r,
                                      const v1::Consent& c, absl::Time now) {
  const absl::Time t =
      r.has_revoke_time() ? FromProtoTime(r.revoke_time()) : now;
  if (t > now + kMaxClockSkew) {
    return absl::InvalidArgumentError("revoke_time: lies in the future");
  }
  if (t < FromProtoTime(c.signed_at())) {
    return absl::InvalidArgumentError(
        "revoke_time: before the consent was signed");
  }
  return t;
}

}  // namespace

void ConsentsService::RevokeConsent(AuditedCall& call,
                                    const v1::RevokeConsentRequest& r,
                                    Reply<v1::Consent> reply) {
  ChangeRecordOnce<v1::Consent>(
      store_, call, clock_, r,
      {"name", r.name(), r.etag(), /*etag_required=*/false, r.request_id()},
      [&]() -> absl::Status {
        MNR_RETURN_IF_ERROR(CheckReasonAndAuthor(r.reason(), r.author()));
        return CheckTime("revoke_time", r.has_revoke_time(), r.revoke_time(),
                         false);
      },
      [&r](ReadTxn&, const v1::Consent& current,
           absl::Time now) -> absl::StatusOr<NextRevision<v1::Consent>> {
        v1::Consent effective = current;
        ApplyDerivedState(now, &effective);
        if (effective.state() != v1::CONSENT_STATE_ACTIVE) {
          return absl::FailedPreconditionError(absl::StrCat(
              r.name(), " is ", v1::ConsentState_Name(effective.state()),
              "; only an ACTIVE consent can be revoked"));
        }
        MNR_ASSIGN_OR_RETURN(const absl::Time revoke_time,
                             RevokeTime(r, current, now));
        ConsentTransition revoked;
        revoked.state = v1::CONSENT_STATE_REVOKED;
        revoked.change_time = ToProtoTime(revoke_time);
        revoked.author = r.author();
        revoked.reason = r.reason();
        revoked.amendment_reason =
            absl::StrCat("consent revoked: ", r.reason());
        NextRevision<v1::Consent> next{current, {}};
        next.amendment = ApplyConsentTransition(revoked, &next.record);
        return next;
      },
      [this,
       reply = std::move(reply)](absl::StatusOr<v1::Consent> consent) mutable {
        if (consent.ok()) ApplyDerivedState(clock_.Now(), &*consent);
        std::move(reply)(std::move(consent));
      });
}

void ConsentsService::MarkConsentEnteredInError(
    AuditedCall& call, const v1::MarkConsentEnteredInErrorRequest& r,
    Reply<v1::Consent> reply) {
  ChangeRecordOnce<v1::Consent>(
      store_, call, clock_, r,
      {"name", r.name(), r.etag(), /*etag_required=*/false, r.request_id()},
      [&] { return CheckReasonAndAuthor(r.reason(), r.author()); },
      [&r](ReadTxn&, const v1::Consent& current,
           absl::Time now) -> absl::StatusOr<NextRevision<v1::Consent>> {
        if (current.state() == v1::CONSENT_STATE_ENTERED_IN_ERROR) {
          return absl::FailedPreconditionError(
              absl::StrCat(r.name(), " is already ENTERED_IN_ERROR"));
        }
        ConsentTransition voided;
        voided.state = v1::CONSENT_STATE_ENTERED_IN_ERROR;
        voided.change_time = ToProtoTime(now);
        voided.author = r.author();
        voided.reason = r.reason();
        voided.amendment_kind = v1::AMENDMENT_KIND_ENTERED_IN_ERROR;
        voided.amendment_reason = r.reason();
        NextRevision<v1::Consent> next{current, {}};
        next.amendment = ApplyConsentTransition(voided, &next.record);
        return next;
      },
      std::move(reply));
}

}  // namespace mnrecords

// TreatmentRecords: sign-off (SignSession, ListSessionSignatures,
// ListUnsignedSessions). A signature signs one revision of a session in the
// caller's own name: the author is the principal whose clinician id is the
// session's clinician; a co-signer is a principal allowed to co-sign who is
// not the author. What it attests is an ATTESTATION text revision.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/charts/sign_off.h"
#include "server/consent/instruction_refs.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/records/record_traits.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

constexpr absl::Duration kDefaultLookBack = absl::Hours(24 * 90);
constexpr absl::Duration kMaxLookBack = absl::Hours(24 * 366);

// SignaturesOf reads every signature of the session `session` (a name in
// `clinic`), of any revision.
absl::StatusOr<std::vector<v1::SessionSignature>> SignaturesOf(
    ReadTxn& txn, const std::string& clinic, const std::string& session) {
  RecordQuery query;
  query.kind = RecordKind::kSessionSignature;
  query.clinic = clinic;
  query.session = session;
  return ReadAll<v1::SessionSignature>(txn, query);
}

// CheckSigner refuses a signature the caller may not give (PERMISSION_DENIED)
// or that the session's revision already has or cannot have yet
// (ALREADY_EXISTS, FAILED_PRECONDITION).
absl::Status CheckSigner(const Principal& caller,
                         const v1::TreatmentSession& session,
                         const std::vector<v1::SessionSignature>& existing,
                         v1::SignatureKind kind) {
  const int64_t revision = session.revision().revision_id();
  const auto has = [&](v1::SignatureKind k) {
    return std::any_of(existing.begin(), existing.end(), [&](const auto& s) {
      return s.kind() == k && s.session_revision_id() == revision;
    });
  };
  const bool is_author = caller.clinician_id == session.clinician();
  if (kind == v1::SIGNATURE_KIND_AUTHOR) {
    if (!is_author) {
      return absl::PermissionDeniedError(absl::StrCat(
          "signature.kind: only the session's clinician (\"",
          session.clinician(), "\") signs it as its author; principal ",
          caller.id, " is clinician \"", caller.clinician_id, "\""));
    }
    if (has(v1::SIGNATURE_KIND_AUTHOR)) {
      return absl::AlreadyExistsError(
          absl::StrCat(session.name(), " revision ", revision,
                       " is already signed by its author"));
    }
    return absl::OkStatus();
  }
  if (!caller.may_cosign) {
    return absl::PermissionDeniedError(
        absl::StrCat("signature.kind: principal ", caller.id,
                     " may not co-sign sessions (may_cosign in the config)"));
  }
  if (is_author) {
    return absl::PermissionDeniedError(
        "signature.kind: the session's own clinician cannot co-sign it");
  }
  if (!has(v1::SIGNATURE_KIND_AUTHOR)) {
    return absl::FailedPreconditionError(
        absl::StrCat(session.name(), " revision ", revision,
                     " is not signed by its author yet; it is co-signed "
                     "after"));
  }
  if (has(v1::SIGNATURE_KIND_COSIGN)) {
    return absl::AlreadyExistsError(absl::StrCat(
        session.name(), " revision ", revision, " is already co-signed"));
  }
  return absl::OkStatus();
}

}  // namespace

void RecordsService::SignSession(AuditedCall& call,
                                 const v1::SignSessionRequest& r,
                                 Reply<v1::SessionSignature> reply) {
  absl::StatusOr<ResourceName> session =
      ParseName("name", r.name(), NameKind::kSession);
  absl::Status valid = session.status();
  if (valid.ok()) valid = ValidateSessionSignature("signature", r.signature());
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::SessionSignature>(
      store_, call, clock_, r,
      {*session, "signature_id", "", r.signature(), r.request_id()},
      [session = *session, etag = r.etag(), caller = call.context().principal](
          ReadTxn& txn, v1::SessionSignature& s,
          absl::Time now) -> absl::Status {
        MNR_ASSIGN_OR_RETURN(
            const v1::TreatmentSession current,
            RequireLiveParent<v1::TreatmentSession>(txn, session.FullName()));
        if (!etag.empty() && etag != current.etag()) {
          return absl::AbortedError(
              absl::StrCat("etag: ", session.FullName(),
                           " has changed since it was read (now revision ",
                           current.revision().revision_id(),
                           "); read it again and sign "
                           "what is there"));
        }
        MNR_ASSIGN_OR_RETURN(
            const std::vector<v1::SessionSignature> existing,
            SignaturesOf(txn, session.clinic, session.FullName()));
        MNR_RETURN_IF_ERROR(CheckSigner(caller, current, existing, s.kind()));
        absl::StatusOr<v1::InstructionSet> attestation = ResolveInstructionRef(
            txn, "signature.attestation", session.clinic,
            v1::INSTRUCTION_KIND_ATTESTATION, s.mutable_attestation());
        if (absl::IsNotFound(attestation.status())) {
          return absl::FailedPreconditionError(absl::StrCat(
              "signature.attestation: ", attestation.status().message(),
              "; publish the clinic's ATTESTATION text first"));
        }
        MNR_RETURN_IF_ERROR(attestation.status());
        s.set_session_revision_id(current.revision().revision_id());
        s.set_signer(caller.id);
        s.set_signer_clinician_id(caller.clinician_id);
        s.set_signer_credential(caller.credential);
        *s.mutable_signed_at() = ToProtoTime(now);
        s.set_cosign_required(s.kind() == v1::SIGNATURE_KIND_AUTHOR &&
                              caller.cosign_required);
        return absl::OkStatus();
      },
      nullptr, std::move(reply));
}

absl::StatusOr<v1::ListSessionSignaturesResponse>
RecordsService::ListSessionSignatures(
    AuditedCall&, const v1::ListSessionSignaturesRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName session,
                       ParseName("parent", r.parent(), NameKind::kSession));
  const RecordQuery query = QueryUnder(session, RecordKind::kSessionSignature);
  v1::ListSessionSignaturesResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_signatures(),
                              response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<v1::ListUnsignedSessionsResponse>
RecordsService::ListUnsignedSessions(AuditedCall& call,
                                     const v1::ListUnsignedSessionsRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName clinic,
                       ParseName("parent", r.parent(), NameKind::kClinic));
  MNR_RETURN_IF_ERROR(CheckText("clinician", r.clinician(), 0, kMaxShortText));
  const Principal& caller = call.context().principal;
  if (r.awaiting_my_cosign() && !caller.may_cosign) {
    return absl::PermissionDeniedError(
        absl::StrCat("awaiting_my_cosign: principal ", caller.id,
                     " may not co-sign sessions (may_cosign in the config)"));
  }
  const absl::Time now = clock_.Now();
  const absl::Time window_end = now - signature_window_;
  absl::Time from = window_end - kDefaultLookBack;
  if (r.has_performed_after()) {
    MNR_RETURN_IF_ERROR(
        CheckTime("performed_after", true, r.performed_after(), true));
    from = FromProtoTime(r.performed_after());
    if (window_end - from > kMaxLookBack) {
      return absl::InvalidArgumentError(
          "performed_after: at most 366 days before the signature window");
    }
  }
  v1::ListUnsignedSessionsResponse response;
  *response.mutable_evaluate_time() = ToProtoTime(now);
  *response.mutable_window_end_time() = ToProtoTime(window_end);
  if (from >= window_end) return response;
  RecordQuery sessions;
  sessions.kind = RecordKind::kSession;
  sessions.clinic = clinic.clinic;
  sessions.actor = r.clinician();  // a session's actor is its clinician
  sessions.exclude_category = v1::SESSION_STATUS_ENTERED_IN_ERROR;
  sessions.event_time_from_us = absl::ToUnixMicros(from);
  sessions.event_time_to_us = absl::ToUnixMicros(window_end);
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::vector<v1::TreatmentSession> all,
                         ReadAll<v1::TreatmentSession>(txn, sessions));
    for (const v1::TreatmentSession& s : all) {
      MNR_ASSIGN_OR_RETURN(const std::vector<v1::SessionSignature> signatures,
                           SignaturesOf(txn, clinic.clinic, s.name()));
      v1::SessionSignOff sign_off =
          SignOffOf(s, signatures, now, signature_window_);
      if (sign_off.state() == v1::SIGN_OFF_STATE_SIGNED) continue;
      if (r.awaiting_my_cosign() &&
          (sign_off.state() != v1::SIGN_OFF_STATE_AWAITING_COSIGN ||
           s.clinician() == caller.clinician_id)) {
        continue;
      }
      *response.add_sessions() = std::move(sign_off);
    }
    return absl::OkStatus();
  }));
  std::stable_sort(
      response.mutable_sessions()->begin(), response.mutable_sessions()->end(),
      [](const v1::SessionSignOff& a, const v1::SessionSignOff& b) {
        return FromProtoTime(a.performed_at()) <
               FromProtoTime(b.performed_at());
      });
  return response;
}

}  // namespace mnrecords

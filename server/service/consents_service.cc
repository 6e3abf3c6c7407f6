#include "server/service/consents_service.h"

#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_reconsent.h"
#include "server/consent/consent_status.h"
#include "server/consent/consent_transitions.h"
#include "server/consent/instruction_refs.h"
#include "server/records/idempotency.h"
#include "server/records/prepared_write.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/service/plugin_checks.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

RecordRevision InstructionSetRow(const ResourceName& name,
                                 const v1::InstructionSet& s) {
  RecordRevision row;
  row.name = s.name();
  row.kind = RecordKind::kInstructionSet;
  row.clinic = name.clinic;
  row.actor = s.published_by();
  row.event_time_us = ProtoTimeToMicros(s.effective_time());
  row.category = s.kind();
  row.revision_id = s.revision_id();
  row.create_time = FromProtoTime(s.publish_time());
  v1::InstructionSet payload = s;
  payload.clear_etag();
  payload.SerializeToString(&row.payload);
  return row;
}

// SupersedeOlderConsents gives every ACTIVE consent of the patient of the
// same kind as `newer`, signed at or before it, a new revision in state
// SUPERSEDED dated at `newer`'s signing: a patient's later decision
// replaces the earlier one. Consents signed after `newer` (a paper consent
// entered late) are left alone, as are revoked, expired and
// entered-in-error ones. A PHOTOGRAPHY consent is replaced per use: it is
// superseded only once `newer` and the consents in force signed between
// them decide every use it covers; until then it stays in force for the
// uses no later consent decides (ConsentStatusAt asks per use).
absl::Status SupersedeOlderConsents(WriteTxn& txn, const ResourceName& patient,
                                    const v1::Consent& newer, absl::Time now) {
  RecordQuery query;
  query.kind = RecordKind::kConsent;
  query.clinic = patient.clinic;
  query.patient = patient.FullName();
  query.category = newer.kind();
  query.exclude_name = newer.name();
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> older,
                       ReadAll<v1::Consent>(txn, query));
  const absl::Time signed_at = FromProtoTime(newer.signed_at());
  // Whether consents signed after `c` up to `newer` decide all its uses.
  const auto decided_later = [&](const v1::Consent& c) {
    std::set<v1::PhotoUse> later;
    for (v1::PhotoUse use : CoveredUses(newer)) later.insert(use);
    for (const v1::Consent& d : older) {
      if (&d == &c ||
          FromProtoTime(d.signed_at()) <= FromProtoTime(c.signed_at()) ||
          !ConsentInForceAt(d, signed_at)) {
        continue;
      }
      for (v1::PhotoUse use : CoveredUses(d)) later.insert(use);
    }
    for (v1::PhotoUse use : CoveredUses(c)) {
      if (later.count(use) == 0) return false;
    }
    return true;
  };
  // Decided on the consents as read, before any of them changes.
  std::vector<v1::Consent*> replaced;
  for (v1::Consent& c : older) {
    v1::Consent effective = c;
    ApplyDerivedState(signed_at, &effective);
    if (effective.state() == v1::CONSENT_STATE_ACTIVE &&
        FromProtoTime(c.signed_at()) <= signed_at && decided_later(c)) {
      replaced.push_back(&c);
    }
  }
  for (v1::Consent* replaced_consent : replaced) {
    v1::Consent& c = *replaced_consent;
    const std::string reason = absl::StrCat(
        "superseded by a newer ", v1::InstructionKind_Name(newer.kind()),
        " consent (", v1::ConsentDecision_Name(newer.decision()),
        ") signed at ", absl::FormatTime(signed_at));
    ConsentTransition superseded;
    superseded.state = v1::CONSENT_STATE_SUPERSEDED;
    superseded.change_time = newer.signed_at();
    superseded.author = newer.recorded_by();
    superseded.reason = reason;
    superseded.amendment_reason = reason;
    MNR_RETURN_IF_ERROR(AppendConsentTransition(txn, now, superseded, &c));
  }
  return absl::OkStatus();
}

}  // namespace

// ---- Instruction sets ----

void ConsentsService::PublishInstructionSet(
    AuditedCall& call, const v1::PublishInstructionSetRequest& r,
    Reply<v1::InstructionSet> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kClinic);
  absl::Status valid = parent.status();
  if (valid.ok()) {
    valid = ValidateId("instruction_set_id", r.instruction_set_id());
  }
  if (valid.ok()) {
    valid = ValidateInstructionSet("instruction_set", r.instruction_set());
  }
  if (valid.ok()) valid = ValidateRequestId("request_id", r.request_id());
  if (!valid.ok()) return std::move(reply)(valid);
  const ResourceName name =
      ChildName(*parent, NameKind::kInstructionSet, r.instruction_set_id());
  OnceKey key{RequestScope(parent->clinic), r.request_id(),
              RequestDigest(call.context().method, r)};
  Planner<v1::InstructionSet> planner =
      [name, &set = r.instruction_set()](
          ReadTxn& txn,
          absl::Time now) -> absl::StatusOr<WritePlan<v1::InstructionSet>> {
    v1::InstructionSet next = set;
    next.set_name(name.FullName());
    next.set_content_sha256(InstructionContentSha256(next));
    next.clear_incomplete_sections();
    for (std::string& section : IncompleteSections(next)) {
      next.add_incomplete_sections(std::move(section));
    }
    absl::StatusOr<v1::InstructionSet> current =
        LoadInstructionSet(txn, next.name(), 0);
    if (!current.ok() && !absl::IsNotFound(current.status())) {
      return current.status();
    }
    WritePlan<v1::InstructionSet> plan;
    plan.name = next.name();
    if (current.ok()) {
      if (current->kind() != next.kind()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "instruction_set.kind: ", next.name(), " holds ",
            v1::InstructionKind_Name(current->kind()),
            " instructions; publish other kinds under another id"));
      }
      if (current->content_sha256() == next.content_sha256()) {
        // The same text again: nothing new to publish.
        plan.revision_id = current->revision_id();
        plan.result = *std::move(current);
        return plan;
      }
    }
    next.set_revision_id(current.ok() ? current->revision_id() + 1 : 1);
    *next.mutable_publish_time() = ToProtoTime(now);
    if (!next.has_effective_time()) {
      *next.mutable_effective_time() = next.publish_time();
    }
    next.clear_etag();
    plan.row = InstructionSetRow(name, next);
    plan.insert = !current.ok();
    plan.revision_id = next.revision_id();
    next.set_etag(EtagFor(next.revision_id()));
    plan.result = std::move(next);
    return plan;
  };
  WriteOnce<v1::InstructionSet>(
      store_, call, clock_, std::move(key), std::move(planner),
      [](ReadTxn& txn, const RequestRecord& first) {
        return LoadInstructionSet(txn, first.name, first.revision_id);
      },
      std::move(reply));
}

absl::StatusOr<v1::InstructionSet> ConsentsService::GetInstructionSet(
    AuditedCall&, const v1::GetInstructionSetRequest& r) {
  MNR_RETURN_IF_ERROR(
      ParseName("name", r.name(), NameKind::kInstructionSet).status());
  MNR_RETURN_IF_ERROR(
      CheckIntRange("revision_id", r.revision_id(), 0, kMaxRevisionId));
  absl::StatusOr<v1::InstructionSet> result;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) {
    result = LoadInstructionSet(txn, r.name(), r.revision_id());
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::ListInstructionSetsResponse>
ConsentsService::ListInstructionSets(AuditedCall&,
                                     const v1::ListInstructionSetsRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kClinic));
  MNR_RETURN_IF_ERROR(
      CheckEnum("kind", r.kind(), v1::InstructionKind_IsValid, false));
  RecordQuery query;
  query.kind = RecordKind::kInstructionSet;
  query.clinic = parent.clinic;
  if (r.kind() != v1::INSTRUCTION_KIND_UNSPECIFIED) query.category = r.kind();
  v1::ListInstructionSetsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(RecordPage<v1::InstructionSet> page,
                         ListRecordPage<v1::InstructionSet>(
                             txn, query, r.page_size(), r.page_token(), r,
                             DecodeInstructionSet));
    MovePage(std::move(page), response.mutable_instruction_sets(),
             response.mutable_next_page_token());
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListInstructionSetRevisionsResponse>
ConsentsService::ListInstructionSetRevisions(
    AuditedCall&, const v1::ListInstructionSetRevisionsRequest& r) {
  MNR_RETURN_IF_ERROR(
      ParseName("name", r.name(), NameKind::kInstructionSet).status());
  v1::ListInstructionSetRevisionsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(RecordPage<v1::InstructionSet> page,
                         ListRevisionPage<v1::InstructionSet>(
                             txn, r.name(), r.page_size(), r.page_token(), r,
                             DecodeInstructionSet));
    MovePage(std::move(page), response.mutable_instruction_sets(),
             response.mutable_next_page_token());
    return absl::OkStatus();
  }));
  return response;
}

// ---- Consents ----

void ConsentsService::RecordConsent(AuditedCall& call,
                                    const v1::RecordConsentRequest& r,
                                    Reply<v1::Consent> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kPatient);
  absl::Status valid = parent.status();
  if (valid.ok()) valid = ValidateConsent("consent", r.consent(), clock_.Now());
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::Consent>(
      store_, call, clock_, r,
      {*parent, "consent_id", r.consent_id(), r.consent(), r.request_id()},
      [this, parent = *parent](ReadTxn& txn, v1::Consent& c,
                               absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(
            RequireLiveParent<v1::Patient>(txn, parent.FullName()).status());
        absl::StatusOr<v1::InstructionSet> resolved = ResolveInstructionRef(
            txn, "consent.instructions", parent.clinic,
            v1::INSTRUCTION_KIND_UNSPECIFIED, c.mutable_instructions());
        if (absl::IsNotFound(resolved.status())) {
          // The state, not the input, is wrong: nothing was published there.
          return absl::FailedPreconditionError(absl::StrCat(
              "consent.instructions: ", resolved.status().message(),
              "; a consent can only be given to a published revision"));
        }
        MNR_ASSIGN_OR_RETURN(const v1::InstructionSet set, std::move(resolved));
        if (set.kind() == v1::INSTRUCTION_KIND_ATTESTATION) {
          return absl::FailedPreconditionError(absl::StrCat(
              "consent.instructions: ", set.name(),
              " is an ATTESTATION text: clinicians attest it when they sign a "
              "session (SignSession); patients do not consent to it"));
        }
        if (set.kind() == v1::INSTRUCTION_KIND_SCREENING) {
          return absl::FailedPreconditionError(absl::StrCat(
              "consent.instructions: ", set.name(),
              " is a SCREENING questionnaire: record the patient's answers "
              "with RecordScreening; it is not consented to"));
        }
        c.set_kind(set.kind());
        // Photo uses are for PHOTOGRAPHY consents only; now the kind is
        // known.
        MNR_RETURN_IF_ERROR(ValidateConsent("consent", c, now));
        c.set_state(v1::CONSENT_STATE_ACTIVE);
        c.clear_state_history();
        v1::ConsentStateChange* change = c.add_state_history();
        change->set_state(v1::CONSENT_STATE_ACTIVE);
        // In force from signing; the revision's create_time says when it
        // was recorded.
        *change->mutable_change_time() = c.signed_at();
        change->set_author(c.recorded_by());
        change->set_reason(c.decision() == v1::CONSENT_DECISION_GRANTED
                               ? "granted"
                               : "refused");
        change->set_revision_id(1);
        return CheckConsentWithPlugins(plugins_, txn, parent.clinic,
                                       parent.FullName(), c);
      },
      [parent = *parent](WriteTxn& txn, const v1::Consent& c, absl::Time now) {
        return SupersedeOlderConsents(txn, parent, c, now);
      },
      [this,
       reply = std::move(reply)](absl::StatusOr<v1::Consent> consent) mutable {
        if (consent.ok()) {
          plugins_.NotifyConsent(*consent);
          ApplyDerivedState(clock_.Now(), &*consent);
        }
        std::move(reply)(std::move(consent));
      });
}

absl::StatusOr<v1::Consent> ConsentsService::GetConsent(
    AuditedCall&, const v1::GetConsentRequest& r) {
  absl::StatusOr<v1::Consent> consent =
      GetRecord<v1::Consent>(store_, r.name(), r.revision_id());
  if (!consent.ok()) return consent;
  ApplyDerivedState(clock_.Now(), &*consent);
  MNR_RETURN_IF_ERROR(store_.Read(
      [&](ReadTxn& txn) { return ApplyReconsent(txn, &*consent).status(); }));
  return consent;
}

absl::StatusOr<v1::ListConsentsResponse> ConsentsService::ListConsents(
    AuditedCall&, const v1::ListConsentsRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kPatient, /*wildcards=*/true));
  MNR_RETURN_IF_ERROR(
      CheckEnum("kind", r.kind(), v1::InstructionKind_IsValid, false));
  MNR_RETURN_IF_ERROR(
      CheckTime("signed_after", r.has_signed_after(), r.signed_after(), false));
  MNR_RETURN_IF_ERROR(CheckTime("signed_before", r.has_signed_before(),
                                r.signed_before(), false));
  RecordQuery query;
  query.kind = RecordKind::kConsent;
  query.clinic = parent.clinic;
  query.patient = parent.PatientName();
  if (r.kind() != v1::INSTRUCTION_KIND_UNSPECIFIED) query.category = r.kind();
  if (r.has_signed_after()) {
    query.event_time_from_us = ProtoTimeToMicros(r.signed_after());
  }
  if (r.has_signed_before()) {
    query.event_time_to_us = ProtoTimeToMicros(r.signed_before());
  }
  const absl::Time now = clock_.Now();
  v1::ListConsentsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(RecordPage<v1::Consent> page,
                         ListRecordPage<v1::Consent>(txn, query, r.page_size(),
                                                     r.page_token(), r));
    for (v1::Consent& c : page.items) {
      ApplyDerivedState(now, &c);
      MNR_RETURN_IF_ERROR(ApplyReconsent(txn, &c).status());
    }
    MovePage(std::move(page), response.mutable_consents(),
             response.mutable_next_page_token());
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace mnrecords

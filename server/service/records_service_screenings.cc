// TreatmentRecords: contraindication screenings (RecordScreening,
// GetScreening, ListScreenings, AmendScreening). A screening answers one
// exact revision of the clinic's SCREENING questionnaire: the reference is
// resolved (and its hash checked or filled) and every question must be
// answered once, when it is recorded and when it is amended.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/consent/instruction_refs.h"
#include "server/consent/screening_answers.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/records/record_traits.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// ResolveQuestionnaire points `s` at its published SCREENING revision and
// checks the answers against its questions.
absl::Status ResolveQuestionnaire(ReadTxn& txn, absl::string_view clinic,
                                  v1::Screening& s) {
  absl::StatusOr<v1::InstructionSet> questionnaire = ResolveInstructionRef(
      txn, "screening.questionnaire", clinic, v1::INSTRUCTION_KIND_SCREENING,
      s.mutable_questionnaire());
  if (absl::IsNotFound(questionnaire.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "screening.questionnaire: ", questionnaire.status().message(),
        "; publish the clinic's SCREENING questionnaire first"));
  }
  MNR_RETURN_IF_ERROR(questionnaire.status());
  return CheckScreeningAnswers("screening", *questionnaire, s);
}

absl::Status CheckScreeningStatus(const v1::Screening& s,
                                  const v1::Amendment* amendment) {
  return CheckEnteredInErrorStatus(
      "screening.status", s.status() == v1::SCREENING_STATUS_ENTERED_IN_ERROR,
      amendment);
}

}  // namespace

void RecordsService::RecordScreening(AuditedCall& call,
                                     const v1::RecordScreeningRequest& r,
                                     Reply<v1::Screening> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kPatient);
  absl::Status valid = parent.status();
  if (valid.ok()) {
    valid = ValidateScreening("screening", r.screening(), clock_.Now());
  }
  if (valid.ok()) valid = CheckScreeningStatus(r.screening(), nullptr);
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::Screening>(
      store_, call, clock_, r,
      {*parent, "screening_id", r.screening_id(), r.screening(),
       r.request_id()},
      [parent = *parent](ReadTxn& txn, v1::Screening& s,
                         absl::Time) -> absl::Status {
        MNR_RETURN_IF_ERROR(
            RequireLiveParent<v1::Patient>(txn, parent.FullName()).status());
        if (s.status() == v1::SCREENING_STATUS_UNSPECIFIED) {
          s.set_status(v1::SCREENING_STATUS_COMPLETED);
        }
        return ResolveQuestionnaire(txn, parent.clinic, s);
      },
      nullptr, std::move(reply));
}

absl::StatusOr<v1::Screening> RecordsService::GetScreening(
    AuditedCall&, const v1::GetScreeningRequest& r) {
  return GetRecord<v1::Screening>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListScreeningsResponse> RecordsService::ListScreenings(
    AuditedCall&, const v1::ListScreeningsRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kPatient, /*wildcards=*/true));
  RecordQuery query;
  query.kind = RecordKind::kScreening;
  query.clinic = parent.clinic;
  query.patient = parent.PatientName();  // "" for patients/-
  v1::ListScreeningsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_screenings(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendScreening(AuditedCall& call,
                                    const v1::AmendScreeningRequest& r,
                                    Reply<v1::Screening> reply) {
  AmendRecordOnce<v1::Screening>(
      store_, call, clock_, r,
      {r.screening(), r.update_mask(), r.etag(), r.amendment(), r.request_id()},
      [amendment = r.amendment()](ReadTxn& txn, const v1::Screening&,
                                  v1::Screening& merged,
                                  absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidateScreening("screening", merged, now));
        MNR_RETURN_IF_ERROR(CheckScreeningStatus(merged, &amendment));
        MNR_ASSIGN_OR_RETURN(
            const ResourceName name,
            ParseName("screening.name", merged.name(), NameKind::kScreening));
        return ResolveQuestionnaire(txn, name.clinic, merged);
      },
      std::move(reply));
}

}  // namespace mnrecords

// TreatmentRecords: outcome assessments of a course (RecordOutcomeAssessment,
// GetOutcomeAssessment, ListOutcomeAssessments, AmendOutcomeAssessment).
// An assessment rates the course on one published scale; what it refers to
// (its course, the session it was rated at, the photos it was judged on)
// must exist, and the scale's label of the score is stored with it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/records/record_traits.h"
#include "server/service/records_service.h"
#include "server/validation/outcome_scales.h"
#include "server/validation/resource_names.h"

namespace mnrecords {
namespace {

// CheckReferences completes `a` (default status, score label) and checks
// what it refers to against the store: a live course whose indications
// suit the scale, a session and photos that exist and were not entered in
// error.
absl::Status CheckReferences(ReadTxn& txn, const std::string& course_name,
                             v1::OutcomeAssessment& a) {
  MNR_ASSIGN_OR_RETURN(
      const v1::TreatmentCourse course,
      RequireLiveParent<v1::TreatmentCourse>(txn, course_name));
  if (a.scale() == v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE &&
      std::find(course.indications().begin(), course.indications().end(),
                v1::INDICATION_ACNE_SCARS) == course.indications().end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "assessment.scale: Goodman and Baron's grade rates acne scarring, "
        "and ",
        course_name, " does not treat INDICATION_ACNE_SCARS"));
  }
  if (!a.session().empty()) {
    absl::StatusOr<v1::TreatmentSession> session =
        LoadRecord<v1::TreatmentSession>(txn, a.session(), 0);
    if (absl::IsNotFound(session.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("assessment.session: ", a.session(), " does not exist"));
    }
    MNR_RETURN_IF_ERROR(session.status());
    if (session->status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) {
      return absl::FailedPreconditionError(absl::StrCat(
          "assessment.session: ", a.session(), " was entered in error"));
    }
  }
  for (int i = 0; i < a.photos_size(); ++i) {
    absl::StatusOr<v1::OutcomePhoto> photo =
        LoadRecord<v1::OutcomePhoto>(txn, a.photos(i), 0);
    if (absl::IsNotFound(photo.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "assessment.photos[", i, "]: ", a.photos(i), " does not exist"));
    }
    MNR_RETURN_IF_ERROR(photo.status());
    if (IsEnteredInError(*photo)) {
      return absl::FailedPreconditionError(
          absl::StrCat("assessment.photos[", i, "]: ", a.photos(i),
                       " was entered in error"));
    }
  }
  if (a.status() == v1::OUTCOME_ASSESSMENT_STATUS_UNSPECIFIED) {
    a.set_status(v1::OUTCOME_ASSESSMENT_STATUS_FINAL);
  }
  a.set_score_label(OutcomeScoreLabel(a.scale(), a.score()));
  return absl::OkStatus();
}

absl::Status CheckAssessmentStatus(const v1::OutcomeAssessment& a,
                                   const v1::Amendment* amendment) {
  return CheckEnteredInErrorStatus(
      "assessment.status",
      a.status() == v1::OUTCOME_ASSESSMENT_STATUS_ENTERED_IN_ERROR, amendment);
}

}  // namespace

void RecordsService::RecordOutcomeAssessment(
    AuditedCall& call, const v1::RecordOutcomeAssessmentRequest& r,
    Reply<v1::OutcomeAssessment> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kCourse);
  absl::Status valid = parent.status();
  if (valid.ok()) {
    valid = ValidateOutcomeAssessment("assessment", r.assessment(),
                                      parent->FullName(), clock_.Now());
  }
  if (valid.ok()) valid = CheckAssessmentStatus(r.assessment(), nullptr);
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::OutcomeAssessment>(
      store_, call, clock_, r,
      {*parent, "assessment_id", r.assessment_id(), r.assessment(),
       r.request_id()},
      [course = parent->FullName()](ReadTxn& txn, v1::OutcomeAssessment& a,
                                    absl::Time) {
        return CheckReferences(txn, course, a);
      },
      nullptr, std::move(reply));
}

absl::StatusOr<v1::OutcomeAssessment> RecordsService::GetOutcomeAssessment(
    AuditedCall&, const v1::GetOutcomeAssessmentRequest& r) {
  return GetRecord<v1::OutcomeAssessment>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListOutcomeAssessmentsResponse>
RecordsService::ListOutcomeAssessments(
    AuditedCall&, const v1::ListOutcomeAssessmentsRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kCourse, /*wildcards=*/true));
  RecordQuery query = QueryUnder(parent, RecordKind::kOutcomeAssessment);
  v1::ListOutcomeAssessmentsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_assessments(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendOutcomeAssessment(
    AuditedCall& call, const v1::AmendOutcomeAssessmentRequest& r,
    Reply<v1::OutcomeAssessment> reply) {
  AmendRecordOnce<v1::OutcomeAssessment>(
      store_, call, clock_, r,
      {r.assessment(), r.update_mask(), r.etag(), r.amendment(),
       r.request_id()},
      [amendment = r.amendment()](ReadTxn& txn, const v1::OutcomeAssessment&,
                                  v1::OutcomeAssessment& merged,
                                  absl::Time now) -> absl::Status {
        MNR_ASSIGN_OR_RETURN(const ResourceName name,
                             ParseName("assessment.name", merged.name(),
                                       NameKind::kOutcomeAssessment));
        MNR_RETURN_IF_ERROR(ValidateOutcomeAssessment("assessment", merged,
                                                      name.CourseName(), now));
        MNR_RETURN_IF_ERROR(CheckAssessmentStatus(merged, &amendment));
        return CheckReferences(txn, name.CourseName(), merged);
      },
      std::move(reply));
}

}  // namespace mnrecords

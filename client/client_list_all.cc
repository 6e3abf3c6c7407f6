// RecordsClient::ListAll*: every page of each List call.
#include <utility>

#include "client/client.h"
#include "client/list_all.h"

namespace mnrecords {

// ---- ListAll* ----

absl::StatusOr<std::vector<v1::Patient>> RecordsClient::ListAllPatients(
    v1::ListPatientsRequest request, CallOptions options) const {
  return ListAllPages<v1::Patient>(
      std::move(request),
      [&](const v1::ListPatientsRequest& r) {
        return ListPatients(r, options);
      },
      [](v1::ListPatientsResponse& r) { return r.mutable_patients(); });
}
absl::StatusOr<std::vector<v1::TreatmentCourse>> RecordsClient::ListAllCourses(
    v1::ListCoursesRequest request, CallOptions options) const {
  return ListAllPages<v1::TreatmentCourse>(
      std::move(request),
      [&](const v1::ListCoursesRequest& r) { return ListCourses(r, options); },
      [](v1::ListCoursesResponse& r) { return r.mutable_courses(); });
}
absl::StatusOr<std::vector<v1::TreatmentSession>>
RecordsClient::ListAllSessions(v1::ListSessionsRequest request,
                               CallOptions options) const {
  return ListAllPages<v1::TreatmentSession>(
      std::move(request),
      [&](const v1::ListSessionsRequest& r) {
        return ListSessions(r, options);
      },
      [](v1::ListSessionsResponse& r) { return r.mutable_sessions(); });
}
absl::StatusOr<std::vector<v1::DueSession>> RecordsClient::ListAllDueSessions(
    v1::ListDueSessionsRequest request, CallOptions options) const {
  return ListAllPages<v1::DueSession>(
      std::move(request),
      [&](const v1::ListDueSessionsRequest& r) {
        return ListDueSessions(r, options);
      },
      [](v1::ListDueSessionsResponse& r) { return r.mutable_due_sessions(); });
}
absl::StatusOr<std::vector<v1::OutcomePhoto>> RecordsClient::ListAllPhotos(
    v1::ListPhotosRequest request, CallOptions options) const {
  return ListAllPages<v1::OutcomePhoto>(
      std::move(request),
      [&](const v1::ListPhotosRequest& r) { return ListPhotos(r, options); },
      [](v1::ListPhotosResponse& r) { return r.mutable_photos(); });
}
absl::StatusOr<std::vector<v1::RevisionInfo>> RecordsClient::ListAllRevisions(
    v1::ListRevisionsRequest request, CallOptions options) const {
  return ListAllPages<v1::RevisionInfo>(
      std::move(request),
      [&](const v1::ListRevisionsRequest& r) {
        return ListRevisions(r, options);
      },
      [](v1::ListRevisionsResponse& r) { return r.mutable_revisions(); });
}
absl::StatusOr<std::vector<v1::InstructionSet>>
RecordsClient::ListAllInstructionSets(v1::ListInstructionSetsRequest request,
                                      CallOptions options) const {
  return ListAllPages<v1::InstructionSet>(
      std::move(request),
      [&](const v1::ListInstructionSetsRequest& r) {
        return ListInstructionSets(r, options);
      },
      [](v1::ListInstructionSetsResponse& r) {
        return r.mutable_instruction_sets();
      });
}
absl::StatusOr<std::vector<v1::Screening>> RecordsClient::ListAllScreenings(
    v1::ListScreeningsRequest request, CallOptions options) const {
  return ListAllPages<v1::Screening>(
      std::move(request),
      [&](const v1::ListScreeningsRequest& r) {
        return ListScreenings(r, options);
      },
      [](v1::ListScreeningsResponse& r) { return r.mutable_screenings(); });
}
absl::StatusOr<std::vector<v1::OutcomeAssessment>>
RecordsClient::ListAllOutcomeAssessments(
    v1::ListOutcomeAssessmentsRequest request, CallOptions options) const {
  return ListAllPages<v1::OutcomeAssessment>(
      std::move(request),
      [&](const v1::ListOutcomeAssessmentsRequest& r) {
        return ListOutcomeAssessments(r, options);
      },
      [](v1::ListOutcomeAssessmentsResponse& r) {
        return r.mutable_assessments();
      });
}
absl::StatusOr<std::vector<v1::SessionSignature>>
RecordsClient::ListAllSessionSignatures(
    v1::ListSessionSignaturesRequest request, CallOptions options) const {
  return ListAllPages<v1::SessionSignature>(
      std::move(request),
      [&](const v1::ListSessionSignaturesRequest& r) {
        return ListSessionSignatures(r, options);
      },
      [](v1::ListSessionSignaturesResponse& r) {
        return r.mutable_signatures();
      });
}
absl::StatusOr<std::vector<v1::PhotoRelease>>
RecordsClient::ListAllPhotoReleases(v1::ListPhotoReleasesRequest request,
                                    CallOptions options) const {
  return ListAllPages<v1::PhotoRelease>(
      std::move(request),
      [&](const v1::ListPhotoReleasesRequest& r) {
        return ListPhotoReleases(r, options);
      },
      [](v1::ListPhotoReleasesResponse& r) { return r.mutable_releases(); });
}
absl::StatusOr<std::vector<v1::PluginSettings>>
RecordsClient::ListAllPluginSettingsRevisions(
    v1::ListPluginSettingsRevisionsRequest request, CallOptions options) const {
  return ListAllPages<v1::PluginSettings>(
      std::move(request),
      [&](const v1::ListPluginSettingsRevisionsRequest& r) {
        return ListPluginSettingsRevisions(r, options);
      },
      [](v1::ListPluginSettingsRevisionsResponse& r) {
        return r.mutable_settings();
      });
}
absl::StatusOr<std::vector<v1::InstructionSet>>
RecordsClient::ListAllInstructionSetRevisions(
    v1::ListInstructionSetRevisionsRequest request, CallOptions options) const {
  return ListAllPages<v1::InstructionSet>(
      std::move(request),
      [&](const v1::ListInstructionSetRevisionsRequest& r) {
        return ListInstructionSetRevisions(r, options);
      },
      [](v1::ListInstructionSetRevisionsResponse& r) {
        return r.mutable_instruction_sets();
      });
}
absl::StatusOr<std::vector<v1::Consent>> RecordsClient::ListAllConsents(
    v1::ListConsentsRequest request, CallOptions options) const {
  return ListAllPages<v1::Consent>(
      std::move(request),
      [&](const v1::ListConsentsRequest& r) {
        return ListConsents(r, options);
      },
      [](v1::ListConsentsResponse& r) { return r.mutable_consents(); });
}

absl::StatusOr<std::vector<v1::Consent>> RecordsClient::ListAllConsentHistory(
    v1::ListConsentHistoryRequest request, CallOptions options) const {
  return ListAllPages<v1::Consent>(
      std::move(request),
      [&](const v1::ListConsentHistoryRequest& r) {
        return ListConsentHistory(r, options);
      },
      [](v1::ListConsentHistoryResponse& r) { return r.mutable_revisions(); });
}

absl::StatusOr<std::vector<v1::AuditEvent>> RecordsClient::ListAllAuditEvents(
    v1::ListAuditEventsRequest request, CallOptions options) const {
  return ListAllPages<v1::AuditEvent>(
      std::move(request),
      [&](const v1::ListAuditEventsRequest& r) {
        return ListAuditEvents(r, options);
      },
      [](v1::ListAuditEventsResponse& r) { return r.mutable_audit_events(); });
}

}  // namespace mnrecords

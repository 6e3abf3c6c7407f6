// RecordsService implements the TreatmentRecords API as a plain C++ class:
// each method validates its request and answers with the response or an
// absl::Status (INVALID_ARGUMENT naming the field, NOT_FOUND naming the
// resource, FAILED_PRECONDITION when the stored state rejects valid input,
// ABORTED on a stale etag). Reads run one store read and return the
// answer. Writes plan on a snapshot and answer through `reply` once the
// write is durable (server/records/prepared_write.h): they never wait for
// the store's writer. The gRPC layer (server/grpc) only forwards to it, so
// tests can drive it directly (Await, server/records/reply.h).
//
// Thread safety: all methods may be called concurrently. The request and
// the call must outlive the reply.
#ifndef MNRECORDS_SERVER_SERVICE_RECORDS_SERVICE_H_
#define MNRECORDS_SERVER_SERVICE_RECORDS_SERVICE_H_

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "common/clock.h"
#include "plugins/api/exporter.h"
#include "plugins/api/plugin_host.h"
#include "server/audit/audited_call.h"
#include "server/records/reply.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

class RecordsService {
 public:
  // `store`, `clock`, `plugins` and `exporters` must outlive the service.
  // `plugins` checks records before they are stored (nullptr = no plugins);
  // `exporters` are the formats ExportPatientRecord offers (nullptr = none).
  RecordsService(Store& store, const Clock& clock,
                 const plugins::PluginHost* plugins = nullptr,
                 const plugins::ExporterRegistry* exporters = nullptr)
      : store_(store),
        clock_(clock),
        plugins_(plugins != nullptr ? *plugins : plugins::PluginHost::None()),
        exporters_(exporters) {}

  void CreatePatient(AuditedCall& call, const v1::CreatePatientRequest& r,
                     Reply<v1::Patient> reply);
  absl::StatusOr<v1::Patient> GetPatient(AuditedCall& call,
                                         const v1::GetPatientRequest& r);
  absl::StatusOr<v1::ListPatientsResponse> ListPatients(
      AuditedCall& call, const v1::ListPatientsRequest& r);
  void AmendPatient(AuditedCall& call, const v1::AmendPatientRequest& r,
                    Reply<v1::Patient> reply);

  void CreateCourse(AuditedCall& call, const v1::CreateCourseRequest& r,
                    Reply<v1::TreatmentCourse> reply);
  absl::StatusOr<v1::TreatmentCourse> GetCourse(AuditedCall& call,
                                                const v1::GetCourseRequest& r);
  absl::StatusOr<v1::ListCoursesResponse> ListCourses(
      AuditedCall& call, const v1::ListCoursesRequest& r);
  void AmendCourse(AuditedCall& call, const v1::AmendCourseRequest& r,
                   Reply<v1::TreatmentCourse> reply);
  absl::StatusOr<v1::CourseSummary> GetCourseSummary(
      AuditedCall& call, const v1::GetCourseSummaryRequest& r);
  // ListDueSessions lists the clinic's open courses whose next session
  // window overlaps the period asked about, by due date
  // (records_service_due.cc).
  absl::StatusOr<v1::ListDueSessionsResponse> ListDueSessions(
      AuditedCall& call, const v1::ListDueSessionsRequest& r);

  void LogSession(AuditedCall& call, const v1::LogSessionRequest& r,
                  Reply<v1::TreatmentSession> reply);
  absl::StatusOr<v1::TreatmentSession> GetSession(
      AuditedCall& call, const v1::GetSessionRequest& r);
  absl::StatusOr<v1::ListSessionsResponse> ListSessions(
      AuditedCall& call, const v1::ListSessionsRequest& r);
  void AmendSession(AuditedCall& call, const v1::AmendSessionRequest& r,
                    Reply<v1::TreatmentSession> reply);

  void CreatePhoto(AuditedCall& call, const v1::CreatePhotoRequest& r,
                   Reply<v1::OutcomePhoto> reply);
  absl::StatusOr<v1::OutcomePhoto> GetPhoto(AuditedCall& call,
                                            const v1::GetPhotoRequest& r);
  absl::StatusOr<v1::ListPhotosResponse> ListPhotos(
      AuditedCall& call, const v1::ListPhotosRequest& r);
  void AmendPhoto(AuditedCall& call, const v1::AmendPhotoRequest& r,
                  Reply<v1::OutcomePhoto> reply);

  // PairCoursePhotos pairs the course's BASELINE and FOLLOW_UP photos by
  // view, body area and laterality (server/photo_pairing.h).
  absl::StatusOr<v1::PairCoursePhotosResponse> PairCoursePhotos(
      AuditedCall& call, const v1::PairCoursePhotosRequest& r);

  // RecordScreening stores a patient's answers to a revision of the
  // clinic's SCREENING questionnaire (every question answered once);
  // AmendScreening corrects them (or marks them entered in error).
  void RecordScreening(AuditedCall& call, const v1::RecordScreeningRequest& r,
                       Reply<v1::Screening> reply);
  absl::StatusOr<v1::Screening> GetScreening(AuditedCall& call,
                                             const v1::GetScreeningRequest& r);
  absl::StatusOr<v1::ListScreeningsResponse> ListScreenings(
      AuditedCall& call, const v1::ListScreeningsRequest& r);
  void AmendScreening(AuditedCall& call, const v1::AmendScreeningRequest& r,
                      Reply<v1::Screening> reply);

  // RecordOutcomeAssessment stores a rating of a course on a published
  // scale (outcome_scales.h); the course, the session and the photos it
  // names must exist. AmendOutcomeAssessment corrects it (or marks it
  // entered in error).
  void RecordOutcomeAssessment(AuditedCall& call,
                               const v1::RecordOutcomeAssessmentRequest& r,
                               Reply<v1::OutcomeAssessment> reply);
  absl::StatusOr<v1::OutcomeAssessment> GetOutcomeAssessment(
      AuditedCall& call, const v1::GetOutcomeAssessmentRequest& r);
  absl::StatusOr<v1::ListOutcomeAssessmentsResponse> ListOutcomeAssessments(
      AuditedCall& call, const v1::ListOutcomeAssessmentsRequest& r);
  void AmendOutcomeAssessment(AuditedCall& call,
                              const v1::AmendOutcomeAssessmentRequest& r,
                              Reply<v1::OutcomeAssessment> reply);

  // ReleasePhoto records a use of a photo beyond taking it, refused with
  // FAILED_PRECONDITION unless the PHOTOGRAPHY consent in force at
  // released_at grants the purpose (photo_use.h). ListPhotoReleases lists a
  // photo's releases; CheckPhotoUse says which uses are allowed at a time.
  void ReleasePhoto(AuditedCall& call, const v1::ReleasePhotoRequest& r,
                    Reply<v1::PhotoRelease> reply);
  absl::StatusOr<v1::ListPhotoReleasesResponse> ListPhotoReleases(
      AuditedCall& call, const v1::ListPhotoReleasesRequest& r);
  absl::StatusOr<v1::CheckPhotoUseResponse> CheckPhotoUse(
      AuditedCall& call, const v1::CheckPhotoUseRequest& r);

  // SignSession signs the current revision of a session in the caller's
  // name (sign-off: records_service_signoff.cc): as its author when the
  // caller is the session's clinician, as co-signer when the caller may
  // co-sign; PERMISSION_DENIED otherwise. ListUnsignedSessions lists the
  // clinic's sessions past the signature window that are not signed (or
  // await their co-signature).
  void SignSession(AuditedCall& call, const v1::SignSessionRequest& r,
                   Reply<v1::SessionSignature> reply);
  absl::StatusOr<v1::ListSessionSignaturesResponse> ListSessionSignatures(
      AuditedCall& call, const v1::ListSessionSignaturesRequest& r);
  absl::StatusOr<v1::ListUnsignedSessionsResponse> ListUnsignedSessions(
      AuditedCall& call, const v1::ListUnsignedSessionsRequest& r);

  // How long a session may stay unsigned after performed_at before it is
  // reported (72 hours unless set; the server config's
  // signature_window_hours). Set before serving.
  void set_signature_window(absl::Duration window) {
    signature_window_ = window;
  }

  absl::StatusOr<v1::ListRevisionsResponse> ListRevisions(
      AuditedCall& call, const v1::ListRevisionsRequest& r);

  // PublishPluginSettings stores the next revision of a clinic's settings of
  // an enabled plugin (unless they equal the current one), with every
  // setting's value fixed in effective_params. GetPluginSettings reads a
  // revision, or revision 0 (the config's settings) for a clinic that has
  // published none; ListPluginSettingsRevisions lists them, oldest first.
  void PublishPluginSettings(AuditedCall& call,
                             const v1::PublishPluginSettingsRequest& r,
                             Reply<v1::PluginSettings> reply);
  absl::StatusOr<v1::PluginSettings> GetPluginSettings(
      AuditedCall& call, const v1::GetPluginSettingsRequest& r);
  absl::StatusOr<v1::ListPluginSettingsRevisionsResponse>
  ListPluginSettingsRevisions(AuditedCall& call,
                              const v1::ListPluginSettingsRevisionsRequest& r);

  // ExportPatientRecord exports the patient's records (or one course of
  // the patient) in `format`, read in one transaction
  // (docs/fhir-mapping.md). INVALID_ARGUMENT for an unknown format or a
  // course of another patient; NOT_FOUND for a missing patient or course.
  absl::StatusOr<v1::ExportPatientRecordResponse> ExportPatientRecord(
      AuditedCall& call, const v1::ExportPatientRecordRequest& r);

 private:
  Store& store_;
  const Clock& clock_;
  const plugins::PluginHost& plugins_;
  const plugins::ExporterRegistry* exporters_;
  absl::Duration signature_window_ = absl::Hours(72);
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_RECORDS_SERVICE_H_

// RecordsClient: the C++ client of the mnrecords TreatmentRecords, Consents,
// Audit, Admin and ChangeFeed services. Start here.
//
//   #include "client/client.h"
//
//   mnrecords::ClientOptions options;
//   options.target = "localhost:50051";
//   auto client = mnrecords::RecordsClient::Create(options);
//   if (!client.ok()) return client.status();
//   mnrecords::v1::ListPatientsRequest request;
//   request.set_parent("clinics/c1");
//   auto patients = client->ListAllPatients(request);
#ifndef MNRECORDS_CLIENT_CLIENT_H_
#define MNRECORDS_CLIENT_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/client_options.h"
#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "grpcpp/channel.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

namespace internal {
struct Connection;
}  // namespace internal

class ChangeFeed;

// RecordsClient makes typed calls to the TreatmentRecords and Consents
// services. Every call returns absl::StatusOr with the server's gRPC status
// code and message (INVALID_ARGUMENT naming the field, NOT_FOUND, ABORTED on
// a stale etag, FAILED_PRECONDITION, PERMISSION_DENIED, ...); nothing
// throws.
//
// Writes (Create*, LogSession, Amend*, PublishInstructionSet,
// PublishPluginSettings, RecordConsent,
// RevokeConsent): if the request's request_id is empty the client sets a
// fresh UUIDv4 before the first attempt; a request_id you set is kept. Every
// attempt of one call sends the same request_id, and the server answers a
// repeated request_id with the first result, so retries never duplicate a
// record.
//
// Retries: a call that fails with UNAVAILABLE is tried again, up to
// ClientOptions::max_attempts attempts in all, with exponential backoff and
// jitter, while the call's deadline allows. No other code is retried:
// DEADLINE_EXCEEDED in particular is returned as is, because a write may
// have been applied before the deadline ran out; set request_id yourself
// (MakeRequestId() in client/request_id.h) if you want to send such a write
// again and receive its first result.
//
// Deadlines: each call has one deadline, now + CallOptions::timeout (else
// ClientOptions::default_timeout); every attempt runs in a fresh
// grpc::ClientContext with that deadline.
//
// Performance: creating a client opens a channel; copies share it (and the
// stubs), so copy clients freely instead of creating new ones. The channel
// connects lazily on the first call and reconnects by itself. Each call is
// one blocking unary RPC per attempt; ListAll* make one RPC per page.
//
// Thread Safety: a RecordsClient is immutable after creation; any number of
// threads may call any method on one instance or on its copies at once.
class RecordsClient {
 public:
  // Create returns a client for options.target, or INVALID_ARGUMENT if the
  // options are unusable (empty target, max_attempts < 1, a non-positive
  // timeout or backoff, a bearer token that is not printable ASCII). It
  // does not contact the server.
  static absl::StatusOr<RecordsClient> Create(ClientOptions options);

  // CreateForChannel returns a client over an existing channel, e.g. an
  // in-process one; options.target and options.credentials are ignored.
  static absl::StatusOr<RecordsClient> CreateForChannel(
      std::shared_ptr<grpc::Channel> channel, ClientOptions options);

  // ---- TreatmentRecords: patients ----
  // In every group below, Create*/LogSession/Amend* are writes (request_id
  // filled if empty, see above) and Get*/List* are reads. Get* with
  // revision_id 0 reads the current revision, else that revision. Amend*
  // needs the etag of the revision it amends (stale: ABORTED), an
  // update_mask and an amendment (kind, reason, author).

  // CreatePatient creates a patient under request.parent (clinics/{c}).
  absl::StatusOr<v1::Patient> CreatePatient(
      const v1::CreatePatientRequest& request, CallOptions options = {}) const;
  // GetPatient reads request.name (clinics/{c}/patients/{p}).
  absl::StatusOr<v1::Patient> GetPatient(const v1::GetPatientRequest& request,
                                         CallOptions options = {}) const;
  // ListPatients returns one page of a clinic's patients.
  absl::StatusOr<v1::ListPatientsResponse> ListPatients(
      const v1::ListPatientsRequest& request, CallOptions options = {}) const;
  // AmendPatient writes a new revision of request.patient.name.
  absl::StatusOr<v1::Patient> AmendPatient(
      const v1::AmendPatientRequest& request, CallOptions options = {}) const;

  // ---- TreatmentRecords: courses ----
  // CreateCourse creates a course under a patient.
  absl::StatusOr<v1::TreatmentCourse> CreateCourse(
      const v1::CreateCourseRequest& request, CallOptions options = {}) const;
  // GetCourse reads a course (or one of its revisions).
  absl::StatusOr<v1::TreatmentCourse> GetCourse(
      const v1::GetCourseRequest& request, CallOptions options = {}) const;
  // ListCourses returns one page of a patient's (or with patients/-, a
  // clinic's) courses.
  absl::StatusOr<v1::ListCoursesResponse> ListCourses(
      const v1::ListCoursesRequest& request, CallOptions options = {}) const;
  // AmendCourse writes a new revision of a course.
  absl::StatusOr<v1::TreatmentCourse> AmendCourse(
      const v1::AmendCourseRequest& request, CallOptions options = {}) const;
  // GetCourseSummary computes sessions done vs planned, the next session
  // window and the consent coverage of a course.
  absl::StatusOr<v1::CourseSummary> GetCourseSummary(
      const v1::GetCourseSummaryRequest& request,
      CallOptions options = {}) const;
  // ListDueSessions returns one page of a clinic's recall list: open
  // courses whose next session window overlaps [start_time, end_time), by
  // due date.
  absl::StatusOr<v1::ListDueSessionsResponse> ListDueSessions(
      const v1::ListDueSessionsRequest& request,
      CallOptions options = {}) const;

  // ---- TreatmentRecords: sessions ----
  // LogSession records a session performed within a course.
  absl::StatusOr<v1::TreatmentSession> LogSession(
      const v1::LogSessionRequest& request, CallOptions options = {}) const;
  // GetSession reads a session (or one of its revisions).
  absl::StatusOr<v1::TreatmentSession> GetSession(
      const v1::GetSessionRequest& request, CallOptions options = {}) const;
  // ListSessions returns one page of a course's sessions ("-" wildcards
  // for courses and patients).
  absl::StatusOr<v1::ListSessionsResponse> ListSessions(
      const v1::ListSessionsRequest& request, CallOptions options = {}) const;
  // AmendSession writes a new revision of a session.
  absl::StatusOr<v1::TreatmentSession> AmendSession(
      const v1::AmendSessionRequest& request, CallOptions options = {}) const;

  // ---- TreatmentRecords: outcome photos ----
  // CreatePhoto records a photo's metadata under a session; the server
  // requires an active PHOTOGRAPHY consent (else FAILED_PRECONDITION).
  absl::StatusOr<v1::OutcomePhoto> CreatePhoto(
      const v1::CreatePhotoRequest& request, CallOptions options = {}) const;
  // GetPhoto reads a photo's metadata (or one of its revisions).
  absl::StatusOr<v1::OutcomePhoto> GetPhoto(const v1::GetPhotoRequest& request,
                                            CallOptions options = {}) const;
  // ListPhotos returns one page of a session's photos.
  absl::StatusOr<v1::ListPhotosResponse> ListPhotos(
      const v1::ListPhotosRequest& request, CallOptions options = {}) const;
  // AmendPhoto writes a new revision of a photo's metadata.
  absl::StatusOr<v1::OutcomePhoto> AmendPhoto(
      const v1::AmendPhotoRequest& request, CallOptions options = {}) const;
  // PairCoursePhotos returns a course's baseline/follow-up photo pairs by
  // view and body site, and the views that have only one of the two.
  absl::StatusOr<v1::PairCoursePhotosResponse> PairCoursePhotos(
      const v1::PairCoursePhotosRequest& request,
      CallOptions options = {}) const;

  // ---- TreatmentRecords: revisions of any record ----
  // ListRevisions returns one page of the revisions of any patient, course,
  // session, photo or consent, oldest first.
  absl::StatusOr<v1::ListRevisionsResponse> ListRevisions(
      const v1::ListRevisionsRequest& request, CallOptions options = {}) const;

  // ---- TreatmentRecords: export ----
  // ExportPatientRecord exports a patient's records (or one course) in a
  // format such as "fhir-r4" (a read).
  absl::StatusOr<v1::ExportPatientRecordResponse> ExportPatientRecord(
      const v1::ExportPatientRecordRequest& request,
      CallOptions options = {}) const;

  // ---- TreatmentRecords: screenings ----
  // RecordScreening stores a patient's answers to the clinic's SCREENING
  // questionnaire (a write); AmendScreening corrects them.
  absl::StatusOr<v1::Screening> RecordScreening(
      const v1::RecordScreeningRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::Screening> GetScreening(
      const v1::GetScreeningRequest& request, CallOptions options = {}) const;
  absl::StatusOr<v1::ListScreeningsResponse> ListScreenings(
      const v1::ListScreeningsRequest& request, CallOptions options = {}) const;
  absl::StatusOr<v1::Screening> AmendScreening(
      const v1::AmendScreeningRequest& request, CallOptions options = {}) const;

  // ---- TreatmentRecords: outcome assessments ----
  // RecordOutcomeAssessment stores a rating of a course on a published scale
  // (GAIS, patient satisfaction, Goodman and Baron; a write); wrong values
  // are INVALID_ARGUMENT naming the field. AmendOutcomeAssessment corrects
  // one (or marks it entered in error).
  absl::StatusOr<v1::OutcomeAssessment> RecordOutcomeAssessment(
      const v1::RecordOutcomeAssessmentRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::OutcomeAssessment> GetOutcomeAssessment(
      const v1::GetOutcomeAssessmentRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::ListOutcomeAssessmentsResponse> ListOutcomeAssessments(
      const v1::ListOutcomeAssessmentsRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::OutcomeAssessment> AmendOutcomeAssessment(
      const v1::AmendOutcomeAssessmentRequest& request,
      CallOptions options = {}) const;

  // ---- TreatmentRecords: sign-off ----
  // SignSession signs a session's current revision in the name of the
  // caller's principal (a write); PERMISSION_DENIED when that principal may
  // not sign it that way. ListUnsignedSessions lists the charts past the
  // signature window still waiting for a signature or co-signature.
  absl::StatusOr<v1::SessionSignature> SignSession(
      const v1::SignSessionRequest& request, CallOptions options = {}) const;
  absl::StatusOr<v1::ListSessionSignaturesResponse> ListSessionSignatures(
      const v1::ListSessionSignaturesRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::ListUnsignedSessionsResponse> ListUnsignedSessions(
      const v1::ListUnsignedSessionsRequest& request,
      CallOptions options = {}) const;

  // ---- TreatmentRecords: photo use ----
  // ReleasePhoto records that a photo was used for a purpose (a write);
  // FAILED_PRECONDITION naming the use when the patient's PHOTOGRAPHY
  // consent in force at released_at does not allow it. CheckPhotoUse asks
  // without recording anything.
  absl::StatusOr<v1::PhotoRelease> ReleasePhoto(
      const v1::ReleasePhotoRequest& request, CallOptions options = {}) const;
  absl::StatusOr<v1::ListPhotoReleasesResponse> ListPhotoReleases(
      const v1::ListPhotoReleasesRequest& request,
      CallOptions options = {}) const;
  absl::StatusOr<v1::CheckPhotoUseResponse> CheckPhotoUse(
      const v1::CheckPhotoUseRequest& request, CallOptions options = {}) const;

  // ---- TreatmentRecords: plugin settings ----
  // PublishPluginSettings publishes the next revision of a clinic's
  // settings of a plugin (a write; an admin's call); publishing the settings
  // in force returns the current revision.
  absl::StatusOr<v1::PluginSettings> PublishPluginSettings(
      const v1::PublishPluginSettingsRequest& request,
      CallOptions options = {}) const;
  // GetPluginSettings reads the settings in force (revision 0 when the
  // clinic published none) or revision_id.
  absl::StatusOr<v1::PluginSettings> GetPluginSettings(
      const v1::GetPluginSettingsRequest& request,
      CallOptions options = {}) const;
  // ListPluginSettingsRevisions returns one page of published revisions,
  // oldest first.
  absl::StatusOr<v1::ListPluginSettingsRevisionsResponse>
  ListPluginSettingsRevisions(
      const v1::ListPluginSettingsRevisionsRequest& request,
      CallOptions options = {}) const;

  // ---- Consents: instruction sets ----
  // PublishInstructionSet publishes a new revision of an instruction set (a
  // write); publishing unchanged text returns the current revision.
  absl::StatusOr<v1::InstructionSet> PublishInstructionSet(
      const v1::PublishInstructionSetRequest& request,
      CallOptions options = {}) const;
  // GetInstructionSet reads a set's current revision (or revision_id).
  absl::StatusOr<v1::InstructionSet> GetInstructionSet(
      const v1::GetInstructionSetRequest& request,
      CallOptions options = {}) const;
  // ListInstructionSets returns one page of a clinic's sets (current
  // revisions).
  absl::StatusOr<v1::ListInstructionSetsResponse> ListInstructionSets(
      const v1::ListInstructionSetsRequest& request,
      CallOptions options = {}) const;
  // ListInstructionSetRevisions returns one page of a set's revisions,
  // oldest first.
  absl::StatusOr<v1::ListInstructionSetRevisionsResponse>
  ListInstructionSetRevisions(
      const v1::ListInstructionSetRevisionsRequest& request,
      CallOptions options = {}) const;

  // ---- Consents: consents ----
  // RecordConsent records a decision on one instruction set revision (a
  // write).
  absl::StatusOr<v1::Consent> RecordConsent(
      const v1::RecordConsentRequest& request, CallOptions options = {}) const;
  // GetConsent reads a consent with its state history.
  absl::StatusOr<v1::Consent> GetConsent(const v1::GetConsentRequest& request,
                                         CallOptions options = {}) const;
  // ListConsents returns one page of a patient's (or with patients/-, a
  // clinic's) consents.
  absl::StatusOr<v1::ListConsentsResponse> ListConsents(
      const v1::ListConsentsRequest& request, CallOptions options = {}) const;
  // RevokeConsent revokes an active consent (a write); FAILED_PRECONDITION
  // if it is not active.
  absl::StatusOr<v1::Consent> RevokeConsent(
      const v1::RevokeConsentRequest& request, CallOptions options = {}) const;
  // MarkConsentEnteredInError marks a consent recorded by mistake (a write);
  // FAILED_PRECONDITION if it already is.
  absl::StatusOr<v1::Consent> MarkConsentEnteredInError(
      const v1::MarkConsentEnteredInErrorRequest& request,
      CallOptions options = {}) const;

  // ---- Consents: auditor queries (reads) ----
  // ListConsentHistory returns one page of every revision of every consent
  // of a patient, ordered by the time each revision was recorded.
  absl::StatusOr<v1::ListConsentHistoryResponse> ListConsentHistory(
      const v1::ListConsentHistoryRequest& request,
      CallOptions options = {}) const;
  // GetConsentStateAt lists the consents of a patient in force at a time.
  absl::StatusOr<v1::GetConsentStateAtResponse> GetConsentStateAt(
      const v1::GetConsentStateAtRequest& request,
      CallOptions options = {}) const;
  // GetConsentCoverage reports, for every session of a clinic in a range,
  // which required consents covered it; uncovered sessions first.
  absl::StatusOr<v1::GetConsentCoverageResponse> GetConsentCoverage(
      const v1::GetConsentCoverageRequest& request,
      CallOptions options = {}) const;
  // VerifyConsent recomputes the hash of the text a consent points to.
  absl::StatusOr<v1::VerifyConsentResponse> VerifyConsent(
      const v1::VerifyConsentRequest& request, CallOptions options = {}) const;

  // ---- Audit (reads) ----
  // ListAuditEvents returns one page of audit events, oldest first (or as
  // request.order_by says).
  absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
      const v1::ListAuditEventsRequest& request,
      CallOptions options = {}) const;
  // ExportAuditEvents returns one page of audit events as a document
  // ("fhir-r4" Bundle or "csv"); page with request.query.page_token.
  absl::StatusOr<v1::ExportAuditEventsResponse> ExportAuditEvents(
      const v1::ExportAuditEventsRequest& request,
      CallOptions options = {}) const;
  // VerifyAuditLog checks the hash chain (and a stored checkpoint); a
  // broken chain is an OK call with response.ok() false.
  absl::StatusOr<v1::VerifyAuditLogResponse> VerifyAuditLog(
      const v1::VerifyAuditLogRequest& request, CallOptions options = {}) const;
  // GetAuditCheckpoint returns the head of the log to store elsewhere.
  absl::StatusOr<v1::AuditCheckpoint> GetAuditCheckpoint(
      CallOptions options = {}) const;
  // VerifyRecords checks the chain and that every stored revision of a
  // clinic is what its write committed; problems are an OK call with
  // response.ok() false.
  absl::StatusOr<v1::VerifyRecordsResponse> VerifyRecords(
      const v1::VerifyRecordsRequest& request, CallOptions options = {}) const;

  // ---- Admin (admins only) ----
  // BackupDatabase has the server write a consistent copy of its database
  // to request.file_name in its backup directory and returns the copy's
  // path, size and audit checkpoint. Not idempotent: if an attempt that
  // wrote the file is retried, the retry is ALREADY_EXISTS.
  absl::StatusOr<v1::BackupDatabaseResponse> BackupDatabase(
      const v1::BackupDatabaseRequest& request, CallOptions options = {}) const;
  // ReloadConfig has the server re-read its configuration file and apply
  // its principals and plugin settings; FAILED_PRECONDITION (with the
  // reason) when the file is refused and the old configuration stays.
  // Safe to retry: a reload applies the file as it is.
  absl::StatusOr<v1::ReloadConfigResponse> ReloadConfig(
      const v1::ReloadConfigRequest& request, CallOptions options = {}) const;

  // ---- ChangeFeed (reads) ----
  // ListChanges returns one page of a clinic's changes after
  // request.after_cursor, oldest first; resume with next_cursor while
  // `more`. To follow a clinic as it changes, use ChangeFeed
  // (client/change_feed.h), which watches and reconnects.
  absl::StatusOr<v1::ListChangesResponse> ListChanges(
      const v1::ListChangesRequest& request, CallOptions options = {}) const;

  // ---- Every page of a List call (see ListAllPages in list_all.h) ----
  // Each page is one call with its own deadline from `options`. Returns the
  // first error, or INTERNAL if the server repeats a page token.
  absl::StatusOr<std::vector<v1::Patient>> ListAllPatients(
      v1::ListPatientsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::TreatmentCourse>> ListAllCourses(
      v1::ListCoursesRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::TreatmentSession>> ListAllSessions(
      v1::ListSessionsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::DueSession>> ListAllDueSessions(
      v1::ListDueSessionsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::OutcomePhoto>> ListAllPhotos(
      v1::ListPhotosRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::RevisionInfo>> ListAllRevisions(
      v1::ListRevisionsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::InstructionSet>> ListAllInstructionSets(
      v1::ListInstructionSetsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::InstructionSet>>
  ListAllInstructionSetRevisions(v1::ListInstructionSetRevisionsRequest request,
                                 CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::Screening>> ListAllScreenings(
      v1::ListScreeningsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::OutcomeAssessment>> ListAllOutcomeAssessments(
      v1::ListOutcomeAssessmentsRequest request,
      CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::SessionSignature>> ListAllSessionSignatures(
      v1::ListSessionSignaturesRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::PhotoRelease>> ListAllPhotoReleases(
      v1::ListPhotoReleasesRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::PluginSettings>>
  ListAllPluginSettingsRevisions(v1::ListPluginSettingsRevisionsRequest request,
                                 CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::Consent>> ListAllConsents(
      v1::ListConsentsRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::Consent>> ListAllConsentHistory(
      v1::ListConsentHistoryRequest request, CallOptions options = {}) const;
  absl::StatusOr<std::vector<v1::AuditEvent>> ListAllAuditEvents(
      v1::ListAuditEventsRequest request, CallOptions options = {}) const;

  // ---- Health (grpc.health.v1.Health/Check) ----
  // IsServing returns true if the server reports SERVING for `service` ("" =
  // the server as a whole), false for NOT_SERVING or UNKNOWN, and the RPC's
  // error otherwise (NOT_FOUND for a service the server does not know,
  // UNAVAILABLE if it cannot be reached). One attempt, no retries: a health
  // check reports what it sees.
  absl::StatusOr<bool> IsServing(const std::string& service = "",
                                 CallOptions options = {}) const;

 private:
  explicit RecordsClient(std::shared_ptr<const internal::Connection> conn);

  // ChangeFeed opens its WatchChanges streams on this client's channel.
  friend class ChangeFeed;

  std::shared_ptr<const internal::Connection> conn_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLIENT_H_

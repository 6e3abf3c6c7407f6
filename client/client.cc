#include "client/client.h"

#include <algorithm>
#include <utility>

#include "client/internal/connection.h"
#include "client/request_id.h"
#include "client/status_conversion.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace mnrecords {
namespace {

using RecordsStub = v1::TreatmentRecords::Stub;
using ConsentsStub = v1::Consents::Stub;

// WithRequestId returns a copy of a write request whose request_id is set:
// the caller's if present, else a fresh UUIDv4. It runs once per call, before
// the first attempt, so every retry carries the same id.
template <typename Request>
Request WithRequestId(const Request& request) {
  Request copy = request;
  if (copy.request_id().empty()) copy.set_request_id(MakeRequestId());
  return copy;
}

// Unary makes one typed call through the retry loop.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Unary(
    const internal::Connection& conn, Stub* stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, const CallOptions& options) {
  Response response;
  absl::Status status = internal::RunWithRetries(
      conn.options, options, conn.channel.get(),
      [&](grpc::ClientContext& context) {
        response.Clear();
        return (stub->*method)(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

std::shared_ptr<internal::Connection> MakeConnection(
    std::shared_ptr<grpc::Channel> channel, ClientOptions options) {
  auto conn = std::make_shared<internal::Connection>();
  conn->options = std::move(options);
  conn->channel = std::move(channel);
  conn->records = v1::TreatmentRecords::NewStub(conn->channel);
  conn->consents = v1::Consents::NewStub(conn->channel);
  conn->audit = v1::Audit::NewStub(conn->channel);
  conn->admin = v1::Admin::NewStub(conn->channel);
  conn->changes = v1::ChangeFeed::NewStub(conn->channel);
  conn->generic = std::make_unique<grpc::GenericStub>(conn->channel);
  return conn;
}

}  // namespace

absl::StatusOr<RecordsClient> RecordsClient::Create(ClientOptions options) {
  absl::Status valid = internal::ValidateOptions(options, true);
  if (!valid.ok()) return valid;
  auto credentials = options.credentials != nullptr
                         ? options.credentials
                         : grpc::InsecureChannelCredentials();
  // Reconnect on the same schedule as the retries: with gRPC's default
  // reconnect backoff (1 s, growing) the channel would still be in
  // TRANSIENT_FAILURE when our retries run, and they would fail at once.
  grpc::ChannelArguments args;
  const int initial_ms =
      static_cast<int>(absl::ToInt64Milliseconds(options.initial_backoff));
  const int max_ms =
      static_cast<int>(absl::ToInt64Milliseconds(options.max_backoff));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::max(initial_ms, 1));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::max(initial_ms, 1));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, std::max(max_ms, 1));
  auto channel = grpc::CreateCustomChannel(options.target, credentials, args);
  return RecordsClient(MakeConnection(std::move(channel), std::move(options)));
}

absl::StatusOr<RecordsClient> RecordsClient::CreateForChannel(
    std::shared_ptr<grpc::Channel> channel, ClientOptions options) {
  if (channel == nullptr) {
    return absl::InvalidArgumentError("CreateForChannel: channel is null");
  }
  absl::Status valid = internal::ValidateOptions(options, false);
  if (!valid.ok()) return valid;
  return RecordsClient(MakeConnection(std::move(channel), std::move(options)));
}

RecordsClient::RecordsClient(std::shared_ptr<const internal::Connection> conn)
    : conn_(std::move(conn)) {}

// ---- TreatmentRecords ----

absl::StatusOr<v1::Patient> RecordsClient::CreatePatient(
    const v1::CreatePatientRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::CreatePatient,
               WithRequestId(request), options);
}
absl::StatusOr<v1::Patient> RecordsClient::GetPatient(
    const v1::GetPatientRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetPatient, request,
               options);
}
absl::StatusOr<v1::ListPatientsResponse> RecordsClient::ListPatients(
    const v1::ListPatientsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListPatients,
               request, options);
}
absl::StatusOr<v1::Patient> RecordsClient::AmendPatient(
    const v1::AmendPatientRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::AmendPatient,
               WithRequestId(request), options);
}

absl::StatusOr<v1::TreatmentCourse> RecordsClient::CreateCourse(
    const v1::CreateCourseRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::CreateCourse,
               WithRequestId(request), options);
}
absl::StatusOr<v1::TreatmentCourse> RecordsClient::GetCourse(
    const v1::GetCourseRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetCourse, request,
               options);
}
absl::StatusOr<v1::ListCoursesResponse> RecordsClient::ListCourses(
    const v1::ListCoursesRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListCourses, request,
               options);
}
absl::StatusOr<v1::TreatmentCourse> RecordsClient::AmendCourse(
    const v1::AmendCourseRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::AmendCourse,
               WithRequestId(request), options);
}
absl::StatusOr<v1::ListDueSessionsResponse> RecordsClient::ListDueSessions(
    const v1::ListDueSessionsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListDueSessions,
               request, options);
}
absl::StatusOr<v1::CourseSummary> RecordsClient::GetCourseSummary(
    const v1::GetCourseSummaryRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetCourseSummary,
               request, options);
}

absl::StatusOr<v1::TreatmentSession> RecordsClient::LogSession(
    const v1::LogSessionRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::LogSession,
               WithRequestId(request), options);
}
absl::StatusOr<v1::TreatmentSession> RecordsClient::GetSession(
    const v1::GetSessionRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetSession, request,
               options);
}
absl::StatusOr<v1::ListSessionsResponse> RecordsClient::ListSessions(
    const v1::ListSessionsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListSessions,
               request, options);
}
absl::StatusOr<v1::TreatmentSession> RecordsClient::AmendSession(
    const v1::AmendSessionRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::AmendSession,
               WithRequestId(request), options);
}

absl::StatusOr<v1::OutcomePhoto> RecordsClient::CreatePhoto(
    const v1::CreatePhotoRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::CreatePhoto,
               WithRequestId(request), options);
}
absl::StatusOr<v1::OutcomePhoto> RecordsClient::GetPhoto(
    const v1::GetPhotoRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetPhoto, request,
               options);
}
absl::StatusOr<v1::ListPhotosResponse> RecordsClient::ListPhotos(
    const v1::ListPhotosRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListPhotos, request,
               options);
}
absl::StatusOr<v1::OutcomePhoto> RecordsClient::AmendPhoto(
    const v1::AmendPhotoRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::AmendPhoto,
               WithRequestId(request), options);
}

absl::StatusOr<v1::PairCoursePhotosResponse> RecordsClient::PairCoursePhotos(
    const v1::PairCoursePhotosRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::PairCoursePhotos,
               request, options);
}

absl::StatusOr<v1::ListRevisionsResponse> RecordsClient::ListRevisions(
    const v1::ListRevisionsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListRevisions,
               request, options);
}

absl::StatusOr<v1::ExportPatientRecordResponse>
RecordsClient::ExportPatientRecord(
    const v1::ExportPatientRecordRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ExportPatientRecord,
               request, options);
}

// ---- Consents ----

absl::StatusOr<v1::Screening> RecordsClient::RecordScreening(
    const v1::RecordScreeningRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::RecordScreening,
               WithRequestId(request), options);
}
absl::StatusOr<v1::Screening> RecordsClient::GetScreening(
    const v1::GetScreeningRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetScreening,
               request, options);
}
absl::StatusOr<v1::ListScreeningsResponse> RecordsClient::ListScreenings(
    const v1::ListScreeningsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListScreenings,
               request, options);
}
absl::StatusOr<v1::Screening> RecordsClient::AmendScreening(
    const v1::AmendScreeningRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::AmendScreening,
               WithRequestId(request), options);
}
absl::StatusOr<v1::OutcomeAssessment> RecordsClient::RecordOutcomeAssessment(
    const v1::RecordOutcomeAssessmentRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::RecordOutcomeAssessment, WithRequestId(request),
               options);
}
absl::StatusOr<v1::OutcomeAssessment> RecordsClient::GetOutcomeAssessment(
    const v1::GetOutcomeAssessmentRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetOutcomeAssessment,
               request, options);
}
absl::StatusOr<v1::ListOutcomeAssessmentsResponse>
RecordsClient::ListOutcomeAssessments(
    const v1::ListOutcomeAssessmentsRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::ListOutcomeAssessments, request, options);
}
absl::StatusOr<v1::OutcomeAssessment> RecordsClient::AmendOutcomeAssessment(
    const v1::AmendOutcomeAssessmentRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::AmendOutcomeAssessment, WithRequestId(request),
               options);
}
absl::StatusOr<v1::PhotoRelease> RecordsClient::ReleasePhoto(
    const v1::ReleasePhotoRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ReleasePhoto,
               WithRequestId(request), options);
}
absl::StatusOr<v1::ListPhotoReleasesResponse> RecordsClient::ListPhotoReleases(
    const v1::ListPhotoReleasesRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListPhotoReleases,
               request, options);
}
absl::StatusOr<v1::CheckPhotoUseResponse> RecordsClient::CheckPhotoUse(
    const v1::CheckPhotoUseRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::CheckPhotoUse,
               request, options);
}
absl::StatusOr<v1::SessionSignature> RecordsClient::SignSession(
    const v1::SignSessionRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::SignSession,
               WithRequestId(request), options);
}
absl::StatusOr<v1::ListSessionSignaturesResponse>
RecordsClient::ListSessionSignatures(
    const v1::ListSessionSignaturesRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::ListSessionSignatures, request, options);
}
absl::StatusOr<v1::ListUnsignedSessionsResponse>
RecordsClient::ListUnsignedSessions(
    const v1::ListUnsignedSessionsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::ListUnsignedSessions,
               request, options);
}
absl::StatusOr<v1::PluginSettings> RecordsClient::PublishPluginSettings(
    const v1::PublishPluginSettingsRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::PublishPluginSettings, WithRequestId(request),
               options);
}
absl::StatusOr<v1::PluginSettings> RecordsClient::GetPluginSettings(
    const v1::GetPluginSettingsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->records.get(), &RecordsStub::GetPluginSettings,
               request, options);
}
absl::StatusOr<v1::ListPluginSettingsRevisionsResponse>
RecordsClient::ListPluginSettingsRevisions(
    const v1::ListPluginSettingsRevisionsRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->records.get(),
               &RecordsStub::ListPluginSettingsRevisions, request, options);
}
absl::StatusOr<v1::InstructionSet> RecordsClient::PublishInstructionSet(
    const v1::PublishInstructionSetRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(),
               &ConsentsStub::PublishInstructionSet, WithRequestId(request),
               options);
}
absl::StatusOr<v1::InstructionSet> RecordsClient::GetInstructionSet(
    const v1::GetInstructionSetRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::GetInstructionSet,
               request, options);
}
absl::StatusOr<v1::ListInstructionSetsResponse>
RecordsClient::ListInstructionSets(
    const v1::ListInstructionSetsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(),
               &ConsentsStub::ListInstructionSets, request, options);
}
absl::StatusOr<v1::ListInstructionSetRevisionsResponse>
RecordsClient::ListInstructionSetRevisions(
    const v1::ListInstructionSetRevisionsRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(),
               &ConsentsStub::ListInstructionSetRevisions, request, options);
}

absl::StatusOr<v1::Consent> RecordsClient::RecordConsent(
    const v1::RecordConsentRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::RecordConsent,
               WithRequestId(request), options);
}
absl::StatusOr<v1::Consent> RecordsClient::GetConsent(
    const v1::GetConsentRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::GetConsent,
               request, options);
}
absl::StatusOr<v1::ListConsentsResponse> RecordsClient::ListConsents(
    const v1::ListConsentsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::ListConsents,
               request, options);
}
absl::StatusOr<v1::Consent> RecordsClient::RevokeConsent(
    const v1::RevokeConsentRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::RevokeConsent,
               WithRequestId(request), options);
}
absl::StatusOr<v1::Consent> RecordsClient::MarkConsentEnteredInError(
    const v1::MarkConsentEnteredInErrorRequest& request,
    CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(),
               &ConsentsStub::MarkConsentEnteredInError, WithRequestId(request),
               options);
}

// ---- Consents: auditor queries ----

absl::StatusOr<v1::ListConsentHistoryResponse>
RecordsClient::ListConsentHistory(const v1::ListConsentHistoryRequest& request,
                                  CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::ListConsentHistory,
               request, options);
}
absl::StatusOr<v1::GetConsentStateAtResponse> RecordsClient::GetConsentStateAt(
    const v1::GetConsentStateAtRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::GetConsentStateAt,
               request, options);
}
absl::StatusOr<v1::GetConsentCoverageResponse>
RecordsClient::GetConsentCoverage(const v1::GetConsentCoverageRequest& request,
                                  CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::GetConsentCoverage,
               request, options);
}
absl::StatusOr<v1::VerifyConsentResponse> RecordsClient::VerifyConsent(
    const v1::VerifyConsentRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->consents.get(), &ConsentsStub::VerifyConsent,
               request, options);
}

// ---- Audit ----

absl::StatusOr<v1::ListAuditEventsResponse> RecordsClient::ListAuditEvents(
    const v1::ListAuditEventsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->audit.get(), &v1::Audit::Stub::ListAuditEvents,
               request, options);
}
absl::StatusOr<v1::ExportAuditEventsResponse> RecordsClient::ExportAuditEvents(
    const v1::ExportAuditEventsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->audit.get(), &v1::Audit::Stub::ExportAuditEvents,
               request, options);
}
absl::StatusOr<v1::VerifyAuditLogResponse> RecordsClient::VerifyAuditLog(
    const v1::VerifyAuditLogRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->audit.get(), &v1::Audit::Stub::VerifyAuditLog,
               request, options);
}
absl::StatusOr<v1::AuditCheckpoint> RecordsClient::GetAuditCheckpoint(
    CallOptions options) const {
  return Unary(*conn_, conn_->audit.get(), &v1::Audit::Stub::GetAuditCheckpoint,
               v1::GetAuditCheckpointRequest(), options);
}
absl::StatusOr<v1::VerifyRecordsResponse> RecordsClient::VerifyRecords(
    const v1::VerifyRecordsRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->audit.get(), &v1::Audit::Stub::VerifyRecords,
               request, options);
}

// ---- Admin ----

absl::StatusOr<v1::BackupDatabaseResponse> RecordsClient::BackupDatabase(
    const v1::BackupDatabaseRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->admin.get(), &v1::Admin::Stub::BackupDatabase,
               request, options);
}

absl::StatusOr<v1::ReloadConfigResponse> RecordsClient::ReloadConfig(
    const v1::ReloadConfigRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->admin.get(), &v1::Admin::Stub::ReloadConfig,
               request, options);
}

// ---- ChangeFeed ----

absl::StatusOr<v1::ListChangesResponse> RecordsClient::ListChanges(
    const v1::ListChangesRequest& request, CallOptions options) const {
  return Unary(*conn_, conn_->changes.get(), &v1::ChangeFeed::Stub::ListChanges,
               request, options);
}

}  // namespace mnrecords

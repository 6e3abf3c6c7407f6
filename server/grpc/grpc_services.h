// The gRPC face of the services, on gRPC's callback API: one adapter class
// per v1 service, each method one call into call_runner.h — RunRead for
// reads, RunWrite for writes (answered once durable), RunBlocking for the
// few long calls — and from there into the plain C++ service. No logic
// lives here.
#ifndef MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_
#define MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_

#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "server/grpc/call_runner.h"
#include "server/service/admin_service.h"
#include "server/service/audit_service.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// TreatmentRecordsGrpc serves v1.TreatmentRecords over `service` in `env`; both
// must outlive it.
class TreatmentRecordsGrpc final
    : public v1::TreatmentRecords::CallbackService {
 public:
  TreatmentRecordsGrpc(RecordsService& service, CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::ServerUnaryReactor* CreatePatient(
      grpc::CallbackServerContext* context,
      const v1::CreatePatientRequest* request, v1::Patient* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::CreatePatient, *request, response);
  }
  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* context,
                                       const v1::GetPatientRequest* request,
                                       v1::Patient* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetPatient, *request, response);
  }
  grpc::ServerUnaryReactor* ListPatients(
      grpc::CallbackServerContext* context,
      const v1::ListPatientsRequest* request,
      v1::ListPatientsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListPatients, *request, response);
  }
  grpc::ServerUnaryReactor* AmendPatient(grpc::CallbackServerContext* context,
                                         const v1::AmendPatientRequest* request,
                                         v1::Patient* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendPatient, *request, response);
  }
  grpc::ServerUnaryReactor* CreateCourse(
      grpc::CallbackServerContext* context,
      const v1::CreateCourseRequest* request,
      v1::TreatmentCourse* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::CreateCourse, *request, response);
  }
  grpc::ServerUnaryReactor* GetCourse(grpc::CallbackServerContext* context,
                                      const v1::GetCourseRequest* request,
                                      v1::TreatmentCourse* response) override {
    return RunRead(env_, *context, Name(), service_, &RecordsService::GetCourse,
                   *request, response);
  }
  grpc::ServerUnaryReactor* ListCourses(
      grpc::CallbackServerContext* context,
      const v1::ListCoursesRequest* request,
      v1::ListCoursesResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListCourses, *request, response);
  }
  grpc::ServerUnaryReactor* AmendCourse(
      grpc::CallbackServerContext* context,
      const v1::AmendCourseRequest* request,
      v1::TreatmentCourse* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendCourse, *request, response);
  }
  grpc::ServerUnaryReactor* GetCourseSummary(
      grpc::CallbackServerContext* context,
      const v1::GetCourseSummaryRequest* request,
      v1::CourseSummary* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetCourseSummary, *request, response);
  }
  grpc::ServerUnaryReactor* ListDueSessions(
      grpc::CallbackServerContext* context,
      const v1::ListDueSessionsRequest* request,
      v1::ListDueSessionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListDueSessions, *request, response);
  }
  grpc::ServerUnaryReactor* LogSession(
      grpc::CallbackServerContext* context,
      const v1::LogSessionRequest* request,
      v1::TreatmentSession* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::LogSession, *request, response);
  }
  grpc::ServerUnaryReactor* GetSession(
      grpc::CallbackServerContext* context,
      const v1::GetSessionRequest* request,
      v1::TreatmentSession* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetSession, *request, response);
  }
  grpc::ServerUnaryReactor* ListSessions(
      grpc::CallbackServerContext* context,
      const v1::ListSessionsRequest* request,
      v1::ListSessionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListSessions, *request, response);
  }
  grpc::ServerUnaryReactor* AmendSession(
      grpc::CallbackServerContext* context,
      const v1::AmendSessionRequest* request,
      v1::TreatmentSession* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendSession, *request, response);
  }
  grpc::ServerUnaryReactor* CreatePhoto(grpc::CallbackServerContext* context,
                                        const v1::CreatePhotoRequest* request,
                                        v1::OutcomePhoto* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::CreatePhoto, *request, response);
  }
  grpc::ServerUnaryReactor* GetPhoto(grpc::CallbackServerContext* context,
                                     const v1::GetPhotoRequest* request,
                                     v1::OutcomePhoto* response) override {
    return RunRead(env_, *context, Name(), service_, &RecordsService::GetPhoto,
                   *request, response);
  }
  grpc::ServerUnaryReactor* ListPhotos(
      grpc::CallbackServerContext* context,
      const v1::ListPhotosRequest* request,
      v1::ListPhotosResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListPhotos, *request, response);
  }
  grpc::ServerUnaryReactor* AmendPhoto(grpc::CallbackServerContext* context,
                                       const v1::AmendPhotoRequest* request,
                                       v1::OutcomePhoto* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendPhoto, *request, response);
  }
  grpc::ServerUnaryReactor* PairCoursePhotos(
      grpc::CallbackServerContext* context,
      const v1::PairCoursePhotosRequest* request,
      v1::PairCoursePhotosResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::PairCoursePhotos, *request, response);
  }
  grpc::ServerUnaryReactor* ListRevisions(
      grpc::CallbackServerContext* context,
      const v1::ListRevisionsRequest* request,
      v1::ListRevisionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListRevisions, *request, response);
  }
  grpc::ServerUnaryReactor* RecordScreening(
      grpc::CallbackServerContext* context,
      const v1::RecordScreeningRequest* request,
      v1::Screening* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::RecordScreening, *request, response);
  }
  grpc::ServerUnaryReactor* GetScreening(grpc::CallbackServerContext* context,
                                         const v1::GetScreeningRequest* request,
                                         v1::Screening* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetScreening, *request, response);
  }
  grpc::ServerUnaryReactor* ListScreenings(
      grpc::CallbackServerContext* context,
      const v1::ListScreeningsRequest* request,
      v1::ListScreeningsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListScreenings, *request, response);
  }
  grpc::ServerUnaryReactor* AmendScreening(
      grpc::CallbackServerContext* context,
      const v1::AmendScreeningRequest* request,
      v1::Screening* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendScreening, *request, response);
  }
  grpc::ServerUnaryReactor* RecordOutcomeAssessment(
      grpc::CallbackServerContext* context,
      const v1::RecordOutcomeAssessmentRequest* request,
      v1::OutcomeAssessment* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::RecordOutcomeAssessment, *request,
                    response);
  }
  grpc::ServerUnaryReactor* GetOutcomeAssessment(
      grpc::CallbackServerContext* context,
      const v1::GetOutcomeAssessmentRequest* request,
      v1::OutcomeAssessment* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetOutcomeAssessment, *request, response);
  }
  grpc::ServerUnaryReactor* ListOutcomeAssessments(
      grpc::CallbackServerContext* context,
      const v1::ListOutcomeAssessmentsRequest* request,
      v1::ListOutcomeAssessmentsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListOutcomeAssessments, *request, response);
  }
  grpc::ServerUnaryReactor* AmendOutcomeAssessment(
      grpc::CallbackServerContext* context,
      const v1::AmendOutcomeAssessmentRequest* request,
      v1::OutcomeAssessment* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::AmendOutcomeAssessment, *request,
                    response);
  }
  grpc::ServerUnaryReactor* ReleasePhoto(grpc::CallbackServerContext* context,
                                         const v1::ReleasePhotoRequest* request,
                                         v1::PhotoRelease* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::ReleasePhoto, *request, response);
  }
  grpc::ServerUnaryReactor* ListPhotoReleases(
      grpc::CallbackServerContext* context,
      const v1::ListPhotoReleasesRequest* request,
      v1::ListPhotoReleasesResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListPhotoReleases, *request, response);
  }
  grpc::ServerUnaryReactor* CheckPhotoUse(
      grpc::CallbackServerContext* context,
      const v1::CheckPhotoUseRequest* request,
      v1::CheckPhotoUseResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::CheckPhotoUse, *request, response);
  }
  grpc::ServerUnaryReactor* SignSession(
      grpc::CallbackServerContext* context,
      const v1::SignSessionRequest* request,
      v1::SessionSignature* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::SignSession, *request, response);
  }
  grpc::ServerUnaryReactor* ListSessionSignatures(
      grpc::CallbackServerContext* context,
      const v1::ListSessionSignaturesRequest* request,
      v1::ListSessionSignaturesResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListSessionSignatures, *request, response);
  }
  grpc::ServerUnaryReactor* ListUnsignedSessions(
      grpc::CallbackServerContext* context,
      const v1::ListUnsignedSessionsRequest* request,
      v1::ListUnsignedSessionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListUnsignedSessions, *request, response);
  }
  grpc::ServerUnaryReactor* PublishPluginSettings(
      grpc::CallbackServerContext* context,
      const v1::PublishPluginSettingsRequest* request,
      v1::PluginSettings* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &RecordsService::PublishPluginSettings, *request, response);
  }
  grpc::ServerUnaryReactor* GetPluginSettings(
      grpc::CallbackServerContext* context,
      const v1::GetPluginSettingsRequest* request,
      v1::PluginSettings* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::GetPluginSettings, *request, response);
  }
  grpc::ServerUnaryReactor* ListPluginSettingsRevisions(
      grpc::CallbackServerContext* context,
      const v1::ListPluginSettingsRevisionsRequest* request,
      v1::ListPluginSettingsRevisionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &RecordsService::ListPluginSettingsRevisions, *request,
                   response);
  }
  grpc::ServerUnaryReactor* ExportPatientRecord(
      grpc::CallbackServerContext* context,
      const v1::ExportPatientRecordRequest* request,
      v1::ExportPatientRecordResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &RecordsService::ExportPatientRecord, *request,
                       response);
  }

 private:
  static const char* Name() {
    return v1::TreatmentRecords::service_full_name();
  }

  RecordsService& service_;
  CallEnvironment& env_;
};

// ConsentsGrpc serves v1.Consents over `service` in `env`; both must outlive
// it.
class ConsentsGrpc final : public v1::Consents::CallbackService {
 public:
  ConsentsGrpc(ConsentsService& service, CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::ServerUnaryReactor* PublishInstructionSet(
      grpc::CallbackServerContext* context,
      const v1::PublishInstructionSetRequest* request,
      v1::InstructionSet* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &ConsentsService::PublishInstructionSet, *request,
                    response);
  }
  grpc::ServerUnaryReactor* GetInstructionSet(
      grpc::CallbackServerContext* context,
      const v1::GetInstructionSetRequest* request,
      v1::InstructionSet* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::GetInstructionSet, *request, response);
  }
  grpc::ServerUnaryReactor* ListInstructionSets(
      grpc::CallbackServerContext* context,
      const v1::ListInstructionSetsRequest* request,
      v1::ListInstructionSetsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::ListInstructionSets, *request, response);
  }
  grpc::ServerUnaryReactor* ListInstructionSetRevisions(
      grpc::CallbackServerContext* context,
      const v1::ListInstructionSetRevisionsRequest* request,
      v1::ListInstructionSetRevisionsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::ListInstructionSetRevisions, *request,
                   response);
  }
  grpc::ServerUnaryReactor* RecordConsent(
      grpc::CallbackServerContext* context,
      const v1::RecordConsentRequest* request, v1::Consent* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &ConsentsService::RecordConsent, *request, response);
  }
  grpc::ServerUnaryReactor* GetConsent(grpc::CallbackServerContext* context,
                                       const v1::GetConsentRequest* request,
                                       v1::Consent* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::GetConsent, *request, response);
  }
  grpc::ServerUnaryReactor* ListConsents(
      grpc::CallbackServerContext* context,
      const v1::ListConsentsRequest* request,
      v1::ListConsentsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::ListConsents, *request, response);
  }
  grpc::ServerUnaryReactor* RevokeConsent(
      grpc::CallbackServerContext* context,
      const v1::RevokeConsentRequest* request, v1::Consent* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &ConsentsService::RevokeConsent, *request, response);
  }
  grpc::ServerUnaryReactor* MarkConsentEnteredInError(
      grpc::CallbackServerContext* context,
      const v1::MarkConsentEnteredInErrorRequest* request,
      v1::Consent* response) override {
    return RunWrite(env_, *context, Name(), service_,
                    &ConsentsService::MarkConsentEnteredInError, *request,
                    response);
  }
  grpc::ServerUnaryReactor* ListConsentHistory(
      grpc::CallbackServerContext* context,
      const v1::ListConsentHistoryRequest* request,
      v1::ListConsentHistoryResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::ListConsentHistory, *request, response);
  }
  grpc::ServerUnaryReactor* GetConsentStateAt(
      grpc::CallbackServerContext* context,
      const v1::GetConsentStateAtRequest* request,
      v1::GetConsentStateAtResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::GetConsentStateAt, *request, response);
  }
  grpc::ServerUnaryReactor* GetConsentCoverage(
      grpc::CallbackServerContext* context,
      const v1::GetConsentCoverageRequest* request,
      v1::GetConsentCoverageResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &ConsentsService::GetConsentCoverage, *request,
                       response);
  }
  grpc::ServerUnaryReactor* VerifyConsent(
      grpc::CallbackServerContext* context,
      const v1::VerifyConsentRequest* request,
      v1::VerifyConsentResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &ConsentsService::VerifyConsent, *request, response);
  }

 private:
  static const char* Name() { return v1::Consents::service_full_name(); }

  ConsentsService& service_;
  CallEnvironment& env_;
};

// AuditGrpc serves v1.Audit over `service` in `env`; both must outlive it.
class AuditGrpc final : public v1::Audit::CallbackService {
 public:
  AuditGrpc(AuditService& service, CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::ServerUnaryReactor* ListAuditEvents(
      grpc::CallbackServerContext* context,
      const v1::ListAuditEventsRequest* request,
      v1::ListAuditEventsResponse* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &AuditService::ListAuditEvents, *request, response);
  }
  grpc::ServerUnaryReactor* ExportAuditEvents(
      grpc::CallbackServerContext* context,
      const v1::ExportAuditEventsRequest* request,
      v1::ExportAuditEventsResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &AuditService::ExportAuditEvents, *request, response);
  }
  grpc::ServerUnaryReactor* VerifyAuditLog(
      grpc::CallbackServerContext* context,
      const v1::VerifyAuditLogRequest* request,
      v1::VerifyAuditLogResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &AuditService::VerifyAuditLog, *request, response);
  }
  grpc::ServerUnaryReactor* GetAuditCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::GetAuditCheckpointRequest* request,
      v1::AuditCheckpoint* response) override {
    return RunRead(env_, *context, Name(), service_,
                   &AuditService::GetAuditCheckpoint, *request, response);
  }
  grpc::ServerUnaryReactor* VerifyRecords(
      grpc::CallbackServerContext* context,
      const v1::VerifyRecordsRequest* request,
      v1::VerifyRecordsResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &AuditService::VerifyRecords, *request, response);
  }

 private:
  static const char* Name() { return v1::Audit::service_full_name(); }

  AuditService& service_;
  CallEnvironment& env_;
};

// AdminGrpc serves v1.Admin over `service` in `env`; both must outlive it.
class AdminGrpc final : public v1::Admin::CallbackService {
 public:
  AdminGrpc(AdminService& service, CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::ServerUnaryReactor* BackupDatabase(
      grpc::CallbackServerContext* context,
      const v1::BackupDatabaseRequest* request,
      v1::BackupDatabaseResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &AdminService::BackupDatabase, *request, response);
  }

  grpc::ServerUnaryReactor* ReloadConfig(
      grpc::CallbackServerContext* context,
      const v1::ReloadConfigRequest* request,
      v1::ReloadConfigResponse* response) override {
    return RunBlocking(env_, *context, Name(), service_,
                       &AdminService::ReloadConfig, *request, response);
  }

 private:
  static const char* Name() { return v1::Admin::service_full_name(); }

  AdminService& service_;
  CallEnvironment& env_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_

// The gRPC face of the services: one adapter class per v1 service, each
// method one RunCall (call_runner.h) into the plain C++ service: admit,
// run, audit, respond. No logic lives here.
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
class TreatmentRecordsGrpc final : public v1::TreatmentRecords::Service {
 public:
  TreatmentRecordsGrpc(RecordsService& service, const CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::Status CreatePatient(grpc::ServerContext* context,
                             const v1::CreatePatientRequest* request,
                             v1::Patient* response) override {
    return Run(*context, &RecordsService::CreatePatient, *request, response);
  }
  grpc::Status GetPatient(grpc::ServerContext* context,
                          const v1::GetPatientRequest* request,
                          v1::Patient* response) override {
    return Run(*context, &RecordsService::GetPatient, *request, response);
  }
  grpc::Status ListPatients(grpc::ServerContext* context,
                            const v1::ListPatientsRequest* request,
                            v1::ListPatientsResponse* response) override {
    return Run(*context, &RecordsService::ListPatients, *request, response);
  }
  grpc::Status AmendPatient(grpc::ServerContext* context,
                            const v1::AmendPatientRequest* request,
                            v1::Patient* response) override {
    return Run(*context, &RecordsService::AmendPatient, *request, response);
  }
  grpc::Status CreateCourse(grpc::ServerContext* context,
                            const v1::CreateCourseRequest* request,
                            v1::TreatmentCourse* response) override {
    return Run(*context, &RecordsService::CreateCourse, *request, response);
  }
  grpc::Status GetCourse(grpc::ServerContext* context,
                         const v1::GetCourseRequest* request,
                         v1::TreatmentCourse* response) override {
    return Run(*context, &RecordsService::GetCourse, *request, response);
  }
  grpc::Status ListCourses(grpc::ServerContext* context,
                           const v1::ListCoursesRequest* request,
                           v1::ListCoursesResponse* response) override {
    return Run(*context, &RecordsService::ListCourses, *request, response);
  }
  grpc::Status AmendCourse(grpc::ServerContext* context,
                           const v1::AmendCourseRequest* request,
                           v1::TreatmentCourse* response) override {
    return Run(*context, &RecordsService::AmendCourse, *request, response);
  }
  grpc::Status GetCourseSummary(grpc::ServerContext* context,
                                const v1::GetCourseSummaryRequest* request,
                                v1::CourseSummary* response) override {
    return Run(*context, &RecordsService::GetCourseSummary, *request, response);
  }
  grpc::Status LogSession(grpc::ServerContext* context,
                          const v1::LogSessionRequest* request,
                          v1::TreatmentSession* response) override {
    return Run(*context, &RecordsService::LogSession, *request, response);
  }
  grpc::Status GetSession(grpc::ServerContext* context,
                          const v1::GetSessionRequest* request,
                          v1::TreatmentSession* response) override {
    return Run(*context, &RecordsService::GetSession, *request, response);
  }
  grpc::Status ListSessions(grpc::ServerContext* context,
                            const v1::ListSessionsRequest* request,
                            v1::ListSessionsResponse* response) override {
    return Run(*context, &RecordsService::ListSessions, *request, response);
  }
  grpc::Status AmendSession(grpc::ServerContext* context,
                            const v1::AmendSessionRequest* request,
                            v1::TreatmentSession* response) override {
    return Run(*context, &RecordsService::AmendSession, *request, response);
  }
  grpc::Status CreatePhoto(grpc::ServerContext* context,
                           const v1::CreatePhotoRequest* request,
                           v1::OutcomePhoto* response) override {
    return Run(*context, &RecordsService::CreatePhoto, *request, response);
  }
  grpc::Status GetPhoto(grpc::ServerContext* context,
                        const v1::GetPhotoRequest* request,
                        v1::OutcomePhoto* response) override {
    return Run(*context, &RecordsService::GetPhoto, *request, response);
  }
  grpc::Status ListPhotos(grpc::ServerContext* context,
                          const v1::ListPhotosRequest* request,
                          v1::ListPhotosResponse* response) override {
    return Run(*context, &RecordsService::ListPhotos, *request, response);
  }
  grpc::Status AmendPhoto(grpc::ServerContext* context,
                          const v1::AmendPhotoRequest* request,
                          v1::OutcomePhoto* response) override {
    return Run(*context, &RecordsService::AmendPhoto, *request, response);
  }
  grpc::Status PairCoursePhotos(
      grpc::ServerContext* context, const v1::PairCoursePhotosRequest* request,
      v1::PairCoursePhotosResponse* response) override {
    return Run(*context, &RecordsService::PairCoursePhotos, *request, response);
  }
  grpc::Status ListRevisions(grpc::ServerContext* context,
                             const v1::ListRevisionsRequest* request,
                             v1::ListRevisionsResponse* response) override {
    return Run(*context, &RecordsService::ListRevisions, *request, response);
  }
  grpc::Status ExportPatientRecord(
      grpc::ServerContext* context,
      const v1::ExportPatientRecordRequest* request,
      v1::ExportPatientRecordResponse* response) override {
    return Run(*context, &RecordsService::ExportPatientRecord, *request,
               response);
  }

 private:
  template <typename Request, typename Response>
  grpc::Status Run(const grpc::ServerContext& context,
                   absl::StatusOr<Response> (RecordsService::*method)(
                       AuditedCall&, const Request&),
                   const Request& request, Response* response) {
    return RunCall(env_, context, v1::TreatmentRecords::service_full_name(),
                   service_, method, request, response);
  }

  RecordsService& service_;
  const CallEnvironment& env_;
};

// ConsentsGrpc serves v1.Consents over `service` in `env`; both must outlive
// it.
class ConsentsGrpc final : public v1::Consents::Service {
 public:
  ConsentsGrpc(ConsentsService& service, const CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::Status PublishInstructionSet(
      grpc::ServerContext* context,
      const v1::PublishInstructionSetRequest* request,
      v1::InstructionSet* response) override {
    return Run(*context, &ConsentsService::PublishInstructionSet, *request,
               response);
  }
  grpc::Status GetInstructionSet(grpc::ServerContext* context,
                                 const v1::GetInstructionSetRequest* request,
                                 v1::InstructionSet* response) override {
    return Run(*context, &ConsentsService::GetInstructionSet, *request,
               response);
  }
  grpc::Status ListInstructionSets(
      grpc::ServerContext* context,
      const v1::ListInstructionSetsRequest* request,
      v1::ListInstructionSetsResponse* response) override {
    return Run(*context, &ConsentsService::ListInstructionSets, *request,
               response);
  }
  grpc::Status ListInstructionSetRevisions(
      grpc::ServerContext* context,
      const v1::ListInstructionSetRevisionsRequest* request,
      v1::ListInstructionSetRevisionsResponse* response) override {
    return Run(*context, &ConsentsService::ListInstructionSetRevisions,
               *request, response);
  }
  grpc::Status RecordConsent(grpc::ServerContext* context,
                             const v1::RecordConsentRequest* request,
                             v1::Consent* response) override {
    return Run(*context, &ConsentsService::RecordConsent, *request, response);
  }
  grpc::Status GetConsent(grpc::ServerContext* context,
                          const v1::GetConsentRequest* request,
                          v1::Consent* response) override {
    return Run(*context, &ConsentsService::GetConsent, *request, response);
  }
  grpc::Status ListConsents(grpc::ServerContext* context,
                            const v1::ListConsentsRequest* request,
                            v1::ListConsentsResponse* response) override {
    return Run(*context, &ConsentsService::ListConsents, *request, response);
  }
  grpc::Status RevokeConsent(grpc::ServerContext* context,
                             const v1::RevokeConsentRequest* request,
                             v1::Consent* response) override {
    return Run(*context, &ConsentsService::RevokeConsent, *request, response);
  }
  grpc::Status MarkConsentEnteredInError(
      grpc::ServerContext* context,
      const v1::MarkConsentEnteredInErrorRequest* request,
      v1::Consent* response) override {
    return Run(*context, &ConsentsService::MarkConsentEnteredInError, *request,
               response);
  }
  grpc::Status ListConsentHistory(
      grpc::ServerContext* context,
      const v1::ListConsentHistoryRequest* request,
      v1::ListConsentHistoryResponse* response) override {
    return Run(*context, &ConsentsService::ListConsentHistory, *request,
               response);
  }
  grpc::Status GetConsentStateAt(
      grpc::ServerContext* context, const v1::GetConsentStateAtRequest* request,
      v1::GetConsentStateAtResponse* response) override {
    return Run(*context, &ConsentsService::GetConsentStateAt, *request,
               response);
  }
  grpc::Status GetConsentCoverage(
      grpc::ServerContext* context,
      const v1::GetConsentCoverageRequest* request,
      v1::GetConsentCoverageResponse* response) override {
    return Run(*context, &ConsentsService::GetConsentCoverage, *request,
               response);
  }
  grpc::Status VerifyConsent(grpc::ServerContext* context,
                             const v1::VerifyConsentRequest* request,
                             v1::VerifyConsentResponse* response) override {
    return Run(*context, &ConsentsService::VerifyConsent, *request, response);
  }

 private:
  template <typename Request, typename Response>
  grpc::Status Run(const grpc::ServerContext& context,
                   absl::StatusOr<Response> (ConsentsService::*method)(
                       AuditedCall&, const Request&),
                   const Request& request, Response* response) {
    return RunCall(env_, context, v1::Consents::service_full_name(), service_,
                   method, request, response);
  }

  ConsentsService& service_;
  const CallEnvironment& env_;
};

// AuditGrpc serves v1.Audit over `service` in `env`; both must outlive it.
class AuditGrpc final : public v1::Audit::Service {
 public:
  AuditGrpc(AuditService& service, const CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override {
    return Run(*context, &AuditService::ListAuditEvents, *request, response);
  }
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override {
    return Run(*context, &AuditService::VerifyAuditLog, *request, response);
  }
  grpc::Status GetAuditCheckpoint(grpc::ServerContext* context,
                                  const v1::GetAuditCheckpointRequest* request,
                                  v1::AuditCheckpoint* response) override {
    return Run(*context, &AuditService::GetAuditCheckpoint, *request, response);
  }

 private:
  template <typename Request, typename Response>
  grpc::Status Run(const grpc::ServerContext& context,
                   absl::StatusOr<Response> (AuditService::*method)(
                       AuditedCall&, const Request&),
                   const Request& request, Response* response) {
    return RunCall(env_, context, v1::Audit::service_full_name(), service_,
                   method, request, response);
  }

  AuditService& service_;
  const CallEnvironment& env_;
};

// AdminGrpc serves v1.Admin over `service` in `env`; both must outlive it.
class AdminGrpc final : public v1::Admin::Service {
 public:
  AdminGrpc(AdminService& service, const CallEnvironment& env)
      : service_(service), env_(env) {}

  grpc::Status BackupDatabase(grpc::ServerContext* context,
                              const v1::BackupDatabaseRequest* request,
                              v1::BackupDatabaseResponse* response) override {
    return Run(*context, &AdminService::BackupDatabase, *request, response);
  }

 private:
  template <typename Request, typename Response>
  grpc::Status Run(const grpc::ServerContext& context,
                   absl::StatusOr<Response> (AdminService::*method)(
                       AuditedCall&, const Request&),
                   const Request& request, Response* response) {
    return RunCall(env_, context, v1::Admin::service_full_name(), service_,
                   method, request, response);
  }

  AdminService& service_;
  const CallEnvironment& env_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_

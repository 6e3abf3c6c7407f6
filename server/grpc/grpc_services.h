// The gRPC face of the services: one thin handler per RPC that admits the
// call (authentication and authorization, server/auth/grpc_auth.h), forwards
// to RecordsService / ConsentsService / AuditService, has the call audited
// (AuditLog::Finish, unless the service already stored the event in its
// write transaction) and only then converts the result. If the audit event
// cannot be stored the call fails and returns no data.
#ifndef MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_
#define MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_

#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "server/audit/call_audit.h"
#include "server/auth/authenticator.h"
#include "server/service/admin_service.h"
#include "server/service/audit_service.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// TreatmentRecordsGrpc serves v1.TreatmentRecords over `service` to the
// callers `auth` admits, auditing every call in `audit`; all must outlive it.
class TreatmentRecordsGrpc final : public v1::TreatmentRecords::Service {
 public:
  TreatmentRecordsGrpc(RecordsService& service, const Authenticator& auth,
                       AuditLog& audit)
      : service_(service), auth_(auth), audit_(audit) {}
  static const char* ServiceName() {
    return v1::TreatmentRecords::service_full_name();
  }

#define MNR_DECLARE_RPC(Method, Request, Response)                        \
  grpc::Status Method(grpc::ServerContext* context,                       \
                      const v1::Request* request, v1::Response* response) \
      override;
  MNR_DECLARE_RPC(CreatePatient, CreatePatientRequest, Patient)
  MNR_DECLARE_RPC(GetPatient, GetPatientRequest, Patient)
  MNR_DECLARE_RPC(ListPatients, ListPatientsRequest, ListPatientsResponse)
  MNR_DECLARE_RPC(AmendPatient, AmendPatientRequest, Patient)
  MNR_DECLARE_RPC(CreateCourse, CreateCourseRequest, TreatmentCourse)
  MNR_DECLARE_RPC(GetCourse, GetCourseRequest, TreatmentCourse)
  MNR_DECLARE_RPC(ListCourses, ListCoursesRequest, ListCoursesResponse)
  MNR_DECLARE_RPC(AmendCourse, AmendCourseRequest, TreatmentCourse)
  MNR_DECLARE_RPC(GetCourseSummary, GetCourseSummaryRequest, CourseSummary)
  MNR_DECLARE_RPC(LogSession, LogSessionRequest, TreatmentSession)
  MNR_DECLARE_RPC(GetSession, GetSessionRequest, TreatmentSession)
  MNR_DECLARE_RPC(ListSessions, ListSessionsRequest, ListSessionsResponse)
  MNR_DECLARE_RPC(AmendSession, AmendSessionRequest, TreatmentSession)
  MNR_DECLARE_RPC(CreatePhoto, CreatePhotoRequest, OutcomePhoto)
  MNR_DECLARE_RPC(GetPhoto, GetPhotoRequest, OutcomePhoto)
  MNR_DECLARE_RPC(ListPhotos, ListPhotosRequest, ListPhotosResponse)
  MNR_DECLARE_RPC(AmendPhoto, AmendPhotoRequest, OutcomePhoto)
  MNR_DECLARE_RPC(PairCoursePhotos, PairCoursePhotosRequest,
                  PairCoursePhotosResponse)
  MNR_DECLARE_RPC(ListRevisions, ListRevisionsRequest, ListRevisionsResponse)
  MNR_DECLARE_RPC(ExportPatientRecord, ExportPatientRecordRequest,
                  ExportPatientRecordResponse)

 private:
  RecordsService& service_;
  const Authenticator& auth_;
  AuditLog& audit_;
};

// ConsentsGrpc serves v1.Consents over `service` to the callers `auth`
// admits, auditing every call in `audit`; all must outlive it.
class ConsentsGrpc final : public v1::Consents::Service {
 public:
  ConsentsGrpc(ConsentsService& service, const Authenticator& auth,
               AuditLog& audit)
      : service_(service), auth_(auth), audit_(audit) {}
  static const char* ServiceName() { return v1::Consents::service_full_name(); }

  MNR_DECLARE_RPC(PublishInstructionSet, PublishInstructionSetRequest,
                  InstructionSet)
  MNR_DECLARE_RPC(GetInstructionSet, GetInstructionSetRequest, InstructionSet)
  MNR_DECLARE_RPC(ListInstructionSets, ListInstructionSetsRequest,
                  ListInstructionSetsResponse)
  MNR_DECLARE_RPC(ListInstructionSetRevisions,
                  ListInstructionSetRevisionsRequest,
                  ListInstructionSetRevisionsResponse)
  MNR_DECLARE_RPC(RecordConsent, RecordConsentRequest, Consent)
  MNR_DECLARE_RPC(GetConsent, GetConsentRequest, Consent)
  MNR_DECLARE_RPC(ListConsents, ListConsentsRequest, ListConsentsResponse)
  MNR_DECLARE_RPC(RevokeConsent, RevokeConsentRequest, Consent)
  MNR_DECLARE_RPC(MarkConsentEnteredInError, MarkConsentEnteredInErrorRequest,
                  Consent)
  MNR_DECLARE_RPC(ListConsentHistory, ListConsentHistoryRequest,
                  ListConsentHistoryResponse)
  MNR_DECLARE_RPC(GetConsentStateAt, GetConsentStateAtRequest,
                  GetConsentStateAtResponse)
  MNR_DECLARE_RPC(GetConsentCoverage, GetConsentCoverageRequest,
                  GetConsentCoverageResponse)
  MNR_DECLARE_RPC(VerifyConsent, VerifyConsentRequest, VerifyConsentResponse)

 private:
  ConsentsService& service_;
  const Authenticator& auth_;
  AuditLog& audit_;
};

// AuditGrpc serves v1.Audit over `service` to the callers `auth` admits,
// auditing every call in `audit`; all must outlive it.
class AuditGrpc final : public v1::Audit::Service {
 public:
  AuditGrpc(AuditService& service, const Authenticator& auth, AuditLog& audit)
      : service_(service), auth_(auth), audit_(audit) {}
  static const char* ServiceName() { return v1::Audit::service_full_name(); }

  MNR_DECLARE_RPC(ListAuditEvents, ListAuditEventsRequest,
                  ListAuditEventsResponse)
  MNR_DECLARE_RPC(VerifyAuditLog, VerifyAuditLogRequest, VerifyAuditLogResponse)
  MNR_DECLARE_RPC(GetAuditCheckpoint, GetAuditCheckpointRequest,
                  AuditCheckpoint)

 private:
  AuditService& service_;
  const Authenticator& auth_;
  AuditLog& audit_;
};

// AdminGrpc serves v1.Admin over `service` to the callers `auth` admits,
// auditing every call in `audit`; all must outlive it.
class AdminGrpc final : public v1::Admin::Service {
 public:
  AdminGrpc(AdminService& service, const Authenticator& auth, AuditLog& audit)
      : service_(service), auth_(auth), audit_(audit) {}
  static const char* ServiceName() { return v1::Admin::service_full_name(); }

  MNR_DECLARE_RPC(BackupDatabase, BackupDatabaseRequest, BackupDatabaseResponse)
#undef MNR_DECLARE_RPC

 private:
  AdminService& service_;
  const Authenticator& auth_;
  AuditLog& audit_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_SERVICES_H_

#include "server/grpc/grpc_services.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/grpc/grpc_auth.h"
#include "server/grpc/grpc_status.h"

namespace mnrecords {
namespace {

// Respond has the call audited, then moves a result into the gRPC response
// or returns its error. A successful call whose audit event cannot be stored
// fails with the store's error and returns nothing.
template <typename Response>
grpc::Status Respond(AuditLog& audit, const CallContext& call,
                     const google::protobuf::Message& request,
                     absl::StatusOr<Response> result, Response* response) {
  const absl::Status audited = audit.Finish(call, result.status(), request);
  if (!result.ok()) return ToGrpcStatus(result.status());
  if (!audited.ok()) {
    return ToGrpcStatus(absl::Status(
        audited.code(), absl::StrCat("the audit event of this call could not "
                                     "be stored, so no data is returned: ",
                                     audited.message())));
  }
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

// Every RPC: admit the call (authentication, authorization), run the
// service, have the outcome audited, respond. A refused call is audited too.
#define MNR_DEFINE_RPC(Class, Method, Request, Response)                   \
  grpc::Status Class::Method(grpc::ServerContext* context,                 \
                             const v1::Request* req, v1::Response* resp) { \
    CallContext call =                                                     \
        UnadmittedCallContext(*context, Class::ServiceName(), #Method);    \
    if (absl::Status admitted = AdmitCall(auth_, *context, *req, call);    \
        !admitted.ok()) {                                                  \
      return Respond(audit_, call, *req,                                   \
                     absl::StatusOr<v1::Response>(admitted), resp);        \
    }                                                                      \
    return Respond(audit_, call, *req, service_.Method(call, *req), resp); \
  }

MNR_DEFINE_RPC(TreatmentRecordsGrpc, CreatePatient, CreatePatientRequest,
               Patient)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, GetPatient, GetPatientRequest, Patient)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ListPatients, ListPatientsRequest,
               ListPatientsResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, AmendPatient, AmendPatientRequest, Patient)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, CreateCourse, CreateCourseRequest,
               TreatmentCourse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, GetCourse, GetCourseRequest,
               TreatmentCourse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ListCourses, ListCoursesRequest,
               ListCoursesResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, AmendCourse, AmendCourseRequest,
               TreatmentCourse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, GetCourseSummary, GetCourseSummaryRequest,
               CourseSummary)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, LogSession, LogSessionRequest,
               TreatmentSession)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, GetSession, GetSessionRequest,
               TreatmentSession)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ListSessions, ListSessionsRequest,
               ListSessionsResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, AmendSession, AmendSessionRequest,
               TreatmentSession)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, CreatePhoto, CreatePhotoRequest,
               OutcomePhoto)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, GetPhoto, GetPhotoRequest, OutcomePhoto)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ListPhotos, ListPhotosRequest,
               ListPhotosResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, AmendPhoto, AmendPhotoRequest,
               OutcomePhoto)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, PairCoursePhotos, PairCoursePhotosRequest,
               PairCoursePhotosResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ListRevisions, ListRevisionsRequest,
               ListRevisionsResponse)
MNR_DEFINE_RPC(TreatmentRecordsGrpc, ExportPatientRecord,
               ExportPatientRecordRequest, ExportPatientRecordResponse)

MNR_DEFINE_RPC(ConsentsGrpc, PublishInstructionSet,
               PublishInstructionSetRequest, InstructionSet)
MNR_DEFINE_RPC(ConsentsGrpc, GetInstructionSet, GetInstructionSetRequest,
               InstructionSet)
MNR_DEFINE_RPC(ConsentsGrpc, ListInstructionSets, ListInstructionSetsRequest,
               ListInstructionSetsResponse)
MNR_DEFINE_RPC(ConsentsGrpc, ListInstructionSetRevisions,
               ListInstructionSetRevisionsRequest,
               ListInstructionSetRevisionsResponse)
MNR_DEFINE_RPC(ConsentsGrpc, RecordConsent, RecordConsentRequest, Consent)
MNR_DEFINE_RPC(ConsentsGrpc, GetConsent, GetConsentRequest, Consent)
MNR_DEFINE_RPC(ConsentsGrpc, ListConsents, ListConsentsRequest,
               ListConsentsResponse)
MNR_DEFINE_RPC(ConsentsGrpc, RevokeConsent, RevokeConsentRequest, Consent)
MNR_DEFINE_RPC(ConsentsGrpc, MarkConsentEnteredInError,
               MarkConsentEnteredInErrorRequest, Consent)
MNR_DEFINE_RPC(ConsentsGrpc, ListConsentHistory, ListConsentHistoryRequest,
               ListConsentHistoryResponse)
MNR_DEFINE_RPC(ConsentsGrpc, GetConsentStateAt, GetConsentStateAtRequest,
               GetConsentStateAtResponse)
MNR_DEFINE_RPC(ConsentsGrpc, GetConsentCoverage, GetConsentCoverageRequest,
               GetConsentCoverageResponse)
MNR_DEFINE_RPC(ConsentsGrpc, VerifyConsent, VerifyConsentRequest,
               VerifyConsentResponse)

MNR_DEFINE_RPC(AuditGrpc, ListAuditEvents, ListAuditEventsRequest,
               ListAuditEventsResponse)
MNR_DEFINE_RPC(AuditGrpc, VerifyAuditLog, VerifyAuditLogRequest,
               VerifyAuditLogResponse)
MNR_DEFINE_RPC(AuditGrpc, GetAuditCheckpoint, GetAuditCheckpointRequest,
               AuditCheckpoint)
MNR_DEFINE_RPC(AdminGrpc, BackupDatabase, BackupDatabaseRequest,
               BackupDatabaseResponse)
#undef MNR_DEFINE_RPC

}  // namespace mnrecords

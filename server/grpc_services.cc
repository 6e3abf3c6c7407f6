#include "server/grpc_services.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/grpc_status.h"

namespace mnrecords {
namespace {

// Respond moves a result into the gRPC response or returns its error.
template <typename Response>
grpc::Status Respond(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// MakeCallContext describes the call. Until authentication exists every
// caller is the anonymous principal.
CallContext MakeCallContext(const grpc::ServerContext& context,
                            absl::string_view service,
                            absl::string_view method) {
  CallContext call;
  call.method = absl::StrCat("/", service, "/", method);
  call.peer = context.peer();
  call.principal.id = "anonymous";
  call.principal.display_name = "anonymous (no authentication configured)";
  return call;
}

}  // namespace

#define MNR_DEFINE_RPC(Class, Method, Request, Response)                     \
  grpc::Status Class::Method(grpc::ServerContext* context,                   \
                             const v1::Request* req, v1::Response* resp) {   \
    return Respond(                                                          \
        service_.Method(                                                     \
            MakeCallContext(*context, Class::ServiceName(), #Method), *req), \
        resp);                                                               \
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
#undef MNR_DEFINE_RPC

}  // namespace mnrecords

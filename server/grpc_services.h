// The gRPC face of the services: one thin handler per RPC that forwards to
// RecordsService / ConsentsService and converts the result.
#ifndef MNRECORDS_SERVER_GRPC_SERVICES_H_
#define MNRECORDS_SERVER_GRPC_SERVICES_H_

#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "server/consents_service.h"
#include "server/records_service.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// TreatmentRecordsGrpc serves v1.TreatmentRecords over `service`, which
// must outlive it.
class TreatmentRecordsGrpc final : public v1::TreatmentRecords::Service {
 public:
  explicit TreatmentRecordsGrpc(RecordsService& service) : service_(service) {}
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
};

// ConsentsGrpc serves v1.Consents over `service`, which must outlive it.
class ConsentsGrpc final : public v1::Consents::Service {
 public:
  explicit ConsentsGrpc(ConsentsService& service) : service_(service) {}
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
#undef MNR_DECLARE_RPC

 private:
  ConsentsService& service_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_SERVICES_H_

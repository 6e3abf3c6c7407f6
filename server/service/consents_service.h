// ConsentsService implements the Consents API as a plain C++ class:
// instruction set revisions (publish, read) and patients' consents (record,
// read, revoke). Same error, read and write conventions as RecordsService.
//
// Thread safety: all methods may be called concurrently. The request and
// the call must outlive the reply.
#ifndef MNRECORDS_SERVER_SERVICE_CONSENTS_SERVICE_H_
#define MNRECORDS_SERVER_SERVICE_CONSENTS_SERVICE_H_

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/consents_service.pb.h"
#include "common/clock.h"
#include "plugins/api/plugin_host.h"
#include "server/audit/audited_call.h"
#include "server/records/reply.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

class ConsentsService {
 public:
  // `store`, `clock` and `plugins` must outlive the service. `plugins`
  // checks records before they are stored (nullptr = no plugins).
  ConsentsService(Store& store, const Clock& clock,
                  const plugins::PluginHost* plugins = nullptr)
      : store_(store),
        clock_(clock),
        plugins_(plugins != nullptr ? *plugins : plugins::PluginHost::None()) {}

  void PublishInstructionSet(AuditedCall& call,
                             const v1::PublishInstructionSetRequest& r,
                             Reply<v1::InstructionSet> reply);
  absl::StatusOr<v1::InstructionSet> GetInstructionSet(
      AuditedCall& call, const v1::GetInstructionSetRequest& r);
  absl::StatusOr<v1::ListInstructionSetsResponse> ListInstructionSets(
      AuditedCall& call, const v1::ListInstructionSetsRequest& r);
  absl::StatusOr<v1::ListInstructionSetRevisionsResponse>
  ListInstructionSetRevisions(AuditedCall& call,
                              const v1::ListInstructionSetRevisionsRequest& r);

  void RecordConsent(AuditedCall& call, const v1::RecordConsentRequest& r,
                     Reply<v1::Consent> reply);
  absl::StatusOr<v1::Consent> GetConsent(AuditedCall& call,
                                         const v1::GetConsentRequest& r);
  absl::StatusOr<v1::ListConsentsResponse> ListConsents(
      AuditedCall& call, const v1::ListConsentsRequest& r);
  void RevokeConsent(AuditedCall& call, const v1::RevokeConsentRequest& r,
                     Reply<v1::Consent> reply);
  // MarkConsentEnteredInError: a new revision in state ENTERED_IN_ERROR.
  // FAILED_PRECONDITION if it already is.
  void MarkConsentEnteredInError(AuditedCall& call,
                                 const v1::MarkConsentEnteredInErrorRequest& r,
                                 Reply<v1::Consent> reply);

  // ---- Auditor reports (consent_reports.cc) ----
  absl::StatusOr<v1::ListConsentHistoryResponse> ListConsentHistory(
      AuditedCall& call, const v1::ListConsentHistoryRequest& r);
  absl::StatusOr<v1::GetConsentStateAtResponse> GetConsentStateAt(
      AuditedCall& call, const v1::GetConsentStateAtRequest& r);
  absl::StatusOr<v1::GetConsentCoverageResponse> GetConsentCoverage(
      AuditedCall& call, const v1::GetConsentCoverageRequest& r);
  absl::StatusOr<v1::VerifyConsentResponse> VerifyConsent(
      AuditedCall& call, const v1::VerifyConsentRequest& r);

 private:
  Store& store_;
  const Clock& clock_;
  const plugins::PluginHost& plugins_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_CONSENTS_SERVICE_H_

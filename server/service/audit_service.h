// AuditService implements the Audit API as a plain C++ class: list the
// audit log, verify its hash chain (optionally against a checkpoint), and
// hand out checkpoints. It only reads; its own calls are audited by the
// gRPC layer like every other call.
//
// Thread safety: all methods may be called concurrently.
#ifndef MNRECORDS_SERVER_SERVICE_AUDIT_SERVICE_H_
#define MNRECORDS_SERVER_SERVICE_AUDIT_SERVICE_H_

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/audit_service.pb.h"
#include "plugins/api/audit_exporter.h"
#include "server/audit/audited_call.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ToAuditEventProto converts a stored event to the API resource.
v1::AuditEvent ToAuditEventProto(const AuditEvent& event);

class AuditService {
 public:
  // `store` and `exporters` (if not null) must outlive the service.
  explicit AuditService(
      Store& store, const plugins::AuditExporterRegistry* exporters = nullptr)
      : store_(store), exporters_(exporters) {}

  // ListAuditEvents: one page of events, oldest first. INVALID_ARGUMENT for
  // a malformed parent, filter or page token.
  absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
      AuditedCall& call, const v1::ListAuditEventsRequest& r);

  // ExportAuditEvents: the page ListAuditEvents would return for r.query
  // (1000 events unless it asks for fewer) as one document of r.format
  // (plugins/api/audit_exporter.h). INVALID_ARGUMENT naming the field
  // (query.* for the query's) for a bad query or an unknown format.
  absl::StatusOr<v1::ExportAuditEventsResponse> ExportAuditEvents(
      AuditedCall& call, const v1::ExportAuditEventsRequest& r);

  // VerifyAuditLog walks [start_sequence, end_sequence] (up to the head it
  // reads first; long ranges in parallel chunks, server/audit_verify.h) and
  // checks, for each event: its sequence follows the previous one,
  // prev_hash equals the previous event's hash, and hash equals
  // AuditEventHash(prev_hash, event). With a checkpoint, the event at the
  // checkpoint's sequence must exist with the checkpoint's hash. A broken
  // chain is an OK call with ok=false; INVALID_ARGUMENT for a bad range.
  absl::StatusOr<v1::VerifyAuditLogResponse> VerifyAuditLog(
      AuditedCall& call, const v1::VerifyAuditLogRequest& r);

  // GetAuditCheckpoint returns the last event's sequence, hash and time
  // (sequence 0 for an empty log).
  absl::StatusOr<v1::AuditCheckpoint> GetAuditCheckpoint(
      AuditedCall& call, const v1::GetAuditCheckpointRequest& r);

  // VerifyRecords checks the whole chain (as VerifyAuditLog, with the
  // checkpoint if given), then every stored revision of the parent's
  // clinic against the content hash its write's event committed
  // (server/audit/records_verify.h). Problems are an OK call with ok=false.
  // INVALID_ARGUMENT for a bad parent, max_problems or checkpoint;
  // PERMISSION_DENIED for clinics/- unless the caller is an admin.
  absl::StatusOr<v1::VerifyRecordsResponse> VerifyRecords(
      AuditedCall& call, const v1::VerifyRecordsRequest& r);

 private:
  // ListPage lists one page for `r`, `default_page_size` events when it
  // asks for none.
  absl::StatusOr<v1::ListAuditEventsResponse> ListPage(
      const v1::ListAuditEventsRequest& r, int default_page_size) const;

  Store& store_;
  const plugins::AuditExporterRegistry* exporters_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_AUDIT_SERVICE_H_

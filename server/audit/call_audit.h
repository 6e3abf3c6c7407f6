// Writing the audit log: one event per call (DESIGN.md "Security"). Writes
// append their event inside their own write transaction (RunOnce calls
// AppendCallEvent); everything else — successful reads and every failed
// call — is appended by AuditLog::Finish, which the gRPC layer calls for
// every RPC before the response leaves the server. The event's actor is the
// CallContext's principal, never a request field.
#ifndef MNRECORDS_SERVER_AUDIT_CALL_AUDIT_H_
#define MNRECORDS_SERVER_AUDIT_CALL_AUDIT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "server/auth/call_context.h"
#include "server/store/store.h"

namespace mnrecords {

// ClinicOfResource returns {clinic} of "clinics/{clinic}/...", else "".
std::string ClinicOfResource(absl::string_view resource);

// AuditResourceOf returns the resource a request names: its `name` field,
// else its `parent`, else the `name` of its first message field that has
// one (the record of an Amend*), else "".
std::string AuditResourceOf(const google::protobuf::Message& request);

// AuditRequestIdOf returns the request's `request_id` field, or "".
std::string AuditRequestIdOf(const google::protobuf::Message& request);

// AppendCallEvent appends the event of `call` in `txn`.
absl::Status AppendCallEvent(WriteTxn& txn, const CallContext& call,
                             absl::Time now, absl::string_view resource,
                             absl::StatusCode outcome,
                             absl::string_view request_id);

// AuditLog appends the events the services did not append themselves.
// Thread safe.
class AuditLog {
 public:
  // `store` and `clock` must outlive the AuditLog. `audit_successful_reads`
  // is false only in the read-cost benchmark (ServerConfig); the server
  // binary has no way to turn it off.
  AuditLog(Store& store, const Clock& clock, bool audit_successful_reads)
      : store_(store),
        clock_(clock),
        audit_successful_reads_(audit_successful_reads) {}

  // Finish appends the event of a call that ended with `outcome` unless the
  // call already stored it (call.audited). OK when the event is stored (or
  // was not needed); otherwise the store's error, and the caller must not
  // return data.
  absl::Status Finish(const CallContext& call, const absl::Status& outcome,
                      const google::protobuf::Message& request);

 private:
  Store& store_;
  const Clock& clock_;
  const bool audit_successful_reads_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_CALL_AUDIT_H_

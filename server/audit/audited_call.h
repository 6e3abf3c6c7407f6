// AuditedCall: one RPC in flight as the services see it — who is calling
// (context()) — and the one audit event the call leaves: every call leaves
// exactly one (docs/api.md "Audit log"). It is the only code that appends a
// call's event, and it appends exactly one:
//   - a call that writes records stores its event in the same write
//     transaction (Write): the event commits or rolls back with the write;
//   - every other call (successful reads, refused and failed calls, and
//     writes whose transaction did not commit) gets its event from Finish,
//     which the gRPC layer calls before the response leaves the server.
// The event's actor is the context's principal, never a request field.
//
// Thread safety: an AuditedCall belongs to one RPC and is used by one
// thread at a time.
#ifndef MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_
#define MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "server/auth/call_context.h"
#include "server/store/store.h"

namespace mnrecords {

// ClinicOfResource returns {clinic} of "clinics/{clinic}/...", else "-"
// (the events of calls that named no clinic are listed under clinics/-).
std::string ClinicOfResource(absl::string_view resource);

// AuditResourceOf returns the resource a request names: its `name` field,
// else its `parent`, else the `name` of its first message field that has
// one (the record of an Amend*), else "".
std::string AuditResourceOf(const google::protobuf::Message& request);

// WrittenResource is what a write reports for its call's event.
struct WrittenResource {
  std::string name;        // the record written (or replayed)
  std::string request_id;  // the request's request_id
};

// AuditOptions say where and how calls are audited.
struct AuditOptions {
  // Finish appends to this store (the inner store, not a disk guard in
  // front of it: audit events may use the disk reserve). Must outlive the
  // calls.
  Store* store = nullptr;
  // Must outlive the calls.
  const Clock* clock = nullptr;
  // false only in the read-cost benchmark: successful reads leave no event.
  bool audit_successful_reads = true;
};

class AuditedCall {
 public:
  // `options.store` and `options.clock` must be set.
  AuditedCall(CallContext context, const AuditOptions& options)
      : context_(std::move(context)), options_(options) {}
  AuditedCall(const AuditedCall&) = delete;
  AuditedCall& operator=(const AuditedCall&) = delete;

  const CallContext& context() const { return context_; }
  // context lets the gRPC layer fill in the principal once authenticated.
  CallContext& context() { return context_; }

  // Write runs `fn` in one write transaction of `store` and appends the
  // call's event (outcome OK, resource fn's name) in the same transaction.
  // Returns fn's error (nothing stored), the store's error, or OK once the
  // write and its event are durable; then Finish appends nothing. A write
  // that would start after the context's deadline is not started:
  // DEADLINE_EXCEEDED. FAILED_PRECONDITION if the call already stored its
  // event (a call writes at most once).
  absl::Status Write(
      Store& store,
      absl::FunctionRef<absl::StatusOr<WrittenResource>(WriteTxn&)> fn);

  // Finish appends the event of a call that ended with `outcome` for
  // `request`, unless Write stored it. OK when the event is stored (or was
  // not needed); otherwise the store's error, and the caller must not
  // return data.
  absl::Status Finish(const absl::Status& outcome,
                      const google::protobuf::Message& request);

 private:
  // Append appends the call's event to `txn`.
  absl::Status Append(WriteTxn& txn, absl::string_view resource,
                      absl::StatusCode outcome,
                      absl::string_view request_id) const;

  CallContext context_;
  const AuditOptions options_;
  bool event_stored_ = false;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_

// AuditedCall: one RPC in flight as the services see it — who is calling
// (context()) — and the one audit event the call leaves: every call leaves
// exactly one (docs/api.md "Audit log"). It is the only code that appends a
// call's event, and it appends exactly one:
//   - a call that writes records stores its event in the same write
//     transaction (Submit): the event commits or rolls back with the write;
//   - every other call (successful reads, refused and failed calls, and
//     writes whose transaction did not commit) gets its event from Finish,
//     which the gRPC layer calls before the response leaves the server.
// The event's actor is the context's principal, never a request field.
// Neither Submit nor Finish waits for the store's writer: each reports
// when the transaction holding the event has committed.
//
// Thread safety: an AuditedCall belongs to one RPC; its steps happen one
// after the other (possibly on different threads), never at once. It must
// outlive its write and its Finish.
#ifndef MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_
#define MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "server/audit/disclosed_records.h"
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

// CallWrite is what a call writes: AuditedCall::Submit hands it to the
// store's writer with the call's audit event in the same transaction.
class CallWrite {
 public:
  virtual ~CallWrite() = default;
  // Apply makes the writes in `txn` and names the record written (or the
  // one a retried request_id produced first) for the event.
  virtual absl::StatusOr<WrittenResource> Apply(WriteTxn& txn) = 0;
  // Done is told the outcome once (WriteOp::Done): OK when the writes and
  // the event are durable. It runs on the writer's thread: no blocking.
  virtual void Done(absl::Status status) = 0;
};

// AuditDone is told whether the event of a finishing call is stored.
using AuditDone = absl::AnyInvocable<void(absl::Status audited) &&>;

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

  // Submit hands `write` to `store`'s writer; its Apply runs in a write
  // transaction and the call's event (outcome OK, resource the record it
  // names) is appended in the same one. Done gets Apply's error (nothing
  // stored), the store's error, or OK once write and event are durable;
  // then Finish appends nothing. A write that would start after the
  // context's deadline is not started: DEADLINE_EXCEEDED.
  // FAILED_PRECONDITION if the call already stored its event (a call
  // writes at most once).
  void Submit(Store& store, std::unique_ptr<CallWrite> write);

  // Finish appends the event of a call that ended with `outcome` for
  // `request` (read now, not kept), unless the call's write stored it, and
  // tells `done`: OK when the event is stored (or was not needed),
  // otherwise the store's error — then the caller must not return data.
  // `done` may run inside Finish or later on the writer's thread.
  void Finish(const absl::Status& outcome,
              const google::protobuf::Message& request, AuditDone done);

  // NoteDisclosed adds what `response` discloses to the event Finish
  // appends (DisclosedRecords): the patients whose records it names. Call
  // it for each response that leaves the server, before Finish (a unary
  // call's only on success); a call that stored its event with its write
  // discloses nothing more.
  void NoteDisclosed(const google::protobuf::Message& response);

  // set_resource names the resource Finish records for a call whose request
  // names none (e.g. the configuration a reload applied); by default the
  // resource is AuditResourceOf(request).
  void set_resource(std::string resource) { resource_ = std::move(resource); }

 private:
  class EventOnly;
  class WriteWithEvent;

  // Append appends the call's event to `txn`, with the revisions the
  // transaction wrote from index `first_written` of txn.written() on.
  // `accessed` is what the call disclosed (audit_access.h), "" if nothing.
  absl::Status Append(WriteTxn& txn, absl::string_view resource,
                      absl::StatusCode outcome, absl::string_view request_id,
                      size_t first_written, std::string accessed = "") const;

  CallContext context_;
  const AuditOptions options_;
  std::string resource_;  // set_resource; "" = the request's
  DisclosedRecords disclosed_;
  bool event_stored_ = false;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_AUDITED_CALL_H_

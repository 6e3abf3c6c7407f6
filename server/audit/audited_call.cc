#include "server/audit/audited_call.h"

#include <optional>
#include <vector>

#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "server/store/revision_hash.h"

namespace mnrecords {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;

// StringField returns the singular string field `field` of `m`, or "".
std::string StringField(const Message& m, const char* field) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

}  // namespace

std::string ClinicOfResource(absl::string_view resource) {
  if (!absl::ConsumePrefix(&resource, "clinics/")) return "-";
  const absl::string_view clinic = resource.substr(0, resource.find('/'));
  return clinic.empty() ? "-" : std::string(clinic);
}

std::string AuditResourceOf(const Message& request) {
  for (const char* field : {"name", "parent"}) {
    std::string value = StringField(request, field);
    if (!value.empty()) return value;
  }
  const google::protobuf::Descriptor* d = request.GetDescriptor();
  const google::protobuf::Reflection* r = request.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        !r->HasField(request, f)) {
      continue;
    }
    std::string value = StringField(r->GetMessage(request, f), "name");
    if (!value.empty()) return value;
  }
  return "";
}

absl::Status AuditedCall::Append(WriteTxn& txn, absl::string_view resource,
                                 absl::StatusCode outcome,
                                 absl::string_view request_id,
                                 size_t first_written,
                                 std::string accessed) const {
  AuditEvent event;
  event.time = options_.clock->Now();
  event.principal = context_.principal.id;
  event.role = std::string(RoleName(context_.principal.role));
  event.action = context_.method;
  event.clinic = ClinicOfResource(resource);
  event.resource = std::string(resource);
  event.outcome = static_cast<int32_t>(outcome);
  event.peer = context_.peer;
  event.request_id = std::string(request_id);
  event.accessed = std::move(accessed);
  const std::vector<RevisionDigest>& written = txn.written();
  if (first_written < written.size()) {
    event.revisions = EncodeRevisionDigests(std::vector<RevisionDigest>(
        written.begin() + first_written, written.end()));
  }
  return txn.AppendAuditEvent(event).status();
}

// WriteWithEvent is a call's write with its event appended after it.
class AuditedCall::WriteWithEvent final : public WriteOp {
 public:
  WriteWithEvent(AuditedCall& call, std::unique_ptr<CallWrite> write)
      : call_(call), write_(std::move(write)) {}

  absl::Status Apply(WriteTxn& txn) override {
    // The caller has given up (e.g. the call waited for the writer): do
    // not store what nobody will be told about.
    if (absl::Now() > call_.context_.deadline) {
      return absl::DeadlineExceededError(
          "the call's deadline passed before its write could start; nothing "
          "was stored");
    }
    // The revisions it writes are changes made by the call's principal.
    txn.set_principal(call_.context_.principal.id);
    // The event commits to the content of every revision this write
    // stores: those the transaction notes from here on.
    const size_t first_written = txn.written().size();
    MNR_ASSIGN_OR_RETURN(const WrittenResource written, write_->Apply(txn));
    return call_.Append(txn, written.name, absl::StatusCode::kOk,
                        written.request_id, first_written);
  }
  void Done(absl::Status status) override {
    if (status.ok()) call_.event_stored_ = true;
    write_->Done(std::move(status));
  }

 private:
  AuditedCall& call_;
  std::unique_ptr<CallWrite> write_;
};

// EventOnly stores the event of a call that wrote nothing.
class AuditedCall::EventOnly final : public WriteOp {
 public:
  EventOnly(AuditedCall& call, absl::StatusCode outcome, std::string resource,
            std::string request_id, std::string accessed, AuditDone done)
      : call_(call),
        outcome_(outcome),
        resource_(std::move(resource)),
        request_id_(std::move(request_id)),
        accessed_(std::move(accessed)),
        done_(std::move(done)) {}

  absl::Status Apply(WriteTxn& txn) override {
    return call_.Append(txn, resource_, outcome_, request_id_,
                        txn.written().size(), accessed_);
  }
  void Done(absl::Status status) override {
    if (status.ok()) call_.event_stored_ = true;
    std::move(done_)(std::move(status));
  }

 private:
  AuditedCall& call_;
  const absl::StatusCode outcome_;
  const std::string resource_;
  const std::string request_id_;
  const std::string accessed_;
  AuditDone done_;
};

void AuditedCall::Submit(Store& store, std::unique_ptr<CallWrite> write) {
  if (event_stored_) {
    write->Done(absl::FailedPreconditionError(
        "this call already stored its audit event; a call writes once"));
    return;
  }
  store.Submit(std::make_unique<WriteWithEvent>(*this, std::move(write)));
}

void AuditedCall::Finish(const absl::Status& outcome, const Message& request,
                         AuditDone done) {
  if (event_stored_ || (outcome.ok() && !options_.audit_successful_reads)) {
    std::move(done)(absl::OkStatus());
    return;
  }
  std::string resource =
      resource_.empty() ? AuditResourceOf(request) : resource_;
  // A unary call discloses records only when it succeeds; a stream's
  // responses left whatever its outcome.
  if (outcome.ok()) disclosed_.AddPatientOf(resource);
  std::string accessed = disclosed_.Encoded();
  options_.store->Submit(
      std::make_unique<EventOnly>(*this, outcome.code(), std::move(resource),
                                  StringField(request, "request_id"),
                                  std::move(accessed), std::move(done)));
}

void AuditedCall::NoteDisclosed(const Message& response) {
  if (event_stored_ || !options_.audit_successful_reads) return;
  disclosed_.Add(response);
}

}  // namespace mnrecords

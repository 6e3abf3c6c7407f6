#include "server/audit/audited_call.h"

#include <optional>

#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"

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
                                 absl::string_view request_id) const {
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
  return txn.AppendAuditEvent(event).status();
}

absl::Status AuditedCall::Write(
    Store& store,
    absl::FunctionRef<absl::StatusOr<WrittenResource>(WriteTxn&)> fn) {
  if (event_stored_) {
    return absl::FailedPreconditionError(
        "this call already stored its audit event; a call writes once");
  }
  MNR_RETURN_IF_ERROR(store.Write([&](WriteTxn& txn) -> absl::Status {
    // The caller has given up (e.g. the call waited for the writer): do
    // not store what nobody will be told about.
    if (absl::Now() > context_.deadline) {
      return absl::DeadlineExceededError(
          "the call's deadline passed before its write could start; nothing "
          "was stored");
    }
    MNR_ASSIGN_OR_RETURN(const WrittenResource written, fn(txn));
    return Append(txn, written.name, absl::StatusCode::kOk, written.request_id);
  }));
  event_stored_ = true;
  return absl::OkStatus();
}

absl::Status AuditedCall::Finish(const absl::Status& outcome,
                                 const Message& request) {
  if (event_stored_) return absl::OkStatus();
  if (outcome.ok() && !options_.audit_successful_reads) {
    return absl::OkStatus();
  }
  const std::string resource = AuditResourceOf(request);
  const std::string request_id = StringField(request, "request_id");
  MNR_RETURN_IF_ERROR(options_.store->Write([&](WriteTxn& txn) {
    return Append(txn, resource, outcome.code(), request_id);
  }));
  event_stored_ = true;
  return absl::OkStatus();
}

}  // namespace mnrecords

#include "server/audit/call_audit.h"

#include "absl/strings/strip.h"
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

// ClinicOfResource is the clinic segment of a resource name, or "-" when
// the call named no clinic (listed under clinics/-).
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

std::string AuditRequestIdOf(const Message& request) {
  return StringField(request, "request_id");
}

absl::Status AppendCallEvent(WriteTxn& txn, const CallContext& call,
                             absl::Time now, absl::string_view resource,
                             absl::StatusCode outcome,
                             absl::string_view request_id) {
  AuditEvent event;
  event.time = now;
  event.principal = call.principal.id;
  event.role = std::string(RoleName(call.principal.role));
  event.action = call.method;
  event.clinic = ClinicOfResource(resource);
  event.resource = std::string(resource);
  event.outcome = static_cast<int32_t>(outcome);
  event.peer = call.peer;
  event.request_id = std::string(request_id);
  return txn.AppendAuditEvent(event).status();
}

absl::Status AuditLog::Finish(const CallContext& call,
                              const absl::Status& outcome,
                              const Message& request) {
  if (call.audited) return absl::OkStatus();
  if (outcome.ok() && !audit_successful_reads_) return absl::OkStatus();
  const std::string resource = AuditResourceOf(request);
  const std::string request_id = AuditRequestIdOf(request);
  MNR_RETURN_IF_ERROR(store_.Write([&](WriteTxn& txn) {
    return AppendCallEvent(txn, call, clock_.Now(), resource, outcome.code(),
                           request_id);
  }));
  call.audited = true;
  return absl::OkStatus();
}

}  // namespace mnrecords

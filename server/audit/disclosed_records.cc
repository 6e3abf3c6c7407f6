#include "server/audit/disclosed_records.h"

#include <vector>

#include "google/protobuf/descriptor.h"
#include "server/store/audit_access.h"

namespace mnrecords {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

// kAuditEventType is the API's audit event: its resource names are what a
// call named, not records disclosed.
constexpr absl::string_view kAuditEventType =
    "clinic.microneedling.v1.AuditEvent";

}  // namespace

void DisclosedRecords::Add(const Message& response) {
  const Descriptor* descriptor = response.GetDescriptor();
  if (descriptor->full_name() == kAuditEventType) return;
  const Reflection* reflection = response.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(response, &fields);
  std::string scratch;
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        const int n = reflection->FieldSize(response, f);
        for (int i = 0; i < n; ++i) {
          AddName(
              reflection->GetRepeatedStringReference(response, f, i, &scratch));
        }
      } else {
        AddName(reflection->GetStringReference(response, f, &scratch));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !f->is_map()) {
      if (f->is_repeated()) {
        const int n = reflection->FieldSize(response, f);
        for (int i = 0; i < n; ++i) {
          Add(reflection->GetRepeatedMessage(response, f, i));
        }
      } else {
        Add(reflection->GetMessage(response, f));
      }
    }
  }
}

void DisclosedRecords::AddName(absl::string_view value) {
  const absl::string_view patient = PatientOfResource(value);
  if (patient.empty()) return;
  records_.emplace(value);
  if (!patients_.contains(patient)) patients_.emplace(patient);
}

void DisclosedRecords::AddPatientOf(absl::string_view resource) {
  const absl::string_view patient = PatientOfResource(resource);
  if (!patient.empty() && !patients_.contains(patient)) {
    patients_.emplace(patient);
  }
}

std::string DisclosedRecords::Encoded() const {
  RecordsAccessed accessed;
  accessed.record_count = static_cast<int64_t>(records_.size());
  accessed.patients.assign(patients_.begin(), patients_.end());
  return EncodeRecordsAccessed(accessed);
}

}  // namespace mnrecords

#include "server/audit/disclosed_records.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
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

// DisclosedRecordsPlan is what to read of one message type: its string
// fields and the message fields that can lead to one. Reading only these,
// instead of listing every set field by reflection, keeps the walk cheap
// (profiled: ListFields' presence checks of scalar fields were most of its
// time).
struct DisclosedRecordsPlan {
  std::vector<const FieldDescriptor*> strings;
  std::vector<std::pair<const FieldDescriptor*, const DisclosedRecordsPlan*>>
      messages;
};

namespace {

using WalkPlan = DisclosedRecordsPlan;

// Plans builds and keeps one plan per message type, for the process's
// life (descriptors of generated types live as long).
class Plans {
 public:
  static Plans& Get() {
    static Plans* const plans = new Plans();
    return *plans;
  }

  const WalkPlan& For(const Descriptor* type) {
    absl::MutexLock lock(&mu_);
    return *Build(type);
  }

 private:
  // Build returns the plan of `type`, building it (and those of the types
  // below it) if needed. A message field is kept when its type can lead to
  // a string, or is still being built (a recursive type: it may).
  const WalkPlan* Build(const Descriptor* type)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto [it, inserted] = plans_.try_emplace(type);
    WalkPlan* plan = &it->second;
    if (!inserted || type->full_name() == kAuditEventType) return plan;
    building_.insert(type);
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* f = type->field(i);
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        plan->strings.push_back(f);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                 !f->is_map()) {
        const WalkPlan* child = Build(f->message_type());
        if (building_.contains(f->message_type()) || !child->strings.empty() ||
            !child->messages.empty()) {
          plan->messages.emplace_back(f, child);
        }
      }
    }
    building_.erase(type);
    return plan;
  }

  absl::Mutex mu_;
  // Node-based: plans keep pointers to each other.
  absl::node_hash_map<const Descriptor*, WalkPlan> plans_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<const Descriptor*> building_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void DisclosedRecords::Add(const Message& response) {
  Walk(response, Plans::Get().For(response.GetDescriptor()));
}

void DisclosedRecords::Walk(const Message& m,
                            const DisclosedRecordsPlan& plan) {
  const Reflection* reflection = m.GetReflection();
  std::string scratch;
  for (const FieldDescriptor* f : plan.strings) {
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        AddName(reflection->GetRepeatedStringReference(m, f, i, &scratch));
      }
    } else if (reflection->HasField(m, f)) {
      AddName(reflection->GetStringReference(m, f, &scratch));
    }
  }
  for (const auto& [f, child] : plan.messages) {
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        Walk(reflection->GetRepeatedMessage(m, f, i), *child);
      }
    } else if (reflection->HasField(m, f)) {
      Walk(reflection->GetMessage(m, f), *child);
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

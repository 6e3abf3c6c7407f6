#include "server/grpc/output_only_fields.h"

#include <vector>

#include "clinic/microneedling/v1/field_behavior.pb.h"

namespace mnrecords {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

void Clear(Message& message, int depth) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->options().GetExtension(clinic::microneedling::v1::output_only)) {
      reflection->ClearField(&message, f);
      continue;
    }
    // protobuf's parser caps nesting at 100; ours nests a handful deep.
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || depth > 100) {
      continue;
    }
    if (f->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, f); ++i) {
        Clear(*reflection->MutableRepeatedMessage(&message, f, i), depth + 1);
      }
    } else {
      Clear(*reflection->MutableMessage(&message, f), depth + 1);
    }
  }
}

}  // namespace

void ClearOutputOnlyFields(Message& message) { Clear(message, 0); }

}  // namespace mnrecords

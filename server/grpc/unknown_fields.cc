#include "server/grpc/unknown_fields.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"

namespace mnrecords {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status Check(const Message& message, const std::string& path, int depth) {
  const auto* reflection = message.GetReflection();
  const auto& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path.empty() ? "request" : path, ": field number ",
        unknown.field(0).number(),
        " is unknown to this server (a newer API version?); nothing was "
        "stored"));
  }
  if (depth > 32) return absl::OkStatus();  // protobuf caps nesting anyway
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string sub = path.empty() ? f->name() : path + "." + f->name();
    if (f->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, f); ++i) {
        absl::Status s = Check(reflection->GetRepeatedMessage(message, f, i),
                               absl::StrCat(sub, "[", i, "]"), depth + 1);
        if (!s.ok()) return s;
      }
    } else {
      absl::Status s =
          Check(reflection->GetMessage(message, f), sub, depth + 1);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckNoUnknownFields(const Message& message) {
  return Check(message, "", 0);
}

}  // namespace mnrecords

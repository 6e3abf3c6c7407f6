#include "server/records/idempotency.h"

#include <memory>

#include "common/sha256.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace mnrecords {

std::string RequestDigest(absl::string_view method,
                          const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::FieldDescriptor* id_field =
      copy->GetDescriptor()->FindFieldByName("request_id");
  if (id_field != nullptr)
    copy->GetReflection()->ClearField(copy.get(), id_field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  const absl::string_view name = method.substr(method.rfind('/') + 1);
  return Sha256(absl::StrCat(name, "\n", bytes));
}

}  // namespace mnrecords

#include "client/cli/command_context.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/cli/cli_status.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status Dispatch(const std::string& group, const std::string& verb,
                      const std::vector<Verb>& verbs,
                      const CommandContext& ctx) {
  std::vector<std::string> names;
  for (const Verb& v : verbs) {
    if (verb == v.name) return v.run(ctx);
    names.push_back(v.name);
  }
  return UsageError(absl::StrCat(
      verb.empty() ? "missing command" : "unknown command '" + verb + "'",
      " for ", group, "; expected one of ", absl::StrJoin(names, ", ")));
}

absl::Status LoadFromJson(Message& request, absl::string_view resource_field) {
  if (!FlagSpecified("from_json")) return absl::OkStatus();
  const FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName(std::string(resource_field));
  if (field == nullptr || field->message_type() == nullptr) {
    return absl::InternalError(
        absl::StrCat("no message field ", resource_field));
  }
  const std::string path = absl::GetFlag(FLAGS_from_json);
  std::ifstream in(path);
  if (!in) return UsageError(absl::StrCat("--from_json: cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string json = buffer.str();

  // Parse into fresh messages: a failed parse may leave one half-filled.
  std::unique_ptr<Message> as_request(request.New());
  if (google::protobuf::util::JsonStringToMessage(json, as_request.get())
          .ok()) {
    request.MergeFrom(*as_request);
    return absl::OkStatus();
  }
  std::unique_ptr<Message> as_resource(
      request.GetReflection()->GetMessage(request, field).New());
  auto status =
      google::protobuf::util::JsonStringToMessage(json, as_resource.get());
  if (status.ok()) {
    request.GetReflection()
        ->MutableMessage(&request, field)
        ->MergeFrom(*as_resource);
    return absl::OkStatus();
  }
  return UsageError(absl::StrCat(
      "--from_json: ", path, " holds neither a ",
      request.GetDescriptor()->name(), " nor its ", resource_field, " (",
      field->message_type()->name(), ") in the protobuf JSON mapping: ",
      std::string(status.message().data(), status.message().size())));
}

absl::StatusOr<google::protobuf::FieldMask> ParseUpdateMask() {
  google::protobuf::FieldMask mask;
  for (absl::string_view path : absl::StrSplit(absl::GetFlag(FLAGS_update_mask),
                                               ',', absl::SkipWhitespace())) {
    mask.add_paths(std::string(absl::StripAsciiWhitespace(path)));
  }
  if (mask.paths().empty()) {
    return UsageError(
        "--update_mask is required for amend, e.g. "
        "--update_mask=notes,status (or \"*\" for all fields)");
  }
  return mask;
}

absl::Status CheckMaskHasValues(const Message& resource,
                                const google::protobuf::FieldMask& mask) {
  if (absl::GetFlag(FLAGS_allow_clear)) return absl::OkStatus();
  for (const std::string& path : mask.paths()) {
    if (path == "*") continue;
    const Message* m = &resource;
    bool has_value = true;
    for (absl::string_view part : absl::StrSplit(path, '.')) {
      const FieldDescriptor* f =
          m->GetDescriptor()->FindFieldByName(std::string(part));
      if (f == nullptr) {
        // Unknown paths are the server's to reject, with its own message.
        break;
      }
      const auto* r = m->GetReflection();
      has_value =
          f->is_repeated() ? r->FieldSize(*m, f) > 0 : r->HasField(*m, f);
      if (!has_value || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
          f->is_repeated()) {
        break;
      }
      m = &r->GetMessage(*m, f);
    }
    if (!has_value) {
      return UsageError(absl::StrCat(
          "--update_mask names '", path,
          "' but no new value was given for it (pass the flag or --from_json; "
          "--allow_clear to clear it on purpose)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords

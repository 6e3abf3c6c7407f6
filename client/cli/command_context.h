// What every mnrec command gets, and the helpers the command files share
// (those that fill a request from single flags are in request_flags.h).
#ifndef MNRECORDS_CLIENT_CLI_COMMAND_CONTEXT_H_
#define MNRECORDS_CLIENT_CLI_COMMAND_CONTEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/cli_status.h"
#include "client/cli/enum_parsing.h"
#include "client/cli/flags.h"
#include "client/cli/output.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"
#include "client/client.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace mnrecords {
namespace cli {

struct CommandContext {
  RecordsClient client;
  CallOptions call;
  bool json = false;
  std::vector<std::string> args;  // positional arguments after group and verb
};

using CommandFn = absl::Status (*)(const CommandContext&);

struct Verb {
  const char* name;
  CommandFn run;
};

// Dispatch runs the verb named `verb` of `group`, or returns a usage error
// listing the group's verbs.
absl::Status Dispatch(const std::string& group, const std::string& verb,
                      const std::vector<Verb>& verbs,
                      const CommandContext& ctx);

// LoadFromJson, if --from_json was given, fills `request` from the file,
// which may hold the whole request or just its resource (the message field
// named `resource_field`, e.g. "session"), in the protobuf JSON mapping.
// Callers apply flags afterwards, so flags override the file.
absl::Status LoadFromJson(google::protobuf::Message& request,
                          absl::string_view resource_field);

// ParseUpdateMask reads --update_mask ("a,b.c"); a usage error if empty.
absl::StatusOr<google::protobuf::FieldMask> ParseUpdateMask();

// CheckMaskHasValues refuses (usage error) a mask path whose field has no
// value in `resource` unless --allow_clear: it would clear the field, which
// is rarely what a missing flag meant.
absl::Status CheckMaskHasValues(const google::protobuf::Message& resource,
                                const google::protobuf::FieldMask& mask);

// ApplyAmendFlags fills update_mask, etag, amendment and request_id of an
// Amend*Request from the flags that were given, then checks the result.
template <typename AmendRequest>
absl::Status ApplyAmendFlags(AmendRequest& request,
                             const google::protobuf::Message& resource) {
  if (FlagSpecified("update_mask") || request.update_mask().paths().empty()) {
    auto mask = ParseUpdateMask();
    if (!mask.ok()) return mask.status();
    *request.mutable_update_mask() = *std::move(mask);
  }
  if (FlagSpecified("etag")) request.set_etag(absl::GetFlag(FLAGS_etag));
  if (FlagSpecified("reason")) {
    request.mutable_amendment()->set_reason(absl::GetFlag(FLAGS_reason));
  }
  if (FlagSpecified("author")) {
    request.mutable_amendment()->set_author(absl::GetFlag(FLAGS_author));
  }
  absl::Status s = SetEnumFlag<v1::AmendmentKind>(
      "amendment_kind", FLAGS_amendment_kind, [&](v1::AmendmentKind kind) {
        request.mutable_amendment()->set_kind(kind);
      });
  if (!s.ok()) return s;
  // No default: calling an addendum a correction would misstate the record.
  if (request.amendment().kind() == v1::AMENDMENT_KIND_UNSPECIFIED) {
    return UsageError(
        "--amendment_kind is required for amend: correction, addendum or "
        "entered_in_error");
  }
  ApplyRequestId(request);
  return CheckMaskHasValues(resource, request.update_mask());
}

// PrintResult prints a single-resource result or returns its error.
template <typename T>
absl::Status PrintResult(const absl::StatusOr<T>& result, bool json) {
  if (!result.ok()) return result.status();
  return PrintResource(*result, json);
}

// RunList applies --page_size/--page_token and prints one page, or with
// --all every page (as one response without a next_page_token).
template <typename Response, typename Request, typename ListPage,
          typename ListAll, typename MutableItems>
absl::Status RunList(const CommandContext& ctx, Request request,
                     ListPage list_page, ListAll list_all,
                     MutableItems mutable_items) {
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  if (absl::GetFlag(FLAGS_all)) {
    auto all = list_all(std::move(request), ctx.call);
    if (!all.ok()) return all.status();
    Response response;
    for (auto& item : *all) mutable_items(response)->Add(std::move(item));
    return PrintList(response, ctx.json);
  }
  auto page = list_page(request, ctx.call);
  if (!page.ok()) return page.status();
  return PrintList(*page, ctx.json);
}

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_COMMAND_CONTEXT_H_

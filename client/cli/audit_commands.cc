// mnrec audit list|verify|checkpoint
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/request_flags.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status List(const CommandContext& ctx) {
  v1::ListAuditEventsRequest request;
  if (absl::GetFlag(FLAGS_clinic) == "-") {
    request.set_parent("clinics/-");
  } else {
    absl::Status s = SetParent(request, &ClinicName);
    if (!s.ok()) return s;
  }
  request.set_principal(absl::GetFlag(FLAGS_principal));
  request.set_resource_prefix(absl::GetFlag(FLAGS_resource_prefix));
  request.set_action(absl::GetFlag(FLAGS_action));
  absl::Status s = ApplyTimeRangeFlags(request);
  if (!s.ok()) return s;
  return RunList<v1::ListAuditEventsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListAuditEvents(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllAuditEvents(r, o); },
      [](auto& r) { return r.mutable_audit_events(); });
}

absl::Status Checkpoint(const CommandContext& ctx) {
  return PrintResult(ctx.client.GetAuditCheckpoint(ctx.call), ctx.json);
}

absl::Status Verify(const CommandContext& ctx) {
  v1::VerifyAuditLogRequest request;
  request.set_start_sequence(absl::GetFlag(FLAGS_start_sequence));
  request.set_end_sequence(absl::GetFlag(FLAGS_end_sequence));
  const std::string path = absl::GetFlag(FLAGS_checkpoint);
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in)
      return UsageError(absl::StrCat("--checkpoint: cannot read ", path));
    std::stringstream text;
    text << in.rdbuf();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto parsed = google::protobuf::util::JsonStringToMessage(
        text.str(), request.mutable_checkpoint(), options);
    if (!parsed.ok()) {
      return UsageError(absl::StrCat(
          "--checkpoint: ", path,
          " is not an AuditCheckpoint in JSON: ", parsed.ToString()));
    }
  }
  auto result = ctx.client.VerifyAuditLog(request, ctx.call);
  if (!result.ok()) return result.status();
  absl::Status printed = PrintResource(*result, ctx.json);
  if (!printed.ok()) return printed;
  if (!result->ok()) {
    return absl::DataLossError(absl::StrCat("audit log broken at event ",
                                            result->broken_sequence(), ": ",
                                            result->problem()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunAuditCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch(
      "audit", verb,
      {{"list", &List}, {"verify", &Verify}, {"checkpoint", &Checkpoint}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords

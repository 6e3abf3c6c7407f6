// mnrec revisions NAME; mnrec health [SERVICE]
#include <cstdio>

#include "client/cli/cli_status.h"
#include "client/cli/commands.h"

namespace mnrecords {
namespace cli {

absl::Status RunRevisionsCommand(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "revisions needs a record's name: mnrec revisions "
        "clinics/c/patients/p");
  }
  v1::ListRevisionsRequest request;
  request.set_name(ctx.args[0]);
  return RunList<v1::ListRevisionsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListRevisions(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllRevisions(r, o); },
      [](auto& r) { return r.mutable_revisions(); });
}

absl::Status RunHealthCommand(const CommandContext& ctx) {
  const std::string service = ctx.args.empty() ? "" : ctx.args[0];
  auto serving = ctx.client.IsServing(service, ctx.call);
  if (!serving.ok()) return serving.status();
  if (ctx.json) {
    std::printf("{\n  \"status\": \"%s\"\n}\n",
                *serving ? "SERVING" : "NOT_SERVING");
  } else {
    std::printf("%s\n", *serving ? "SERVING" : "NOT_SERVING");
  }
  if (!*serving) {
    return absl::UnavailableError("server reports NOT_SERVING");
  }
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords

// The auditor's integrity commands: mnrec audit list|verify|checkpoint and
// mnrec records verify (audit export: audit_export_command.cc).
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/audit_query_flags.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/request_flags.h"
#include "client/cli/terminal_progress.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status List(const CommandContext& ctx) {
  absl::StatusOr<v1::ListAuditEventsRequest> request = AuditQueryFromFlags();
  if (!request.ok()) return request.status();
  return RunList<v1::ListAuditEventsResponse>(
      ctx, *std::move(request),
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
  if (!absl::GetFlag(FLAGS_checkpoint).empty()) {
    absl::Status s = ReadCheckpointFlag(request.mutable_checkpoint());
    if (!s.ok()) return s;
  }
  absl::StatusOr<v1::VerifyAuditLogResponse> result;
  {
    const WaitingIndicator waiting("verifying the audit chain");
    result = ctx.client.VerifyAuditLog(request, ctx.call);
  }
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

// VerifyRecords: exit status 1 (DATA_LOSS) on any problem.
absl::Status VerifyRecords(const CommandContext& ctx) {
  v1::VerifyRecordsRequest request;
  if (absl::GetFlag(FLAGS_clinic) == "-") {
    request.set_parent("clinics/-");
  } else {
    absl::Status s = SetParent(request, &ClinicName);
    if (!s.ok()) return s;
  }
  request.set_max_problems(absl::GetFlag(FLAGS_max_problems));
  if (!absl::GetFlag(FLAGS_checkpoint).empty()) {
    absl::Status s = ReadCheckpointFlag(request.mutable_checkpoint());
    if (!s.ok()) return s;
  }
  absl::StatusOr<v1::VerifyRecordsResponse> result;
  {
    const WaitingIndicator waiting("verifying the stored records");
    result = ctx.client.VerifyRecords(request, ctx.call);
  }
  if (!result.ok()) return result.status();
  absl::Status printed = PrintResource(*result, ctx.json);
  if (!printed.ok()) return printed;
  if (!result->chain().ok()) {
    return absl::DataLossError(absl::StrCat("audit log broken at event ",
                                            result->chain().broken_sequence(),
                                            ": ", result->chain().problem()));
  }
  if (result->problem_count() > 0) {
    return absl::DataLossError(absl::StrCat(
        result->problem_count(), " of ", result->revisions_checked(),
        " stored revisions are not as their writes committed; "
        "first: ",
        result->problems(0).problem()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunRecordsCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch("records", verb, {{"verify", &VerifyRecords}}, ctx);
}

absl::Status RunAuditCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch("audit", verb,
                  {{"list", &List},
                   {"export", &AuditExport},
                   {"verify", &Verify},
                   {"checkpoint", &Checkpoint}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords

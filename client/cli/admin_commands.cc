// mnrec admin backup FILE_NAME [--checkpoint_out=FILE]
// mnrec admin reload-config
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/cli/output.h"
#include "client/cli/terminal_progress.h"
#include "google/protobuf/util/json_util.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status WriteCheckpoint(const v1::AuditCheckpoint& checkpoint,
                             const std::string& path) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(checkpoint, &json, options)
           .ok()) {
    return absl::InternalError("--checkpoint_out: cannot encode JSON");
  }
  std::ofstream out(path);
  out << json;
  out.close();
  if (!out) {
    return absl::InternalError(
        absl::StrCat("--checkpoint_out: cannot write ", path,
                     " (the backup itself was written)"));
  }
  return absl::OkStatus();
}

absl::Status Backup(const CommandContext& ctx) {
  if (ctx.args.size() != 1) {
    return UsageError(
        "admin backup takes one FILE_NAME: the new file's name in the "
        "server's backup directory (backup_dir in its config)");
  }
  v1::BackupDatabaseRequest request;
  request.set_file_name(ctx.args[0]);
  absl::StatusOr<v1::BackupDatabaseResponse> response;
  {
    const WaitingIndicator waiting(
        absl::StrCat("backing up the database to ", ctx.args[0]));
    response = ctx.client.BackupDatabase(request, ctx.call);
  }
  if (!response.ok()) return response.status();
  const std::string checkpoint_out = absl::GetFlag(FLAGS_checkpoint_out);
  if (!checkpoint_out.empty()) {
    absl::Status written =
        WriteCheckpoint(response->checkpoint(), checkpoint_out);
    if (!written.ok()) return written;
  }
  return PrintResource(*response, ctx.json);
}

absl::Status ReloadConfig(const CommandContext& ctx) {
  if (!ctx.args.empty()) {
    return UsageError(
        "admin reload-config takes no arguments: the server re-reads the "
        "file it was started with");
  }
  auto response = ctx.client.ReloadConfig({}, ctx.call);
  if (!response.ok()) return response.status();
  return PrintResource(*response, ctx.json);
}

}  // namespace

absl::Status RunAdminCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch("admin", verb,
                  {{"backup", &Backup}, {"reload-config", &ReloadConfig}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords

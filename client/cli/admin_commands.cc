// mnrec admin backup FILE_NAME
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status Backup(const CommandContext& ctx) {
  if (ctx.args.size() != 1) {
    return UsageError(
        "admin backup takes one FILE_NAME: the new file's name in the "
        "server's backup directory (backup_dir in its config)");
  }
  v1::BackupDatabaseRequest request;
  request.set_file_name(ctx.args[0]);
  return PrintResult(ctx.client.BackupDatabase(request, ctx.call), ctx.json);
}

}  // namespace

absl::Status RunAdminCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch("admin", verb, {{"backup", &Backup}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords

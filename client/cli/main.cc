// mnrec: the command line client of mnrecords. Parses flags, builds the
// client and dispatches to the command groups (see `mnrec --help`).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/client.h"
#include "client/tls_credentials.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status Run(const std::vector<std::string>& positional) {
  const std::string group = positional.empty() ? "" : positional[0];
  const bool has_verb = group != "revisions" && group != "health";
  const std::string verb =
      has_verb && positional.size() > 1 ? positional[1] : "";

  ClientOptions options;
  options.target = absl::GetFlag(FLAGS_server);
  options.bearer_token = absl::GetFlag(FLAGS_token);
  options.default_timeout = absl::GetFlag(FLAGS_deadline);
  TlsFiles tls{absl::GetFlag(FLAGS_ca_cert), absl::GetFlag(FLAGS_client_cert),
               absl::GetFlag(FLAGS_client_key)};
  if (absl::GetFlag(FLAGS_tls) || !tls.ca_cert_file.empty() ||
      !tls.client_cert_file.empty() || !tls.client_key_file.empty()) {
    auto credentials = TlsCredentials(tls);
    if (!credentials.ok()) {
      return UsageError(absl::StrCat("TLS: ", credentials.status().message()));
    }
    options.credentials = *std::move(credentials);
  }
  if (options.default_timeout <= absl::ZeroDuration()) {
    return UsageError("--deadline must be positive, e.g. 10s");
  }
  auto client = RecordsClient::Create(options);
  if (!client.ok()) return UsageError(std::string(client.status().message()));

  CommandContext ctx{
      *std::move(client), CallOptions{}, absl::GetFlag(FLAGS_json), {}};
  const size_t first_arg = has_verb ? 2 : 1;
  if (positional.size() > first_arg) {
    ctx.args.assign(positional.begin() + first_arg, positional.end());
  }
  if (group == "patient") return RunPatientCommand(verb, ctx);
  if (group == "course") return RunCourseCommand(verb, ctx);
  if (group == "session") return RunSessionCommand(verb, ctx);
  if (group == "photo") return RunPhotoCommand(verb, ctx);
  if (group == "instructions") return RunInstructionsCommand(verb, ctx);
  if (group == "consent") return RunConsentCommand(verb, ctx);
  if (group == "audit") return RunAuditCommand(verb, ctx);
  if (group == "admin") return RunAdminCommand(verb, ctx);
  if (group == "records") return RunRecordsCommand(verb, ctx);
  if (group == "changes") return RunChangesCommand(verb, ctx);
  if (group == "export") return RunExportCommand(verb, ctx);
  if (group == "report") return RunReportCommand(verb, ctx);
  if (group == "settings") return RunSettingsCommand(verb, ctx);
  if (group == "screening") return RunScreeningCommand(verb, ctx);
  if (group == "outcome") return RunOutcomeCommand(verb, ctx);
  if (group == "revisions") return RunRevisionsCommand(ctx);
  if (group == "health") return RunHealthCommand(ctx);
  return UsageError(absl::StrCat(
      group.empty() ? "missing command" : "unknown command '" + group + "'",
      "; expected patient, course, session, photo, instructions, consent, "
      "screening, outcome, audit, records, admin, settings, changes, export, "
      "report, "
      "revisions or "
      "health (see mnrec --help)"));
}

}  // namespace
}  // namespace cli
}  // namespace mnrecords

int main(int argc, char** argv) {
  using namespace mnrecords::cli;  // NOLINT: main only
  auto parsed = ParseArgs(argc, argv);
  if (!parsed.ok()) return ReportAndExitCode(parsed.status());
  if (parsed->help ||
      (!parsed->positional.empty() && parsed->positional[0] == "help")) {
    std::fputs(HelpText().c_str(), stdout);
    return kExitOk;
  }
  return ReportAndExitCode(Run(parsed->positional));
}

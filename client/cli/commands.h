// The command groups of mnrec, one file each.
#ifndef MNRECORDS_CLIENT_CLI_COMMANDS_H_
#define MNRECORDS_CLIENT_CLI_COMMANDS_H_

#include <string>

#include "absl/status/status.h"
#include "client/cli/command_context.h"

namespace mnrecords {
namespace cli {

// Each runs `mnrec <group> <verb> ...`; ctx.args are the arguments after
// the verb.
absl::Status RunPatientCommand(const std::string& verb,
                               const CommandContext& ctx);
absl::Status RunCourseCommand(const std::string& verb,
                              const CommandContext& ctx);
absl::Status RunSessionCommand(const std::string& verb,
                               const CommandContext& ctx);
absl::Status RunPhotoCommand(const std::string& verb,
                             const CommandContext& ctx);
absl::Status RunInstructionsCommand(const std::string& verb,
                                    const CommandContext& ctx);
absl::Status RunConsentCommand(const std::string& verb,
                               const CommandContext& ctx);
// `mnrec audit list|export|verify|checkpoint` (audit_commands.cc).
absl::Status RunAuditCommand(const std::string& verb,
                             const CommandContext& ctx);
// `mnrec report consent-history|clinic` (report_commands.cc).
absl::Status RunReportCommand(const std::string& verb,
                              const CommandContext& ctx);
// `mnrec audit export` (audit_export_command.cc).
absl::Status AuditExport(const CommandContext& ctx);
// `mnrec records verify` (audit_commands.cc).
absl::Status RunRecordsCommand(const std::string& verb,
                               const CommandContext& ctx);
// `mnrec admin backup FILE_NAME` (admin_commands.cc).
absl::Status RunAdminCommand(const std::string& verb,
                             const CommandContext& ctx);
// The auditor's verbs of `mnrec consent` (consent_audit_commands.cc):
// history, at, coverage, verify, entered-in-error.
absl::Status ConsentHistory(const CommandContext& ctx);
absl::Status ConsentAt(const CommandContext& ctx);
absl::Status ConsentCoverage(const CommandContext& ctx);
absl::Status ConsentVerify(const CommandContext& ctx);
absl::Status ConsentEnteredInError(const CommandContext& ctx);
// `mnrec screening record|get|list` (screening_commands.cc).
absl::Status RunScreeningCommand(const std::string& verb,
                                 const CommandContext& ctx);
// `mnrec outcome record|get|list|amend` (outcome_commands.cc).
absl::Status RunOutcomeCommand(const std::string& verb,
                               const CommandContext& ctx);
// `mnrec settings get|publish|revisions` (settings_commands.cc).
absl::Status RunSettingsCommand(const std::string& verb,
                                const CommandContext& ctx);
// `mnrec changes list|watch` (change_commands.cc).
absl::Status RunChangesCommand(const std::string& verb,
                               const CommandContext& ctx);
// `mnrec export fhir PATIENT [--course=...] [--out=FILE]`.
absl::Status RunExportCommand(const std::string& verb,
                              const CommandContext& ctx);
// `mnrec revisions NAME` and `mnrec health [SERVICE]` take no verb.
absl::Status RunRevisionsCommand(const CommandContext& ctx);
absl::Status RunHealthCommand(const CommandContext& ctx);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_COMMANDS_H_

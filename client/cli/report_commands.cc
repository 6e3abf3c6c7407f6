// mnrec report consent-history --clinic=c1 --patient=p1 [--from --to]
//   [--checkpoint=cp.json] --out=report.html [--pdf=report.pdf]
// mnrec report clinic --clinic=c1 --from=... [--to=...] [--expiring_days=N]
//   [--checkpoint=cp.json] --out=report.html [--pdf=report.pdf]
// The reports of client/report: one self-contained HTML file each, and
// optionally a PDF of it printed by chromium.
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/audit_query_flags.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/terminal_progress.h"
#include "client/cli/value_parsing.h"
#include "client/report/clinic_report.h"
#include "client/report/consent_history_report.h"
#include "client/report/pdf.h"

namespace mnrecords {
namespace cli {
namespace {

// PeriodFlag reads --from or --to: a date (midnight UTC) or RFC 3339.
absl::StatusOr<std::optional<absl::Time>> PeriodFlag(const char* flag,
                                                     const std::string& text) {
  return ParseDayOrTime(absl::StrCat("--", flag), text);
}

// Write writes `html` to --out, then prints it to --pdf if asked.
absl::Status Write(const std::string& html) {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) return UsageError("--out: the HTML file to write");
  {
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << html;
    file.close();
    if (!file) return UsageError(absl::StrCat("cannot write ", out));
  }
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  const std::string pdf = absl::GetFlag(FLAGS_pdf);
  if (pdf.empty()) return absl::OkStatus();
  {
    const WaitingIndicator waiting(absl::StrCat("printing ", pdf));
    absl::Status printed = report::PrintToPdf(out, pdf);
    if (!printed.ok()) return printed;
  }
  std::fprintf(stderr, "wrote %s\n", pdf.c_str());
  return absl::OkStatus();
}

absl::Status ReportConsentHistory(const CommandContext& ctx) {
  report::ConsentHistoryOptions options;
  absl::StatusOr<std::string> patient = PatientName();
  if (!patient.ok()) return patient.status();
  options.patient = *patient;
  absl::StatusOr<std::optional<absl::Time>> from =
      PeriodFlag("from", absl::GetFlag(FLAGS_from));
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<absl::Time>> to =
      PeriodFlag("to", absl::GetFlag(FLAGS_to));
  if (!to.ok()) return to.status();
  options.from = *from;
  options.to = *to;
  if (!absl::GetFlag(FLAGS_checkpoint).empty()) {
    options.checkpoint.emplace();
    absl::Status read = ReadCheckpointFlag(&*options.checkpoint);
    if (!read.ok()) return read;
  }
  absl::StatusOr<report::ConsentHistoryData> data;
  {
    const WaitingIndicator waiting(
        absl::StrCat("reading the consent history of ", options.patient));
    data = report::GatherConsentHistory(ctx.client, options);
  }
  if (!data.ok()) return data.status();
  return Write(report::RenderConsentHistory(*data));
}

absl::Status ReportClinic(const CommandContext& ctx) {
  report::ClinicReportOptions options;
  absl::StatusOr<std::string> clinic = ClinicName();
  if (!clinic.ok()) return clinic.status();
  options.clinic = clinic->substr(clinic->rfind('/') + 1);
  absl::StatusOr<std::optional<absl::Time>> from =
      PeriodFlag("from", absl::GetFlag(FLAGS_from));
  if (!from.ok()) return from.status();
  if (!from->has_value()) return UsageError("--from: required");
  absl::StatusOr<std::optional<absl::Time>> to =
      PeriodFlag("to", absl::GetFlag(FLAGS_to));
  if (!to.ok()) return to.status();
  options.from = **from;
  options.to = to->value_or(absl::Now());
  const int days = absl::GetFlag(FLAGS_expiring_days);
  if (days < 0) return UsageError("--expiring_days: must be >= 0");
  options.expiring_within = absl::Hours(24) * days;
  if (!absl::GetFlag(FLAGS_checkpoint).empty()) {
    options.checkpoint.emplace();
    absl::Status read = ReadCheckpointFlag(&*options.checkpoint);
    if (!read.ok()) return read;
  }
  absl::StatusOr<report::ClinicReportData> data;
  {
    const WaitingIndicator waiting(
        absl::StrCat("reading the consents of clinics/", options.clinic));
    data = report::GatherClinicReport(ctx.client, options);
  }
  if (!data.ok()) return data.status();
  return Write(report::RenderClinicReport(*data));
}

}  // namespace

absl::Status RunReportCommand(const std::string& verb,
                              const CommandContext& ctx) {
  return Dispatch(
      "report", verb,
      {{"consent-history", &ReportConsentHistory}, {"clinic", &ReportClinic}},
      ctx);
}

}  // namespace cli
}  // namespace mnrecords

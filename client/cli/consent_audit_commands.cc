// mnrec consent history|at|coverage|verify|entered-in-error: the auditor's
// consent queries and the entered-in-error transition.
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/request_flags.h"

namespace mnrecords {
namespace cli {

absl::Status ConsentHistory(const CommandContext& ctx) {
  v1::ListConsentHistoryRequest request;
  absl::Status s = SetParent(request, &PatientName);
  if (!s.ok()) return s;
  s = ApplyKindFlag(request);
  if (!s.ok()) return s;
  s = ApplyTimeRangeFlags(request);
  if (!s.ok()) return s;
  return RunList<v1::ListConsentHistoryResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListConsentHistory(r, o);
      },
      [&](auto r, auto o) { return ctx.client.ListAllConsentHistory(r, o); },
      [](auto& r) { return r.mutable_revisions(); });
}

absl::Status ConsentAt(const CommandContext& ctx) {
  v1::GetConsentStateAtRequest request;
  absl::Status s = SetParent(request, &PatientName);
  if (!s.ok()) return s;
  if (!FlagSpecified("time")) {
    return UsageError("consent at needs --time=RFC3339");
  }
  s = SetTimeFlag("time", FLAGS_time, [&] { return request.mutable_time(); });
  if (!s.ok()) return s;
  auto state = ctx.client.GetConsentStateAt(request, ctx.call);
  if (!state.ok()) return state.status();
  if (ctx.json) return PrintResource(*state, true);
  return PrintList(*state, false);
}

absl::Status ConsentCoverage(const CommandContext& ctx) {
  v1::GetConsentCoverageRequest request;
  absl::Status s = SetParent(request, &ClinicName);
  if (!s.ok()) return s;
  if (!FlagSpecified("start_time") || !FlagSpecified("end_time")) {
    return UsageError("consent coverage needs --start_time and --end_time");
  }
  s = ApplyTimeRangeFlags(request);
  if (!s.ok()) return s;
  auto report = ctx.client.GetConsentCoverage(request, ctx.call);
  if (!report.ok()) return report.status();
  if (ctx.json) return PrintResource(*report, true);
  absl::PrintF("%d sessions, %d not covered\n", report->sessions_total(),
               report->sessions_uncovered());
  return PrintList(*report, false);
}

absl::Status ConsentVerify(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "consent verify needs the consent's name: mnrec consent verify "
        "clinics/c/patients/p/consents/x");
  }
  v1::VerifyConsentRequest request;
  request.set_name(ctx.args[0]);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  auto result = ctx.client.VerifyConsent(request, ctx.call);
  if (!result.ok()) return result.status();
  absl::Status printed = PrintResource(*result, ctx.json);
  if (!printed.ok()) return printed;
  if (!result->ok()) {
    return absl::DataLossError(
        absl::StrCat("consent verification failed: ", result->problem()));
  }
  return absl::OkStatus();
}

absl::Status ConsentEnteredInError(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "consent entered-in-error needs the consent's name and --reason, "
        "--author");
  }
  v1::MarkConsentEnteredInErrorRequest request;
  request.set_name(ctx.args[0]);
  ApplyStateChangeFlags(request);
  return PrintResult(ctx.client.MarkConsentEnteredInError(request, ctx.call),
                     ctx.json);
}

}  // namespace cli
}  // namespace mnrecords

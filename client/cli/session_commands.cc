// mnrec session log|get|list|amend, and sign-off: sign|signatures|unsigned
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/session_builder.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status Log(const CommandContext& ctx) {
  v1::LogSessionRequest request;
  absl::Status s = LoadFromJson(request, "session");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "course", &CourseName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_session_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplySessionFlags(*request.mutable_session());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.LogSession(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  v1::GetSessionRequest request;
  auto name = NameArg(ctx.args, 0, &SessionName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetSession(request, ctx.call), ctx.json);
}

// ListParent: the course of --course, else every course of --patient, else
// every session of --clinic.
absl::StatusOr<std::string> ListParent() {
  if (!absl::GetFlag(FLAGS_course).empty()) return CourseName();
  if (!absl::GetFlag(FLAGS_patient).empty()) {
    absl::StatusOr<std::string> patient = PatientName();
    if (!patient.ok()) return patient.status();
    return absl::StrCat(*patient, "/courses/-");
  }
  absl::StatusOr<std::string> clinic = ClinicName();
  if (!clinic.ok()) return clinic.status();
  return absl::StrCat(*clinic, "/patients/-/courses/-");
}

absl::Status List(const CommandContext& ctx) {
  v1::ListSessionsRequest request;
  absl::Status s = SetParent(request, &ListParent);
  if (!s.ok()) return s;
  request.set_clinician(absl::GetFlag(FLAGS_clinician));
  request.set_cartridge_lot(absl::GetFlag(FLAGS_cartridge_lot));
  request.set_cartridge_model(absl::GetFlag(FLAGS_cartridge_model));
  request.set_device_serial(absl::GetFlag(FLAGS_device_serial));
  s = SetTimeFlag("performed_after", FLAGS_performed_after,
                  [&] { return request.mutable_performed_after(); });
  if (!s.ok()) return s;
  s = SetTimeFlag("performed_before", FLAGS_performed_before,
                  [&] { return request.mutable_performed_before(); });
  if (!s.ok()) return s;
  return RunList<v1::ListSessionsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListSessions(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllSessions(r, o); },
      [](auto& r) { return r.mutable_sessions(); });
}

absl::Status Amend(const CommandContext& ctx) {
  v1::AmendSessionRequest request;
  absl::Status s = LoadFromJson(request, "session");
  if (!s.ok()) return s;
  s = ApplyNameArg(ctx.args, &SessionName, *request.mutable_session());
  if (!s.ok()) return s;
  s = ApplySessionFlags(*request.mutable_session());
  if (!s.ok()) return s;
  s = ApplyAmendFlags(request, request.session());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.AmendSession(request, ctx.call), ctx.json);
}

// `mnrec session sign [NAME] --kind=author|cosign --attestation=ID
// --attestation_revision=N [--etag=E]`: signs the session's current
// revision in the caller's name (the token's principal).
absl::Status Sign(const CommandContext& ctx) {
  v1::SignSessionRequest request;
  absl::Status s = LoadFromJson(request, "signature");
  if (!s.ok()) return s;
  auto name = NameArg(ctx.args, 0, &SessionName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  ApplyRequestId(request);
  if (FlagSpecified("etag")) request.set_etag(absl::GetFlag(FLAGS_etag));
  v1::SessionSignature& signature = *request.mutable_signature();
  s = SetEnumFlag<v1::SignatureKind>(
      "kind", FLAGS_kind, [&](v1::SignatureKind k) { signature.set_kind(k); });
  if (!s.ok()) return s;
  if (FlagSpecified("attestation")) {
    auto set =
        InstructionSetName("attestation", absl::GetFlag(FLAGS_attestation));
    if (!set.ok()) return set.status();
    signature.mutable_attestation()->set_instruction_set(*set);
  }
  if (FlagSpecified("attestation_revision")) {
    signature.mutable_attestation()->set_revision_id(
        absl::GetFlag(FLAGS_attestation_revision));
  }
  return PrintResult(ctx.client.SignSession(request, ctx.call), ctx.json);
}

// `mnrec session signatures [NAME]`: every signature, any revision.
absl::Status Signatures(const CommandContext& ctx) {
  auto name = NameArg(ctx.args, 0, &SessionName);
  if (!name.ok()) return name.status();
  v1::ListSessionSignaturesRequest request;
  request.set_parent(*name);
  return RunList<v1::ListSessionSignaturesResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListSessionSignatures(r, o);
      },
      [&](auto r, auto o) { return ctx.client.ListAllSessionSignatures(r, o); },
      [](auto& r) { return r.mutable_signatures(); });
}

// `mnrec session unsigned --clinic=c1 [--clinician=ID]
// [--awaiting_my_cosign] [--performed_after=T]`: the charts past the
// signature window that wait for a signature or co-signature.
absl::Status Unsigned(const CommandContext& ctx) {
  v1::ListUnsignedSessionsRequest request;
  absl::Status s = SetParent(request, &ClinicName);
  if (!s.ok()) return s;
  if (FlagSpecified("clinician")) {
    request.set_clinician(absl::GetFlag(FLAGS_clinician));
  }
  request.set_awaiting_my_cosign(absl::GetFlag(FLAGS_awaiting_my_cosign));
  s = SetTimeFlag("performed_after", FLAGS_performed_after,
                  [&] { return request.mutable_performed_after(); });
  if (!s.ok()) return s;
  return PrintResult(ctx.client.ListUnsignedSessions(request, ctx.call),
                     ctx.json);
}

}  // namespace

absl::Status RunSessionCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch("session", verb,
                  {{"log", &Log},
                   {"get", &Get},
                   {"list", &List},
                   {"amend", &Amend},
                   {"sign", &Sign},
                   {"signatures", &Signatures},
                   {"unsigned", &Unsigned}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords

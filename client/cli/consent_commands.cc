// mnrec consent record|get|list|revoke (the auditor verbs are in
// consent_audit_commands.cc)
#include "absl/flags/flag.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status ApplyConsentFlags(v1::Consent& c) {
  if (FlagSpecified("instruction_set")) {
    auto name = InstructionSetName("instruction_set",
                                   absl::GetFlag(FLAGS_instruction_set));
    if (!name.ok()) return name.status();
    c.mutable_instructions()->set_instruction_set(*name);
  }
  if (FlagSpecified("instruction_revision")) {
    c.mutable_instructions()->set_revision_id(
        absl::GetFlag(FLAGS_instruction_revision));
  }
  if (FlagSpecified("content_sha256")) {
    c.mutable_instructions()->set_content_sha256(
        absl::GetFlag(FLAGS_content_sha256));
  }
  absl::Status s = SetEnumFlag<v1::ConsentDecision>(
      "decision", FLAGS_decision,
      [&](v1::ConsentDecision d) { c.set_decision(d); });
  if (!s.ok()) return s;
  s = SetEnumFlag<v1::ConsentMethod>(
      "method", FLAGS_method, [&](v1::ConsentMethod m) { c.set_method(m); });
  if (!s.ok()) return s;
  s = SetEnumFlag<v1::Signer::Relationship>(
      "signer", FLAGS_signer, [&](v1::Signer::Relationship r) {
        c.mutable_signer()->set_relationship(r);
      });
  if (!s.ok()) return s;
  if (FlagSpecified("signer_name")) {
    c.mutable_signer()->set_display_name(absl::GetFlag(FLAGS_signer_name));
  }
  if (FlagSpecified("signer_role")) {
    c.mutable_signer()->set_role(absl::GetFlag(FLAGS_signer_role));
  }
  if (FlagSpecified("witness_name")) {
    c.mutable_witness()->set_display_name(absl::GetFlag(FLAGS_witness_name));
  }
  if (FlagSpecified("witness_role")) {
    c.mutable_witness()->set_role(absl::GetFlag(FLAGS_witness_role));
  }
  if (FlagSpecified("recorded_by")) {
    c.set_recorded_by(absl::GetFlag(FLAGS_recorded_by));
  }
  if (FlagSpecified("photo_use")) {
    c.clear_photo_uses();
    for (const std::string& text : absl::GetFlag(FLAGS_photo_use)) {
      auto use = ParseEnum<v1::PhotoUse>("photo_use", text);
      if (!use.ok()) return use.status();
      c.add_photo_uses(*use);
    }
  }
  if (FlagSpecified("identifiable_images")) {
    c.set_identifiable_images_allowed(absl::GetFlag(FLAGS_identifiable_images));
  }
  s = SetTimeFlag("signed_at", FLAGS_signed_at,
                  [&] { return c.mutable_signed_at(); });
  if (!s.ok()) return s;
  return SetTimeFlag("expire_time", FLAGS_expire_time,
                     [&] { return c.mutable_expire_time(); });
}

absl::Status Record(const CommandContext& ctx) {
  v1::RecordConsentRequest request;
  absl::Status s = LoadFromJson(request, "consent");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "patient", &PatientName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_consent_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplyConsentFlags(*request.mutable_consent());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.RecordConsent(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "consent get needs the consent's name: mnrec consent "
        "get clinics/c/patients/p/consents/x");
  }
  v1::GetConsentRequest request;
  request.set_name(ctx.args[0]);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetConsent(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListConsentsRequest request;
  absl::Status s = SetParent(request, &PatientName);
  if (!s.ok()) return s;
  s = ApplyKindFlag(request);
  if (!s.ok()) return s;
  s = SetTimeFlag("signed_after", FLAGS_signed_after,
                  [&] { return request.mutable_signed_after(); });
  if (!s.ok()) return s;
  s = SetTimeFlag("signed_before", FLAGS_signed_before,
                  [&] { return request.mutable_signed_before(); });
  if (!s.ok()) return s;
  return RunList<v1::ListConsentsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListConsents(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllConsents(r, o); },
      [](auto& r) { return r.mutable_consents(); });
}

absl::Status Revoke(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "consent revoke needs the consent's name: mnrec consent "
        "revoke clinics/c/patients/p/consents/x --reason=... "
        "--author=...");
  }
  v1::RevokeConsentRequest request;
  request.set_name(ctx.args[0]);
  ApplyStateChangeFlags(request);
  absl::Status s = SetTimeFlag("revoke_time", FLAGS_revoke_time,
                               [&] { return request.mutable_revoke_time(); });
  if (!s.ok()) return s;
  return PrintResult(ctx.client.RevokeConsent(request, ctx.call), ctx.json);
}

}  // namespace

absl::Status RunConsentCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch("consent", verb,
                  {{"record", &Record},
                   {"get", &Get},
                   {"list", &List},
                   {"revoke", &Revoke},
                   {"entered-in-error", &ConsentEnteredInError},
                   {"history", &ConsentHistory},
                   {"at", &ConsentAt},
                   {"coverage", &ConsentCoverage},
                   {"verify", &ConsentVerify}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords

// mnrec patient create|get|list|amend
#include "absl/flags/flag.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"

namespace mnrecords {
namespace cli {
namespace {

// ApplyPatientFlags sets the fields whose flags were given.
absl::Status ApplyPatientFlags(v1::Patient& patient) {
  if (FlagSpecified("identifier")) {
    patient.clear_identifiers();
    for (const auto& text : absl::GetFlag(FLAGS_identifier)) {
      auto id = ParseIdentifier("identifier", text);
      if (!id.ok()) return id.status();
      *patient.add_identifiers() = *std::move(id);
    }
  }
  return SetEnumFlag<v1::FitzpatrickSkinType>(
      "fitzpatrick", FLAGS_fitzpatrick, [&](v1::FitzpatrickSkinType type) {
        patient.set_fitzpatrick_skin_type(type);
      });
}

absl::Status Create(const CommandContext& ctx) {
  v1::CreatePatientRequest request;
  absl::Status s = LoadFromJson(request, "patient");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "clinic", &ClinicName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_patient_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplyPatientFlags(*request.mutable_patient());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.CreatePatient(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  v1::GetPatientRequest request;
  auto name = NameArg(ctx.args, 0, &PatientName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetPatient(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListPatientsRequest request;
  absl::Status s = SetParent(request, &ClinicName);
  if (!s.ok()) return s;
  const auto identifiers = absl::GetFlag(FLAGS_identifier);
  if (identifiers.size() > 1) {
    return UsageError("--identifier: patient list filters by one identifier");
  }
  if (identifiers.size() == 1) {
    auto id = ParseIdentifier("identifier", identifiers[0]);
    if (!id.ok()) return id.status();
    request.set_identifier_system(id->system());
    request.set_identifier_value(id->value());
  }
  return RunList<v1::ListPatientsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListPatients(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllPatients(r, o); },
      [](auto& r) { return r.mutable_patients(); });
}

absl::Status Amend(const CommandContext& ctx) {
  v1::AmendPatientRequest request;
  absl::Status s = LoadFromJson(request, "patient");
  if (!s.ok()) return s;
  s = ApplyNameArg(ctx.args, &PatientName, *request.mutable_patient());
  if (!s.ok()) return s;
  s = ApplyPatientFlags(*request.mutable_patient());
  if (!s.ok()) return s;
  s = ApplyAmendFlags(request, request.patient());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.AmendPatient(request, ctx.call), ctx.json);
}

}  // namespace

absl::Status RunPatientCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch(
      "patient", verb,
      {{"create", &Create}, {"get", &Get}, {"list", &List}, {"amend", &Amend}},
      ctx);
}

}  // namespace cli
}  // namespace mnrecords

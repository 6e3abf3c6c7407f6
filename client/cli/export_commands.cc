// mnrec export fhir PATIENT [--course=...] [--out=FILE]
#include <cstdio>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/terminal_progress.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status Fhir(const CommandContext& ctx) {
  auto patient = NameArg(ctx.args, 0, PatientName);
  if (!patient.ok()) return patient.status();
  v1::ExportPatientRecordRequest request;
  request.set_name(*patient);
  request.set_format("fhir-r4");
  const std::string course = absl::GetFlag(FLAGS_course);
  if (!course.empty()) {
    request.set_course(absl::StrContains(course, '/')
                           ? course
                           : absl::StrCat(*patient, "/courses/", course));
  }
  absl::StatusOr<v1::ExportPatientRecordResponse> response;
  {
    const WaitingIndicator waiting(absl::StrCat("exporting ", *patient));
    response = ctx.client.ExportPatientRecord(request, ctx.call);
  }
  if (!response.ok()) return response.status();
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fwrite(response->content().data(), 1, response->content().size(),
                stdout);
    std::fputc('\n', stdout);
    return absl::OkStatus();
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << response->content() << '\n';
  file.close();
  if (!file) return UsageError(absl::StrCat("cannot write ", out));
  return absl::OkStatus();
}

}  // namespace

absl::Status RunExportCommand(const std::string& verb,
                              const CommandContext& ctx) {
  return Dispatch("export", verb, {{"fhir", Fhir}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords

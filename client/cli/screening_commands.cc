// mnrec screening record|get|list: a patient's contraindication screening,
// the answers to one revision of the clinic's SCREENING questionnaire.
#include <map>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"

namespace mnrecords {
namespace cli {
namespace {

using Answer = v1::ScreeningAnswer::Answer;

// ParseAnswer reads --answer=CODE=yes|no[:DETAILS].
absl::Status ParseAnswer(const std::string& text, v1::ScreeningAnswer* out) {
  const size_t eq = text.find('=');
  const std::string usage =
      absl::StrCat("--answer=", text,
                   ": expected QUESTION_CODE=yes|no[:DETAILS], e.g. "
                   "--answer=pregnancy-or-breastfeeding=no");
  if (eq == std::string::npos || eq == 0) return UsageError(usage);
  std::string value = text.substr(eq + 1);
  const size_t colon = value.find(':');
  if (colon != std::string::npos) {
    out->set_details(value.substr(colon + 1));
    value = value.substr(0, colon);
  }
  value = absl::AsciiStrToLower(value);
  if (value != "yes" && value != "no") return UsageError(usage);
  out->set_question_code(text.substr(0, eq));
  out->set_answer(value == "yes" ? v1::ScreeningAnswer::ANSWER_YES
                                 : v1::ScreeningAnswer::ANSWER_NO);
  return absl::OkStatus();
}

// `mnrec screening record --clinic --patient --questionnaire=ID
// --questionnaire_revision=N --answer=CODE=yes|no[:DETAILS]...
// [--unlisted=no] --asked_at --asked_by [--notes] [--id]`. With
// --unlisted=no every question not named by an --answer is answered "no"
// (the questionnaire revision is read to list them); without it every
// question must be answered.
absl::Status Record(const CommandContext& ctx) {
  v1::RecordScreeningRequest request;
  absl::Status s = LoadFromJson(request, "screening");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "patient", &PatientName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_screening_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  v1::Screening& screening = *request.mutable_screening();
  if (FlagSpecified("questionnaire")) {
    auto name =
        InstructionSetName("questionnaire", absl::GetFlag(FLAGS_questionnaire));
    if (!name.ok()) return name.status();
    screening.mutable_questionnaire()->set_instruction_set(*name);
  }
  if (FlagSpecified("questionnaire_revision")) {
    screening.mutable_questionnaire()->set_revision_id(
        absl::GetFlag(FLAGS_questionnaire_revision));
  }
  s = SetTimeFlag("asked_at", FLAGS_asked_at,
                  [&] { return screening.mutable_asked_at(); });
  if (!s.ok()) return s;
  if (FlagSpecified("asked_by")) {
    screening.set_asked_by(absl::GetFlag(FLAGS_asked_by));
  }
  if (FlagSpecified("notes")) screening.set_notes(absl::GetFlag(FLAGS_notes));
  std::map<std::string, bool> named;
  for (const std::string& text : absl::GetFlag(FLAGS_answer)) {
    v1::ScreeningAnswer* answer = screening.add_answers();
    s = ParseAnswer(text, answer);
    if (!s.ok()) return s;
    named[answer->question_code()] = true;
  }
  const std::string unlisted = absl::GetFlag(FLAGS_unlisted);
  if (!unlisted.empty()) {
    if (unlisted != "no") {
      return UsageError(
          "--unlisted can only be \"no\": questions answered yes are named "
          "one by one with --answer");
    }
    v1::GetInstructionSetRequest get;
    get.set_name(screening.questionnaire().instruction_set());
    get.set_revision_id(screening.questionnaire().revision_id());
    auto questionnaire = ctx.client.GetInstructionSet(get, ctx.call);
    if (!questionnaire.ok()) return questionnaire.status();
    for (const v1::InstructionItem& q : questionnaire->items()) {
      if (named.count(q.question_code()) != 0) continue;
      v1::ScreeningAnswer* answer = screening.add_answers();
      answer->set_question_code(q.question_code());
      answer->set_answer(v1::ScreeningAnswer::ANSWER_NO);
    }
  }
  return PrintResult(ctx.client.RecordScreening(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "screening get needs the screening's name: mnrec screening get "
        "clinics/c/patients/p/screenings/s");
  }
  v1::GetScreeningRequest request;
  request.set_name(ctx.args[0]);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetScreening(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListScreeningsRequest request;
  absl::Status s = SetParent(request, &PatientName);
  if (!s.ok()) return s;
  return RunList<v1::ListScreeningsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListScreenings(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllScreenings(r, o); },
      [](auto& r) { return r.mutable_screenings(); });
}

}  // namespace

absl::Status RunScreeningCommand(const std::string& verb,
                                 const CommandContext& ctx) {
  return Dispatch("screening", verb,
                  {{"record", &Record}, {"get", &Get}, {"list", &List}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords

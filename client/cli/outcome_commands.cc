// mnrec outcome record|get|list|amend: ratings of how a course turned out,
// each on one published scale (docs/api.md "Outcome assessments").
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"

namespace mnrecords {
namespace cli {
namespace {

// ApplyAssessmentFlags sets the fields whose flags were given. --session
// takes the session's id (under --course) or its full name; --photo takes
// full photo names, or SESSION_ID/PHOTO_ID under --course.
absl::Status ApplyAssessmentFlags(const std::string& course,
                                  v1::OutcomeAssessment& a) {
  absl::Status s = SetEnumFlag<v1::OutcomeScale>(
      "scale", FLAGS_scale, [&](v1::OutcomeScale v) { a.set_scale(v); });
  if (!s.ok()) return s;
  s = SetEnumFlag<v1::OutcomeRater>(
      "rater", FLAGS_rater, [&](v1::OutcomeRater v) { a.set_rater(v); });
  if (!s.ok()) return s;
  if (FlagSpecified("score")) a.set_score(absl::GetFlag(FLAGS_score));
  s = SetEnumFlag<v1::OutcomeTimepoint>(
      "timepoint", FLAGS_timepoint,
      [&](v1::OutcomeTimepoint v) { a.set_timepoint(v); });
  if (!s.ok()) return s;
  s = SetTimeFlag("assessed_at", FLAGS_assessed_at,
                  [&] { return a.mutable_assessed_at(); });
  if (!s.ok()) return s;
  if (FlagSpecified("assessed_by")) {
    a.set_assessed_by(absl::GetFlag(FLAGS_assessed_by));
  }
  if (FlagSpecified("session")) {
    const std::string session = absl::GetFlag(FLAGS_session);
    a.set_session(session.find('/') == std::string::npos
                      ? absl::StrCat(course, "/sessions/", session)
                      : session);
  }
  if (FlagSpecified("photo")) {
    a.clear_photos();
    for (const std::string& photo : absl::GetFlag(FLAGS_photo)) {
      const size_t slash = photo.find('/');
      if (slash != std::string::npos && !absl::StartsWith(photo, "clinics/")) {
        a.add_photos(absl::StrCat(course, "/sessions/", photo.substr(0, slash),
                                  "/photos/", photo.substr(slash + 1)));
      } else {
        a.add_photos(photo);
      }
    }
  }
  if (FlagSpecified("notes")) a.set_notes(absl::GetFlag(FLAGS_notes));
  return absl::OkStatus();
}

// `mnrec outcome record --clinic --patient --course --scale --rater --score
// --timepoint --assessed_at --assessed_by [--session] [--photo]... [--notes]
// [--id]`.
absl::Status Record(const CommandContext& ctx) {
  v1::RecordOutcomeAssessmentRequest request;
  absl::Status s = LoadFromJson(request, "assessment");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "course", &CourseName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_assessment_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplyAssessmentFlags(request.parent(), *request.mutable_assessment());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.RecordOutcomeAssessment(request, ctx.call),
                     ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "outcome get needs the assessment's name: mnrec outcome get "
        "clinics/c/patients/p/courses/k/assessments/a");
  }
  v1::GetOutcomeAssessmentRequest request;
  request.set_name(ctx.args[0]);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetOutcomeAssessment(request, ctx.call),
                     ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListOutcomeAssessmentsRequest request;
  absl::Status s = SetParent(request, &CourseName);
  if (!s.ok()) return s;
  return RunList<v1::ListOutcomeAssessmentsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListOutcomeAssessments(r, o);
      },
      [&](auto r, auto o) {
        return ctx.client.ListAllOutcomeAssessments(r, o);
      },
      [](auto& r) { return r.mutable_assessments(); });
}

// `mnrec outcome amend NAME --update_mask=score --score=3 --etag=...
// --amendment_kind=correction --reason=... --author=...`.
absl::Status Amend(const CommandContext& ctx) {
  v1::AmendOutcomeAssessmentRequest request;
  absl::Status s = LoadFromJson(request, "assessment");
  if (!s.ok()) return s;
  if (ctx.args.empty() && request.assessment().name().empty()) {
    return UsageError(
        "outcome amend needs the assessment's name: mnrec outcome amend "
        "clinics/c/patients/p/courses/k/assessments/a --update_mask=...");
  }
  if (!ctx.args.empty()) request.mutable_assessment()->set_name(ctx.args[0]);
  const std::string& name = request.assessment().name();
  const size_t at = name.rfind("/assessments/");
  s = ApplyAssessmentFlags(at == std::string::npos ? "" : name.substr(0, at),
                           *request.mutable_assessment());
  if (!s.ok()) return s;
  s = ApplyAmendFlags(request, request.assessment());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.AmendOutcomeAssessment(request, ctx.call),
                     ctx.json);
}

}  // namespace

absl::Status RunOutcomeCommand(const std::string& verb,
                               const CommandContext& ctx) {
  return Dispatch(
      "outcome", verb,
      {{"record", &Record}, {"get", &Get}, {"list", &List}, {"amend", &Amend}},
      ctx);
}

}  // namespace cli
}  // namespace mnrecords

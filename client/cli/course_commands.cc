// mnrec course create|get|list|amend|summary
#include "absl/flags/flag.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/enum_parsing.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"

namespace mnrecords {
namespace cli {
namespace {

// ApplyCourseFlags sets the fields whose flags were given.
absl::Status ApplyCourseFlags(v1::TreatmentCourse& course) {
  if (FlagSpecified("indication")) {
    course.clear_indications();
    for (const auto& text : absl::GetFlag(FLAGS_indication)) {
      auto indication = ParseEnum<v1::Indication>("indication", text);
      if (!indication.ok()) return indication.status();
      course.add_indications(*indication);
    }
  }
  if (FlagSpecified("treatment_area")) {
    course.clear_treatment_areas();
    for (const auto& text : absl::GetFlag(FLAGS_treatment_area)) {
      auto site = ParseBodySite("treatment_area", text);
      if (!site.ok()) return site.status();
      *course.add_treatment_areas() = *std::move(site);
    }
  }
  if (FlagSpecified("planned_sessions")) {
    course.set_planned_session_count(absl::GetFlag(FLAGS_planned_sessions));
  }
  if (FlagSpecified("interval_min_days")) {
    course.set_planned_interval_min_days(
        absl::GetFlag(FLAGS_interval_min_days));
  }
  if (FlagSpecified("interval_max_days")) {
    course.set_planned_interval_max_days(
        absl::GetFlag(FLAGS_interval_max_days));
  }
  absl::Status s = SetEnumFlag<v1::CourseStatus>(
      "status", FLAGS_status,
      [&](v1::CourseStatus status) { course.set_status(status); });
  if (!s.ok()) return s;
  if (FlagSpecified("clinician")) {
    course.set_responsible_clinician(absl::GetFlag(FLAGS_clinician));
  }
  if (FlagSpecified("notes")) course.set_notes(absl::GetFlag(FLAGS_notes));
  return absl::OkStatus();
}

absl::Status Create(const CommandContext& ctx) {
  v1::CreateCourseRequest request;
  absl::Status s = LoadFromJson(request, "course");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "patient", &PatientName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_course_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplyCourseFlags(*request.mutable_course());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.CreateCourse(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  v1::GetCourseRequest request;
  auto name = NameArg(ctx.args, 0, &CourseName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetCourse(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListCoursesRequest request;
  absl::Status s = SetParent(request, &PatientName);
  if (!s.ok()) return s;
  request.set_responsible_clinician(absl::GetFlag(FLAGS_clinician));
  s = SetEnumFlag<v1::CourseStatus>(
      "status", FLAGS_status,
      [&](v1::CourseStatus status) { request.set_status(status); });
  if (!s.ok()) return s;
  return RunList<v1::ListCoursesResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListCourses(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllCourses(r, o); },
      [](auto& r) { return r.mutable_courses(); });
}

absl::Status Amend(const CommandContext& ctx) {
  v1::AmendCourseRequest request;
  absl::Status s = LoadFromJson(request, "course");
  if (!s.ok()) return s;
  s = ApplyNameArg(ctx.args, &CourseName, *request.mutable_course());
  if (!s.ok()) return s;
  s = ApplyCourseFlags(*request.mutable_course());
  if (!s.ok()) return s;
  s = ApplyAmendFlags(request, request.course());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.AmendCourse(request, ctx.call), ctx.json);
}

absl::Status Summary(const CommandContext& ctx) {
  v1::GetCourseSummaryRequest request;
  auto name = NameArg(ctx.args, 0, &CourseName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  return PrintResult(ctx.client.GetCourseSummary(request, ctx.call), ctx.json);
}

}  // namespace

absl::Status RunCourseCommand(const std::string& verb,
                              const CommandContext& ctx) {
  return Dispatch("course", verb,
                  {{"create", &Create},
                   {"get", &Get},
                   {"list", &List},
                   {"amend", &Amend},
                   {"summary", &Summary}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords

// mnrec course create|get|list|amend|summary|due
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/enum_parsing.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"
#include "google/protobuf/util/time_util.h"

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

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(t));
}

// Due prints the clinic's recall list for --from (default now) to --to
// (default 14 days later).
absl::Status Due(const CommandContext& ctx) {
  v1::ListDueSessionsRequest request;
  absl::Status s = SetParent(request, &ClinicName);
  if (!s.ok()) return s;
  absl::StatusOr<std::optional<absl::Time>> from =
      ParseDayOrTime("--from", absl::GetFlag(FLAGS_from));
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<absl::Time>> to =
      ParseDayOrTime("--to", absl::GetFlag(FLAGS_to));
  if (!to.ok()) return to.status();
  const absl::Time start = from->value_or(absl::Now());
  *request.mutable_start_time() = ToTimestamp(start);
  *request.mutable_end_time() =
      ToTimestamp(to->value_or(start + absl::Hours(24 * 14)));
  request.set_responsible_clinician(absl::GetFlag(FLAGS_clinician));
  return RunList<v1::ListDueSessionsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListDueSessions(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllDueSessions(r, o); },
      [](auto& r) { return r.mutable_due_sessions(); });
}

}  // namespace

absl::Status RunCourseCommand(const std::string& verb,
                              const CommandContext& ctx) {
  return Dispatch("course", verb,
                  {{"create", &Create},
                   {"get", &Get},
                   {"list", &List},
                   {"amend", &Amend},
                   {"summary", &Summary},
                   {"due", &Due}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords

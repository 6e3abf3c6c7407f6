#include "server/charts/course_summary.h"

#include <algorithm>
#include <optional>

#include "common/time_util.h"
#include "server/charts/next_session_window.h"
#include "server/consent/consent_status.h"

namespace mnrecords {

v1::CourseSummary SummarizeCourse(
    const v1::TreatmentCourse& course,
    const std::vector<v1::TreatmentSession>& sessions,
    const std::vector<v1::Consent>& consents, absl::Time now) {
  v1::CourseSummary summary;
  summary.set_course(course.name());
  summary.set_status(course.status());
  summary.set_planned_session_count(course.planned_session_count());
  bool any = false;
  absl::Time last = absl::InfinitePast();
  for (const v1::TreatmentSession& s : sessions) {
    if (s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) continue;
    summary.set_recorded_session_count(summary.recorded_session_count() + 1);
    if (s.status() == v1::SESSION_STATUS_COMPLETED) {
      summary.set_completed_session_count(summary.completed_session_count() +
                                          1);
    }
    any = true;
    last = std::max(last, FromProtoTime(s.performed_at()));
  }
  if (any) *summary.mutable_last_session_time() = ToProtoTime(last);
  const std::optional<SessionWindow> next = NextSessionWindow(
      course, any ? std::optional<absl::Time>(last) : std::nullopt,
      summary.completed_session_count());
  if (next.has_value()) {
    *summary.mutable_next_session_earliest_time() = ToProtoTime(next->earliest);
    *summary.mutable_next_session_latest_time() = ToProtoTime(next->latest);
  }
  for (v1::InstructionKind kind :
       {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
        v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    *summary.add_consents() = ConsentStatusForKind(kind, consents, now);
  }
  return summary;
}

}  // namespace mnrecords

#include "server/charts/next_session_window.h"

namespace mnrecords {

std::optional<SessionWindow> NextSessionWindow(
    const v1::TreatmentCourse& course, std::optional<absl::Time> last_session,
    int completed_sessions) {
  const bool open = course.status() == v1::COURSE_STATUS_PLANNED ||
                    course.status() == v1::COURSE_STATUS_ACTIVE;
  if (!last_session.has_value() || !open ||
      completed_sessions >= course.planned_session_count()) {
    return std::nullopt;
  }
  return SessionWindow{
      *last_session + absl::Hours(24) * course.planned_interval_min_days(),
      *last_session + absl::Hours(24) * course.planned_interval_max_days()};
}

bool OverlapsPeriod(const SessionWindow& window, absl::Time start,
                    absl::Time end) {
  return window.earliest < end && window.latest >= start;
}

v1::DueState DueStateAt(const SessionWindow& window, absl::Time now) {
  if (now < window.earliest) return v1::DUE_STATE_UPCOMING;
  if (now <= window.latest) return v1::DUE_STATE_OPEN;
  return v1::DUE_STATE_MISSED;
}

}  // namespace mnrecords

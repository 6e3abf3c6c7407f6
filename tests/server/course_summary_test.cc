#include "server/charts/course_summary.h"

#include "common/time_util.h"
#include "gtest/gtest.h"
#include "server/charts/next_session_window.h"

namespace mnrecords {
namespace {

const absl::Time kDay0 = absl::FromUnixSeconds(1'760'000'000);

v1::TreatmentSession Session(v1::SessionStatus status, absl::Time at) {
  v1::TreatmentSession s;
  s.set_status(status);
  *s.mutable_performed_at() = ToProtoTime(at);
  return s;
}

v1::TreatmentCourse Course(int planned) {
  v1::TreatmentCourse c;
  c.set_name("clinics/c/patients/p/courses/k");
  c.set_status(v1::COURSE_STATUS_ACTIVE);
  c.set_planned_session_count(planned);
  c.set_planned_interval_min_days(28);
  c.set_planned_interval_max_days(42);
  return c;
}

TEST(CourseSummaryTest, CountsAndNextWindow) {
  const absl::Time later = kDay0 + absl::Hours(24 * 30);
  const auto summary = SummarizeCourse(
      Course(3),
      {Session(v1::SESSION_STATUS_COMPLETED, later),
       Session(v1::SESSION_STATUS_COMPLETED, kDay0),
       Session(v1::SESSION_STATUS_STOPPED, kDay0 + absl::Hours(24)),
       Session(v1::SESSION_STATUS_ENTERED_IN_ERROR,
               kDay0 + absl::Hours(24 * 60))},
      {}, later);
  EXPECT_EQ(summary.completed_session_count(), 2);
  EXPECT_EQ(summary.recorded_session_count(), 3);
  EXPECT_EQ(FromProtoTime(summary.last_session_time()), later);
  EXPECT_EQ(FromProtoTime(summary.next_session_earliest_time()),
            later + absl::Hours(24 * 28));
  EXPECT_EQ(FromProtoTime(summary.next_session_latest_time()),
            later + absl::Hours(24 * 42));
  ASSERT_EQ(summary.consents_size(), 4);
}

TEST(CourseSummaryTest, NoWindowBeforeFirstSessionOrOncePlanDoneOrClosed) {
  EXPECT_FALSE(SummarizeCourse(Course(3), {}, {}, kDay0)
                   .has_next_session_earliest_time());
  EXPECT_FALSE(SummarizeCourse(Course(1),
                               {Session(v1::SESSION_STATUS_COMPLETED, kDay0)},
                               {}, kDay0)
                   .has_next_session_earliest_time());
  v1::TreatmentCourse held = Course(3);
  held.set_status(v1::COURSE_STATUS_ON_HOLD);
  EXPECT_FALSE(SummarizeCourse(held,
                               {Session(v1::SESSION_STATUS_COMPLETED, kDay0)},
                               {}, kDay0)
                   .has_next_session_earliest_time());
}

TEST(NextSessionWindowTest, OverlapAndStateAtTheBoundaries) {
  const SessionWindow w{kDay0, kDay0 + absl::Hours(24 * 14)};
  // [start, end) overlaps [earliest, latest]: a window closing exactly at
  // the start is in, one opening exactly at the end is out.
  EXPECT_TRUE(OverlapsPeriod(w, w.latest, w.latest + absl::Hours(1)));
  EXPECT_FALSE(OverlapsPeriod(w, w.latest + absl::Seconds(1),
                              w.latest + absl::Hours(1)));
  EXPECT_FALSE(OverlapsPeriod(w, w.earliest - absl::Hours(1), w.earliest));
  EXPECT_TRUE(OverlapsPeriod(w, w.earliest - absl::Hours(1),
                             w.earliest + absl::Seconds(1)));
  EXPECT_EQ(DueStateAt(w, w.earliest - absl::Seconds(1)),
            v1::DUE_STATE_UPCOMING);
  EXPECT_EQ(DueStateAt(w, w.earliest), v1::DUE_STATE_OPEN);
  EXPECT_EQ(DueStateAt(w, w.latest), v1::DUE_STATE_OPEN);
  EXPECT_EQ(DueStateAt(w, w.latest + absl::Seconds(1)), v1::DUE_STATE_MISSED);
}

TEST(NextSessionWindowTest, NoneBeforeTheFirstSessionOrOnceDoneOrClosed) {
  v1::TreatmentCourse course = Course(3);
  EXPECT_FALSE(NextSessionWindow(course, std::nullopt, 0).has_value());
  EXPECT_FALSE(NextSessionWindow(course, kDay0, 3).has_value());
  course.set_status(v1::COURSE_STATUS_ON_HOLD);
  EXPECT_FALSE(NextSessionWindow(course, kDay0, 1).has_value());
  course.set_status(v1::COURSE_STATUS_PLANNED);
  const auto w = NextSessionWindow(course, kDay0, 2);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->earliest, kDay0 + absl::Hours(24 * 28));
  EXPECT_EQ(w->latest, kDay0 + absl::Hours(24 * 42));
}

}  // namespace
}  // namespace mnrecords

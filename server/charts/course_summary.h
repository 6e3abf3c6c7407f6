// SummarizeCourse computes a course summary from the course's current
// records; it reads nothing itself.
#ifndef MNRECORDS_SERVER_CHARTS_COURSE_SUMMARY_H_
#define MNRECORDS_SERVER_CHARTS_COURSE_SUMMARY_H_

#include <vector>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// SummarizeCourse: sessions entered in error are ignored; the last session
// is the latest performed_at among the rest; the next window is
// NextSessionWindow (next_session_window.h); consents are those of the
// course's patient, evaluated at `now`.
v1::CourseSummary SummarizeCourse(
    const v1::TreatmentCourse& course,
    const std::vector<v1::TreatmentSession>& sessions,
    const std::vector<v1::Consent>& consents, absl::Time now);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_COURSE_SUMMARY_H_

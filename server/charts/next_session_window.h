// When a course's next session is due: the one rule the course summary,
// the due list and (through the course's planned interval) the protocol
// plugin's interval checks share.
#ifndef MNRECORDS_SERVER_CHARTS_NEXT_SESSION_WINDOW_H_
#define MNRECORDS_SERVER_CHARTS_NEXT_SESSION_WINDOW_H_

#include <optional>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// SessionWindow: the next session is due from `earliest` to `latest`, both
// included.
struct SessionWindow {
  absl::Time earliest;
  absl::Time latest;
};

// NextSessionWindow is the last session's time plus the course's planned
// interval (planned_interval_min_days..max_days) while the course is
// PLANNED or ACTIVE and fewer sessions than planned are completed; none
// before the first session (`last_session` unset) or otherwise.
std::optional<SessionWindow> NextSessionWindow(
    const v1::TreatmentCourse& course, std::optional<absl::Time> last_session,
    int completed_sessions);

// OverlapsPeriod: the window shares a moment with [start, end).
bool OverlapsPeriod(const SessionWindow& window, absl::Time start,
                    absl::Time end);

// DueStateAt: UPCOMING before the window, OPEN inside it, MISSED after it.
v1::DueState DueStateAt(const SessionWindow& window, absl::Time now);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_NEXT_SESSION_WINDOW_H_

// An inline SVG timeline: one row per item (a consent), each row a run of
// spans (the states it was in, from when to when) over a period, with ticks
// for events (sessions) across all rows. Spans carry their state as text,
// not by colour alone; the whole figure has a title and a description in
// words for screen readers. Rendering is pure: same input, same bytes.
#ifndef MNRECORDS_CLIENT_REPORT_SVG_TIMELINE_H_
#define MNRECORDS_CLIENT_REPORT_SVG_TIMELINE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mnrecords::report {

struct TimelineSpan {
  absl::Time start;
  absl::Time end;     // InfiniteFuture: still in this state
  std::string state;  // e.g. "ACTIVE", "REVOKED"; also a CSS class suffix
  std::string label;  // shown in the span when it fits, e.g. "active"
};

struct TimelineRow {
  std::string label;  // shown left of the row
  std::string key;    // data-item of the row's spans (a consent name)
  std::vector<TimelineSpan> spans;
};

struct TimelineTick {
  absl::Time at;
  std::string label;  // e.g. the session id
  std::string key;    // data-session (a session name)
  bool ok = true;     // false draws it as a problem (uncovered)
};

// RenderTimeline draws rows and ticks over [from, to); spans and ticks
// outside are clipped. `id` must be unique in the page; `title` and
// `description` are text.
std::string RenderTimeline(absl::string_view id, absl::string_view title,
                           absl::string_view description,
                           const std::vector<TimelineRow>& rows,
                           const std::vector<TimelineTick>& ticks,
                           absl::Time from, absl::Time to);

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_SVG_TIMELINE_H_

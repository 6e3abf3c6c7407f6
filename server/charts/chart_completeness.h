// The chart details of a course summary: open findings and, per session,
// what a complete chart still lacks. Reads nothing itself.
#ifndef MNRECORDS_SERVER_CHARTS_CHART_COMPLETENESS_H_
#define MNRECORDS_SERVER_CHARTS_CHART_COMPLETENESS_H_

#include <vector>

#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// SessionMissing lists what the chart of `session` lacks: a granted
// PROCEDURE, PREPARATION and AFTERCARE consent in force at performed_at,
// the aftercare instructions handed out, the cartridge lot, a BASELINE
// photo of the session (among `photos`, the course's photos), the adverse
// events assessment (NONE counts) and notes.
std::vector<v1::ChartItem> SessionMissing(
    const v1::TreatmentSession& session,
    const std::vector<v1::OutcomePhoto>& photos,
    const std::vector<v1::Consent>& consents);

// AddChartDetails fills summary->open_findings (the findings of the current
// revisions of the course, its sessions and their photos; records entered
// in error left out) and summary->session_completeness (SessionMissing per
// session not entered in error).
void AddChartDetails(const v1::TreatmentCourse& course,
                     const std::vector<v1::TreatmentSession>& sessions,
                     const std::vector<v1::OutcomePhoto>& photos,
                     const std::vector<v1::Consent>& consents,
                     v1::CourseSummary* summary);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_CHART_COMPLETENESS_H_

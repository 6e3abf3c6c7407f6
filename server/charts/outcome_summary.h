// SummarizeOutcomes: how a course turned out, from its outcome assessments.
#ifndef MNRECORDS_SERVER_CHARTS_OUTCOME_SUMMARY_H_
#define MNRECORDS_SERVER_CHARTS_OUTCOME_SUMMARY_H_

#include <vector>

#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// SummarizeOutcomes gives one OutcomeSummary per (scale, rater) among
// `assessments` (current revisions of one course), in OutcomeScale then
// OutcomeRater order: the latest BASELINE rating, the latest later one
// (by assessed_at; a tie goes to the one listed last) and how many count.
// Assessments entered in error are left out.
std::vector<v1::OutcomeSummary> SummarizeOutcomes(
    const std::vector<v1::OutcomeAssessment>& assessments);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_OUTCOME_SUMMARY_H_

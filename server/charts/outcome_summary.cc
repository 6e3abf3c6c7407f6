#include "server/charts/outcome_summary.h"

#include <map>
#include <utility>

#include "common/time_util.h"

namespace mnrecords {
namespace {

// Keeps `a` in `slot` when it is at least as late as what is there.
void KeepLatest(const v1::OutcomeAssessment& a, v1::OutcomeAssessment* slot,
                bool has_slot) {
  if (!has_slot ||
      FromProtoTime(a.assessed_at()) >= FromProtoTime(slot->assessed_at())) {
    *slot = a;
  }
}

}  // namespace

std::vector<v1::OutcomeSummary> SummarizeOutcomes(
    const std::vector<v1::OutcomeAssessment>& assessments) {
  std::map<std::pair<int, int>, v1::OutcomeSummary> by_scale;
  for (const v1::OutcomeAssessment& a : assessments) {
    if (a.status() == v1::OUTCOME_ASSESSMENT_STATUS_ENTERED_IN_ERROR) continue;
    v1::OutcomeSummary& s = by_scale[{a.scale(), a.rater()}];
    s.set_scale(a.scale());
    s.set_rater(a.rater());
    s.set_assessment_count(s.assessment_count() + 1);
    if (a.timepoint() == v1::OUTCOME_TIMEPOINT_BASELINE) {
      const bool has = s.has_baseline();
      KeepLatest(a, s.mutable_baseline(), has);
    } else {
      const bool has = s.has_latest();
      KeepLatest(a, s.mutable_latest(), has);
    }
  }
  std::vector<v1::OutcomeSummary> out;
  out.reserve(by_scale.size());
  for (auto& [key, summary] : by_scale) out.push_back(std::move(summary));
  return out;
}

}  // namespace mnrecords

// The published outcome scales (v1::OutcomeScale): their scores, labels and
// who may rate them, and the validation of an outcome assessment against
// them. Sources are cited in docs/api.md "Outcome assessments".
#ifndef MNRECORDS_SERVER_VALIDATION_OUTCOME_SCALES_H_
#define MNRECORDS_SERVER_VALIDATION_OUTCOME_SCALES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// OutcomeScoreLabel is the scale's published label of `score`, e.g. GAIS 2
// "Much improved"; "" when the scale has no such score.
std::string OutcomeScoreLabel(v1::OutcomeScale scale, int score);

// OutcomeScaleName is a short name of the scale for messages and displays,
// e.g. "GAIS".
std::string OutcomeScaleName(v1::OutcomeScale scale);

// ValidateOutcomeAssessment checks what an assessment says on its own: a
// known scale; a rater, score and timepoint that scale allows (scores in
// range; satisfaction rated by the patient; Goodman and Baron by the
// clinician; a BASELINE only for a scale that grades the condition itself);
// assessed_at not in the future; who; the session and photo names (well
// formed, under `course`, photos without repeats); status and notes.
// INVALID_ARGUMENT names the field. That the session and photos exist is
// checked against the store.
absl::Status ValidateOutcomeAssessment(absl::string_view field,
                                       const v1::OutcomeAssessment& a,
                                       absl::string_view course,
                                       absl::Time now);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_VALIDATION_OUTCOME_SCALES_H_

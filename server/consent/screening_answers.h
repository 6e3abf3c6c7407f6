// Matching a patient's screening answers to the questionnaire revision
// they answer (a SCREENING instruction set).
#ifndef MNRECORDS_SERVER_CONSENT_SCREENING_ANSWERS_H_
#define MNRECORDS_SERVER_CONSENT_SCREENING_ANSWERS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// CheckScreeningAnswers: `s` answers every question of `questionnaire`
// exactly once. INVALID_ARGUMENT naming the field (`field`.answers[i]) for
// an answer to a question the questionnaire does not ask or a question
// answered twice, and naming each question left unanswered (its code and
// text) otherwise.
absl::Status CheckScreeningAnswers(absl::string_view field,
                                   const v1::InstructionSet& questionnaire,
                                   const v1::Screening& s);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_SCREENING_ANSWERS_H_

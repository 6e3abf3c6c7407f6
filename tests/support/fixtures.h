// Valid example records for tests: each builder returns a request that the
// server accepts, so a test changes only the field it is about.
#ifndef MNRECORDS_TESTS_SUPPORT_FIXTURES_H_
#define MNRECORDS_TESTS_SUPPORT_FIXTURES_H_

#include <string>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents_service.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"

namespace mnrecords::testing {

namespace v1 = ::clinic::microneedling::v1;

// A fixed "now" for tests that use a FakeClock.
absl::Time TestNow();

// A fresh unique request id.
std::string NewRequestId();

v1::CreatePatientRequest PatientRequest(const std::string& clinic,
                                        const std::string& mrn);
v1::CreateCourseRequest CourseRequest(const std::string& patient_name);
// A completed session performed at `performed_at` by "dr-lee".
v1::LogSessionRequest SessionRequest(const std::string& course_name,
                                     absl::Time performed_at);
v1::PublishInstructionSetRequest InstructionsRequest(const std::string& clinic,
                                                     const std::string& id,
                                                     v1::InstructionKind kind);
v1::RecordConsentRequest ConsentRequest(const std::string& patient_name,
                                        const v1::InstructionSet& set,
                                        absl::Time signed_at);
// A SCREENING questionnaire "screening" of two questions:
// "pregnancy-or-breastfeeding" (absolute) and "keloid-scarring" (relative).
v1::PublishInstructionSetRequest QuestionnaireRequest(
    const std::string& clinic);
// A screening of `patient_name` answering every question of
// `questionnaire` no, asked at `asked_at` by "nurse-kim".
v1::RecordScreeningRequest ScreeningRequest(
    const std::string& patient_name, const v1::InstructionSet& questionnaire,
    absl::Time asked_at);
v1::CreatePhotoRequest PhotoRequest(const std::string& session_name,
                                    v1::PhotoPhase phase,
                                    absl::Time captured_at);
// The clinician's GAIS rating 2 ("Much improved") of the course at a
// follow-up visit at `assessed_at`, by "dr-lee".
v1::RecordOutcomeAssessmentRequest AssessmentRequest(
    const std::string& course_name, absl::Time assessed_at);
// A release of `photo_name` for `purpose` at `released_at` by "dr-lee".
v1::ReleasePhotoRequest ReleaseRequest(const std::string& photo_name,
                                       v1::PhotoUse purpose,
                                       absl::Time released_at);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_FIXTURES_H_

// The API requests that build one seeded patient's history (seed_plan.h):
// what an EHR would have sent, valid by the server's own validation. Each
// builder is deterministic in its arguments; request ids are derived from
// the record's name so a re-run would replay rather than duplicate.
#ifndef MNRECORDS_TOOLS_SEED_SEED_REQUESTS_H_
#define MNRECORDS_TOOLS_SEED_SEED_REQUESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clinic/microneedling/v1/consents_service.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "tools/seed/seed_plan.h"

namespace mnrecords::seed {

namespace v1 = ::clinic::microneedling::v1;

// InstructionSetName is clinics/{clinic}/instructionSets/{kind in lower case}.
std::string InstructionSetName(const std::string& clinic,
                               v1::InstructionKind kind);

// InstructionSetRequests: revision 1 of PROCEDURE, PREPARATION, AFTERCARE
// and PHOTOGRAPHY texts, then revision 2 of PREPARATION and AFTERCARE in
// force from layout.reissue_time.
std::vector<v1::PublishInstructionSetRequest> InstructionSetRequests(
    const SeedLayout& layout, const std::string& clinic);

v1::CreatePatientRequest PatientRequest(const PatientPlan& p);
v1::CreateCourseRequest CourseRequest(const PatientPlan& p,
                                      const CoursePlan& c);
// SessionRequest: session `i` (0-based) of course `c`, about 1.2-1.8 KB
// serialized, with 3-6 treated areas.
v1::LogSessionRequest SessionRequest(const PatientPlan& p, const CoursePlan& c,
                                     int i);
// CompleteCourseRequest amends course `c` (at revision 1) to COMPLETED.
v1::AmendCourseRequest CompleteCourseRequest(const PatientPlan& p,
                                             const CoursePlan& c);
// ConsentRequest: a granted consent to revision `revision` of the clinic's
// `kind` text, signed at `signed_at`; id "{kind}-{revision}".
v1::RecordConsentRequest ConsentRequest(const PatientPlan& p,
                                        v1::InstructionKind kind,
                                        int64_t revision, absl::Time signed_at);
v1::RevokeConsentRequest RevokePhotoConsentRequest(const PatientPlan& p);
// PhotoRequest: a frontal full-face photo of `phase` at session `i`.
v1::CreatePhotoRequest PhotoRequest(const PatientPlan& p, const CoursePlan& c,
                                    int i, v1::PhotoPhase phase);

}  // namespace mnrecords::seed

#endif  // MNRECORDS_TOOLS_SEED_SEED_REQUESTS_H_

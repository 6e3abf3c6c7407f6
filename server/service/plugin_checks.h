// Running the enabled plugins (plugins/plugin_host.h) inside a service's
// write transaction: each function loads the context a plugin sees (the
// course's other sessions, the patient's consents), runs the checks and
// stores the INFO/WARN findings on the record, or fails with
// FAILED_PRECONDITION for a BLOCK finding. A record being entered in error
// is not checked (its findings are cleared): marking a mistake is never
// blocked.
#ifndef MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_
#define MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "plugins/api/plugin_host.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// CheckCourseWithPlugins checks a course of `clinic` about to be stored.
absl::Status CheckCourseWithPlugins(const plugins::PluginHost& host,
                                    const std::string& clinic,
                                    v1::TreatmentCourse& course);

// CheckSessionWithPlugins checks a session of `course` (its current
// revision, named `course_name`) about to be stored; `session.name()` is
// empty on create, else it is left out of the other sessions.
absl::Status CheckSessionWithPlugins(const plugins::PluginHost& host,
                                     ReadTxn& txn, const std::string& clinic,
                                     const std::string& patient_name,
                                     const std::string& course_name,
                                     const v1::TreatmentCourse& course,
                                     v1::TreatmentSession& session);

// CheckConsentWithPlugins checks a consent of `patient_name` about to be
// recorded.
absl::Status CheckConsentWithPlugins(const plugins::PluginHost& host,
                                     ReadTxn& txn, const std::string& clinic,
                                     const std::string& patient_name,
                                     v1::Consent& consent);

// CheckPhotoWithPlugins checks photo metadata of `session` about to be
// stored.
absl::Status CheckPhotoWithPlugins(const plugins::PluginHost& host,
                                   ReadTxn& txn, const std::string& clinic,
                                   const std::string& patient_name,
                                   const v1::TreatmentSession& session,
                                   v1::OutcomePhoto& photo);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_

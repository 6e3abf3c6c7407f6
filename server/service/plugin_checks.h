// Running the enabled plugins (plugins/api/plugin_host.h) while a write is
// planned (server/records/prepared_write.h): each function reads the
// context a plugin sees — for a session the course's sessions just before
// and after it and how many there are, and the patient's consent in force
// of each kind: a few index lookups, however many records the course or
// patient holds — runs the checks and stores the INFO/WARN findings on the
// record, or fails with FAILED_PRECONDITION for a BLOCK finding. Records
// are judged under the clinic's current published settings of each plugin
// (server/records/plugin_settings_records.h), read in the same
// transaction. A record being entered in error is not checked (its
// findings are cleared): marking a mistake is never blocked.
#ifndef MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_
#define MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "plugins/api/plugin_host.h"
#include "server/records/reply.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// CheckCourseWithPlugins checks a course of `clinic` about to be stored.
absl::Status CheckCourseWithPlugins(const plugins::PluginHost& host,
                                    ReadTxn& txn, const std::string& clinic,
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

// NotifyAfter wraps `reply` so that a stored record is passed to the
// plugins (`notify` of `host`, e.g. &PluginHost::NotifySession) before the
// call is answered. `host` must outlive the reply.
template <typename R>
Reply<R> NotifyAfter(const plugins::PluginHost& host, Reply<R> reply,
                     void (plugins::PluginHost::*notify)(const R&) const) {
  return [&host, reply = std::move(reply),
          notify](absl::StatusOr<R> result) mutable {
    if (result.ok()) (host.*notify)(*result);
    std::move(reply)(std::move(result));
  };
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_PLUGIN_CHECKS_H_

// Plugin: the narrow interface through which clinic-specific behaviour
// (protocol rules, ...) sees records. Start here to write a plugin.
//
// A plugin checks a record before it is stored and is told after it was
// stored. It gets const views of the record and of the context it needs
// (for a session: its course, the course's other sessions and the patient's
// consents) and returns findings: a stable code and a message. It cannot
// write records, and it runs after the service validated (and, once there
// is authentication, authorized) the call, inside the call's write
// transaction; the service decides what is stored. The severity of a
// finding (INFO, WARN, BLOCK) comes from the server config, per clinic,
// falling back to the default the plugin declares in codes().
//
// Thread safety: the methods are const and may be called concurrently.
#ifndef MNRECORDS_PLUGINS_PLUGIN_H_
#define MNRECORDS_PLUGINS_PLUGIN_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords::plugins {

namespace v1 = ::clinic::microneedling::v1;

// Severity of a finding, as configured (see FindingCode).
enum class Severity { kInfo, kWarn, kBlock };

// FindingCode declares one code a plugin may report and its default
// severity.
struct FindingCode {
  std::string code;  // stable, e.g. "MNP-SESSION-TOO-EARLY"
  Severity default_severity = Severity::kWarn;
  std::string summary;  // one line, for documentation and errors
};

// PluginFinding is what a check returns; the host adds the severity and
// the plugin name.
struct PluginFinding {
  std::string code;  // one of the plugin's codes()
  std::string message;
};

// CourseView: a course about to be created or amended.
struct CourseView {
  absl::string_view clinic;
  const v1::TreatmentCourse& course;
};

// SessionView: a session about to be logged or amended. `other_sessions`
// are the current revisions of the course's other sessions (entered in
// error ones left out); `consents` are the patient's consents (current
// revisions).
struct SessionView {
  absl::string_view clinic;
  const v1::TreatmentSession& session;
  const v1::TreatmentCourse& course;
  const std::vector<v1::TreatmentSession>& other_sessions;
  const std::vector<v1::Consent>& consents;
};

// ConsentView: a consent about to be recorded, and the patient's other
// consents.
struct ConsentView {
  absl::string_view clinic;
  const v1::Consent& consent;
  const std::vector<v1::Consent>& other_consents;
};

// PhotoView: photo metadata about to be added or amended, the session it
// belongs to, and the patient's consents.
struct PhotoView {
  absl::string_view clinic;
  const v1::OutcomePhoto& photo;
  const v1::TreatmentSession& session;
  const std::vector<v1::Consent>& consents;
};

class Plugin {
 public:
  virtual ~Plugin() = default;

  // codes lists every finding code the plugin may report, with defaults.
  // A check must not report a code missing from this list.
  virtual std::vector<FindingCode> codes() const = 0;

  // Check* return the findings for a record about to be stored (none by
  // default). A record's name may still be empty on create.
  virtual std::vector<PluginFinding> CheckCourse(const CourseView&) const {
    return {};
  }
  virtual std::vector<PluginFinding> CheckSession(const SessionView&) const {
    return {};
  }
  virtual std::vector<PluginFinding> CheckConsent(const ConsentView&) const {
    return {};
  }
  virtual std::vector<PluginFinding> CheckPhoto(const PhotoView&) const {
    return {};
  }

  // On*Stored observe a record after the call that stored its revision
  // succeeded (committed; a retried request_id reports it again).
  // Observational only: nothing they do changes the record.
  virtual void OnCourseStored(const v1::TreatmentCourse&) const {}
  virtual void OnSessionStored(const v1::TreatmentSession&) const {}
  virtual void OnConsentStored(const v1::Consent&) const {}
  virtual void OnPhotoStored(const v1::OutcomePhoto&) const {}
};

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_PLUGIN_H_

// Plugin: the narrow interface through which clinic-specific behaviour
// (protocol rules, ...) sees records. Start here to write a plugin.
//
// A plugin checks a record before it is stored and is told after it was
// stored. It gets const views of the record and of the context it needs
// (for a session: its course, the session before it in the course and the
// patient's consent decisions in force) and returns findings: a stable code and
// a message. It cannot write records, and it runs after the service validated
// (and, once there is authentication, authorized) the call, inside the call's
// write transaction; the service decides what is stored. The severity of a
// finding (INFO, WARN, BLOCK) comes from the clinic's published settings
// revision, else the server config, per clinic, falling back to the default
// the plugin declares in codes(). Its settings (params) come the same way.
//
// Thread safety: the methods are const and may be called concurrently.
#ifndef MNRECORDS_PLUGINS_API_PLUGIN_H_
#define MNRECORDS_PLUGINS_API_PLUGIN_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords::plugins {

namespace v1 = ::clinic::microneedling::v1;

// PluginParams: a plugin's settings for one clinic, key -> value, as the
// host resolved them for a check: the clinic's published settings revision
// (which fixed every value when it was published), else the server
// config's clinic and plugin-wide params over the declared defaults.
using PluginParams = std::map<std::string, std::string>;

// ParamInfo declares one setting a plugin reads. A key ending in "." names
// a family (e.g. "needle_depth_mm." for needle_depth_mm.cheek) with no
// default: only the keys given are set.
struct ParamInfo {
  std::string key;
  std::string default_value;
  std::string description;  // one line, for the API and documentation
};

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
  const PluginParams* params = nullptr;  // set by the host; see PluginParams
};

// ConsentsInForce: for each instruction kind, the patient's consent that
// decided the kind at the record's clinical time (a session's performed_at,
// a photo's captured_at), as the host determined it: among the consents of
// the kind in force then (signed at or before it, not expired, revoked,
// superseded or entered in error), the one signed last decides: GRANTED or
// REFUSED; MISSING when none was in force. Every kind is listed.
struct ConsentsInForce {
  std::vector<v1::KindConsentStatus> kinds;

  // For returns the status of `kind` (MISSING when it is not listed).
  v1::KindConsentStatus For(v1::InstructionKind kind) const {
    for (const v1::KindConsentStatus& k : kinds) {
      if (k.kind() == kind) return k;
    }
    v1::KindConsentStatus missing;
    missing.set_kind(kind);
    missing.set_coverage(v1::CONSENT_COVERAGE_MISSING);
    return missing;
  }
};

// CourseSessions: what a session check needs of the course's other live
// sessions (entered in error ones left out): how many there are, the one
// performed last at or before this session's performed_at, and the one
// performed first after it (nullptr if none).
struct CourseSessions {
  int other_count = 0;
  const v1::TreatmentSession* previous = nullptr;
  const v1::TreatmentSession* next = nullptr;
};

// ScreeningInForce: the patient's latest contraindication screening asked
// at or before the session's performed_at (entered-in-error ones left out)
// and the questionnaire revision it answered; both nullptr when the patient
// has none.
struct ScreeningInForce {
  const v1::Screening* screening = nullptr;
  const v1::InstructionSet* questionnaire = nullptr;
};

// SessionView: a session about to be logged or amended, its course, the
// course's other sessions, the patient's consents in force at performed_at
// and the screening in force then.
struct SessionView {
  absl::string_view clinic;
  const v1::TreatmentSession& session;
  const v1::TreatmentCourse& course;
  const CourseSessions& other_sessions;
  const ConsentsInForce& consents;
  // Set by the services; nullptr means the same as no screening.
  const ScreeningInForce* screening = nullptr;
  const PluginParams* params = nullptr;  // set by the host; see PluginParams
};

// ConsentView: a consent about to be recorded, and the patient's other
// consents.
struct ConsentView {
  absl::string_view clinic;
  const v1::Consent& consent;
  const std::vector<v1::Consent>& other_consents;
  const PluginParams* params = nullptr;  // set by the host; see PluginParams
};

// PhotoView: photo metadata about to be added or amended, the session it
// belongs to, and the patient's consents in force at captured_at.
struct PhotoView {
  absl::string_view clinic;
  const v1::OutcomePhoto& photo;
  const v1::TreatmentSession& session;
  const ConsentsInForce& consents;
  const PluginParams* params = nullptr;  // set by the host; see PluginParams
};

class Plugin {
 public:
  virtual ~Plugin() = default;

  // codes lists every finding code the plugin may report, with defaults.
  // A check must not report a code missing from this list.
  virtual std::vector<FindingCode> codes() const = 0;

  // params declares the settings the plugin reads, with their defaults
  // (none by default). The host rejects keys not declared here.
  virtual std::vector<ParamInfo> params() const { return {}; }

  // ValidateParams checks a complete resolved set of params (declared
  // defaults with the config's or a clinic's values over them).
  // INVALID_ARGUMENT starting with the offending key, e.g.
  // "prep_stop_days: must be ...".
  virtual absl::Status ValidateParams(const PluginParams&) const {
    return absl::OkStatus();
  }

  // Check* return the findings for a record about to be stored (none by
  // default). A record's name may still be empty on create. The view's
  // params are the clinic's settings the record is judged under.
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

#endif  // MNRECORDS_PLUGINS_API_PLUGIN_H_

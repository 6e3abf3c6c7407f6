#include "server/plugin_checks.h"

#include <vector>

#include "server/record_codec.h"
#include "server/record_list.h"
#include "server/status_macros.h"

namespace mnrecords {
namespace {

absl::StatusOr<std::vector<v1::Consent>> PatientConsents(
    ReadTxn& txn, const std::string& clinic, const std::string& patient) {
  RecordQuery query;
  query.kind = RecordKind::kConsent;
  query.clinic = clinic;
  query.patient = patient;
  return ReadAll<v1::Consent>(txn, query);
}

}  // namespace

absl::Status CheckCourseWithPlugins(const plugins::PluginHost& host,
                                    const std::string& clinic,
                                    v1::TreatmentCourse& course) {
  course.clear_findings();
  if (host.empty() || course.status() == v1::COURSE_STATUS_ENTERED_IN_ERROR) {
    return absl::OkStatus();
  }
  return host.CheckCourse({clinic, course}, course.mutable_findings());
}

absl::Status CheckSessionWithPlugins(const plugins::PluginHost& host,
                                     ReadTxn& txn, const std::string& clinic,
                                     const std::string& patient_name,
                                     const std::string& course_name,
                                     const v1::TreatmentCourse& course,
                                     v1::TreatmentSession& session) {
  session.clear_findings();
  if (host.empty() || session.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) {
    return absl::OkStatus();
  }
  RecordQuery query;
  query.kind = RecordKind::kSession;
  query.clinic = clinic;
  query.course = course_name;
  MNR_ASSIGN_OR_RETURN(std::vector<v1::TreatmentSession> all,
                       ReadAll<v1::TreatmentSession>(txn, query));
  std::vector<v1::TreatmentSession> others;
  for (v1::TreatmentSession& s : all) {
    if (s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) continue;
    if (!session.name().empty() && s.name() == session.name()) continue;
    others.push_back(std::move(s));
  }
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                       PatientConsents(txn, clinic, patient_name));
  return host.CheckSession({clinic, session, course, others, consents},
                           session.mutable_findings());
}

absl::Status CheckConsentWithPlugins(const plugins::PluginHost& host,
                                     ReadTxn& txn, const std::string& clinic,
                                     const std::string& patient_name,
                                     v1::Consent& consent) {
  consent.clear_findings();
  if (host.empty()) return absl::OkStatus();
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                       PatientConsents(txn, clinic, patient_name));
  return host.CheckConsent({clinic, consent, consents},
                           consent.mutable_findings());
}

absl::Status CheckPhotoWithPlugins(const plugins::PluginHost& host,
                                   ReadTxn& txn, const std::string& clinic,
                                   const std::string& patient_name,
                                   const v1::TreatmentSession& session,
                                   v1::OutcomePhoto& photo) {
  photo.clear_findings();
  if (host.empty()) return absl::OkStatus();
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                       PatientConsents(txn, clinic, patient_name));
  return host.CheckPhoto({clinic, photo, session, consents},
                         photo.mutable_findings());
}

}  // namespace mnrecords

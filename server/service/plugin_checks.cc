#include "server/service/plugin_checks.h"

#include <vector>

#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_status.h"
#include "server/records/record_codec.h"
#include "server/records/record_list.h"

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

// ConsentsAt is what the plugins see of the patient's consents at `t`: the
// decision in force for every instruction kind.
plugins::ConsentsInForce ConsentsAt(const std::vector<v1::Consent>& consents,
                                    absl::Time t) {
  plugins::ConsentsInForce out;
  for (v1::InstructionKind kind :
       {v1::INSTRUCTION_KIND_PREPARATION, v1::INSTRUCTION_KIND_AFTERCARE,
        v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    out.kinds.push_back(ConsentStatusForKind(kind, consents, t));
  }
  return out;
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
  const absl::Time at = FromProtoTime(session.performed_at());
  plugins::CourseSessions others;
  for (const v1::TreatmentSession& s : all) {
    if (s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) continue;
    if (!session.name().empty() && s.name() == session.name()) continue;
    ++others.other_count;
    const absl::Time t = FromProtoTime(s.performed_at());
    if (t <= at && (others.previous == nullptr ||
                    t > FromProtoTime(others.previous->performed_at()))) {
      others.previous = &s;
    }
  }
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                       PatientConsents(txn, clinic, patient_name));
  return host.CheckSession(
      {clinic, session, course, others, ConsentsAt(consents, at)},
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
  return host.CheckPhoto(
      {clinic, photo, session,
       ConsentsAt(consents, FromProtoTime(photo.captured_at()))},
      photo.mutable_findings());
}

}  // namespace mnrecords

#include "server/service/plugin_checks.h"

#include <optional>
#include <vector>

#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_in_force.h"
#include "server/consent/instruction_refs.h"
#include "server/records/plugin_settings_records.h"
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
// decision in force for every instruction kind, one index walk per kind.
absl::StatusOr<plugins::ConsentsInForce> ConsentsAt(ReadTxn& txn,
                                                    const std::string& clinic,
                                                    const std::string& patient,
                                                    absl::Time t) {
  plugins::ConsentsInForce out;
  for (v1::InstructionKind kind :
       {v1::INSTRUCTION_KIND_PREPARATION, v1::INSTRUCTION_KIND_AFTERCARE,
        v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    MNR_ASSIGN_OR_RETURN(v1::KindConsentStatus status,
                         ConsentStatusAt(txn, clinic, patient, kind, t));
    out.kinds.push_back(std::move(status));
  }
  return out;
}

// Neighbour returns the course's live session other than `session` performed
// last at or before `at_us` (kEventTimeDescending) or first after it
// (kEventTimeAscending), or nullopt.
absl::StatusOr<std::optional<v1::TreatmentSession>> Neighbour(
    ReadTxn& txn, const std::string& clinic, const std::string& course,
    const v1::TreatmentSession& session, int64_t at_us,
    RecordQuery::Order order) {
  RecordQuery query;
  query.kind = RecordKind::kSession;
  query.clinic = clinic;
  query.course = course;
  query.order = order;
  query.exclude_category = v1::SESSION_STATUS_ENTERED_IN_ERROR;
  query.exclude_name = session.name();
  if (order == RecordQuery::Order::kEventTimeDescending) {
    query.event_time_to_us = at_us + 1;
  } else {
    query.event_time_from_us = at_us + 1;
  }
  query.limit = 1;
  MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> rows,
                       txn.ListRecords(query));
  if (rows.empty()) return std::nullopt;
  return DecodeRecord<v1::TreatmentSession>(rows.front());
}

// ScreeningAt is the patient's latest screening asked at or before `at_us`
// that is not entered in error (status COMPLETED): one step of the
// patient's time index (patient, kind, category, event time).
absl::StatusOr<std::optional<v1::Screening>> ScreeningAt(
    ReadTxn& txn, const std::string& clinic, const std::string& patient,
    int64_t at_us) {
  RecordQuery query;
  query.kind = RecordKind::kScreening;
  query.clinic = clinic;
  query.patient = patient;
  query.order = RecordQuery::Order::kEventTimeDescending;
  query.category = v1::SCREENING_STATUS_COMPLETED;
  query.event_time_to_us = at_us + 1;
  query.limit = 1;
  MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> rows,
                       txn.ListRecords(query));
  if (rows.empty()) return std::nullopt;
  return DecodeRecord<v1::Screening>(rows.front());
}

// LiveSessions counts the course's sessions that are not entered in error.
absl::StatusOr<int> LiveSessions(ReadTxn& txn, const std::string& course) {
  MNR_ASSIGN_OR_RETURN(const std::vector<CategoryCount> counts,
                       txn.CountChildren(course, RecordKind::kSession));
  int64_t live = 0;
  for (const CategoryCount& c : counts) {
    if (c.category != v1::SESSION_STATUS_ENTERED_IN_ERROR) live += c.count;
  }
  return static_cast<int>(live);
}

// PublishedSettings looks up the clinic's current settings revision of a
// plugin in the write's transaction, so a record is judged under the
// settings in force when it is stored.
plugins::SettingsLookup PublishedSettings(ReadTxn& txn,
                                          const std::string& clinic) {
  return [&txn, &clinic](const std::string& plugin) {
    return LoadPublishedSettings(txn, PluginSettingsName(clinic, plugin));
  };
}

}  // namespace

absl::Status CheckCourseWithPlugins(const plugins::PluginHost& host,
                                    ReadTxn& txn, const std::string& clinic,
                                    v1::TreatmentCourse& course) {
  course.clear_findings();
  if (host.empty() || course.status() == v1::COURSE_STATUS_ENTERED_IN_ERROR) {
    return absl::OkStatus();
  }
  return host.CheckCourse({clinic, course}, PublishedSettings(txn, clinic),
                          course.mutable_findings());
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
  const absl::Time at = FromProtoTime(session.performed_at());
  const int64_t at_us = ProtoTimeToMicros(session.performed_at());
  MNR_ASSIGN_OR_RETURN(const std::optional<v1::TreatmentSession> previous,
                       Neighbour(txn, clinic, course_name, session, at_us,
                                 RecordQuery::Order::kEventTimeDescending));
  MNR_ASSIGN_OR_RETURN(const std::optional<v1::TreatmentSession> next,
                       Neighbour(txn, clinic, course_name, session, at_us,
                                 RecordQuery::Order::kEventTimeAscending));
  MNR_ASSIGN_OR_RETURN(const int live, LiveSessions(txn, course_name));
  plugins::CourseSessions others;
  // An amended session is live (entered in error ones are final) and
  // counted already.
  others.other_count = session.name().empty() ? live : live - 1;
  others.previous = previous.has_value() ? &*previous : nullptr;
  others.next = next.has_value() ? &*next : nullptr;
  MNR_ASSIGN_OR_RETURN(const plugins::ConsentsInForce consents,
                       ConsentsAt(txn, clinic, patient_name, at));
  MNR_ASSIGN_OR_RETURN(const std::optional<v1::Screening> screening,
                       ScreeningAt(txn, clinic, patient_name, at_us));
  std::optional<v1::InstructionSet> questionnaire;
  plugins::ScreeningInForce in_force;
  if (screening.has_value()) {
    MNR_ASSIGN_OR_RETURN(
        questionnaire,
        LoadInstructionSet(txn, screening->questionnaire().instruction_set(),
                           screening->questionnaire().revision_id()));
    in_force = {&*screening, &*questionnaire};
  }
  plugins::SessionView view{clinic, session, course, others, consents};
  view.screening = &in_force;
  return host.CheckSession(view, PublishedSettings(txn, clinic),
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
                           PublishedSettings(txn, clinic),
                           consent.mutable_findings());
}

absl::Status CheckPhotoWithPlugins(const plugins::PluginHost& host,
                                   ReadTxn& txn, const std::string& clinic,
                                   const std::string& patient_name,
                                   const v1::TreatmentSession& session,
                                   v1::OutcomePhoto& photo) {
  photo.clear_findings();
  if (host.empty()) return absl::OkStatus();
  MNR_ASSIGN_OR_RETURN(const plugins::ConsentsInForce consents,
                       ConsentsAt(txn, clinic, patient_name,
                                  FromProtoTime(photo.captured_at())));
  return host.CheckPhoto({clinic, photo, session, consents},
                         PublishedSettings(txn, clinic),
                         photo.mutable_findings());
}

}  // namespace mnrecords

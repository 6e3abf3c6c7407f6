#include "server/service/export_snapshot.h"

#include <set>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "server/consent/consent_status.h"
#include "server/consent/instruction_refs.h"
#include "server/records/record_codec.h"
#include "server/records/record_list.h"

namespace mnrecords {
namespace {

// HistoryOf reads every revision of `name`, oldest first.
template <typename R>
absl::StatusOr<plugins::History<R>> HistoryOf(ReadTxn& txn,
                                              const std::string& name) {
  plugins::History<R> history;
  int64_t after = 0;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                         txn.ListRevisions(name, after, 1000));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(R r, DecodeRecord<R>(row));
      history.push_back(std::move(r));
    }
    if (rows.size() < 1000) return history;
    after = rows.back().revision.revision_id;
  }
}

// HistoriesOf reads the history of every current record `query` matches.
template <typename R>
absl::StatusOr<std::vector<plugins::History<R>>> HistoriesOf(
    ReadTxn& txn, const RecordQuery& query) {
  MNR_ASSIGN_OR_RETURN(std::vector<R> current, ReadAll<R>(txn, query));
  std::vector<plugins::History<R>> out;
  for (const R& r : current) {
    MNR_ASSIGN_OR_RETURN(plugins::History<R> h, HistoryOf<R>(txn, r.name()));
    out.push_back(std::move(h));
  }
  return out;
}

RecordQuery QueryOf(RecordKind kind, const ResourceName& patient,
                    const std::string& course) {
  RecordQuery q;
  q.kind = kind;
  q.clinic = patient.clinic;
  q.patient = patient.PatientName();
  q.course = course;
  return q;
}

// AddInstructionRevisions loads every instruction revision referred to.
absl::Status AddInstructionRevisions(ReadTxn& txn, plugins::ExportSnapshot& s) {
  std::set<std::pair<std::string, int64_t>> refs;
  for (const auto& h : s.consents) {
    for (const v1::Consent& c : h) {
      refs.emplace(c.instructions().instruction_set(),
                   c.instructions().revision_id());
    }
  }
  for (const auto& h : s.screenings) {
    for (const v1::Screening& screening : h) {
      refs.emplace(screening.questionnaire().instruction_set(),
                   screening.questionnaire().revision_id());
    }
  }
  for (const auto& h : s.sessions) {
    for (const v1::TreatmentSession& session : h) {
      const v1::InstructionRevisionRef& ref = session.aftercare_instructions();
      if (!ref.instruction_set().empty()) {
        refs.emplace(ref.instruction_set(), ref.revision_id());
      }
    }
  }
  for (const v1::SessionSignature& signature : s.signatures) {
    refs.emplace(signature.attestation().instruction_set(),
                 signature.attestation().revision_id());
  }
  for (const auto& [set, revision] : refs) {
    MNR_ASSIGN_OR_RETURN(v1::InstructionSet r,
                         LoadInstructionSet(txn, set, revision));
    s.instruction_revisions.push_back(std::move(r));
    if (s.instruction_current_revision.count(set) == 0) {
      MNR_ASSIGN_OR_RETURN(v1::InstructionSet current,
                           LoadInstructionSet(txn, set, 0));
      s.instruction_current_revision[set] = current.revision_id();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<plugins::ExportSnapshot> GatherExportSnapshot(
    ReadTxn& txn, const ResourceName& patient, const std::string& course,
    absl::Time now) {
  plugins::ExportSnapshot s;
  s.clinic = patient.clinic;
  s.course_filter = course;
  MNR_ASSIGN_OR_RETURN(s.patient,
                       LoadRecord<v1::Patient>(txn, patient.PatientName(), 0));
  if (course.empty()) {
    MNR_ASSIGN_OR_RETURN(s.courses,
                         HistoriesOf<v1::TreatmentCourse>(
                             txn, QueryOf(RecordKind::kCourse, patient, "")));
  } else {
    MNR_ASSIGN_OR_RETURN(plugins::History<v1::TreatmentCourse> h,
                         HistoryOf<v1::TreatmentCourse>(txn, course));
    s.courses.push_back(std::move(h));
  }
  MNR_ASSIGN_OR_RETURN(
      s.sessions, HistoriesOf<v1::TreatmentSession>(
                      txn, QueryOf(RecordKind::kSession, patient, course)));
  MNR_ASSIGN_OR_RETURN(s.photos,
                       HistoriesOf<v1::OutcomePhoto>(
                           txn, QueryOf(RecordKind::kPhoto, patient, course)));
  MNR_ASSIGN_OR_RETURN(s.consents,
                       HistoriesOf<v1::Consent>(
                           txn, QueryOf(RecordKind::kConsent, patient, "")));
  for (auto& h : s.consents) ApplyDerivedState(now, &h.back());
  MNR_ASSIGN_OR_RETURN(s.screenings,
                       HistoriesOf<v1::Screening>(
                           txn, QueryOf(RecordKind::kScreening, patient, "")));
  MNR_ASSIGN_OR_RETURN(
      s.assessments,
      HistoriesOf<v1::OutcomeAssessment>(
          txn, QueryOf(RecordKind::kOutcomeAssessment, patient, course)));
  RecordQuery signatures =
      QueryOf(RecordKind::kSessionSignature, patient, course);
  MNR_ASSIGN_OR_RETURN(s.signatures,
                       ReadAll<v1::SessionSignature>(txn, signatures));
  MNR_RETURN_IF_ERROR(AddInstructionRevisions(txn, s));
  return s;
}

}  // namespace mnrecords

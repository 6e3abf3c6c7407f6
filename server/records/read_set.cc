#include "server/records/read_set.h"

#include "common/status_macros.h"

namespace mnrecords {

absl::StatusOr<bool> ReadSet::Changed(ReadTxn& txn) const {
  if (untracked_) return true;
  if (versions_.empty()) return false;
  std::vector<std::string> names;
  names.reserve(versions_.size());
  for (const auto& [name, version] : versions_) names.push_back(name);
  MNR_ASSIGN_OR_RETURN(const std::vector<int64_t> now,
                       txn.RecordVersions(names));
  for (size_t i = 0; i < versions_.size(); ++i) {
    if (now[i] != versions_[i].second) return true;
  }
  return false;
}

void ReadSet::Note(const std::string& name, int64_t version) {
  for (const auto& [noted, unused] : versions_) {
    if (noted == name) return;
  }
  versions_.emplace_back(name, version);
}

std::optional<std::string> ParentBoundOf(const RecordQuery& q) {
  switch (q.kind) {
    case RecordKind::kSession:
    case RecordKind::kOutcomeAssessment:
      if (!q.course.empty() && q.session.empty()) return q.course;
      break;
    case RecordKind::kPhoto:
    case RecordKind::kPhotoRelease:
    case RecordKind::kSessionSignature:
      if (!q.session.empty()) return q.session;
      break;
    case RecordKind::kCourse:
    case RecordKind::kConsent:
    case RecordKind::kScreening:
      if (!q.patient.empty() && q.course.empty() && q.session.empty()) {
        return q.patient;
      }
      break;
    case RecordKind::kPatient:
    case RecordKind::kInstructionSet:
    case RecordKind::kPluginSettings:
      break;
  }
  return std::nullopt;
}

absl::Status SnapshotTxn::NoteParent(const std::string& parent) {
  MNR_ASSIGN_OR_RETURN(const int64_t version, inner_.RecordVersion(parent));
  read_set_.Note(parent, version);
  return absl::OkStatus();
}

absl::StatusOr<StoredRecord> SnapshotTxn::GetRecord(const std::string& name,
                                                    int64_t revision_id) {
  absl::StatusOr<StoredRecord> record = inner_.GetRecord(name, revision_id);
  if (record.ok()) {
    read_set_.Note(name, record->version);
  } else if (absl::IsNotFound(record.status())) {
    read_set_.Note(name, 0);  // it may be written meanwhile
  }
  return record;
}

absl::StatusOr<std::vector<StoredRecord>> SnapshotTxn::ListRecords(
    const RecordQuery& query) {
  const std::optional<std::string> parent = ParentBoundOf(query);
  if (parent.has_value()) {
    MNR_RETURN_IF_ERROR(NoteParent(*parent));
  } else {
    read_set_.Untracked();
  }
  return inner_.ListRecords(query);
}

absl::StatusOr<int64_t> SnapshotTxn::RecordVersion(const std::string& name) {
  MNR_ASSIGN_OR_RETURN(const int64_t version, inner_.RecordVersion(name));
  read_set_.Note(name, version);
  return version;
}

absl::StatusOr<std::vector<CategoryCount>> SnapshotTxn::CountChildren(
    const std::string& parent, RecordKind kind) {
  MNR_RETURN_IF_ERROR(NoteParent(parent));
  return inner_.CountChildren(parent, kind);
}

absl::StatusOr<std::vector<StoredRecord>> SnapshotTxn::ListRevisions(
    const std::string& name, int64_t after_revision, int limit) {
  MNR_RETURN_IF_ERROR(NoteParent(name));
  return inner_.ListRevisions(name, after_revision, limit);
}

absl::StatusOr<std::optional<std::string>> SnapshotTxn::FindByKey(
    const std::string& clinic, const std::string& key) {
  read_set_.Untracked();
  return inner_.FindByKey(clinic, key);
}

absl::StatusOr<std::optional<RequestRecord>> SnapshotTxn::GetRequest(
    const std::string& scope, const std::string& request_id) {
  // Not noted: every write looks its request_id up again in its own
  // transaction (prepared_write.h).
  return inner_.GetRequest(scope, request_id);
}

absl::StatusOr<std::vector<AuditEvent>> SnapshotTxn::ListAuditEvents(
    const AuditQuery& query) {
  read_set_.Untracked();
  return inner_.ListAuditEvents(query);
}

absl::StatusOr<std::vector<AuditEvent>> SnapshotTxn::ReadAuditEvents(
    int64_t from_seq, int limit) {
  read_set_.Untracked();
  return inner_.ReadAuditEvents(from_seq, limit);
}

absl::StatusOr<std::optional<AuditEvent>> SnapshotTxn::LastAuditEvent() {
  read_set_.Untracked();
  return inner_.LastAuditEvent();
}

absl::StatusOr<std::vector<StoredChange>> SnapshotTxn::ListChanges(
    const ChangeQuery& query) {
  read_set_.Untracked();
  return inner_.ListChanges(query);
}

absl::StatusOr<int64_t> SnapshotTxn::LastChangeSeq(const std::string& clinic) {
  read_set_.Untracked();
  return inner_.LastChangeSeq(clinic);
}

}  // namespace mnrecords

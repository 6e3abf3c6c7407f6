#include "server/store/sqlite/sqlite_txn.h"

#include "common/status_macros.h"
#include "server/store/sqlite/audit_rows.h"
#include "server/store/sqlite/record_reads.h"
#include "server/store/sqlite/record_writes.h"

namespace mnrecords {
namespace sqlite {
namespace {

// IsStorageFailure is true for errors that come from the database rather
// than from the caller's input or the records' state.
bool IsStorageFailure(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
      return false;
    default:
      return true;
  }
}

}  // namespace

absl::Status RunCached(Connection& db, absl::string_view sql) {
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql));
  return statement->Run();
}

absl::StatusOr<StoredRecord> SqliteReadTxn::GetRecord(const std::string& name,
                                                      int64_t revision_id) {
  return sqlite::GetRecord(db_, name, revision_id);
}

absl::StatusOr<std::vector<StoredRecord>> SqliteReadTxn::ListRecords(
    const RecordQuery& query) {
  return sqlite::ListRecords(db_, query);
}

absl::StatusOr<int64_t> SqliteReadTxn::RecordVersion(const std::string& name) {
  return sqlite::RecordVersion(db_, name);
}

absl::StatusOr<std::vector<CategoryCount>> SqliteReadTxn::CountChildren(
    const std::string& parent, RecordKind kind) {
  return sqlite::CountChildren(db_, parent, kind);
}

absl::StatusOr<std::vector<StoredRecord>> SqliteReadTxn::ListRevisions(
    const std::string& name, int64_t after_revision, int limit) {
  return sqlite::ListRevisions(db_, name, after_revision, limit);
}

absl::StatusOr<std::optional<std::string>> SqliteReadTxn::FindByKey(
    const std::string& clinic, const std::string& key) {
  return sqlite::FindByKey(db_, clinic, key);
}

absl::StatusOr<std::optional<RequestRecord>> SqliteReadTxn::GetRequest(
    const std::string& scope, const std::string& request_id) {
  return sqlite::GetRequest(db_, scope, request_id);
}

absl::StatusOr<std::vector<AuditEvent>> SqliteReadTxn::ListAuditEvents(
    const AuditQuery& query) {
  return sqlite::ListAuditEvents(db_, query);
}

absl::StatusOr<std::vector<AuditEvent>> SqliteReadTxn::ReadAuditEvents(
    int64_t from_seq, int limit) {
  return sqlite::ReadAuditEvents(db_, from_seq, limit);
}

absl::Status SqliteReadTxn::ScanAuditEvents(
    int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  return sqlite::ScanAuditEvents(db_, from_seq, to_seq, fn);
}

absl::Status SqliteReadTxn::ScanAuditWrites(
    const std::string& clinic, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  return sqlite::ScanAuditWrites(db_, clinic, from_seq, to_seq, fn);
}

absl::StatusOr<std::optional<AuditEvent>> SqliteReadTxn::LastAuditEvent() {
  return sqlite::LastAuditEvent(db_);
}

absl::StatusOr<std::vector<StoredChange>> SqliteReadTxn::ListChanges(
    const ChangeQuery& query) {
  return sqlite::ListChanges(db_, query);
}

absl::StatusOr<int64_t> SqliteReadTxn::LastChangeSeq(
    const std::string& clinic) {
  return sqlite::LastChangeSeq(db_, clinic);
}

absl::Status SqliteReadTxn::ScanRevisions(
    const std::string& clinic, int part, int parts,
    absl::FunctionRef<absl::Status(const StoredRevision&)> fn) {
  return sqlite::ScanRevisions(db_, clinic, part, parts, fn);
}

absl::Status SqliteWriteTxn::Usable() {
  if (!broken_.ok()) return broken_;
  if (!db_.InTransaction()) {
    broken_ = absl::InternalError(
        "the write transaction was rolled back after an earlier storage "
        "error; nothing of it will be committed");
  }
  return broken_;
}

absl::Status SqliteWriteTxn::Track(absl::Status status) {
  if (IsStorageFailure(status) && broken_.ok()) broken_ = status;
  return status;
}

absl::Status SqliteWriteTxn::Mutate(absl::FunctionRef<absl::Status()> op) {
  MNR_RETURN_IF_ERROR(Usable());
  MNR_RETURN_IF_ERROR(Track(RunCached(db_, "SAVEPOINT mnr_mutation")));
  absl::Status status = op();
  if (status.ok()) return Track(RunCached(db_, "RELEASE mnr_mutation"));
  Track(status).IgnoreError();
  if (db_.InTransaction()) {
    absl::Status undo = RunCached(db_, "ROLLBACK TO mnr_mutation");
    if (undo.ok()) undo = RunCached(db_, "RELEASE mnr_mutation");
    if (!undo.ok() && broken_.ok()) broken_ = undo;
  } else if (broken_.ok()) {
    Usable().IgnoreError();  // SQLite rolled back the whole transaction
  }
  return status;
}

absl::StatusOr<StoredRecord> SqliteWriteTxn::GetRecord(const std::string& name,
                                                       int64_t revision_id) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::GetRecord(db_, name, revision_id));
}

absl::StatusOr<std::vector<StoredRecord>> SqliteWriteTxn::ListRecords(
    const RecordQuery& query) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::ListRecords(db_, query));
}

absl::StatusOr<int64_t> SqliteWriteTxn::RecordVersion(const std::string& name) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::RecordVersion(db_, name));
}

absl::StatusOr<std::vector<CategoryCount>> SqliteWriteTxn::CountChildren(
    const std::string& parent, RecordKind kind) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::CountChildren(db_, parent, kind));
}

absl::StatusOr<std::vector<StoredRecord>> SqliteWriteTxn::ListRevisions(
    const std::string& name, int64_t after_revision, int limit) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::ListRevisions(db_, name, after_revision, limit));
}

absl::StatusOr<std::optional<std::string>> SqliteWriteTxn::FindByKey(
    const std::string& clinic, const std::string& key) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::FindByKey(db_, clinic, key));
}

absl::StatusOr<std::optional<RequestRecord>> SqliteWriteTxn::GetRequest(
    const std::string& scope, const std::string& request_id) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::GetRequest(db_, scope, request_id));
}

absl::Status SqliteWriteTxn::InsertRecord(const RecordRevision& record,
                                          const RecordKeys& keys) {
  std::string hash(hasher_.Hash(record));
  MNR_RETURN_IF_ERROR(Mutate([&] {
    return sqlite::InsertRecord(db_, record, hash, principal(), keys);
  }));
  NoteWritten({record.name, record.revision_id, std::move(hash)});
  return absl::OkStatus();
}

absl::Status SqliteWriteTxn::AppendRevision(const RecordRevision& record,
                                            const RecordKeys& keys) {
  std::string hash(hasher_.Hash(record));
  MNR_RETURN_IF_ERROR(Mutate([&] {
    return sqlite::AppendRevision(db_, record, hash, principal(), keys);
  }));
  NoteWritten({record.name, record.revision_id, std::move(hash)});
  return absl::OkStatus();
}

absl::Status SqliteWriteTxn::PutRequest(const std::string& scope,
                                        const std::string& request_id,
                                        const RequestRecord& request) {
  return Mutate(
      [&] { return sqlite::PutRequest(db_, scope, request_id, request); });
}

absl::StatusOr<int64_t> SqliteWriteTxn::ExpireRequests(absl::Time cutoff,
                                                       int64_t limit) {
  int64_t expired = 0;
  MNR_RETURN_IF_ERROR(Mutate([&]() -> absl::Status {
    MNR_ASSIGN_OR_RETURN(expired, sqlite::ExpireRequests(db_, cutoff, limit));
    return absl::OkStatus();
  }));
  return expired;
}

absl::StatusOr<std::vector<AuditEvent>> SqliteWriteTxn::ListAuditEvents(
    const AuditQuery& query) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::ListAuditEvents(db_, query));
}

absl::StatusOr<std::vector<AuditEvent>> SqliteWriteTxn::ReadAuditEvents(
    int64_t from_seq, int limit) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::ReadAuditEvents(db_, from_seq, limit));
}

absl::Status SqliteWriteTxn::ScanAuditEvents(
    int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  MNR_RETURN_IF_ERROR(Usable());
  // Not Track()ed: a scan writes nothing, and fn's own errors must not
  // break the transaction.
  return sqlite::ScanAuditEvents(db_, from_seq, to_seq, fn);
}

absl::Status SqliteWriteTxn::ScanAuditWrites(
    const std::string& clinic, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  MNR_RETURN_IF_ERROR(Usable());
  return sqlite::ScanAuditWrites(db_, clinic, from_seq, to_seq, fn);
}

absl::StatusOr<std::optional<AuditEvent>> SqliteWriteTxn::LastAuditEvent() {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::LastAuditEvent(db_));
}

absl::StatusOr<std::vector<StoredChange>> SqliteWriteTxn::ListChanges(
    const ChangeQuery& query) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::ListChanges(db_, query));
}

absl::StatusOr<int64_t> SqliteWriteTxn::LastChangeSeq(
    const std::string& clinic) {
  MNR_RETURN_IF_ERROR(Usable());
  return Track(sqlite::LastChangeSeq(db_, clinic));
}

absl::Status SqliteWriteTxn::ScanRevisions(
    const std::string& clinic, int part, int parts,
    absl::FunctionRef<absl::Status(const StoredRevision&)> fn) {
  MNR_RETURN_IF_ERROR(Usable());
  // Not Track()ed, like ScanAuditEvents.
  return sqlite::ScanRevisions(db_, clinic, part, parts, fn);
}

absl::StatusOr<AuditEvent> SqliteWriteTxn::AppendAuditEvent(
    const AuditEvent& event) {
  AuditEvent stored;
  MNR_RETURN_IF_ERROR(Mutate([&]() -> absl::Status {
    MNR_ASSIGN_OR_RETURN(stored, sqlite::AppendAuditEvent(db_, event));
    return absl::OkStatus();
  }));
  return stored;
}

}  // namespace sqlite
}  // namespace mnrecords

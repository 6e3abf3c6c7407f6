#include "server/store/sqlite/record_writes.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/record_rules.h"
#include "server/store/sqlite/record_reads.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace sqlite {
namespace {

constexpr absl::StatusCode kAlreadyExists = absl::StatusCode::kAlreadyExists;

// CheckKeysFree fails with ALREADY_EXISTS if a key is held by another record.
absl::Status CheckKeysFree(Connection& db, const RecordRevision& record,
                           const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    MNR_ASSIGN_OR_RETURN(const std::optional<std::string> holder,
                         FindByKey(db, record.clinic, key));
    if (holder.has_value() && *holder != record.name) {
      return absl::AlreadyExistsError(
          absl::StrCat("key '", key, "' is already held by ", *holder));
    }
  }
  return absl::OkStatus();
}

// InsertRevisionRow stores revision `r` with its content hash and its
// change (store.h, StoredChange), written by `principal`.
absl::Status InsertRevisionRow(Connection& db, const RecordRevision& r,
                               absl::string_view content_sha256,
                               const std::string& principal) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO revisions (name, revision_id, kind, clinic, "
                 "patient, course, session, actor, event_time_us, category, "
                 "create_time_us, payload, content_sha256) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  MNR_RETURN_IF_ERROR(insert->BindText(1, r.name));
  MNR_RETURN_IF_ERROR(insert->BindInt64(2, r.revision_id));
  MNR_RETURN_IF_ERROR(insert->BindInt64(3, static_cast<int64_t>(r.kind)));
  MNR_RETURN_IF_ERROR(insert->BindText(4, r.clinic));
  MNR_RETURN_IF_ERROR(insert->BindText(5, r.patient));
  MNR_RETURN_IF_ERROR(insert->BindText(6, r.course));
  MNR_RETURN_IF_ERROR(insert->BindText(7, r.session));
  MNR_RETURN_IF_ERROR(insert->BindText(8, r.actor));
  MNR_RETURN_IF_ERROR(insert->BindInt64(9, r.event_time_us));
  MNR_RETURN_IF_ERROR(insert->BindInt64(10, r.category));
  MNR_RETURN_IF_ERROR(insert->BindInt64(11, absl::ToUnixMicros(r.create_time)));
  MNR_RETURN_IF_ERROR(insert->BindBlob(12, r.payload));
  MNR_RETURN_IF_ERROR(insert->BindText(13, content_sha256));
  MNR_RETURN_IF_ERROR(insert->Run(kAlreadyExists));
  MNR_ASSIGN_OR_RETURN(ScopedStatement change, db.Prepare(kInsertChangeSql));
  MNR_RETURN_IF_ERROR(change->BindText(1, r.clinic));
  MNR_RETURN_IF_ERROR(change->BindText(2, r.patient));
  MNR_RETURN_IF_ERROR(change->BindInt64(3, static_cast<int64_t>(r.kind)));
  MNR_RETURN_IF_ERROR(change->BindText(4, r.name));
  MNR_RETURN_IF_ERROR(change->BindInt64(5, r.revision_id));
  MNR_RETURN_IF_ERROR(change->BindText(6, principal));
  return change->Run(kAlreadyExists);
}

absl::Status InsertKeyRows(Connection& db, const RecordRevision& record,
                           const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement insert,
        db.Prepare("INSERT INTO record_keys (clinic, lookup_key, name) "
                   "VALUES (?, ?, ?)"));
    MNR_RETURN_IF_ERROR(insert->BindText(1, record.clinic));
    MNR_RETURN_IF_ERROR(insert->BindText(2, key));
    MNR_RETURN_IF_ERROR(insert->BindText(3, record.name));
    MNR_RETURN_IF_ERROR(insert->Run(kAlreadyExists));
  }
  return absl::OkStatus();
}

// ReplaceTermRows files record `seq` under exactly `terms` (sorted, no
// duplicates): the rows of its previous revision's terms go first.
absl::Status ReplaceTermRows(Connection& db, const RecordRevision& record,
                             int64_t seq, bool had_rows,
                             const std::vector<std::string>& terms) {
  if (had_rows) {
    MNR_ASSIGN_OR_RETURN(ScopedStatement remove,
                         db.Prepare("DELETE FROM record_terms WHERE seq = ?"));
    MNR_RETURN_IF_ERROR(remove->BindInt64(1, seq));
    MNR_RETURN_IF_ERROR(remove->Run());
  }
  for (const std::string& term : terms) {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement insert,
        db.Prepare("INSERT INTO record_terms (clinic, kind, term, seq) "
                   "VALUES (?, ?, ?, ?)"));
    MNR_RETURN_IF_ERROR(insert->BindText(1, record.clinic));
    MNR_RETURN_IF_ERROR(
        insert->BindInt64(2, static_cast<int64_t>(record.kind)));
    MNR_RETURN_IF_ERROR(insert->BindText(3, term));
    MNR_RETURN_IF_ERROR(insert->BindInt64(4, seq));
    MNR_RETURN_IF_ERROR(insert->Run());
  }
  return absl::OkStatus();
}

// AddToCount adds `delta` to the count of `parent`'s records of `kind` in
// `category` (record_counts).
absl::Status AddToCount(Connection& db, const std::string& parent,
                        RecordKind kind, int32_t category, int64_t delta) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement upsert,
      // The inserted row's count is never negative: SQLite checks the
      // CHECK constraint on it before it looks for the conflict.
      db.Prepare("INSERT INTO record_counts (parent, kind, category, count) "
                 "VALUES (?1, ?2, ?3, max(?4, 0)) "
                 "ON CONFLICT (parent, kind, category) "
                 "DO UPDATE SET count = count + ?4"));
  MNR_RETURN_IF_ERROR(upsert->BindText(1, parent));
  MNR_RETURN_IF_ERROR(upsert->BindInt64(2, static_cast<int64_t>(kind)));
  MNR_RETURN_IF_ERROR(upsert->BindInt64(3, category));
  MNR_RETURN_IF_ERROR(upsert->BindInt64(4, delta));
  return upsert->Run();
}

// BumpParent records that a record under `parent` changed: its version
// grows by one (nothing to do for a record without a parent).
absl::Status BumpParent(Connection& db, const std::string& parent) {
  if (parent.empty()) return absl::OkStatus();
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement update,
      db.Prepare("UPDATE records SET version = version + 1 WHERE name = ?"));
  MNR_RETURN_IF_ERROR(update->BindText(1, parent));
  return update->Run();
}

}  // namespace

absl::Status InsertRecord(Connection& db, const RecordRevision& record,
                          absl::string_view content_sha256,
                          const std::string& principal,
                          const RecordKeys& keys) {
  MNR_RETURN_IF_ERROR(ValidateRevision(record));
  if (record.revision_id != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("a new record starts at revision 1; ", record.name,
                     " has revision_id ", record.revision_id));
  }
  MNR_ASSIGN_OR_RETURN(const RecordKeys normalized,
                       NormalizeKeys(record, keys));
  const std::vector<std::string>& unique_keys = normalized.unique;
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head,
                       FindHead(db, record.name));
  if (head.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat(record.name, " already exists"));
  }
  MNR_RETURN_IF_ERROR(CheckKeysFree(db, record, unique_keys));
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement insert,
        db.Prepare("INSERT INTO records (name, kind, clinic, patient, course, "
                   "session, actor, event_time_us, category, revision_id, "
                   "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)"));
    MNR_RETURN_IF_ERROR(insert->BindText(1, record.name));
    MNR_RETURN_IF_ERROR(
        insert->BindInt64(2, static_cast<int64_t>(record.kind)));
    MNR_RETURN_IF_ERROR(insert->BindText(3, record.clinic));
    MNR_RETURN_IF_ERROR(insert->BindText(4, record.patient));
    MNR_RETURN_IF_ERROR(insert->BindText(5, record.course));
    MNR_RETURN_IF_ERROR(insert->BindText(6, record.session));
    MNR_RETURN_IF_ERROR(insert->BindText(7, record.actor));
    MNR_RETURN_IF_ERROR(insert->BindInt64(8, record.event_time_us));
    MNR_RETURN_IF_ERROR(insert->BindInt64(9, record.category));
    MNR_RETURN_IF_ERROR(insert->Run(kAlreadyExists));
  }
  if (!normalized.terms.empty()) {
    MNR_ASSIGN_OR_RETURN(const int64_t seq,
                         db.QueryInt64("SELECT last_insert_rowid()"));
    MNR_RETURN_IF_ERROR(
        ReplaceTermRows(db, record, seq, /*had_rows=*/false, normalized.terms));
  }
  MNR_RETURN_IF_ERROR(InsertRevisionRow(db, record, content_sha256, principal));
  MNR_RETURN_IF_ERROR(InsertKeyRows(db, record, unique_keys));
  const std::string parent =
      ParentOf(record.name, record.patient, record.course, record.session);
  if (!parent.empty()) {
    MNR_RETURN_IF_ERROR(
        AddToCount(db, parent, record.kind, record.category, 1));
  }
  return BumpParent(db, parent);
}

absl::Status AppendRevision(Connection& db, const RecordRevision& record,
                            absl::string_view content_sha256,
                            const std::string& principal,
                            const RecordKeys& keys) {
  MNR_RETURN_IF_ERROR(ValidateRevision(record));
  MNR_ASSIGN_OR_RETURN(const RecordKeys normalized,
                       NormalizeKeys(record, keys));
  const std::vector<std::string>& unique_keys = normalized.unique;
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head,
                       FindHead(db, record.name));
  if (!head.has_value()) {
    return absl::NotFoundError(absl::StrCat(record.name, " not found"));
  }
  MNR_RETURN_IF_ERROR(
      CheckNextRevision(record, head->revision_id, head->kind, head->clinic));
  MNR_RETURN_IF_ERROR(CheckKeysFree(db, record, unique_keys));
  MNR_RETURN_IF_ERROR(InsertRevisionRow(db, record, content_sha256, principal));
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement update,
        db.Prepare("UPDATE records SET patient = ?, course = ?, session = ?, "
                   "actor = ?, event_time_us = ?, category = ?, "
                   "revision_id = ?, version = version + 1 WHERE name = ?"));
    MNR_RETURN_IF_ERROR(update->BindText(1, record.patient));
    MNR_RETURN_IF_ERROR(update->BindText(2, record.course));
    MNR_RETURN_IF_ERROR(update->BindText(3, record.session));
    MNR_RETURN_IF_ERROR(update->BindText(4, record.actor));
    MNR_RETURN_IF_ERROR(update->BindInt64(5, record.event_time_us));
    MNR_RETURN_IF_ERROR(update->BindInt64(6, record.category));
    MNR_RETURN_IF_ERROR(update->BindInt64(7, record.revision_id));
    MNR_RETURN_IF_ERROR(update->BindText(8, record.name));
    MNR_RETURN_IF_ERROR(update->Run());
  }
  {
    MNR_ASSIGN_OR_RETURN(ScopedStatement remove,
                         db.Prepare("DELETE FROM record_keys WHERE name = ?"));
    MNR_RETURN_IF_ERROR(remove->BindText(1, record.name));
    MNR_RETURN_IF_ERROR(remove->Run());
  }
  MNR_RETURN_IF_ERROR(InsertKeyRows(db, record, unique_keys));
  MNR_RETURN_IF_ERROR(ReplaceTermRows(db, record, head->seq, /*had_rows=*/true,
                                      normalized.terms));
  if (!head->parent.empty() && record.category != head->category) {
    MNR_RETURN_IF_ERROR(
        AddToCount(db, head->parent, record.kind, head->category, -1));
    MNR_RETURN_IF_ERROR(
        AddToCount(db, head->parent, record.kind, record.category, 1));
  }
  return BumpParent(db, head->parent);
}

absl::Status PutRequest(Connection& db, const std::string& scope,
                        const std::string& request_id,
                        const RequestRecord& request) {
  MNR_RETURN_IF_ERROR(ValidateRequestRecord(scope, request_id, request));
  MNR_ASSIGN_OR_RETURN(const std::optional<RequestRecord> existing,
                       GetRequest(db, scope, request_id));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat("request '", request_id, "' in scope '", scope,
                     "' is already recorded (it produced revision ",
                     existing->revision_id, " of ", existing->name, ")"));
  }
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement exists,
        db.Prepare("SELECT 1 FROM revisions WHERE name = ? AND "
                   "revision_id = ?"));
    MNR_RETURN_IF_ERROR(exists->BindText(1, request.name));
    MNR_RETURN_IF_ERROR(exists->BindInt64(2, request.revision_id));
    MNR_ASSIGN_OR_RETURN(const bool found, exists->Step());
    if (!found) {
      return absl::NotFoundError(absl::StrCat(
          "cannot remember request '", request_id, "': revision ",
          request.revision_id, " of ", request.name, " not found"));
    }
  }
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO requests (scope, request_id, request_hash, "
                 "name, revision_id, create_time_us) VALUES (?, ?, ?, ?, ?, "
                 "?)"));
  MNR_RETURN_IF_ERROR(insert->BindText(1, scope));
  MNR_RETURN_IF_ERROR(insert->BindText(2, request_id));
  MNR_RETURN_IF_ERROR(insert->BindBlob(3, request.request_hash));
  MNR_RETURN_IF_ERROR(insert->BindText(4, request.name));
  MNR_RETURN_IF_ERROR(insert->BindInt64(5, request.revision_id));
  MNR_RETURN_IF_ERROR(
      insert->BindInt64(6, absl::ToUnixMicros(request.create_time)));
  return insert->Run(kAlreadyExists);
}

absl::StatusOr<int64_t> ExpireRequests(Connection& db, absl::Time cutoff,
                                       int64_t limit) {
  // The index requests_by_create_time finds the oldest ones.
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement expire,
      db.Prepare("DELETE FROM requests WHERE (scope, request_id) IN ("
                 "SELECT scope, request_id FROM requests "
                 "WHERE create_time_us < ? ORDER BY create_time_us LIMIT ?)"));
  MNR_RETURN_IF_ERROR(expire->BindInt64(1, absl::ToUnixMicros(cutoff)));
  MNR_RETURN_IF_ERROR(expire->BindInt64(2, limit));
  MNR_RETURN_IF_ERROR(expire->Run());
  return db.Changes();
}

}  // namespace sqlite
}  // namespace mnrecords

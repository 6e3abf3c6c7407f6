// PgWriteTxn: the record writes (pg_txn.h). Each statement that could meet
// a unique constraint checks first, so an expected refusal never aborts
// the batch's transaction; a race with another server that slips past the
// check still fails safely (the constraint, ALREADY_EXISTS).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/record_rules.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace postgres {

absl::Status PgWriteTxn::CheckKeysFree(const RecordRevision& record,
                                       const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    MNR_ASSIGN_OR_RETURN(const std::optional<std::string> holder,
                         reads_.FindByKey(record.clinic, key));
    if (holder.has_value() && *holder != record.name) {
      return absl::AlreadyExistsError(
          absl::StrCat("key '", key, "' is already held by ", *holder));
    }
  }
  return absl::OkStatus();
}

absl::Status PgWriteTxn::InsertRevisionRow(const RecordRevision& r,
                                           absl::string_view content_sha256) {
  return db_
      .Query(
          "INSERT INTO revisions (name, revision_id, kind, clinic, patient, "
          "course, session, actor, event_time_us, category, create_time_us, "
          "payload, content_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
          "$9, $10, $11, $12, $13)",
          {r.name, r.revision_id, static_cast<int64_t>(r.kind), r.clinic,
           r.patient, r.course, r.session, r.actor, r.event_time_us,
           static_cast<int64_t>(r.category), absl::ToUnixMicros(r.create_time),
           PgBytes{r.payload}, std::string(content_sha256)})
      .status();
}

absl::Status PgWriteTxn::InsertChangeRow(const RecordRevision& r) {
  static const std::string* const sql =
      new std::string(NumberedParams(kInsertChangeSql));
  return db_
      .Query(*sql, {r.clinic, r.patient, static_cast<int64_t>(r.kind), r.name,
                    r.revision_id, principal()})
      .status();
}

absl::Status PgWriteTxn::InsertKeyRows(const RecordRevision& record,
                                       const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    MNR_RETURN_IF_ERROR(
        db_.Query("INSERT INTO record_keys (clinic, lookup_key, name) "
                  "VALUES ($1, $2, $3)",
                  {record.clinic, key, record.name})
            .status());
  }
  return absl::OkStatus();
}

absl::Status PgWriteTxn::ReplaceTermRows(
    const RecordRevision& record, int64_t seq, bool had_rows,
    const std::vector<std::string>& terms) {
  if (had_rows) {
    MNR_RETURN_IF_ERROR(
        db_.Query("DELETE FROM record_terms WHERE seq = $1", {seq}).status());
  }
  for (const std::string& term : terms) {
    MNR_RETURN_IF_ERROR(
        db_.Query("INSERT INTO record_terms (clinic, kind, term, seq) "
                  "VALUES ($1, $2, $3, $4)",
                  {record.clinic, static_cast<int64_t>(record.kind), term, seq})
            .status());
  }
  return absl::OkStatus();
}

absl::Status PgWriteTxn::AddToCount(const std::string& parent, RecordKind kind,
                                    int32_t category, int64_t delta) {
  return db_
      .Query(
          "INSERT INTO record_counts AS c (parent, kind, category, count) "
          "VALUES ($1, $2, $3, greatest($4, 0)) "
          "ON CONFLICT (parent, kind, category) "
          "DO UPDATE SET count = c.count + $4",
          {parent, static_cast<int64_t>(kind), static_cast<int64_t>(category),
           delta})
      .status();
}

absl::Status PgWriteTxn::BumpParent(const std::string& parent) {
  if (parent.empty()) return absl::OkStatus();
  return db_
      .Query("UPDATE records SET version = version + 1 WHERE name = $1",
             {parent})
      .status();
}

absl::Status PgWriteTxn::InsertRecord(const RecordRevision& record,
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
  MNR_ASSIGN_OR_RETURN(const std::optional<Reads::RecordHead> head,
                       reads_.FindHead(record.name));
  if (head.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat(record.name, " already exists"));
  }
  MNR_RETURN_IF_ERROR(CheckKeysFree(record, unique_keys));
  MNR_ASSIGN_OR_RETURN(
      PgResult inserted,
      db_.Query("INSERT INTO records (name, kind, clinic, patient, course, "
                "session, actor, event_time_us, category, revision_id, "
                "version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, 1) "
                "RETURNING seq",
                {record.name, static_cast<int64_t>(record.kind), record.clinic,
                 record.patient, record.course, record.session, record.actor,
                 record.event_time_us, static_cast<int64_t>(record.category)}));
  MNR_RETURN_IF_ERROR(ReplaceTermRows(record, inserted.Int64(0, 0),
                                      /*had_rows=*/false, normalized.terms));
  std::string hash(hasher_.Hash(record));
  MNR_RETURN_IF_ERROR(InsertRevisionRow(record, hash));
  MNR_RETURN_IF_ERROR(InsertChangeRow(record));
  MNR_RETURN_IF_ERROR(InsertKeyRows(record, unique_keys));
  const std::string parent =
      ParentOf(record.name, record.patient, record.course, record.session);
  if (!parent.empty()) {
    MNR_RETURN_IF_ERROR(AddToCount(parent, record.kind, record.category, 1));
  }
  MNR_RETURN_IF_ERROR(BumpParent(parent));
  NoteWritten({record.name, record.revision_id, std::move(hash)});
  return absl::OkStatus();
}

absl::Status PgWriteTxn::AppendRevision(const RecordRevision& record,
                                        const RecordKeys& keys) {
  MNR_RETURN_IF_ERROR(ValidateRevision(record));
  MNR_ASSIGN_OR_RETURN(const RecordKeys normalized,
                       NormalizeKeys(record, keys));
  const std::vector<std::string>& unique_keys = normalized.unique;
  MNR_ASSIGN_OR_RETURN(const std::optional<Reads::RecordHead> head,
                       reads_.FindHead(record.name));
  if (!head.has_value()) {
    return absl::NotFoundError(absl::StrCat(record.name, " not found"));
  }
  MNR_RETURN_IF_ERROR(
      CheckNextRevision(record, head->revision_id, head->kind, head->clinic));
  MNR_RETURN_IF_ERROR(CheckKeysFree(record, unique_keys));
  std::string hash(hasher_.Hash(record));
  MNR_RETURN_IF_ERROR(InsertRevisionRow(record, hash));
  MNR_RETURN_IF_ERROR(InsertChangeRow(record));
  MNR_RETURN_IF_ERROR(
      db_.Query("UPDATE records SET patient = $1, course = $2, session = $3, "
                "actor = $4, event_time_us = $5, category = $6, "
                "revision_id = $7, version = version + 1 WHERE name = $8",
                {record.patient, record.course, record.session, record.actor,
                 record.event_time_us, static_cast<int64_t>(record.category),
                 record.revision_id, record.name})
          .status());
  MNR_RETURN_IF_ERROR(
      db_.Query("DELETE FROM record_keys WHERE name = $1", {record.name})
          .status());
  MNR_RETURN_IF_ERROR(InsertKeyRows(record, unique_keys));
  MNR_RETURN_IF_ERROR(
      ReplaceTermRows(record, head->seq, /*had_rows=*/true, normalized.terms));
  if (!head->parent.empty() && record.category != head->category) {
    MNR_RETURN_IF_ERROR(
        AddToCount(head->parent, record.kind, head->category, -1));
    MNR_RETURN_IF_ERROR(
        AddToCount(head->parent, record.kind, record.category, 1));
  }
  MNR_RETURN_IF_ERROR(BumpParent(head->parent));
  NoteWritten({record.name, record.revision_id, std::move(hash)});
  return absl::OkStatus();
}

absl::Status PgWriteTxn::PutRequest(const std::string& scope,
                                    const std::string& request_id,
                                    const RequestRecord& request) {
  MNR_RETURN_IF_ERROR(ValidateRequestRecord(scope, request_id, request));
  MNR_ASSIGN_OR_RETURN(const std::optional<RequestRecord> existing,
                       reads_.GetRequest(scope, request_id));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat("request '", request_id, "' in scope '", scope,
                     "' is already recorded (it produced revision ",
                     existing->revision_id, " of ", existing->name, ")"));
  }
  MNR_ASSIGN_OR_RETURN(
      PgResult found,
      db_.Query("SELECT 1 FROM revisions WHERE name = $1 AND revision_id = $2",
                {request.name, request.revision_id}));
  if (found.rows() == 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot remember request '", request_id, "': revision ",
                     request.revision_id, " of ", request.name, " not found"));
  }
  return db_
      .Query(
          "INSERT INTO requests (scope, request_id, request_hash, name, "
          "revision_id, create_time_us) VALUES ($1, $2, $3, $4, $5, $6)",
          {scope, request_id, PgBytes{request.request_hash}, request.name,
           request.revision_id, absl::ToUnixMicros(request.create_time)})
      .status();
}

absl::StatusOr<int64_t> PgWriteTxn::ExpireRequests(absl::Time cutoff,
                                                   int64_t limit) {
  // The index requests_by_create_time finds the oldest ones.
  MNR_ASSIGN_OR_RETURN(
      PgResult gone,
      db_.Query("DELETE FROM requests WHERE (scope, request_id) IN ("
                "SELECT scope, request_id FROM requests "
                "WHERE create_time_us < $1 ORDER BY create_time_us LIMIT $2) "
                "RETURNING 1",
                {absl::ToUnixMicros(cutoff), limit}));
  return static_cast<int64_t>(gone.rows());
}

}  // namespace postgres
}  // namespace mnrecords

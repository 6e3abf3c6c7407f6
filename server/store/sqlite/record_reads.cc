#include "server/store/sqlite/record_reads.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/record_rules.h"
#include "server/store/revision_hash.h"

namespace mnrecords {
namespace sqlite {
namespace {

// Rows have the columns kRecordColumns (store_sql.h). A revision that does
// not match its stored content hash is DATA_LOSS, never returned.
absl::StatusOr<StoredRecord> ReadRow(const Statement& row) {
  StoredRecord out;
  out.seq = row.ColumnInt64(0);
  RecordRevision& r = out.revision;
  DecodeRevision(row, 1, &r);
  if (!IsKnownKind(static_cast<int>(r.kind))) {
    return absl::DataLossError(absl::StrCat("revision ", r.revision_id, " of ",
                                            r.name, " has unknown kind ",
                                            static_cast<int>(r.kind)));
  }
  out.version = row.ColumnInt64(13);
  MNR_RETURN_IF_ERROR(CheckRevisionContent(r, row.ColumnView(14)));
  return out;
}

absl::StatusOr<std::vector<StoredRecord>> ReadAll(Statement& statement) {
  std::vector<StoredRecord> out;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) return out;
    MNR_ASSIGN_OR_RETURN(StoredRecord record, ReadRow(statement));
    out.push_back(std::move(record));
  }
}

absl::Status NotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat(name, " not found"));
}

}  // namespace

void DecodeRevision(const Statement& row, int first, RecordRevision* r) {
  auto assign = [](std::string& field, absl::string_view v) {
    field.assign(v.data(), v.size());
  };
  assign(r->name, row.ColumnView(first));
  r->revision_id = row.ColumnInt64(first + 1);
  r->kind = static_cast<RecordKind>(row.ColumnInt64(first + 2));
  assign(r->clinic, row.ColumnView(first + 3));
  assign(r->patient, row.ColumnView(first + 4));
  assign(r->course, row.ColumnView(first + 5));
  assign(r->session, row.ColumnView(first + 6));
  assign(r->actor, row.ColumnView(first + 7));
  r->event_time_us = row.ColumnInt64(first + 8);
  r->category = static_cast<int32_t>(row.ColumnInt64(first + 9));
  r->create_time = absl::FromUnixMicros(row.ColumnInt64(first + 10));
  assign(r->payload, row.ColumnBlobView(first + 11));
}

absl::StatusOr<SqlWithParams> ListRecordsSql(const RecordQuery& query) {
  return mnrecords::ListRecordsSql(query, SqlDialect::kSqlite);
}

absl::Status BindParams(
    Statement& statement,
    const std::vector<std::variant<int64_t, std::string>>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const int64_t* n = std::get_if<int64_t>(&params[i])) {
      MNR_RETURN_IF_ERROR(statement.BindInt64(index, *n));
    } else {
      MNR_RETURN_IF_ERROR(
          statement.BindText(index, std::get<std::string>(params[i])));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RecordHead>> FindHead(Connection& db,
                                                   const std::string& name) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement statement,
      db.Prepare("SELECT seq, kind, clinic, revision_id, category, patient, "
                 "course, session FROM records WHERE name = ?"));
  MNR_RETURN_IF_ERROR(statement->BindText(1, name));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) return std::nullopt;
  RecordHead head;
  head.seq = statement->ColumnInt64(0);
  head.kind = static_cast<RecordKind>(statement->ColumnInt64(1));
  head.clinic = statement->ColumnText(2);
  head.revision_id = statement->ColumnInt64(3);
  head.category = static_cast<int32_t>(statement->ColumnInt64(4));
  head.parent = ParentOf(name, statement->ColumnText(5),
                         statement->ColumnText(6), statement->ColumnText(7));
  return head;
}

absl::StatusOr<StoredRecord> GetRecord(Connection& db, const std::string& name,
                                       int64_t revision_id) {
  if (revision_id < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "revision_id must be >= 0 (0 = current), got ", revision_id));
  }
  if (revision_id == 0) {
    static const std::string* const kCurrent = new std::string(absl::StrCat(
        "SELECT ", kRecordColumns,
        " FROM records AS r JOIN revisions AS v ON v.name = r.name AND "
        "v.revision_id = r.revision_id WHERE r.name = ?"));
    MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kCurrent));
    MNR_RETURN_IF_ERROR(statement->BindText(1, name));
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (!row) return NotFound(name);
    return ReadRow(*statement);
  }
  static const std::string* const kByRevision = new std::string(
      absl::StrCat("SELECT ", kRecordColumns,
                   " FROM records AS r JOIN revisions AS v ON v.name = r.name "
                   "WHERE r.name = ? AND v.revision_id = ?"));
  {
    MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kByRevision));
    MNR_RETURN_IF_ERROR(statement->BindText(1, name));
    MNR_RETURN_IF_ERROR(statement->BindInt64(2, revision_id));
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (row) return ReadRow(*statement);
  }
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head,
                       FindHead(db, name));
  if (!head.has_value()) return NotFound(name);
  return absl::NotFoundError(absl::StrCat("revision ", revision_id, " of ",
                                          name, " not found (current is ",
                                          head->revision_id, ")"));
}

absl::StatusOr<std::vector<StoredRecord>> ListRecords(
    Connection& db, const RecordQuery& query) {
  MNR_ASSIGN_OR_RETURN(const SqlWithParams sql, ListRecordsSql(query));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql.sql));
  MNR_RETURN_IF_ERROR(BindParams(*statement, sql.params));
  return ReadAll(*statement);
}

absl::StatusOr<int64_t> RecordVersion(Connection& db, const std::string& name) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement statement,
      db.Prepare("SELECT version FROM records WHERE name = ?"));
  MNR_RETURN_IF_ERROR(statement->BindText(1, name));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  return row ? statement->ColumnInt64(0) : 0;
}

absl::StatusOr<std::vector<CategoryCount>> CountChildren(
    Connection& db, const std::string& parent, RecordKind kind) {
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement,
                       db.Prepare("SELECT category, count FROM record_counts "
                                  "WHERE parent = ? AND kind = ? AND count > 0 "
                                  "ORDER BY category"));
  MNR_RETURN_IF_ERROR(statement->BindText(1, parent));
  MNR_RETURN_IF_ERROR(statement->BindInt64(2, static_cast<int64_t>(kind)));
  std::vector<CategoryCount> out;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (!row) return out;
    out.push_back({static_cast<int32_t>(statement->ColumnInt64(0)),
                   statement->ColumnInt64(1)});
  }
}

absl::StatusOr<std::vector<StoredRecord>> ListRevisions(Connection& db,
                                                        const std::string& name,
                                                        int64_t after_revision,
                                                        int limit) {
  MNR_RETURN_IF_ERROR(ValidateRevisionPage(after_revision, limit));
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head,
                       FindHead(db, name));
  if (!head.has_value()) return NotFound(name);
  static const std::string* const kSql = new std::string(absl::StrCat(
      "SELECT ", kRecordColumns,
      " FROM revisions AS v JOIN records AS r ON r.name = v.name "
      "WHERE v.name = ? AND v.revision_id > ? ORDER BY v.revision_id "
      "LIMIT ?"));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kSql));
  MNR_RETURN_IF_ERROR(statement->BindText(1, name));
  MNR_RETURN_IF_ERROR(statement->BindInt64(2, after_revision));
  MNR_RETURN_IF_ERROR(statement->BindInt64(3, limit));
  return ReadAll(*statement);
}

absl::StatusOr<std::optional<std::string>> FindByKey(Connection& db,
                                                     const std::string& clinic,
                                                     const std::string& key) {
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement,
                       db.Prepare("SELECT name FROM record_keys "
                                  "WHERE clinic = ? AND lookup_key = ?"));
  MNR_RETURN_IF_ERROR(statement->BindText(1, clinic));
  MNR_RETURN_IF_ERROR(statement->BindText(2, key));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) return std::nullopt;
  return statement->ColumnText(0);
}

absl::StatusOr<std::optional<RequestRecord>> GetRequest(
    Connection& db, const std::string& scope, const std::string& request_id) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement statement,
      db.Prepare("SELECT request_hash, name, revision_id FROM requests "
                 "WHERE scope = ? AND request_id = ?"));
  MNR_RETURN_IF_ERROR(statement->BindText(1, scope));
  MNR_RETURN_IF_ERROR(statement->BindText(2, request_id));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) return std::nullopt;
  RequestRecord out;
  out.request_hash = statement->ColumnBlob(0);
  out.name = statement->ColumnText(1);
  out.revision_id = statement->ColumnInt64(2);
  return out;
}

absl::StatusOr<std::vector<StoredChange>> ListChanges(
    Connection& db, const ChangeQuery& query) {
  MNR_ASSIGN_OR_RETURN(const SqlWithParams sql,
                       ListChangesSql(query, SqlDialect::kSqlite));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql.sql));
  MNR_RETURN_IF_ERROR(BindParams(*statement, sql.params));
  std::vector<StoredChange> out;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (!row) return out;
    MNR_ASSIGN_OR_RETURN(StoredRecord record, ReadRow(*statement));
    StoredChange change;
    change.seq = record.seq;
    change.revision = std::move(record.revision);
    change.principal = statement->ColumnText(15);
    out.push_back(std::move(change));
  }
}

absl::Status ScanRevisions(
    Connection& db, const std::string& clinic, int part, int parts,
    absl::FunctionRef<absl::Status(const StoredRevision&)> fn) {
  MNR_RETURN_IF_ERROR(ValidateScanPart(part, parts));
  // Rowids in blocks of 4096 (inserted together, so stored together) are
  // dealt to the parts in turn, and each part seeks to its own blocks: it
  // reads only its own pages. Revisions appended after this snapshot's
  // last rowid are not in it.
  constexpr int64_t kBlock = 4096;
  MNR_ASSIGN_OR_RETURN(const int64_t last,
                       db.QueryInt64("SELECT coalesce(max(rowid), 0) FROM "
                                     "revisions"));
  const std::string sql = absl::StrCat(
      "SELECT ", kRevisionColumns,
      ", content_sha256 FROM revisions WHERE rowid >= ?2 AND rowid < ?3 AND ",
      clinic.empty() ? "?1 = ''" : "clinic = ?1");
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql));
  StoredRevision row;
  for (int64_t block = part; block * kBlock <= last; block += parts) {
    statement->Reset();
    MNR_RETURN_IF_ERROR(statement->BindText(1, clinic));
    MNR_RETURN_IF_ERROR(statement->BindInt64(2, block * kBlock));
    MNR_RETURN_IF_ERROR(statement->BindInt64(3, (block + 1) * kBlock));
    while (true) {
      MNR_ASSIGN_OR_RETURN(const bool more, statement->Step());
      if (!more) break;
      DecodeRevision(*statement, 0, &row.revision);
      const absl::string_view hash = statement->ColumnView(12);
      row.content_sha256.assign(hash.data(), hash.size());
      MNR_RETURN_IF_ERROR(fn(row));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> LastChangeSeq(Connection& db,
                                      const std::string& clinic) {
  const SqlWithParams sql = LastChangeSeqSql(clinic, SqlDialect::kSqlite);
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql.sql));
  MNR_RETURN_IF_ERROR(BindParams(*statement, sql.params));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) return absl::InternalError("max(seq) returned no row");
  return statement->ColumnInt64(0);
}

}  // namespace sqlite
}  // namespace mnrecords

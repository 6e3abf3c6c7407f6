// PgReadTxn: the record reads (pg_txn.h).
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/record_rules.h"
#include "server/store/revision_hash.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace postgres {
namespace {

// Rows have the columns kRecordColumns (store_sql.h). A revision that does
// not match its stored content hash is DATA_LOSS, never returned.
absl::StatusOr<StoredRecord> ReadRow(const PgResult& rows, int i) {
  StoredRecord out;
  out.seq = rows.Int64(i, 0);
  RecordRevision& r = out.revision;
  DecodeRevision(rows, i, 1, &r);
  if (!IsKnownKind(static_cast<int>(r.kind))) {
    return absl::DataLossError(absl::StrCat("revision ", r.revision_id, " of ",
                                            r.name, " has unknown kind ",
                                            static_cast<int>(r.kind)));
  }
  out.version = rows.Int64(i, 13);
  MNR_RETURN_IF_ERROR(CheckRevisionContent(r, rows.Text(i, 14)));
  return out;
}

absl::StatusOr<std::vector<StoredRecord>> ReadAll(const PgResult& rows) {
  std::vector<StoredRecord> out;
  out.reserve(rows.rows());
  for (int i = 0; i < rows.rows(); ++i) {
    MNR_ASSIGN_OR_RETURN(StoredRecord record, ReadRow(rows, i));
    out.push_back(std::move(record));
  }
  return out;
}

// PgParams are the parameters of `sql` as libpq parameters.
std::vector<PgParam> PgParams(const SqlWithParams& sql) {
  std::vector<PgParam> params;
  params.reserve(sql.params.size());
  for (const auto& p : sql.params) {
    if (const int64_t* n = std::get_if<int64_t>(&p)) {
      params.emplace_back(*n);
    } else {
      params.emplace_back(std::get<std::string>(p));
    }
  }
  return params;
}

absl::Status NotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat(name, " not found"));
}

const std::string& CurrentSql() {
  static const std::string* const sql = new std::string(absl::StrCat(
      "SELECT ", kRecordColumns,
      " FROM records AS r JOIN revisions AS v ON v.name = r.name AND "
      "v.revision_id = r.revision_id WHERE r.name = $1"));
  return *sql;
}

const std::string& ByRevisionSql() {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT ", kRecordColumns,
                   " FROM records AS r JOIN revisions AS v ON v.name = r.name "
                   "WHERE r.name = $1 AND v.revision_id = $2"));
  return *sql;
}

const std::string& RevisionsSql() {
  static const std::string* const sql = new std::string(absl::StrCat(
      "SELECT ", kRecordColumns,
      " FROM revisions AS v JOIN records AS r ON r.name = v.name "
      "WHERE v.name = $1 AND v.revision_id > $2 ORDER BY v.revision_id "
      "LIMIT $3"));
  return *sql;
}

}  // namespace

void DecodeRevision(const PgResult& rows, int i, int first, RecordRevision* r) {
  r->name = rows.Text(i, first);
  r->revision_id = rows.Int64(i, first + 1);
  r->kind = static_cast<RecordKind>(rows.Int64(i, first + 2));
  r->clinic = rows.Text(i, first + 3);
  r->patient = rows.Text(i, first + 4);
  r->course = rows.Text(i, first + 5);
  r->session = rows.Text(i, first + 6);
  r->actor = rows.Text(i, first + 7);
  r->event_time_us = rows.Int64(i, first + 8);
  r->category = static_cast<int32_t>(rows.Int64(i, first + 9));
  r->create_time = absl::FromUnixMicros(rows.Int64(i, first + 10));
  r->payload = rows.Text(i, first + 11);
}

absl::StatusOr<std::optional<PgReadTxn::RecordHead>> PgReadTxn::FindHead(
    const std::string& name) {
  MNR_ASSIGN_OR_RETURN(
      PgResult row,
      db_.Query("SELECT kind, clinic, revision_id, category, patient, course, "
                "session, seq FROM records WHERE name = $1",
                {name}));
  if (row.rows() == 0) return std::nullopt;
  RecordHead head;
  head.kind = static_cast<RecordKind>(row.Int64(0, 0));
  head.clinic = row.Text(0, 1);
  head.revision_id = row.Int64(0, 2);
  head.category = static_cast<int32_t>(row.Int64(0, 3));
  head.parent = ParentOf(name, row.Text(0, 4), row.Text(0, 5), row.Text(0, 6));
  head.seq = row.Int64(0, 7);
  return head;
}

absl::StatusOr<StoredRecord> PgReadTxn::GetRecord(const std::string& name,
                                                  int64_t revision_id) {
  if (revision_id < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "revision_id must be >= 0 (0 = current), got ", revision_id));
  }
  if (revision_id == 0) {
    MNR_ASSIGN_OR_RETURN(PgResult row, db_.Query(CurrentSql(), {name}));
    if (row.rows() == 0) return NotFound(name);
    return ReadRow(row, 0);
  }
  MNR_ASSIGN_OR_RETURN(PgResult row,
                       db_.Query(ByRevisionSql(), {name, revision_id}));
  if (row.rows() > 0) return ReadRow(row, 0);
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head, FindHead(name));
  if (!head.has_value()) return NotFound(name);
  return absl::NotFoundError(absl::StrCat("revision ", revision_id, " of ",
                                          name, " not found (current is ",
                                          head->revision_id, ")"));
}

absl::StatusOr<std::vector<StoredRecord>> PgReadTxn::ListRecords(
    const RecordQuery& query) {
  MNR_ASSIGN_OR_RETURN(const SqlWithParams sql,
                       ListRecordsSql(query, SqlDialect::kPostgres));
  MNR_ASSIGN_OR_RETURN(PgResult rows, db_.Query(sql.sql, PgParams(sql)));
  return ReadAll(rows);
}

absl::StatusOr<int64_t> PgReadTxn::RecordVersion(const std::string& name) {
  MNR_ASSIGN_OR_RETURN(
      PgResult row,
      db_.Query("SELECT version FROM records WHERE name = $1", {name}));
  return row.rows() == 0 ? 0 : row.Int64(0, 0);
}

absl::StatusOr<std::vector<int64_t>> PgReadTxn::RecordVersions(
    const std::vector<std::string>& names) {
  if (names.empty()) return std::vector<int64_t>();
  // One round trip, one prepared statement per number of names: an IN list
  // of known length is a few unique-index lookups in every plan.
  std::vector<PgParam> params;
  std::string in;
  for (const std::string& name : names) {
    params.emplace_back(name);
    absl::StrAppend(&in, in.empty() ? "$" : ", $", params.size());
  }
  MNR_ASSIGN_OR_RETURN(
      PgResult rows,
      db_.Query(
          absl::StrCat("SELECT name, version FROM records WHERE name IN (", in,
                       ")"),
          params));
  absl::flat_hash_map<std::string, int64_t> found;
  for (int i = 0; i < rows.rows(); ++i) {
    found[rows.Text(i, 0)] = rows.Int64(i, 1);
  }
  std::vector<int64_t> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    auto it = found.find(name);
    out.push_back(it == found.end() ? 0 : it->second);
  }
  return out;
}

absl::StatusOr<std::vector<CategoryCount>> PgReadTxn::CountChildren(
    const std::string& parent, RecordKind kind) {
  MNR_ASSIGN_OR_RETURN(
      PgResult rows,
      db_.Query("SELECT category, count FROM record_counts WHERE parent = $1 "
                "AND kind = $2 AND count > 0 ORDER BY category",
                {parent, static_cast<int64_t>(kind)}));
  std::vector<CategoryCount> out;
  for (int i = 0; i < rows.rows(); ++i) {
    out.push_back({static_cast<int32_t>(rows.Int64(i, 0)), rows.Int64(i, 1)});
  }
  return out;
}

absl::StatusOr<std::vector<StoredRecord>> PgReadTxn::ListRevisions(
    const std::string& name, int64_t after_revision, int limit) {
  MNR_RETURN_IF_ERROR(ValidateRevisionPage(after_revision, limit));
  MNR_ASSIGN_OR_RETURN(const std::optional<RecordHead> head, FindHead(name));
  if (!head.has_value()) return NotFound(name);
  MNR_ASSIGN_OR_RETURN(
      PgResult rows, db_.Query(RevisionsSql(), {name, after_revision,
                                                static_cast<int64_t>(limit)}));
  return ReadAll(rows);
}

absl::StatusOr<std::optional<std::string>> PgReadTxn::FindByKey(
    const std::string& clinic, const std::string& key) {
  MNR_ASSIGN_OR_RETURN(PgResult row,
                       db_.Query("SELECT name FROM record_keys WHERE clinic = "
                                 "$1 AND lookup_key = $2",
                                 {clinic, key}));
  if (row.rows() == 0) return std::nullopt;
  return row.Text(0, 0);
}

absl::StatusOr<std::optional<RequestRecord>> PgReadTxn::GetRequest(
    const std::string& scope, const std::string& request_id) {
  MNR_ASSIGN_OR_RETURN(
      PgResult row,
      db_.Query("SELECT request_hash, name, revision_id FROM requests "
                "WHERE scope = $1 AND request_id = $2",
                {scope, request_id}));
  if (row.rows() == 0) return std::nullopt;
  RequestRecord out;
  out.request_hash = row.Text(0, 0);
  out.name = row.Text(0, 1);
  out.revision_id = row.Int64(0, 2);
  return out;
}

absl::StatusOr<std::vector<StoredChange>> PgReadTxn::ListChanges(
    const ChangeQuery& query) {
  MNR_ASSIGN_OR_RETURN(const SqlWithParams sql,
                       ListChangesSql(query, SqlDialect::kPostgres));
  MNR_ASSIGN_OR_RETURN(PgResult rows, db_.Query(sql.sql, PgParams(sql)));
  std::vector<StoredChange> out;
  out.reserve(rows.rows());
  for (int i = 0; i < rows.rows(); ++i) {
    MNR_ASSIGN_OR_RETURN(StoredRecord record, ReadRow(rows, i));
    StoredChange change;
    change.seq = record.seq;
    change.revision = std::move(record.revision);
    change.principal = rows.Text(i, 15);
    out.push_back(std::move(change));
  }
  return out;
}

absl::Status PgReadTxn::ScanRevisions(
    const std::string& clinic, int part, int parts,
    absl::FunctionRef<absl::Status(const StoredRevision&)> fn) {
  MNR_RETURN_IF_ERROR(ValidateScanPart(part, parts));
  // Keyset pages along the primary key; a record's revisions all fall in
  // the part its name hashes to.
  static const std::string* const kSql = new std::string(absl::StrCat(
      "SELECT ", kRevisionColumns,
      ", content_sha256 FROM revisions WHERE ($1 = '' OR clinic = $1) AND "
      "mod(abs(hashtext(name)::bigint), $2) = $3 AND "
      "(name, revision_id) > ($4, $5) ORDER BY name, revision_id LIMIT 2000"));
  std::string after_name;
  int64_t after_revision = 0;
  StoredRevision row;
  RecordRevision& r = row.revision;
  while (true) {
    MNR_ASSIGN_OR_RETURN(
        PgResult rows, db_.Query(*kSql, {clinic, static_cast<int64_t>(parts),
                                         static_cast<int64_t>(part), after_name,
                                         after_revision}));
    for (int i = 0; i < rows.rows(); ++i) {
      DecodeRevision(rows, i, 0, &r);
      row.content_sha256 = rows.Text(i, 12);
      MNR_RETURN_IF_ERROR(fn(row));
    }
    if (rows.rows() < 2000) return absl::OkStatus();
    after_name = r.name;
    after_revision = r.revision_id;
  }
}

absl::StatusOr<int64_t> PgReadTxn::LastChangeSeq(const std::string& clinic) {
  const SqlWithParams sql = LastChangeSeqSql(clinic, SqlDialect::kPostgres);
  MNR_ASSIGN_OR_RETURN(PgResult row, db_.Query(sql.sql, PgParams(sql)));
  return row.Int64(0, 0);
}

}  // namespace postgres
}  // namespace mnrecords

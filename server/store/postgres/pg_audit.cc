// The audit log in PostgreSQL (pg_txn.h): table audit_events of
// pg_schema.cc, one hash chain (server/store/audit_chain.h). Appends are
// serialized across servers by the write lock every write transaction
// takes first (postgres_store.h), so reading the last event and inserting
// the next is safe.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_access.h"
#include "server/store/audit_chain.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/record_rules.h"

namespace mnrecords {
namespace postgres {
namespace {

constexpr char kColumns[] =
    "seq, time_us, principal, role, action, clinic, resource, outcome, peer, "
    "request_id, prev_hash, hash, revisions, accessed";
// The columns before schema version 5 (AppendAuditEvent).
constexpr char kColumnsBeforeAccessed[] =
    "seq, time_us, principal, role, action, clinic, resource, outcome, peer, "
    "request_id, prev_hash, hash, revisions";
// kColumns of the table aliased as `e`.
constexpr char kEventColumns[] =
    "e.seq, e.time_us, e.principal, e.role, e.action, e.clinic, e.resource, "
    "e.outcome, e.peer, e.request_id, e.prev_hash, e.hash, e.revisions, "
    "e.accessed";

AuditEvent ReadRow(const PgResult& rows, int i) {
  AuditEvent e;
  e.seq = rows.Int64(i, 0);
  e.time = absl::FromUnixMicros(rows.Int64(i, 1));
  e.principal = rows.Text(i, 2);
  e.role = rows.Text(i, 3);
  e.action = rows.Text(i, 4);
  e.clinic = rows.Text(i, 5);
  e.resource = rows.Text(i, 6);
  e.outcome = static_cast<int32_t>(rows.Int64(i, 7));
  e.peer = rows.Text(i, 8);
  e.request_id = rows.Text(i, 9);
  e.prev_hash = rows.Text(i, 10);
  e.hash = rows.Text(i, 11);
  e.revisions = rows.Text(i, 12);
  e.accessed = rows.Text(i, 13);
  return e;
}

std::vector<AuditEvent> ReadAll(const PgResult& rows) {
  std::vector<AuditEvent> out;
  out.reserve(rows.rows());
  for (int i = 0; i < rows.rows(); ++i) out.push_back(ReadRow(rows, i));
  return out;
}

}  // namespace

absl::StatusOr<std::string> ListAuditEventsSql(const AuditQuery& query,
                                               std::vector<PgParam>* params) {
  MNR_RETURN_IF_ERROR(ValidateAuditQuery(query));
  // Only the filters that are set appear, so each combination is one
  // prepared statement; the planner picks the index (each ends in seq, and
  // a patient's events come from audit_patients in seq order).
  std::vector<std::string> where;
  params->clear();
  auto add = [&](absl::string_view condition, PgParam value) {
    params->push_back(std::move(value));
    where.push_back(absl::StrCat(condition, " $", params->size()));
  };
  const bool by_patient = !query.patient.empty();
  const std::string seq = by_patient ? "p.seq" : "e.seq";
  if (!query.newest_first) {
    add(seq + " >", query.after_seq);
  } else if (query.before_seq > 0) {
    add(seq + " <", query.before_seq);
  }
  if (by_patient) add("p.patient =", query.patient);
  if (!query.clinic.empty()) add("e.clinic =", query.clinic);
  if (!query.principal.empty()) add("e.principal =", query.principal);
  if (!query.resource_prefix.empty()) {
    // Resource names are ASCII and the column compares bytes (COLLATE "C"):
    // [prefix, prefix + DEL) is the prefix range.
    add("e.resource >=", query.resource_prefix);
    add("e.resource <", absl::StrCat(query.resource_prefix, "\x7f"));
  }
  if (!query.action.empty()) add("e.action =", query.action);
  if (query.time_from_us.has_value()) add("e.time_us >=", *query.time_from_us);
  if (query.time_to_us.has_value()) add("e.time_us <", *query.time_to_us);
  if (query.outcome == AuditOutcome::kExactly) {
    add("e.outcome =", static_cast<int64_t>(query.outcome_code));
  } else if (query.outcome == AuditOutcome::kFailed) {
    where.push_back("e.outcome <> 0");
  }
  if (where.empty()) where.push_back("true");
  params->emplace_back(static_cast<int64_t>(query.limit));
  return absl::StrCat(
      "SELECT ", kEventColumns, " FROM audit_events e",
      by_patient ? " JOIN audit_patients p ON p.seq = e.seq" : "", " WHERE ",
      absl::StrJoin(where, " AND "), " ORDER BY ", seq,
      query.newest_first ? " DESC" : "", " LIMIT $", params->size());
}

absl::StatusOr<std::vector<AuditEvent>> PgReadTxn::ListAuditEvents(
    const AuditQuery& query) {
  std::vector<PgParam> params;
  MNR_ASSIGN_OR_RETURN(const std::string sql,
                       ListAuditEventsSql(query, &params));
  MNR_ASSIGN_OR_RETURN(PgResult rows, db_.Query(sql, params));
  return ReadAll(rows);
}

absl::StatusOr<std::vector<AuditEvent>> PgReadTxn::ReadAuditEvents(
    int64_t from_seq, int limit) {
  if (limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit read limit must be >= 1, got ", limit));
  }
  static const std::string* const kSql = new std::string(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2"));
  MNR_ASSIGN_OR_RETURN(
      PgResult rows, db_.Query(*kSql, {from_seq, static_cast<int64_t>(limit)}));
  return ReadAll(rows);
}

absl::StatusOr<std::optional<AuditEvent>> PgReadTxn::LastAuditEvent() {
  static const std::string* const kSql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM audit_events ORDER BY seq DESC LIMIT 1"));
  MNR_ASSIGN_OR_RETURN(PgResult rows, db_.Query(*kSql));
  if (rows.rows() == 0) return std::optional<AuditEvent>();
  return std::optional<AuditEvent>(ReadRow(rows, 0));
}

absl::StatusOr<AuditEvent> PgWriteTxn::AppendAuditEvent(
    const AuditEvent& event) {
  MNR_RETURN_IF_ERROR(ValidateAuditEvent(event));
  // Only the columns an event needs are named: the baseline events of an
  // older schema's migration are appended before later columns exist.
  AuditEvent e = event;
  {
    MNR_ASSIGN_OR_RETURN(
        PgResult last,
        db_.Query(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
    const bool any = last.rows() > 0;
    e.seq = any ? last.Int64(0, 0) + 1 : 1;
    e.prev_hash = any ? last.Text(0, 1) : std::string(kAuditGenesisHash);
  }
  e.hash = AuditEventHash(e.prev_hash, e);
  std::vector<PgParam> values = {e.seq,       absl::ToUnixMicros(e.time),
                                 e.principal, e.role,
                                 e.action,    e.clinic,
                                 e.resource,  static_cast<int64_t>(e.outcome),
                                 e.peer,      e.request_id,
                                 e.prev_hash, e.hash,
                                 e.revisions};
  if (e.accessed.empty()) {
    static const std::string* const kSql = new std::string(absl::StrCat(
        "INSERT INTO audit_events (", kColumnsBeforeAccessed,
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"));
    MNR_RETURN_IF_ERROR(db_.Query(*kSql, values).status());
  } else {
    static const std::string* const kSql = new std::string(absl::StrCat(
        "INSERT INTO audit_events (", kColumns,
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
        "$14)"));
    values.emplace_back(e.accessed);
    MNR_RETURN_IF_ERROR(db_.Query(*kSql, values).status());
  }
  // The event's patients, up to 100 rows per statement.
  const std::vector<std::string> patients =
      AuditEventPatients(e.resource, e.accessed);
  constexpr size_t kRowsPerInsert = 100;
  for (size_t first = 0; first < patients.size(); first += kRowsPerInsert) {
    const size_t n = std::min(kRowsPerInsert, patients.size() - first);
    std::vector<PgParam> params = {e.seq};
    std::vector<std::string> rows;
    for (size_t i = 0; i < n; ++i) {
      params.emplace_back(patients[first + i]);
      rows.push_back(absl::StrCat("($", params.size(), ", $1)"));
    }
    MNR_RETURN_IF_ERROR(
        db_.Query(absl::StrCat("INSERT INTO audit_patients (patient, seq) "
                               "VALUES ",
                               absl::StrJoin(rows, ", ")),
                  params)
            .status());
  }
  return e;
}

}  // namespace postgres
}  // namespace mnrecords

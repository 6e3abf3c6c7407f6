// The audit log in PostgreSQL (pg_txn.h): table audit_events of
// pg_schema.cc, one hash chain (server/store/audit_chain.h). Appends are
// serialized across servers by the write lock every write transaction
// takes first (postgres_store.h), so reading the last event and inserting
// the next is safe.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_chain.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/record_rules.h"

namespace mnrecords {
namespace postgres {
namespace {

constexpr char kColumns[] =
    "seq, time_us, principal, role, action, clinic, resource, outcome, peer, "
    "request_id, prev_hash, hash, revisions";

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
  // prepared statement; the planner picks the index (each ends in seq).
  std::vector<std::string> where;
  params->clear();
  auto add = [&](absl::string_view condition, PgParam value) {
    params->push_back(std::move(value));
    where.push_back(absl::StrCat(condition, " $", params->size()));
  };
  add("seq >", query.after_seq);
  if (!query.clinic.empty()) add("clinic =", query.clinic);
  if (!query.principal.empty()) add("principal =", query.principal);
  if (!query.resource_prefix.empty()) {
    // Resource names are ASCII and the column compares bytes (COLLATE "C"):
    // [prefix, prefix + DEL) is the prefix range.
    add("resource >=", query.resource_prefix);
    add("resource <", absl::StrCat(query.resource_prefix, "\x7f"));
  }
  if (!query.action.empty()) add("action =", query.action);
  if (query.time_from_us.has_value()) add("time_us >=", *query.time_from_us);
  if (query.time_to_us.has_value()) add("time_us <", *query.time_to_us);
  params->emplace_back(static_cast<int64_t>(query.limit));
  return absl::StrCat("SELECT ", kColumns, " FROM audit_events WHERE ",
                      absl::StrJoin(where, " AND "), " ORDER BY seq LIMIT $",
                      params->size());
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
  MNR_ASSIGN_OR_RETURN(const std::optional<AuditEvent> last,
                       reads_.LastAuditEvent());
  AuditEvent e = event;
  e.seq = last.has_value() ? last->seq + 1 : 1;
  e.prev_hash = last.has_value() ? last->hash : std::string(kAuditGenesisHash);
  e.hash = AuditEventHash(e.prev_hash, e);
  static const std::string* const kSql = new std::string(absl::StrCat(
      "INSERT INTO audit_events (", kColumns,
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"));
  MNR_RETURN_IF_ERROR(
      db_.Query(*kSql, {e.seq, absl::ToUnixMicros(e.time), e.principal, e.role,
                        e.action, e.clinic, e.resource,
                        static_cast<int64_t>(e.outcome), e.peer, e.request_id,
                        e.prev_hash, e.hash, e.revisions})
          .status());
  return e;
}

}  // namespace postgres
}  // namespace mnrecords

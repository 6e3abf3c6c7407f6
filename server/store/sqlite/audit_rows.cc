#include "server/store/sqlite/audit_rows.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_access.h"
#include "server/store/audit_chain.h"
#include "server/store/record_rules.h"

namespace mnrecords {
namespace sqlite {
namespace {

constexpr char kColumns[] =
    "seq, time_us, principal, role, action, clinic, resource, outcome, peer, "
    "request_id, prev_hash, hash, revisions, accessed";
// The columns before schema version 7 (AppendAuditEvent).
constexpr char kColumnsBeforeAccessed[] =
    "seq, time_us, principal, role, action, clinic, resource, outcome, peer, "
    "request_id, prev_hash, hash, revisions";
// kColumns of the table aliased as `e`.
constexpr char kEventColumns[] =
    "e.seq, e.time_us, e.principal, e.role, e.action, e.clinic, e.resource, "
    "e.outcome, e.peer, e.request_id, e.prev_hash, e.hash, e.revisions, "
    "e.accessed";

AuditEvent ReadRow(const Statement& row) {
  AuditEvent e;
  e.seq = row.ColumnInt64(0);
  e.time = absl::FromUnixMicros(row.ColumnInt64(1));
  e.principal = row.ColumnText(2);
  e.role = row.ColumnText(3);
  e.action = row.ColumnText(4);
  e.clinic = row.ColumnText(5);
  e.resource = row.ColumnText(6);
  e.outcome = static_cast<int32_t>(row.ColumnInt64(7));
  e.peer = row.ColumnText(8);
  e.request_id = row.ColumnText(9);
  e.prev_hash = row.ColumnText(10);
  e.hash = row.ColumnText(11);
  e.revisions = row.ColumnText(12);
  e.accessed = row.ColumnText(13);
  return e;
}

absl::StatusOr<std::vector<AuditEvent>> ReadAll(Statement& statement,
                                                int expected = 0) {
  std::vector<AuditEvent> out;
  out.reserve(expected);
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) return out;
    out.push_back(ReadRow(statement));
  }
}

// IsNarrowResourcePrefix: "clinics/{clinic}/{collection}/{id}" or longer
// names one record (and its children); shorter prefixes span a whole
// clinic or collection.
bool IsNarrowResourcePrefix(absl::string_view prefix) {
  return std::count(prefix.begin(), prefix.end(), '/') >= 3;
}

}  // namespace

std::string ListAuditEventsSql(const AuditQuery& query) {
  // Only the filters that are set appear in the SQL, so each combination is
  // one cached statement. The index is chosen here, by name, rather than by
  // SQLite's planner, which without statistics prefers the clinic index
  // and then reads every event of the clinic to find one patient's few:
  // a patient's events from audit_patients (its rows are that patient's
  // events in seq order), else a narrow resource prefix (its range is
  // small; the few rows are sorted by seq), then principal, action, clinic
  // (each ends in seq, so the scan stops after `limit` rows), then time,
  // else the seq order itself. Every index ends in seq, so newest first is
  // the same scan backwards.
  const bool by_patient = !query.patient.empty();
  const char* seq = by_patient ? "p.seq" : "e.seq";
  std::vector<std::string> where = {
      absl::StrCat(seq, query.newest_first ? " < ?1" : " > ?1")};
  if (by_patient) where.push_back("p.patient = ?10 AND e.seq = p.seq");
  if (!query.clinic.empty()) where.push_back("e.clinic = ?2");
  if (!query.principal.empty()) where.push_back("e.principal = ?3");
  if (!query.resource_prefix.empty()) {
    // Resource names are ASCII: [prefix, prefix + DEL) is the prefix range.
    where.push_back("e.resource >= ?4 AND e.resource < ?5");
  }
  if (!query.action.empty()) where.push_back("e.action = ?6");
  if (query.time_from_us.has_value()) where.push_back("e.time_us >= ?7");
  if (query.time_to_us.has_value()) where.push_back("e.time_us < ?8");
  if (query.outcome == AuditOutcome::kExactly) {
    where.push_back("e.outcome = ?11");
  } else if (query.outcome == AuditOutcome::kFailed) {
    where.push_back("e.outcome <> 0");
  }
  const char* index = nullptr;
  if (by_patient) {
    // CROSS JOIN keeps audit_patients the outer loop.
  } else if (IsNarrowResourcePrefix(query.resource_prefix)) {
    index = "audit_by_resource";
  } else if (!query.principal.empty()) {
    index = "audit_by_principal";
  } else if (!query.action.empty()) {
    index = "audit_by_action";
  } else if (!query.clinic.empty()) {
    index = "audit_by_clinic";
  } else if (query.time_from_us.has_value() || query.time_to_us.has_value()) {
    index = "audit_by_time";
  }
  return absl::StrCat(
      "SELECT ", kEventColumns, " FROM ",
      by_patient ? "audit_patients AS p CROSS JOIN " : "", "audit_events AS e",
      index != nullptr ? " INDEXED BY " : "", index != nullptr ? index : "",
      " WHERE ", absl::StrJoin(where, " AND "), " ORDER BY ", seq,
      query.newest_first ? " DESC" : "", " LIMIT ?9");
}

absl::StatusOr<std::vector<AuditEvent>> ListAuditEvents(
    Connection& db, const AuditQuery& query) {
  MNR_RETURN_IF_ERROR(ValidateAuditQuery(query));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement,
                       db.Prepare(ListAuditEventsSql(query)));
  const int64_t cursor = !query.newest_first ? query.after_seq
                         : query.before_seq > 0
                             ? query.before_seq
                             : std::numeric_limits<int64_t>::max();
  MNR_RETURN_IF_ERROR(statement->BindInt64(1, cursor));
  if (!query.clinic.empty())
    MNR_RETURN_IF_ERROR(statement->BindText(2, query.clinic));
  if (!query.principal.empty())
    MNR_RETURN_IF_ERROR(statement->BindText(3, query.principal));
  if (!query.resource_prefix.empty()) {
    MNR_RETURN_IF_ERROR(statement->BindText(4, query.resource_prefix));
    MNR_RETURN_IF_ERROR(
        statement->BindText(5, absl::StrCat(query.resource_prefix, "\x7f")));
  }
  if (!query.action.empty())
    MNR_RETURN_IF_ERROR(statement->BindText(6, query.action));
  if (query.time_from_us.has_value())
    MNR_RETURN_IF_ERROR(statement->BindInt64(7, *query.time_from_us));
  if (query.time_to_us.has_value())
    MNR_RETURN_IF_ERROR(statement->BindInt64(8, *query.time_to_us));
  MNR_RETURN_IF_ERROR(statement->BindInt64(9, query.limit));
  if (!query.patient.empty())
    MNR_RETURN_IF_ERROR(statement->BindText(10, query.patient));
  if (query.outcome == AuditOutcome::kExactly)
    MNR_RETURN_IF_ERROR(statement->BindInt64(11, query.outcome_code));
  return ReadAll(*statement);
}

absl::StatusOr<std::vector<AuditEvent>> ReadAuditEvents(Connection& db,
                                                        int64_t from_seq,
                                                        int limit) {
  if (limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit read limit must be >= 1, got ", limit));
  }
  static const std::string* const kSql = new std::string(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?"));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kSql));
  MNR_RETURN_IF_ERROR(statement->BindInt64(1, from_seq));
  MNR_RETURN_IF_ERROR(statement->BindInt64(2, limit));
  return ReadAll(*statement, limit);
}

namespace {

// StreamEvents calls `fn` with each row of `statement` (kColumns), reusing
// one event's buffers.
absl::Status StreamEvents(
    Statement* statement,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  AuditEvent e;
  auto assign = [&](std::string& field, int column) {
    const absl::string_view v = statement->ColumnView(column);
    field.assign(v.data(), v.size());
  };
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (!row) return absl::OkStatus();
    e.seq = statement->ColumnInt64(0);
    e.time = absl::FromUnixMicros(statement->ColumnInt64(1));
    assign(e.principal, 2);
    assign(e.role, 3);
    assign(e.action, 4);
    assign(e.clinic, 5);
    assign(e.resource, 6);
    e.outcome = static_cast<int32_t>(statement->ColumnInt64(7));
    assign(e.peer, 8);
    assign(e.request_id, 9);
    assign(e.prev_hash, 10);
    assign(e.hash, 11);
    assign(e.revisions, 12);
    assign(e.accessed, 13);
    MNR_RETURN_IF_ERROR(fn(e));
  }
}

}  // namespace

absl::Status ScanAuditEvents(
    Connection& db, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  static const std::string* const kSql = new std::string(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_events WHERE seq >= ? AND seq <= ? ORDER BY "
                   "seq"));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kSql));
  MNR_RETURN_IF_ERROR(statement->BindInt64(1, from_seq));
  MNR_RETURN_IF_ERROR(statement->BindInt64(2, to_seq));
  return StreamEvents(&*statement, fn);
}

absl::Status ScanAuditWrites(
    Connection& db, const std::string& clinic, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
  // Only what the commitments need. A clinic's writes come from their own
  // (partial) index; all writes from the table in seq order.
  const std::string sql = absl::StrCat(
      "SELECT seq, clinic, action, revisions FROM audit_events",
      clinic.empty()
          ? " WHERE ?1 = '' AND"
          : " INDEXED BY audit_writes_by_clinic WHERE clinic = ?1 AND",
      " revisions <> '' AND seq >= ?2 AND seq <= ?3 ORDER BY seq");
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(sql));
  MNR_RETURN_IF_ERROR(statement->BindText(1, clinic));
  MNR_RETURN_IF_ERROR(statement->BindInt64(2, from_seq));
  MNR_RETURN_IF_ERROR(statement->BindInt64(3, to_seq));
  AuditEvent e;
  auto assign = [&](std::string& field, int column) {
    const absl::string_view v = statement->ColumnView(column);
    field.assign(v.data(), v.size());
  };
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
    if (!row) return absl::OkStatus();
    e.seq = statement->ColumnInt64(0);
    assign(e.clinic, 1);
    assign(e.action, 2);
    assign(e.revisions, 3);
    MNR_RETURN_IF_ERROR(fn(e));
  }
}

absl::StatusOr<std::optional<AuditEvent>> LastAuditEvent(Connection& db) {
  static const std::string* const kSql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM audit_events ORDER BY seq DESC LIMIT 1"));
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, db.Prepare(*kSql));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) return std::optional<AuditEvent>();
  return std::optional<AuditEvent>(ReadRow(*statement));
}

absl::StatusOr<AuditEvent> AppendAuditEvent(Connection& db,
                                            const AuditEvent& event) {
  MNR_RETURN_IF_ERROR(ValidateAuditEvent(event));
  // Only the columns an event needs are named: the baseline events of an
  // older schema's migration are appended before later columns exist.
  AuditEvent e = event;
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement last,
        db.Prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC "
                   "LIMIT 1"));
    MNR_ASSIGN_OR_RETURN(const bool row, last->Step());
    e.seq = row ? last->ColumnInt64(0) + 1 : 1;
    e.prev_hash = row ? last->ColumnText(1) : std::string(kAuditGenesisHash);
  }
  e.hash = AuditEventHash(e.prev_hash, e);
  const bool with_accessed = !e.accessed.empty();
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare(with_accessed
                     ? absl::StrCat("INSERT INTO audit_events (", kColumns,
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                    "?, ?, ?, ?)")
                     : absl::StrCat("INSERT INTO audit_events (",
                                    kColumnsBeforeAccessed,
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                    "?, ?, ?)")));
  MNR_RETURN_IF_ERROR(insert->BindInt64(1, e.seq));
  MNR_RETURN_IF_ERROR(insert->BindInt64(2, absl::ToUnixMicros(e.time)));
  MNR_RETURN_IF_ERROR(insert->BindText(3, e.principal));
  MNR_RETURN_IF_ERROR(insert->BindText(4, e.role));
  MNR_RETURN_IF_ERROR(insert->BindText(5, e.action));
  MNR_RETURN_IF_ERROR(insert->BindText(6, e.clinic));
  MNR_RETURN_IF_ERROR(insert->BindText(7, e.resource));
  MNR_RETURN_IF_ERROR(insert->BindInt64(8, e.outcome));
  MNR_RETURN_IF_ERROR(insert->BindText(9, e.peer));
  MNR_RETURN_IF_ERROR(insert->BindText(10, e.request_id));
  MNR_RETURN_IF_ERROR(insert->BindText(11, e.prev_hash));
  MNR_RETURN_IF_ERROR(insert->BindText(12, e.hash));
  MNR_RETURN_IF_ERROR(insert->BindText(13, e.revisions));
  if (with_accessed) MNR_RETURN_IF_ERROR(insert->BindText(14, e.accessed));
  MNR_RETURN_IF_ERROR(insert->Run());
  const std::vector<std::string> patients =
      AuditEventPatients(e.resource, e.accessed);
  if (!patients.empty()) {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement file,
        db.Prepare("INSERT INTO audit_patients (patient, seq) VALUES (?, ?)"));
    for (const std::string& patient : patients) {
      file->Reset();
      MNR_RETURN_IF_ERROR(file->BindText(1, patient));
      MNR_RETURN_IF_ERROR(file->BindInt64(2, e.seq));
      MNR_RETURN_IF_ERROR(file->Run());
    }
  }
  return e;
}

}  // namespace sqlite
}  // namespace mnrecords

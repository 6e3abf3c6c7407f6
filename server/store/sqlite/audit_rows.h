// The audit log in SQLite: the ReadTxn/WriteTxn audit methods as functions
// over one connection inside a transaction (table audit_events, schema
// migration 2 in schema.cc).
#ifndef MNRECORDS_SERVER_STORE_SQLITE_AUDIT_ROWS_H_
#define MNRECORDS_SERVER_STORE_SQLITE_AUDIT_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/store.h"

namespace mnrecords {
namespace sqlite {

// ListAuditEventsSql is the statement ListAuditEvents runs for `query`
// (parameters ?1..?11), with the index it must use named (INDEXED BY).
std::string ListAuditEventsSql(const AuditQuery& query);

// ListAuditEvents: see ReadTxn::ListAuditEvents. INVALID_ARGUMENT for a
// limit < 1 or a non-ASCII resource prefix.
absl::StatusOr<std::vector<AuditEvent>> ListAuditEvents(
    Connection& db, const AuditQuery& query);

// ReadAuditEvents: see ReadTxn::ReadAuditEvents.
absl::StatusOr<std::vector<AuditEvent>> ReadAuditEvents(Connection& db,
                                                        int64_t from_seq,
                                                        int limit);

// ScanAuditEvents: see ReadTxn::ScanAuditEvents. One statement streams the
// rows into one reused AuditEvent, so a scan allocates nothing per event.
absl::Status ScanAuditEvents(
    Connection& db, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn);

// ScanAuditWrites: see ReadTxn::ScanAuditWrites (the clinic's from the
// index of events that wrote revisions).
absl::Status ScanAuditWrites(
    Connection& db, const std::string& clinic, int64_t from_seq, int64_t to_seq,
    absl::FunctionRef<absl::Status(const AuditEvent&)> fn);

// LastAuditEvent: see ReadTxn::LastAuditEvent.
absl::StatusOr<std::optional<AuditEvent>> LastAuditEvent(Connection& db);

// AppendAuditEvent: see WriteTxn::AppendAuditEvent.
absl::StatusOr<AuditEvent> AppendAuditEvent(Connection& db,
                                            const AuditEvent& event);

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_AUDIT_ROWS_H_

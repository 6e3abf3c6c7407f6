// Checks every Store backend applies the same way before it writes: what a
// revision and an audit event must hold, a record's parent, and unique keys.
// Backends call these so that a bad write is refused with the same status
// whatever the database.
#ifndef MNRECORDS_SERVER_STORE_RECORD_RULES_H_
#define MNRECORDS_SERVER_STORE_RECORD_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords {

// IsKnownKind is true for the values of RecordKind.
bool IsKnownKind(int kind);

// ParentOf is the parent of record `name` (store.h) from its name columns:
// the most specific of session, course, patient that is not the record
// itself; "" if none.
std::string ParentOf(const std::string& name, const std::string& patient,
                     const std::string& course, const std::string& session);

// ValidateRevision checks the fields every revision needs (INVALID_ARGUMENT
// naming the record and the field).
absl::Status ValidateRevision(const RecordRevision& record);

// NormalizeKeys validates the unique keys and search terms of `record` and
// returns each list sorted without duplicates (INVALID_ARGUMENT for an
// empty key or term).
absl::StatusOr<RecordKeys> NormalizeKeys(const RecordRevision& record,
                                         const RecordKeys& keys);

// CheckNextRevision checks that `record` may follow the stored current
// revision `current_revision` of a record of `stored_kind` in
// `stored_clinic`: ABORTED unless it is revision current + 1 (someone else
// wrote first: re-read and retry), INVALID_ARGUMENT if it would change the
// record's kind or clinic.
absl::Status CheckNextRevision(const RecordRevision& record,
                               int64_t current_revision, RecordKind stored_kind,
                               const std::string& stored_clinic);

// ValidateScanPart checks ScanRevisions' part: 0 <= part < parts.
absl::Status ValidateScanPart(int part, int parts);

// ValidateRevisionPage checks ListRevisions' arguments.
absl::Status ValidateRevisionPage(int64_t after_revision, int limit);

// ValidateAuditQuery checks a ListAuditEvents query: limit >= 1 and a
// printable ASCII resource prefix.
absl::Status ValidateAuditQuery(const AuditQuery& query);

// ValidateRequestRecord checks what PutRequest is given.
absl::Status ValidateRequestRecord(const std::string& scope,
                                   const std::string& request_id,
                                   const RequestRecord& request);

// ValidateAuditEvent checks what AppendAuditEvent is given.
absl::Status ValidateAuditEvent(const AuditEvent& event);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_RECORD_RULES_H_

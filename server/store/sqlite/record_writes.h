// The write side of the SQLite store: the WriteTxn mutations as functions
// over one connection inside a write transaction. Each checks its
// preconditions with reads first (so errors name the record or key), then
// writes; the caller wraps each call in a savepoint so a failure part-way
// leaves nothing behind.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_RECORD_WRITES_H_
#define MNRECORDS_SERVER_STORE_SQLITE_RECORD_WRITES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/store.h"

namespace mnrecords {
namespace sqlite {

// InsertRecord: see WriteTxn::InsertRecord. Also INVALID_ARGUMENT for an
// empty name, clinic or key, an unknown kind or an infinite create_time.
// Duplicate entries in `keys` count once.
// `content_sha256` is the revision's content hash (revision_hash.h).
absl::Status InsertRecord(Connection& db, const RecordRevision& record,
                          absl::string_view content_sha256,
                          const std::string& principal, const RecordKeys& keys);

// AppendRevision: see WriteTxn::AppendRevision. Also INVALID_ARGUMENT for
// the malformed input InsertRecord rejects, and when the revision's kind or
// clinic differs from the record's (they are part of its identity).
absl::Status AppendRevision(Connection& db, const RecordRevision& record,
                            absl::string_view content_sha256,
                            const std::string& principal,
                            const RecordKeys& keys);

// PutRequest: see WriteTxn::PutRequest. Also INVALID_ARGUMENT for an empty
// scope, request id or name, and NOT_FOUND if the revision it names does
// not exist (yet): remember a request after writing its revision.
absl::Status PutRequest(Connection& db, const std::string& scope,
                        const std::string& request_id,
                        const RequestRecord& request);

// ExpireRequests: see WriteTxn::ExpireRequests.
absl::StatusOr<int64_t> ExpireRequests(Connection& db, absl::Time cutoff,
                                       int64_t limit);

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_RECORD_WRITES_H_

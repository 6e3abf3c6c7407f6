// Changing a stopped server's SQLite file behind its back, as an attacker
// with file access would: each change runs in the attacker's own
// transaction with the append-only triggers dropped (dropping them is
// undone if the change fails, and kept otherwise, like a real attacker).
#ifndef MNRECORDS_TESTS_SUPPORT_SQLITE_TAMPER_H_
#define MNRECORDS_TESTS_SUPPORT_SQLITE_TAMPER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords::testing {

// TamperSql runs `sql` on the file at `path` with the append-only triggers
// of revisions, audit_events and changes dropped in the same transaction;
// `blob`, if not empty, is bound to ?1.
absl::Status TamperSql(const std::string& path, const std::string& sql,
                       const std::string& blob = "");

// ReadStoredRevision reads revision `revision_id` of `name` from the file
// at `path` as stored (its content hash in content_sha256).
absl::StatusOr<StoredRevision> ReadStoredRevision(const std::string& path,
                                                  const std::string& name,
                                                  int64_t revision_id);

// RehashStoredRevision recomputes the stored content hash of revision
// `revision_id` of `name` from its columns as they are now: the attacker
// who knows the hash and covers a change with it.
absl::Status RehashStoredRevision(const std::string& path,
                                  const std::string& name, int64_t revision_id);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_SQLITE_TAMPER_H_

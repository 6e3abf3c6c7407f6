// The read side of the SQLite store: the ReadTxn operations as functions
// over one connection that is already inside a transaction. Used by both
// the read and the write transactions.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_RECORD_READS_H_
#define MNRECORDS_SERVER_STORE_SQLITE_RECORD_READS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/record_rules.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/store.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace sqlite {

// ListRecordsSql returns the statement ListRecords runs for `query`:
// constrained by kind and clinic, using the index of the most selective
// equality column set (session > course > patient > actor > clinic, or the
// event-time index when only a time range narrows the clinic), ordered by
// seq; or, in time order, the course's or the patient's (by category)
// event-time index. INVALID_ARGUMENT if the query is malformed (no clinic,
// unknown kind, limit < 1, after_seq < 0, time order without a course or a
// patient and category).
absl::StatusOr<SqlWithParams> ListRecordsSql(const RecordQuery& query);

// BindParams binds `params` to `statement` as parameters 1..n.
absl::Status BindParams(
    Statement& statement,
    const std::vector<std::variant<int64_t, std::string>>& params);

// RecordHead is the part of a record's index row the write path checks.
struct RecordHead {
  int64_t seq = 0;
  RecordKind kind = RecordKind::kPatient;
  std::string clinic;
  int64_t revision_id = 0;  // current revision
  int32_t category = 0;     // of the current revision
  std::string parent;       // ParentOf the record, "" if none
};

// FindHead returns the index row of `name`, or std::nullopt.
absl::StatusOr<std::optional<RecordHead>> FindHead(Connection& db,
                                                   const std::string& name);

// The ReadTxn operations; see server/store.h for their contracts.
absl::StatusOr<StoredRecord> GetRecord(Connection& db, const std::string& name,
                                       int64_t revision_id);
absl::StatusOr<std::vector<StoredRecord>> ListRecords(Connection& db,
                                                      const RecordQuery& query);
absl::StatusOr<int64_t> RecordVersion(Connection& db, const std::string& name);
absl::StatusOr<std::vector<CategoryCount>> CountChildren(
    Connection& db, const std::string& parent, RecordKind kind);
absl::StatusOr<std::vector<StoredRecord>> ListRevisions(Connection& db,
                                                        const std::string& name,
                                                        int64_t after_revision,
                                                        int limit);
absl::StatusOr<std::optional<std::string>> FindByKey(Connection& db,
                                                     const std::string& clinic,
                                                     const std::string& key);
absl::StatusOr<std::optional<RequestRecord>> GetRequest(
    Connection& db, const std::string& scope, const std::string& request_id);

absl::StatusOr<std::vector<StoredChange>> ListChanges(Connection& db,
                                                      const ChangeQuery& query);
absl::StatusOr<int64_t> LastChangeSeq(Connection& db,
                                      const std::string& clinic);
absl::Status ScanRevisions(
    Connection& db, const std::string& clinic, int part, int parts,
    absl::FunctionRef<absl::Status(const StoredRevision&)> fn);

// DecodeRevision sets `r` from the current row of `row`, whose columns
// from `first` on are kRevisionColumns (store_sql.h), reusing r's buffers.
// The kind is taken as stored, known or not.
void DecodeRevision(const Statement& row, int first, RecordRevision* r);

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_RECORD_READS_H_

// SQL text the SQL backends of the Store share: the record columns every
// read returns and the statement of ListRecords, in each backend's dialect.
#ifndef MNRECORDS_SERVER_STORE_STORE_SQL_H_
#define MNRECORDS_SERVER_STORE_STORE_SQL_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/store.h"

namespace mnrecords {

// SqlDialect: SQLite (`?` parameters, the index named with INDEXED BY) or
// PostgreSQL (`$1..$n` parameters; its planner picks the index, where it
// would pick the wrong one steered by a condition only that index serves).
enum class SqlDialect { kSqlite, kPostgres };

// SqlWithParams is an SQL text and the values of its parameters, in order.
struct SqlWithParams {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> params;
};

// kRecordColumns are the columns every record read selects, in this order:
// the records index row `r` (seq, then version) and the revision `v`, then
// the revision's stored content hash (revision_hash.h).
inline constexpr char kRecordColumns[] =
    "r.seq, v.name, v.revision_id, v.kind, v.clinic, v.patient, v.course, "
    "v.session, v.actor, v.event_time_us, v.category, v.create_time_us, "
    "v.payload, r.version, v.content_sha256";

// kRevisionColumns are a revision's stored columns but its hash, in the
// order the backends' DecodeRevision read them.
inline constexpr char kRevisionColumns[] =
    "name, revision_id, kind, clinic, patient, course, session, actor, "
    "event_time_us, category, create_time_us, payload";

// ListRecordsSql returns the statement ListRecords runs for `query`:
// constrained by kind and clinic, on the index of the most selective
// equality column set (session > course > patient > actor > category
// without a time range > clinic, or the event-time index when only a time
// range narrows the clinic), ordered by
// seq; or, in time order, the course's or the patient's (by category)
// event-time index. INVALID_ARGUMENT if the query is malformed (no clinic,
// unknown kind, limit < 1, after_seq < 0, time order without a course or a
// patient and category). Search terms narrow by record_terms: the first
// term's index drives a query that has no session, course or patient.
absl::StatusOr<SqlWithParams> ListRecordsSql(const RecordQuery& query,
                                             SqlDialect dialect);

// kChangeColumns are the columns of a change read, in this order: the
// change's seq, the revision `v` as in kRecordColumns (with 0 for the
// version, which a change does not have) with its content hash, and the
// change's principal.
inline constexpr char kChangeColumns[] =
    "c.seq, v.name, v.revision_id, v.kind, v.clinic, v.patient, v.course, "
    "v.session, v.actor, v.event_time_us, v.category, v.create_time_us, "
    "v.payload, CAST(0 AS BIGINT), v.content_sha256, c.principal";

// ListChangesSql returns the statement ListChanges runs for `query`: the
// changes table `c` joined with the revisions, on the clinic's (or with a
// patient, the patient's) index in seq order, never the primary key (a
// clinic's, on PostgreSQL, as a range of its index). INVALID_ARGUMENT if
// the query is malformed (store.h, ReadTxn::ListChanges).
absl::StatusOr<SqlWithParams> ListChangesSql(const ChangeQuery& query,
                                             SqlDialect dialect);

// LastChangeSeqSql returns the statement LastChangeSeq runs: the highest
// change seq (0 if none) of `clinic`, on the clinic's index, or with ""
// of the whole table, on its primary key.
SqlWithParams LastChangeSeqSql(const std::string& clinic, SqlDialect dialect);

// kInsertChangeSql appends the change of revision (name, revision_id): its
// parameters are clinic, patient, kind, name, revision_id, principal; the
// backend's table assigns seq.
inline constexpr char kInsertChangeSql[] =
    "INSERT INTO changes (clinic, patient, kind, name, revision_id, "
    "principal) VALUES (?, ?, ?, ?, ?, ?)";

// NumberedParams turns each `?` of `sql` into $1, $2, ... in order (the
// texts here never hold a literal `?`).
std::string NumberedParams(absl::string_view sql);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_STORE_SQL_H_

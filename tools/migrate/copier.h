// Copier: copies every row of the source (SourceDb) into the PostgreSQL
// target, in batches of one transaction each, in a fixed order:
//
//   1. records with their revisions, by records.seq (each batch holds whole
//      records: the records rows first, which the revisions' foreign key
//      needs, then their revisions in revision order, which the
//      contiguity trigger needs; the deferred key from records to their
//      current revision holds at COMMIT), then the records.seq identity
//      is set past the largest seq;
//   2. record_keys, record_counts, requests, changes (after the revisions
//      their foreign key names; then the changes.seq identity is set past
//      the largest seq), audit_events (in seq order, as the contiguity
//      trigger needs), each by primary key.
//
// Every value is copied as stored (records.seq and changes.seq with
// OVERRIDING SYSTEM VALUE, versions, payload bytes, request times, audit
// hashes): a change feed cursor (a changes.seq) taken on the source means
// the same change on the target, and the next change a server writes gets
// a seq above every copied one. Each phase continues after the greatest
// key already in the target, and a row whose key is present is skipped (ON
// CONFLICT DO NOTHING): a run stopped at any point (a crash, a lost
// connection) leaves whole batches, and running again continues where it
// stopped. Before continuing, the target's last row of each table must
// equal the source's row with that key; otherwise the target holds
// something else (FAILED_PRECONDITION).
#ifndef MNRECORDS_TOOLS_MIGRATE_COPIER_H_
#define MNRECORDS_TOOLS_MIGRATE_COPIER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/postgres/pg_connection.h"
#include "tools/migrate/progress.h"
#include "tools/migrate/rows.h"
#include "tools/migrate/source_db.h"
#include "tools/migrate/table_specs.h"

namespace mnrecords::migrate {

struct CopyOptions {
  int batch_rows = 5000;           // rows per transaction (about)
  int64_t batch_bytes = 32 << 20;  // and at most about this many bytes
  // For tests: after this many committed batches, write the next batch
  // but return ABORTED before its COMMIT, as if the process died there
  // (the caller then drops the connection). -1 = never.
  int64_t stop_after_batches = -1;
};

// TableCopy is what one table's copy did in this run.
struct TableCopy {
  std::string table;
  int64_t rows = 0;           // rows sent (rows already present are skipped)
  int64_t bytes = 0;          // their size (as values, not as stored)
  std::string resumed_after;  // the target's last key before, "" if none
};

struct CopyStats {
  std::vector<TableCopy> tables;
  int64_t batches = 0;
  absl::Duration elapsed;
};

class Copier {
 public:
  Copier(SourceDb& source, postgres::PgConnection& target,
         const CopyOptions& options, ProgressSink progress)
      : source_(source),
        target_(target),
        options_(options),
        progress_(std::move(progress)) {}

  // Run copies everything the target does not have yet.
  absl::StatusOr<CopyStats> Run();

 private:
  absl::Status CopyRecordsAndRevisions(TableCopy& records,
                                       TableCopy& revisions);
  absl::Status CopyTable(const TableSpec& table, TableCopy& stats);
  // LastKey returns the target's greatest key of `table` (empty if none),
  // after checking that the source has the same row under it.
  absl::StatusOr<Row> LastKey(const TableSpec& table);
  // SetIdentityPastMax sets the identity sequence of `table`'s seq so that
  // the next row a server inserts gets the largest copied seq + 1 (left
  // alone while the table is empty).
  absl::Status SetIdentityPastMax(const TableSpec& table);
  // WriteBatch runs `insert` in one transaction and commits it; an error
  // names the batch (`what`).
  absl::Status WriteBatch(const std::string& what,
                          const std::function<absl::Status()>& insert);
  // InsertRows inserts `rows` of `table`, many rows per statement (their
  // values are moved out).
  absl::Status InsertRows(const TableSpec& table, std::vector<Row>& rows);

  SourceDb& source_;
  postgres::PgConnection& target_;
  const CopyOptions options_;
  const ProgressSink progress_;
  int64_t batches_ = 0;
};

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_COPIER_H_

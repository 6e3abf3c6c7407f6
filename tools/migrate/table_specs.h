// The tables mnrecords_migrate copies and proves, as data: each table's
// columns (the same names and order in the SQLite and the PostgreSQL
// schema), its primary key and the SQL that reads and writes it on either
// side.
//
// Row order is the one thing both sides must agree on without comparing
// collations: integer keys order the same everywhere, and text keys are
// ordered by their bytes (SQLite's BINARY collation; COLLATE "C" in
// PostgreSQL, whatever the database's default collation is).
#ifndef MNRECORDS_TOOLS_MIGRATE_TABLE_SPECS_H_
#define MNRECORDS_TOOLS_MIGRATE_TABLE_SPECS_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

// TableSpec describes one table. The first `key_columns` columns are its
// primary key in key order.
struct TableSpec {
  std::string name;
  std::vector<std::string> columns;
  std::vector<ColumnType> types;
  int key_columns = 1;
  // The key is PostgreSQL's identity column `seq` (records.seq,
  // changes.seq): inserted with OVERRIDING SYSTEM VALUE, the copied value
  // as it is, and its sequence set past the largest copied seq afterwards.
  bool identity_key = false;
};

// The plain tables, each copied on its own in this order after records and
// revisions: record_keys, record_terms, record_counts, requests, changes,
// audit_events, audit_patients.
const TableSpec& RecordsTable();
const TableSpec& RevisionsTable();
const TableSpec& RecordKeysTable();
const TableSpec& RecordTermsTable();
const TableSpec& RecordCountsTable();
const TableSpec& RequestsTable();
const TableSpec& ChangesTable();
const TableSpec& AuditEventsTable();
const TableSpec& AuditPatientsTable();
absl::Span<const TableSpec* const> PlainTables();
// AllTables lists every table the tool copies.
absl::Span<const TableSpec* const> AllTables();

// Column lists, comma-separated, optionally qualified with `alias.`.
std::string ColumnList(const TableSpec& table, const std::string& alias = "");

// SourceSelectSql reads the whole table from SQLite in key order, starting
// after the key bound to ?1..?k when `after_key` is true.
std::string SourceSelectSql(const TableSpec& table, bool after_key);

// TargetSelectSql reads the whole table from PostgreSQL in the same order
// (text key columns COLLATE "C").
std::string TargetSelectSql(const TableSpec& table);

// TargetLastKeySql reads the greatest key present in PostgreSQL, in that
// order (no row when the table is empty).
std::string TargetLastKeySql(const TableSpec& table);

// InsertSql inserts `rows` rows ($1.. in row-major order) into PostgreSQL,
// skipping rows whose key is already present.
std::string InsertSql(const TableSpec& table, int rows);

// The join that streams every revision under its record, ordered by
// (records.seq, revision_id), on both sides; the columns are the record's
// (RecordsTable order) then the revision's (RevisionsTable order).
// SourceRecordRevisionsSql starts after records.seq ?1.
std::string SourceRecordRevisionsSql();

// The revisions for the proof, ordered by (records.seq, revision_id): the
// record's seq, revision_id, name, then the revision's other columns with
// the payload last as its SHA-256 (the source reads the payload and
// hashes it, kBlobSha256; PostgreSQL hashes its own, sha256()). The key is
// the first two columns.
std::string SourceRevisionProofSql();
std::string TargetRevisionProofSql();
std::vector<ColumnType> RevisionProofSourceTypes();
std::vector<ColumnType> RevisionProofTargetTypes();
std::vector<std::string> RevisionProofColumns();

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_TABLE_SPECS_H_

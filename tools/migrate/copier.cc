#include "tools/migrate/copier.h"

#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "tools/migrate/pg_rows.h"

namespace mnrecords::migrate {
namespace {

// Rows per INSERT statement: at most this many, in powers of two, so a
// handful of prepared statements serve every batch.
constexpr int kMaxRowsPerStatement = 256;

postgres::PgParam ToParam(Value&& value, ColumnType type) {
  if (type == ColumnType::kInt) return std::get<int64_t>(value);
  std::string bytes = std::move(std::get<std::string>(value));
  if (type == ColumnType::kText) return bytes;
  return postgres::PgBytes{std::move(bytes)};
}

int64_t RowSize(const Row& row) {
  int64_t size = 0;
  for (const Value& v : row) size += ValueSize(v);
  return size;
}

std::string KeyText(const TableSpec& table, const Row& key) {
  std::vector<std::string> parts;
  for (int i = 0; i < table.key_columns; ++i) {
    parts.push_back(absl::StrCat(table.columns[i], " ",
                                 FormatValue(key[i], table.types[i])));
  }
  return absl::StrJoin(parts, ", ");
}

std::string KeyWhere(const TableSpec& table, char placeholder) {
  std::vector<std::string> keys;
  std::vector<std::string> params;
  for (int i = 0; i < table.key_columns; ++i) {
    keys.push_back(table.columns[i]);
    params.push_back(absl::StrCat(std::string(1, placeholder), i + 1));
  }
  return absl::StrCat(" WHERE (", absl::StrJoin(keys, ", "), ") = (",
                      absl::StrJoin(params, ", "), ")");
}

}  // namespace

absl::StatusOr<CopyStats> Copier::Run() {
  const absl::Time start = absl::Now();
  CopyStats stats;
  TableCopy records;
  records.table = "records";
  TableCopy revisions;
  revisions.table = "revisions";
  MNR_RETURN_IF_ERROR(CopyRecordsAndRevisions(records, revisions));
  stats.tables.push_back(std::move(records));
  stats.tables.push_back(std::move(revisions));
  for (const TableSpec* table : PlainTables()) {
    TableCopy copy;
    copy.table = table->name;
    MNR_RETURN_IF_ERROR(CopyTable(*table, copy));
    stats.tables.push_back(std::move(copy));
  }
  // Fresh planner statistics for the servers that will use the database.
  std::vector<std::string> names;
  for (const TableSpec* table : AllTables()) names.push_back(table->name);
  MNR_RETURN_IF_ERROR(
      target_.Exec(absl::StrCat("ANALYZE ", absl::StrJoin(names, ", "))));
  stats.batches = batches_;
  stats.elapsed = absl::Now() - start;
  return stats;
}

absl::StatusOr<Row> Copier::LastKey(const TableSpec& table) {
  MNR_ASSIGN_OR_RETURN(postgres::PgResult last,
                       target_.Query(TargetLastKeySql(table)));
  if (last.rows() == 0) return Row();
  const std::vector<ColumnType> key_types(
      table.types.begin(), table.types.begin() + table.key_columns);
  Row key = ReadPgRow(last, 0, key_types);
  // The target's row under that key must be the source's.
  std::vector<postgres::PgParam> params;
  for (int i = 0; i < table.key_columns; ++i) {
    params.push_back(ToParam(Value(key[i]), table.types[i]));
  }
  MNR_ASSIGN_OR_RETURN(
      postgres::PgResult target_row,
      target_.Query(absl::StrCat("SELECT ", ColumnList(table), " FROM ",
                                 table.name, KeyWhere(table, '$')),
                    params));
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<RowSource> source_rows,
      source_.Rows(absl::StrCat("SELECT ", ColumnList(table), " FROM ",
                                table.name, KeyWhere(table, '?')),
                   key, table.types));
  Row source_row;
  MNR_ASSIGN_OR_RETURN(const bool found, source_rows->Next(source_row));
  if (!found || source_row != ReadPgRow(target_row, 0, table.types)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to resume: the target's last ", table.name, " row (",
        KeyText(table, key), ") ",
        found ? "differs from the source's" : "is not in the source",
        ", so the target was not copied from this source as it is now"));
  }
  return key;
}

absl::Status Copier::CopyRecordsAndRevisions(TableCopy& records,
                                             TableCopy& revisions) {
  const TableSpec& rec = RecordsTable();
  const TableSpec& rev = RevisionsTable();
  MNR_ASSIGN_OR_RETURN(const Row last, LastKey(rec));
  const int64_t after = last.empty() ? 0 : std::get<int64_t>(last[0]);
  if (!last.empty()) {
    records.resumed_after = revisions.resumed_after = KeyText(rec, last);
    if (progress_) {
      progress_.report(absl::StrCat("records and revisions: continuing after ",
                                    records.resumed_after),
                       /*final=*/true);
    }
  }
  MNR_ASSIGN_OR_RETURN(const int64_t record_count,
                       source_.CountRows("records"));
  MNR_ASSIGN_OR_RETURN(const int64_t revision_count,
                       source_.CountRows("revisions"));
  std::vector<ColumnType> types = rec.types;
  types.insert(types.end(), rev.types.begin(), rev.types.end());
  const size_t record_columns = rec.columns.size();
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<RowSource> rows,
      source_.Rows(SourceRecordRevisionsSql(), {after}, std::move(types)));
  Progress progress("copy records+revisions", record_count + revision_count,
                    progress_);
  std::vector<Row> record_rows;
  std::vector<Row> revision_rows;
  int64_t batch_bytes = 0;
  auto flush = [&]() -> absl::Status {
    if (record_rows.empty()) return absl::OkStatus();
    const int64_t n = static_cast<int64_t>(record_rows.size());
    const int64_t m = static_cast<int64_t>(revision_rows.size());
    const std::string what = absl::StrCat(
        "records seq ", std::get<int64_t>(record_rows.front()[0]), " to ",
        std::get<int64_t>(record_rows.back()[0]), " with their revisions");
    MNR_RETURN_IF_ERROR(WriteBatch(what, [&]() -> absl::Status {
      MNR_RETURN_IF_ERROR(InsertRows(rec, record_rows));
      return InsertRows(rev, revision_rows);
    }));
    records.rows += n;
    revisions.rows += m;
    progress.Add(n + m, batch_bytes);
    record_rows.clear();
    revision_rows.clear();
    batch_bytes = 0;
    return absl::OkStatus();
  };
  Row row;
  int64_t current_seq = 0;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool more, rows->Next(row));
    if (!more) break;
    const int64_t seq = std::get<int64_t>(row[0]);
    if (seq != current_seq) {
      // Batches end between records, never inside one.
      if (static_cast<int64_t>(record_rows.size() + revision_rows.size()) >=
              options_.batch_rows ||
          batch_bytes >= options_.batch_bytes) {
        MNR_RETURN_IF_ERROR(flush());
      }
      record_rows.emplace_back(row.begin(), row.begin() + record_columns);
      const int64_t size = RowSize(record_rows.back());
      records.bytes += size;
      batch_bytes += size;
      current_seq = seq;
    }
    revision_rows.emplace_back(
        std::make_move_iterator(row.begin() + record_columns),
        std::make_move_iterator(row.end()));
    const int64_t size = RowSize(revision_rows.back());
    revisions.bytes += size;
    batch_bytes += size;
  }
  MNR_RETURN_IF_ERROR(flush());
  progress.Finish();
  return SetIdentityPastMax(rec);
}

absl::Status Copier::CopyTable(const TableSpec& table, TableCopy& stats) {
  MNR_ASSIGN_OR_RETURN(const Row last, LastKey(table));
  if (!last.empty()) {
    stats.resumed_after = KeyText(table, last);
    if (progress_) {
      progress_.report(
          absl::StrCat(table.name, ": continuing after ", stats.resumed_after),
          /*final=*/true);
    }
  }
  MNR_ASSIGN_OR_RETURN(const int64_t count, source_.CountRows(table.name));
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<RowSource> rows,
      source_.Rows(SourceSelectSql(table, !last.empty()), last, table.types));
  Progress progress(absl::StrCat("copy ", table.name), count, progress_);
  std::vector<Row> batch;
  int64_t batch_bytes = 0;
  auto flush = [&]() -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    const int64_t n = static_cast<int64_t>(batch.size());
    const std::string what =
        absl::StrCat(table.name, " from (", KeyText(table, batch.front()),
                     ") to (", KeyText(table, batch.back()), ")");
    MNR_RETURN_IF_ERROR(
        WriteBatch(what, [&]() { return InsertRows(table, batch); }));
    stats.rows += n;
    progress.Add(n, batch_bytes);
    batch.clear();
    batch_bytes = 0;
    return absl::OkStatus();
  };
  Row row;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool more, rows->Next(row));
    if (!more) break;
    batch_bytes += RowSize(row);
    batch.push_back(std::move(row));
    row = Row();
    if (static_cast<int64_t>(batch.size()) >= options_.batch_rows ||
        batch_bytes >= options_.batch_bytes) {
      MNR_RETURN_IF_ERROR(flush());
    }
  }
  MNR_RETURN_IF_ERROR(flush());
  progress.Finish();
  stats.bytes = progress.bytes();
  return table.identity_key ? SetIdentityPastMax(table) : absl::OkStatus();
}

absl::Status Copier::SetIdentityPastMax(const TableSpec& table) {
  MNR_ASSIGN_OR_RETURN(postgres::PgResult max,
                       target_.Query(absl::StrCat(
                           "SELECT coalesce(max(seq), 0) FROM ", table.name)));
  const int64_t last = max.Int64(0, 0);
  // An empty table keeps its fresh sequence (setval cannot go below 1).
  if (last == 0) return absl::OkStatus();
  return target_
      .Query("SELECT setval(pg_get_serial_sequence($1, 'seq'), $2)",
             {table.name, last})
      .status();
}

absl::Status Copier::WriteBatch(const std::string& what,
                                const std::function<absl::Status()>& insert) {
  MNR_RETURN_IF_ERROR(target_.Exec("BEGIN"));
  absl::Status status = insert();
  if (status.ok() && options_.stop_after_batches >= 0 &&
      batches_ >= options_.stop_after_batches) {
    // As if the process died before COMMIT: the transaction stays open
    // until the caller drops the connection.
    return absl::AbortedError(absl::StrCat(
        "stopped before committing batch ", batches_ + 1,
        " (stop_after_batches = ", options_.stop_after_batches, ")"));
  }
  if (status.ok()) status = target_.Exec("COMMIT");
  if (!status.ok()) {
    if (target_.InTransaction()) target_.Exec("ROLLBACK").IgnoreError();
    return absl::Status(status.code(),
                        absl::StrCat("copying ", what, ": ", status.message()));
  }
  ++batches_;
  return absl::OkStatus();
}

absl::Status Copier::InsertRows(const TableSpec& table,
                                std::vector<Row>& rows) {
  const size_t columns = table.columns.size();
  size_t i = 0;
  while (i < rows.size()) {
    size_t n = kMaxRowsPerStatement;
    while (n > rows.size() - i) n /= 2;
    std::vector<postgres::PgParam> params;
    params.reserve(n * columns);
    for (size_t r = i; r < i + n; ++r) {
      for (size_t c = 0; c < columns; ++c) {
        params.push_back(ToParam(std::move(rows[r][c]), table.types[c]));
      }
    }
    MNR_RETURN_IF_ERROR(
        target_.Query(InsertSql(table, static_cast<int>(n)), params).status());
    i += n;
  }
  return absl::OkStatus();
}

}  // namespace mnrecords::migrate

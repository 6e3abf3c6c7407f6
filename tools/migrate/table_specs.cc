#include "tools/migrate/table_specs.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mnrecords::migrate {
namespace {

constexpr ColumnType kI = ColumnType::kInt;
constexpr ColumnType kT = ColumnType::kText;
constexpr ColumnType kB = ColumnType::kBytes;

// The revision columns after the key (name, revision_id), payload last.
constexpr int kRevisionPayload = 12;

std::string Keys(const TableSpec& t, bool c_collation, bool descending) {
  std::vector<std::string> keys;
  for (int i = 0; i < t.key_columns; ++i) {
    std::string k = t.columns[i];
    if (c_collation && t.types[i] == kT) absl::StrAppend(&k, " COLLATE \"C\"");
    if (descending) absl::StrAppend(&k, " DESC");
    keys.push_back(std::move(k));
  }
  return absl::StrJoin(keys, ", ");
}

}  // namespace

const TableSpec& RecordsTable() {
  static const TableSpec* t = new TableSpec{
      "records",
      {"seq", "name", "kind", "clinic", "patient", "course", "session", "actor",
       "event_time_us", "category", "revision_id", "version"},
      {kI, kT, kI, kT, kT, kT, kT, kT, kI, kI, kI, kI},
      1,
      true};
  return *t;
}

const TableSpec& RevisionsTable() {
  static const TableSpec* t =
      new TableSpec{"revisions",
                    {"name", "revision_id", "kind", "clinic", "patient",
                     "course", "session", "actor", "event_time_us", "category",
                     "create_time_us", "content_sha256", "payload"},
                    {kT, kI, kI, kT, kT, kT, kT, kT, kI, kI, kI, kT, kB},
                    2};
  return *t;
}

const TableSpec& RecordKeysTable() {
  static const TableSpec* t = new TableSpec{
      "record_keys", {"clinic", "lookup_key", "name"}, {kT, kT, kT}, 2};
  return *t;
}

const TableSpec& RecordTermsTable() {
  static const TableSpec* t = new TableSpec{
      "record_terms", {"clinic", "kind", "term", "seq"}, {kT, kI, kT, kI}, 4};
  return *t;
}

const TableSpec& RecordCountsTable() {
  static const TableSpec* t =
      new TableSpec{"record_counts",
                    {"parent", "kind", "category", "count"},
                    {kT, kI, kI, kI},
                    3};
  return *t;
}

const TableSpec& RequestsTable() {
  static const TableSpec* t =
      new TableSpec{"requests",
                    {"scope", "request_id", "request_hash", "name",
                     "revision_id", "create_time_us"},
                    {kT, kT, kB, kT, kI, kI},
                    2};
  return *t;
}

const TableSpec& ChangesTable() {
  static const TableSpec* t = new TableSpec{
      "changes",
      {"seq", "clinic", "patient", "kind", "name", "revision_id", "principal"},
      {kI, kT, kT, kI, kT, kI, kT},
      1,
      true};
  return *t;
}

const TableSpec& AuditEventsTable() {
  static const TableSpec* t =
      new TableSpec{"audit_events",
                    {"seq", "time_us", "principal", "role", "action", "clinic",
                     "resource", "outcome", "peer", "request_id", "prev_hash",
                     "hash", "revisions", "accessed"},
                    {kI, kI, kT, kT, kT, kT, kT, kI, kT, kT, kT, kT, kT, kT},
                    1};
  return *t;
}

const TableSpec& AuditPatientsTable() {
  static const TableSpec* t =
      new TableSpec{"audit_patients", {"patient", "seq"}, {kT, kI}, 2};
  return *t;
}

absl::Span<const TableSpec* const> PlainTables() {
  static const TableSpec* const kTables[] = {
      &RecordKeysTable(),   &RecordTermsTable(), &RecordCountsTable(),
      &RequestsTable(),     &ChangesTable(),     &AuditEventsTable(),
      &AuditPatientsTable()};
  return kTables;
}

absl::Span<const TableSpec* const> AllTables() {
  static const TableSpec* const kTables[] = {
      &RecordsTable(),     &RevisionsTable(),    &RecordKeysTable(),
      &RecordTermsTable(), &RecordCountsTable(), &RequestsTable(),
      &ChangesTable(),     &AuditEventsTable(),  &AuditPatientsTable()};
  return kTables;
}

std::string ColumnList(const TableSpec& table, const std::string& alias) {
  std::vector<std::string> columns;
  for (const std::string& c : table.columns) {
    columns.push_back(alias.empty() ? c : absl::StrCat(alias, ".", c));
  }
  return absl::StrJoin(columns, ", ");
}

std::string SourceSelectSql(const TableSpec& table, bool after_key) {
  std::string sql =
      absl::StrCat("SELECT ", ColumnList(table), " FROM ", table.name);
  if (after_key) {
    std::vector<std::string> keys(table.columns.begin(),
                                  table.columns.begin() + table.key_columns);
    std::vector<std::string> params;
    for (int i = 1; i <= table.key_columns; ++i) {
      params.push_back(absl::StrCat("?", i));
    }
    absl::StrAppend(&sql, " WHERE (", absl::StrJoin(keys, ", "), ") > (",
                    absl::StrJoin(params, ", "), ")");
  }
  absl::StrAppend(&sql, " ORDER BY ", Keys(table, false, false));
  return sql;
}

std::string TargetSelectSql(const TableSpec& table) {
  return absl::StrCat("SELECT ", ColumnList(table), " FROM ", table.name,
                      " ORDER BY ", Keys(table, true, false));
}

std::string TargetLastKeySql(const TableSpec& table) {
  std::vector<std::string> keys(table.columns.begin(),
                                table.columns.begin() + table.key_columns);
  return absl::StrCat("SELECT ", absl::StrJoin(keys, ", "), " FROM ",
                      table.name, " ORDER BY ", Keys(table, true, true),
                      " LIMIT 1");
}

std::string InsertSql(const TableSpec& table, int rows) {
  const int n = static_cast<int>(table.columns.size());
  std::vector<std::string> tuples;
  tuples.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    std::vector<std::string> params;
    for (int c = 1; c <= n; ++c) params.push_back(absl::StrCat("$", r * n + c));
    tuples.push_back(absl::StrCat("(", absl::StrJoin(params, ", "), ")"));
  }
  return absl::StrCat("INSERT INTO ", table.name, " (", ColumnList(table), ")",
                      table.identity_key ? " OVERRIDING SYSTEM VALUE" : "",
                      " VALUES ", absl::StrJoin(tuples, ", "),
                      " ON CONFLICT DO NOTHING");
}

std::string SourceRecordRevisionsSql() {
  return absl::StrCat("SELECT ", ColumnList(RecordsTable(), "r"), ", ",
                      ColumnList(RevisionsTable(), "v"),
                      " FROM records AS r JOIN revisions AS v ON v.name = "
                      "r.name WHERE r.seq > ?1 ORDER BY r.seq, v.revision_id");
}

namespace {

// The proof's revision columns: the record's seq and the revision id (the
// order), then the revision's other columns, its payload as `payload`.
std::vector<std::string> RevisionProofSelectList(const std::string& payload) {
  const TableSpec& v = RevisionsTable();
  std::vector<std::string> columns = {"r.seq", "v.revision_id", "v.name"};
  for (int i = 2; i < kRevisionPayload; ++i) {
    columns.push_back(absl::StrCat("v.", v.columns[i]));
  }
  columns.push_back(payload);
  return columns;
}

std::string RevisionProofSql(const std::string& payload) {
  return absl::StrCat("SELECT ",
                      absl::StrJoin(RevisionProofSelectList(payload), ", "),
                      " FROM records AS r JOIN revisions AS v ON v.name = "
                      "r.name ORDER BY r.seq, v.revision_id");
}

}  // namespace

std::string SourceRevisionProofSql() { return RevisionProofSql("v.payload"); }

std::string TargetRevisionProofSql() {
  return RevisionProofSql("sha256(v.payload)");
}

std::vector<ColumnType> RevisionProofSourceTypes() {
  const TableSpec& v = RevisionsTable();
  std::vector<ColumnType> types = {kI, kI, kT};
  types.insert(types.end(), v.types.begin() + 2,
               v.types.begin() + kRevisionPayload);
  types.push_back(ColumnType::kBlobSha256);
  return types;
}

std::vector<ColumnType> RevisionProofTargetTypes() {
  std::vector<ColumnType> types = RevisionProofSourceTypes();
  types.back() = kB;
  return types;
}

std::vector<std::string> RevisionProofColumns() {
  const TableSpec& v = RevisionsTable();
  std::vector<std::string> columns = {"record seq", "revision_id", "name"};
  columns.insert(columns.end(), v.columns.begin() + 2,
                 v.columns.begin() + kRevisionPayload);
  columns.push_back("payload SHA-256");
  return columns;
}

}  // namespace mnrecords::migrate

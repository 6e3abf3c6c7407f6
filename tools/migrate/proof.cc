#include "tools/migrate/proof.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "tools/migrate/audit_chain_check.h"
#include "tools/migrate/pg_rows.h"
#include "tools/migrate/stream_compare.h"
#include "tools/migrate/table_specs.h"

namespace mnrecords::migrate {
namespace {

constexpr int kMaxProblemsPerTable = 10;

std::string DescribeByKey(const TableSpec& table, const Row& row) {
  std::vector<std::string> parts;
  for (int i = 0; i < table.key_columns; ++i) {
    parts.push_back(absl::StrCat(table.columns[i], " ",
                                 FormatValue(row[i], table.types[i])));
  }
  return absl::StrCat(table.name, " row (", absl::StrJoin(parts, ", "), ")");
}

StreamSpec SpecOf(const TableSpec& table) {
  StreamSpec spec;
  spec.columns = table.columns;
  spec.types = table.types;
  spec.key_columns = table.key_columns;
  if (&table == &RecordsTable()) {
    spec.describe = [](const Row& row) {
      return absl::StrCat("record ", std::get<std::string>(row[1]), " (seq ",
                          std::get<int64_t>(row[0]), ")");
    };
  } else if (&table == &AuditEventsTable()) {
    spec.describe = [](const Row& row) {
      return absl::StrCat("audit event ", std::get<int64_t>(row[0]));
    };
  } else if (&table == &ChangesTable()) {
    spec.describe = [](const Row& row) {
      return absl::StrCat("change ", std::get<int64_t>(row[0]), " (revision ",
                          std::get<int64_t>(row[5]), " of ",
                          std::get<std::string>(row[4]), ")");
    };
  } else {
    spec.describe = [&table](const Row& row) {
      return DescribeByKey(table, row);
    };
  }
  return spec;
}

StreamSpec RevisionSpec() {
  StreamSpec spec;
  spec.columns = RevisionProofColumns();
  spec.types = RevisionProofTargetTypes();
  spec.key_columns = 2;  // (records.seq, revision_id)
  spec.describe = [](const Row& row) {
    return absl::StrCat("revision ", std::get<int64_t>(row[1]), " of record ",
                        std::get<std::string>(row[2]));
  };
  return spec;
}

class Prover {
 public:
  Prover(SourceDb& source, postgres::PgConnection& target,
         const ProgressSink& progress)
      : source_(source), target_(target), progress_(progress) {}

  // CompareTable streams `source_sql` and `target_sql` (types on each
  // side) and records the outcome under `name`.
  absl::Status CompareTable(const std::string& name, const StreamSpec& spec,
                            const std::string& source_sql,
                            const std::vector<ColumnType>& source_types,
                            const std::string& target_sql,
                            const std::vector<ColumnType>& target_types) {
    MNR_ASSIGN_OR_RETURN(const int64_t total, source_.CountRows(name));
    MNR_ASSIGN_OR_RETURN(std::unique_ptr<RowSource> source_rows,
                         source_.Rows(source_sql, {}, source_types));
    const std::string cursor = absl::StrCat("mnr_proof_", name);
    MNR_ASSIGN_OR_RETURN(
        std::unique_ptr<PgCursorRows> target_rows,
        PgCursorRows::Open(target_, cursor, target_sql, target_types));
    Progress progress(absl::StrCat("prove ", name), total, progress_);
    MNR_ASSIGN_OR_RETURN(StreamResult result,
                         CompareStreams(spec, *source_rows, *target_rows,
                                        kMaxProblemsPerTable, &progress));
    progress.Finish();
    MNR_RETURN_IF_ERROR(target_.Exec(absl::StrCat("CLOSE ", cursor)));
    TableProof table{name, result.source_rows, result.target_rows,
                     result.differences};
    if (result.source_rows != result.target_rows) {
      report_.problems.push_back(
          absl::StrCat(name, ": ", result.source_rows, " rows in the source, ",
                       result.target_rows, " on the target"));
    }
    for (std::string& p : result.problems) {
      report_.problems.push_back(absl::StrCat(name, ": ", std::move(p)));
    }
    report_.tables.push_back(std::move(table));
    return absl::OkStatus();
  }

  absl::Status PlainTable(const TableSpec& table, StreamSpec spec) {
    return CompareTable(table.name, spec, SourceSelectSql(table, false),
                        table.types, TargetSelectSql(table), table.types);
  }

  // Revisions: the join by record, then counts of the whole tables, which
  // would also show a revision that belongs to no record.
  absl::Status Revisions() {
    MNR_RETURN_IF_ERROR(
        CompareTable("revisions", RevisionSpec(), SourceRevisionProofSql(),
                     RevisionProofSourceTypes(), TargetRevisionProofSql(),
                     RevisionProofTargetTypes()));
    TableProof& t = report_.tables.back();
    MNR_ASSIGN_OR_RETURN(const int64_t source_count,
                         source_.CountRows("revisions"));
    MNR_ASSIGN_OR_RETURN(postgres::PgResult target_count,
                         target_.Query("SELECT count(*) FROM revisions"));
    const int64_t n = target_count.Int64(0, 0);
    if (source_count != t.source_rows || n != t.target_rows) {
      report_.problems.push_back(
          absl::StrCat("revisions: ", source_count - t.source_rows,
                       " revisions in the source and ", n - t.target_rows,
                       " on the target belong to no record"));
      t.source_rows = source_count;
      t.target_rows = n;
    }
    return absl::OkStatus();
  }

  absl::Status AuditEvents() {
    AuditChainCheck source_chain;
    AuditChainCheck target_chain;
    StreamSpec spec = SpecOf(AuditEventsTable());
    std::optional<Row> source_last;
    std::optional<Row> target_last;
    spec.on_source_row = [&](const Row& row) {
      source_chain.Add(row);
      source_last = row;
    };
    spec.on_target_row = [&](const Row& row) {
      target_chain.Add(row);
      target_last = row;
    };
    MNR_RETURN_IF_ERROR(PlainTable(AuditEventsTable(), std::move(spec)));
    const TableProof& t = report_.tables.back();
    report_.source_chain_events = source_chain.events_checked();
    report_.target_chain_events = target_chain.events_checked();
    if (source_chain.broken().has_value()) {
      report_.problems.push_back(
          absl::StrCat("audit chain of the source: ", *source_chain.broken()));
    }
    if (target_chain.broken().has_value()) {
      report_.problems.push_back(
          absl::StrCat("audit chain on the target: ", *target_chain.broken()));
    } else {
      report_.passed.push_back(
          absl::StrCat("audit chain verifies on the target from the genesis: ",
                       target_chain.events_checked(), " of ", t.target_rows,
                       " events, every link and hash recomputed"));
    }
    if (source_last.has_value()) {
      report_.source_head = {std::get<int64_t>((*source_last)[0]),
                             std::get<std::string>((*source_last)[11])};
    }
    const Checkpoint& head = report_.source_head;
    const int64_t target_head_seq =
        target_last.has_value() ? std::get<int64_t>((*target_last)[0]) : 0;
    MNR_ASSIGN_OR_RETURN(const std::optional<std::string> target_hash,
                         TargetHash(head.seq));
    if (head.seq == 0 && target_head_seq == 0) {
      report_.passed.push_back("both audit logs are empty");
    } else if (head.seq != 0 && target_hash == head.hash &&
               target_head_seq == head.seq) {
      report_.passed.push_back(
          absl::StrCat("the source's checkpoint (its last event) ", head.seq,
                       ":", head.hash, " is the target's last event"));
    } else {
      report_.problems.push_back(absl::StrCat(
          "the source's checkpoint (its last event) ", head.seq, ":", head.hash,
          " is not the target's last event (the target's is ", target_head_seq,
          target_hash.has_value() ? absl::StrCat("; its event ", head.seq,
                                                 " has hash ", *target_hash)
                                  : "",
          ")"));
    }
    return absl::OkStatus();
  }

  absl::Status Checkpoints(const std::vector<Checkpoint>& checkpoints) {
    for (const Checkpoint& cp : checkpoints) {
      const std::string name = absl::StrCat(cp.seq, ":", cp.hash);
      MNR_ASSIGN_OR_RETURN(const std::optional<std::string> on_source,
                           SourceHash(cp.seq));
      MNR_ASSIGN_OR_RETURN(const std::optional<std::string> on_target,
                           TargetHash(cp.seq));
      std::vector<std::string> wrong;
      auto check = [&](const char* side,
                       const std::optional<std::string>& hash) {
        if (!hash.has_value()) {
          wrong.push_back(absl::StrCat("event ", cp.seq, " is missing ", side));
        } else if (*hash != cp.hash) {
          wrong.push_back(
              absl::StrCat("event ", cp.seq, " ", side, " has hash ", *hash));
        }
      };
      check("in the source", on_source);
      check("on the target", on_target);
      if (wrong.empty()) {
        report_.passed.push_back(absl::StrCat(
            "checkpoint ", name, " holds in the source and on the target"));
      } else {
        report_.problems.push_back(absl::StrCat("checkpoint ", name, ": ",
                                                absl::StrJoin(wrong, "; ")));
      }
    }
    return absl::OkStatus();
  }

  // Identity: the next seq PostgreSQL hands out for `table` (records,
  // changes) is after every row.
  absl::Status Identity(const TableSpec& table) {
    const std::string& t = table.name;
    MNR_ASSIGN_OR_RETURN(
        postgres::PgResult r,
        target_.Query(absl::StrCat(
            "SELECT coalesce(max(seq), 0), coalesce(pg_sequence_last_value("
            "pg_get_serial_sequence('",
            t, "', 'seq')::regclass), 0) FROM ", t)));
    const int64_t max_seq = r.Int64(0, 0);
    const int64_t last = r.Int64(0, 1);
    if (last >= max_seq) {
      report_.passed.push_back(
          absl::StrCat("the ", t, ".seq identity continues after ", max_seq,
                       " (the next row gets seq ", last + 1, ")"));
    } else {
      report_.problems.push_back(
          absl::StrCat("the ", t, ".seq identity would hand out ", last + 1,
                       ", which is taken (largest seq ", max_seq, ")"));
    }
    return absl::OkStatus();
  }

  ProofReport Take() { return std::move(report_); }

 private:
  absl::StatusOr<std::optional<std::string>> TargetHash(int64_t seq) {
    MNR_ASSIGN_OR_RETURN(
        postgres::PgResult r,
        target_.Query("SELECT hash FROM audit_events WHERE seq = $1", {seq}));
    if (r.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(r.Text(0, 0));
  }

  absl::StatusOr<std::optional<std::string>> SourceHash(int64_t seq) {
    MNR_ASSIGN_OR_RETURN(
        std::unique_ptr<RowSource> rows,
        source_.Rows("SELECT hash FROM audit_events WHERE seq = ?1", {seq},
                     {ColumnType::kText}));
    Row row;
    MNR_ASSIGN_OR_RETURN(const bool found, rows->Next(row));
    if (!found) return std::optional<std::string>();
    return std::optional<std::string>(std::get<std::string>(row[0]));
  }

  SourceDb& source_;
  postgres::PgConnection& target_;
  const ProgressSink& progress_;
  ProofReport report_;
};

}  // namespace

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text) {
  const size_t colon = text.find(':');
  Checkpoint cp;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(text.substr(0, colon), &cp.seq) || cp.seq < 1 ||
      !IsSha256Hex(text.substr(colon + 1))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint \"", text,
        "\": expected SEQ:HASH, a sequence >= 1 and 64 lower-case hex "
        "characters"));
  }
  cp.hash = std::string(text.substr(colon + 1));
  return cp;
}

absl::StatusOr<ProofReport> Prove(SourceDb& source,
                                  postgres::PgConnection& target,
                                  const std::vector<Checkpoint>& checkpoints,
                                  const ProgressSink& progress) {
  MNR_RETURN_IF_ERROR(
      target.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
  Prover prover(source, target, progress);
  absl::Status status = [&]() -> absl::Status {
    MNR_RETURN_IF_ERROR(
        prover.PlainTable(RecordsTable(), SpecOf(RecordsTable())));
    MNR_RETURN_IF_ERROR(prover.Revisions());
    for (const TableSpec* table : PlainTables()) {
      if (table == &AuditEventsTable()) continue;
      MNR_RETURN_IF_ERROR(prover.PlainTable(*table, SpecOf(*table)));
    }
    MNR_RETURN_IF_ERROR(prover.AuditEvents());
    MNR_RETURN_IF_ERROR(prover.Checkpoints(checkpoints));
    for (const TableSpec* table : AllTables()) {
      if (table->identity_key) MNR_RETURN_IF_ERROR(prover.Identity(*table));
    }
    return target.Exec("COMMIT");
  }();
  if (!status.ok()) {
    if (target.InTransaction()) target.Exec("ROLLBACK").IgnoreError();
    return status;
  }
  return prover.Take();
}

std::vector<std::string> FormatProof(const ProofReport& report) {
  std::vector<std::string> lines;
  for (const TableProof& t : report.tables) {
    lines.push_back(absl::StrCat(
        "  ", t.table, ": ", t.source_rows, " rows in the source, ",
        t.target_rows, " on the target, ",
        t.differences == 0 ? "every row equal"
                           : absl::StrCat(t.differences, " differ")));
  }
  for (const std::string& p : report.passed) {
    lines.push_back(absl::StrCat("  ", p));
  }
  for (const std::string& p : report.problems) {
    lines.push_back(absl::StrCat("  MISMATCH: ", p));
  }
  lines.push_back(report.ok()
                      ? "proof: the target is an exact copy"
                      : absl::StrCat("proof FAILED: ", report.problems.size(),
                                     " problems"));
  return lines;
}

}  // namespace mnrecords::migrate

// Prove: the evidence that the target holds exactly the source. Inside one
// REPEATABLE READ snapshot of the target (and the source's own snapshot):
//
//   * every table, streamed from both sides in key order and compared row
//     by row and column by column (row counts included), the changes with
//     their seqs (the change feed's cursors); revisions by
//     (records.seq, revision_id) with each payload compared by SHA-256
//     (PostgreSQL hashes its copy itself), named as "revision R of NAME";
//   * the audit chain walked from event 1 on both sides: every seq, link
//     and hash recomputed (AuditChainCheck);
//   * the source's last audit event (its checkpoint: seq and hash) is on
//     the target with the same hash and is the target's last event, and
//     every checkpoint an auditor gives holds on both sides;
//   * the records.seq and changes.seq identities continue after the
//     largest seq, so the next record or change a server writes does not
//     collide (and a change feed consumer never misses one).
#ifndef MNRECORDS_TOOLS_MIGRATE_PROOF_H_
#define MNRECORDS_TOOLS_MIGRATE_PROOF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/postgres/pg_connection.h"
#include "tools/migrate/progress.h"
#include "tools/migrate/source_db.h"

namespace mnrecords::migrate {

// Checkpoint is a point of the audit chain an auditor holds: event `seq`
// has hash `hash`.
struct Checkpoint {
  int64_t seq = 0;
  std::string hash;
};

// ParseCheckpoint reads "SEQ:HASH" (seq >= 1, 64 lower-case hex chars).
// INVALID_ARGUMENT otherwise.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text);

struct TableProof {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  int64_t differences = 0;
};

struct ProofReport {
  std::vector<TableProof> tables;
  // Events that verify from event 1 on each side.
  int64_t source_chain_events = 0;
  int64_t target_chain_events = 0;
  Checkpoint source_head;             // the source's last event; seq 0 if none
  std::vector<std::string> passed;    // the other checks that held
  std::vector<std::string> problems;  // every failed check, in words
  bool ok() const { return problems.empty(); }
};

// Prove runs every check and reports what differs; an error only when a
// check could not run (the databases' errors).
absl::StatusOr<ProofReport> Prove(SourceDb& source,
                                  postgres::PgConnection& target,
                                  const std::vector<Checkpoint>& checkpoints,
                                  const ProgressSink& progress);

// FormatProof renders the report as lines for the console: one per table
// and check, then the problems, then the verdict.
std::vector<std::string> FormatProof(const ProofReport& report);

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_PROOF_H_

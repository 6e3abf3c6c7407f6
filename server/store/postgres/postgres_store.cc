#include "server/store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/postgres/pg_schema.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/write_observer.h"

namespace mnrecords {
namespace {

using postgres::PgConnection;

// Connect opens a store connection. Every statement of the store is
// written for an index (tests/storage/pg_explain_test.cc checks the plans
// on a database with statistics), so sequential scans are switched off:
// until autovacuum first analyzes a new database's tables the planner
// takes them for tiny and would cache sequential-scan plans for lookups of
// several keys.
absl::StatusOr<std::unique_ptr<PgConnection>> Connect(
    const std::string& conninfo) {
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> db,
                       PgConnection::Connect(conninfo));
  MNR_RETURN_IF_ERROR(db->Exec("SET enable_seqscan = off"));
  return db;
}

// ApplyWrite runs one write on the batch's open transaction and returns the
// write's own outcome. *batch_failure is set when the transaction can no
// longer commit (the connection was lost).
absl::Status ApplyWrite(PgConnection& db, WriteOp& write,
                        absl::Status* batch_failure) {
  postgres::PgWriteTxn txn(db);
  absl::Status status = write.Apply(txn);
  if (!db.Usable()) {
    *batch_failure = absl::UnavailableError(
        absl::StrCat("lost the PostgreSQL connection during a write",
                     status.ok() ? "" : ": ", status.message()));
    return *batch_failure;
  }
  if (status.ok() && db.InFailedTransaction()) {
    // A statement failed but the write went on: it must not commit.
    status = absl::InternalError(
        "a statement of the write failed inside its transaction");
  }
  return status;
}

// RunInSavepoint is ApplyWrite in the write's own savepoint: when the write
// fails it is undone alone.
absl::Status RunInSavepoint(PgConnection& db, WriteOp& write,
                            absl::Status* batch_failure) {
  absl::Status begin = db.Exec("SAVEPOINT mnr_write");
  if (!begin.ok()) {
    *batch_failure = begin;
    return begin;
  }
  absl::Status status = ApplyWrite(db, write, batch_failure);
  if (!batch_failure->ok()) return status;
  absl::Status end = status.ok() ? db.Exec("RELEASE SAVEPOINT mnr_write")
                                 : db.Exec("ROLLBACK TO SAVEPOINT mnr_write");
  if (!end.ok()) {
    *batch_failure = end;
    return status.ok() ? end : status;
  }
  return status;
}

// BeginWrite starts a write transaction and takes the write lock.
absl::Status BeginWrite(PgConnection& db) {
  if (db.InTransaction()) MNR_RETURN_IF_ERROR(db.Exec("ROLLBACK"));
  return db.Exec(absl::StrCat("BEGIN; SELECT pg_advisory_xact_lock(",
                              postgres::kWriteLockKey, ")"));
}

// CommitBatch runs `batch` in the write transaction `db` has begun
// (BeginWrite) and commits it; see SqliteStore's CommitBatch for the
// outcome rules.
absl::Status CommitBatch(PgConnection& db,
                         const std::vector<std::unique_ptr<WriteOp>>& batch,
                         std::vector<absl::Status>& outcomes) {
  absl::Status failure;
  const bool alone = batch.size() == 1;
  bool any_succeeded = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    outcomes[i] = alone ? ApplyWrite(db, *batch[i], &failure)
                        : RunInSavepoint(db, *batch[i], &failure);
    if (!failure.ok()) break;
    any_succeeded = any_succeeded || outcomes[i].ok();
  }
  if (failure.ok() && any_succeeded) {
    failure = db.Exec("COMMIT");
    if (failure.ok()) return failure;
    // No answer to COMMIT: it may or may not have been applied.
    failure = absl::UnavailableError(absl::StrCat(
        "the outcome of the commit is unknown; retry with the same "
        "request_id: ",
        failure.message()));
  }
  if (db.Usable() && db.InTransaction()) {
    absl::Status rollback = db.Exec("ROLLBACK");
    if (!rollback.ok() && failure.ok()) failure = rollback;
  }
  return failure;
}

}  // namespace

bool IsPostgresUri(absl::string_view db) {
  return absl::StartsWith(db, "postgresql://") ||
         absl::StartsWith(db, "postgres://");
}

absl::Status CheckNoPasswordInUri(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string reason = error != nullptr ? error : "cannot parse it";
    PQfreemem(error);
    absl::StripTrailingAsciiWhitespace(&reason);
    return absl::InvalidArgumentError(
        absl::StrCat("db: not a valid PostgreSQL connection URI: ", reason));
  }
  bool has_password = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "password" && o->val != nullptr &&
        *o->val != '\0') {
      has_password = true;
    }
  }
  PQconninfoFree(options);
  if (has_password) {
    return absl::InvalidArgumentError(
        "db: the PostgreSQL URI carries a password; give it through libpq's "
        "PGPASSFILE (~/.pgpass) or PGPASSWORD instead, never on the command "
        "line");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& conninfo, const PostgresStoreOptions& options) {
  if (options.reader_pool_size < 1 || options.max_write_batch < 1 ||
      options.max_queued_writes < 1) {
    return absl::InvalidArgumentError(
        "reader_pool_size, max_write_batch and max_queued_writes must be "
        ">= 1");
  }
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer, Connect(conninfo));
  MNR_RETURN_IF_ERROR(postgres::Migrate(*writer, {options.record_terms}));
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(conninfo, options, std::move(writer)));
}

PostgresStore::PostgresStore(std::string conninfo,
                             const PostgresStoreOptions& options,
                             std::unique_ptr<PgConnection> writer)
    : conninfo_(std::move(conninfo)),
      write_queue_(options.max_write_batch, options.max_queued_writes),
      observer_(options.observer),
      writer_(std::move(writer)),
      reader_pool_size_(options.reader_pool_size),
      writer_thread_([this] { WriterLoop(); }) {}

PostgresStore::~PostgresStore() { Close().IgnoreError(); }

absl::Status PostgresStore::Reconnect(std::unique_ptr<PgConnection>& slot) {
  if (slot != nullptr && slot->Usable()) return absl::OkStatus();
  slot.reset();
  MNR_ASSIGN_OR_RETURN(slot, Connect(conninfo_));
  return absl::OkStatus();
}

absl::Status PostgresStore::Begin(std::unique_ptr<PgConnection>& slot,
                                  bool read_only) {
  auto begin = [read_only](PgConnection& db) {
    return read_only
               ? db.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
               : BeginWrite(db);
  };
  absl::Status status = Reconnect(slot);
  if (status.ok()) status = begin(*slot);
  if (!status.ok() && slot != nullptr && !slot->Usable()) {
    // A connection that went stale while idle (the database restarted or
    // failed over) shows only when used. Nothing ran yet: one fresh try.
    status = Reconnect(slot);
    if (status.ok()) status = begin(*slot);
  }
  return status;
}

absl::Status PostgresStore::Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  std::unique_ptr<PgConnection> db;
  {
    absl::MutexLock lock(&readers_mu_);
    auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(readers_mu_) {
      return !idle_readers_.empty() || readers_out_ < reader_pool_size_;
    };
    readers_mu_.Await(absl::Condition(&available));
    if (!idle_readers_.empty()) {
      db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    ++readers_out_;
  }
  absl::Status status = Begin(db, /*read_only=*/true);
  if (status.ok()) {
    postgres::PgReadTxn txn(*db);
    status = fn(txn);
    absl::Status end = db->Exec(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = end;
  }
  absl::MutexLock lock(&readers_mu_);
  --readers_out_;
  if (db != nullptr && db->Usable() && !db->InTransaction()) {
    idle_readers_.push_back(std::move(db));
  }
  return status;
}

void PostgresStore::Submit(std::unique_ptr<WriteOp> op) {
  absl::Status refused = write_queue_.Push(op);
  if (!refused.ok()) op->Done(std::move(refused));
}

void PostgresStore::WriterLoop() {
  for (;;) {
    std::vector<std::unique_ptr<WriteOp>> batch = write_queue_.TakeBatch();
    if (batch.empty()) break;  // closed and drained
    const auto began = std::chrono::steady_clock::now();
    std::vector<absl::Status> outcomes = RunBatch(batch);
    ReportWriteBatch(observer_, began, outcomes, write_queue_.stats().waiting);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->Done(std::move(outcomes[i]));
    }
  }
}

std::vector<absl::Status> PostgresStore::RunBatch(
    const std::vector<std::unique_ptr<WriteOp>>& batch) {
  std::vector<absl::Status> outcomes(batch.size());
  absl::Status failure = Begin(writer_, /*read_only=*/false);
  if (failure.ok()) failure = CommitBatch(*writer_, batch, outcomes);
  if (failure.ok()) return outcomes;
  // Nothing of the batch was written (or, after a COMMIT without answer,
  // its outcome is unknown): every write that had not failed by itself
  // gets the batch's error.
  for (absl::Status& outcome : outcomes) {
    if (outcome.ok()) outcome = failure;
  }
  return outcomes;
}

absl::StatusOr<StoreBackup> PostgresStore::Backup(const std::string&) {
  return absl::FailedPreconditionError(
      "BackupDatabase copies a SQLite file; a PostgreSQL database is backed "
      "up with PostgreSQL's own tools: pg_basebackup with WAL archiving "
      "(point-in-time recovery), see docs/reliability.md");
}

absl::Status PostgresStore::Close() {
  write_queue_.Close();
  absl::MutexLock lock(&close_mu_);
  if (writer_thread_.joinable()) writer_thread_.join();
  writer_.reset();
  absl::MutexLock readers(&readers_mu_);
  idle_readers_.clear();
  return absl::OkStatus();
}

}  // namespace mnrecords

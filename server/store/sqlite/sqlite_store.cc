#include "server/store/sqlite/sqlite_store.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/sqlite/connection_setup.h"
#include "server/store/sqlite/schema.h"
#include "server/store/sqlite/sqlite_backup.h"
#include "server/store/sqlite/sqlite_txn.h"
#include "server/store/write_observer.h"

namespace mnrecords {
namespace {

using sqlite::Connection;
using sqlite::RunCached;

absl::Status WithContext(const absl::Status& status, absl::string_view what) {
  return absl::Status(status.code(), absl::StrCat(what, status.message()));
}

// EndStaleTransaction rolls back a transaction a failed call left open.
absl::Status EndStaleTransaction(Connection& db) {
  if (!db.InTransaction()) return absl::OkStatus();
  return RunCached(db, "ROLLBACK");
}

// ApplyWrite runs one write on the batch's open transaction and returns
// the write's own outcome. *batch_failure is set when the transaction can
// no longer commit (a storage failure, or the transaction ended early).
absl::Status ApplyWrite(Connection& db, WriteOp& write,
                        absl::Status* batch_failure) {
  sqlite::SqliteWriteTxn txn(db);
  absl::Status status = write.Apply(txn);
  if (!txn.broken().ok()) {
    *batch_failure = txn.broken();
    return status.ok() ? txn.broken() : status;
  }
  if (!db.InTransaction()) {
    *batch_failure = absl::InternalError(
        "the write transaction ended early; nothing was committed");
    return *batch_failure;
  }
  return status;
}

// RunInSavepoint is ApplyWrite in the write's own savepoint: when the write
// fails it is undone alone. *batch_failure is also set when undoing it
// failed.
absl::Status RunInSavepoint(Connection& db, WriteOp& write,
                            absl::Status* batch_failure) {
  absl::Status begin = RunCached(db, "SAVEPOINT mnr_write");
  if (!begin.ok()) {
    *batch_failure = begin;
    return begin;
  }
  absl::Status status = ApplyWrite(db, write, batch_failure);
  if (!batch_failure->ok()) return status;
  if (status.ok()) {
    absl::Status release = RunCached(db, "RELEASE mnr_write");
    if (!release.ok()) *batch_failure = release;
    return release;
  }
  absl::Status undo = RunCached(db, "ROLLBACK TO mnr_write");
  if (undo.ok()) undo = RunCached(db, "RELEASE mnr_write");
  if (!undo.ok()) *batch_failure = undo;
  return status;
}

// CommitBatch runs `batch` in one transaction and commits it. Sets each
// write's own outcome in `outcomes`; returns the failure that kept the
// batch from committing (then nothing of it was written), or OK. The one
// write of a batch of one runs without a savepoint: if it fails the whole
// transaction is rolled back, which undoes it alone (a savepoint makes
// SQLite copy every page the write changes into its sub-journal).
absl::Status CommitBatch(Connection& db,
                         const std::vector<std::unique_ptr<WriteOp>>& batch,
                         std::vector<absl::Status>& outcomes) {
  MNR_RETURN_IF_ERROR(EndStaleTransaction(db));
  MNR_RETURN_IF_ERROR(RunCached(db, "BEGIN IMMEDIATE"));
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
    failure = RunCached(db, "COMMIT");
    if (failure.ok()) return failure;
    failure = WithContext(failure, "commit failed, nothing was written: ");
  }
  absl::Status rollback = EndStaleTransaction(db);
  if (!rollback.ok()) {
    // The connection is still inside the failed transaction; the next
    // batch retries the rollback before it begins.
    return absl::InternalError(absl::StrCat(
        failure.message(), "; rollback also failed: ", rollback.message()));
  }
  return failure;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path, const SqliteStoreOptions& options) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SQLite store needs a database file path, got '", path, "'"));
  }
  if (options.reader_pool_size < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reader_pool_size must be >= 1, got ", options.reader_pool_size));
  }
  if (options.max_write_batch < 1 || options.max_queued_writes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_write_batch and max_queued_writes must be >= 1, got ",
        options.max_write_batch, " and ", options.max_queued_writes));
  }
  // The writer comes first: it creates the file, enables WAL and migrates,
  // so the readers see the current schema.
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                       sqlite::OpenWriter(path, options));
  MNR_RETURN_IF_ERROR(
      sqlite::Migrate(*writer, sqlite::Migrations(), {options.record_terms}));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_pool_size; ++i) {
    MNR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                         sqlite::OpenReader(path, options));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(path, options, std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(std::string path, const SqliteStoreOptions& options,
                         std::unique_ptr<Connection> writer,
                         std::vector<std::unique_ptr<Connection>> readers)
    : path_(std::move(path)),
      write_queue_(options.max_write_batch, options.max_queued_writes),
      observer_(options.observer),
      writer_(std::move(writer)),
      readers_(std::move(readers)),
      writer_thread_([this] { WriterLoop(); }),
      completer_thread_([this] { CompleterLoop(); }) {}

SqliteStore::~SqliteStore() { Close().IgnoreError(); }

absl::Status SqliteStore::Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  MNR_ASSIGN_OR_RETURN(sqlite::ConnectionPool::Lease db, readers_.Acquire());
  MNR_RETURN_IF_ERROR(EndStaleTransaction(*db));
  MNR_RETURN_IF_ERROR(RunCached(*db, "BEGIN DEFERRED"));
  sqlite::SqliteReadTxn txn(*db);
  absl::Status status = fn(txn);
  // A read transaction has nothing to commit; ending it releases the
  // snapshot either way.
  absl::Status end = RunCached(*db, status.ok() ? "COMMIT" : "ROLLBACK");
  if (status.ok()) status = end;
  absl::Status cleanup = EndStaleTransaction(*db);
  if (status.ok()) status = cleanup;
  return status;
}

void SqliteStore::Submit(std::unique_ptr<WriteOp> op) {
  absl::Status refused = write_queue_.Push(op);
  if (!refused.ok()) op->Done(std::move(refused));
}

void SqliteStore::WriterLoop() {
  for (;;) {
    std::vector<std::unique_ptr<WriteOp>> batch = write_queue_.TakeBatch();
    if (batch.empty()) break;  // closed and drained
    const auto began = std::chrono::steady_clock::now();
    std::vector<absl::Status> outcomes = RunBatch(batch);
    ReportWriteBatch(observer_, began, outcomes, write_queue_.stats().waiting);
    if (write_queue_.stats().waiting == 0) {
      // Nothing to overlap with: answer here and spare the hand-off.
      for (size_t i = 0; i < batch.size(); ++i) {
        batch[i]->Done(std::move(outcomes[i]));
      }
      continue;
    }
    finished_.Push({std::move(batch), std::move(outcomes)});
  }
  finished_.Close();
}

void SqliteStore::CompleterLoop() {
  while (std::optional<FinishedBatches::Batch> batch = finished_.Take()) {
    for (size_t i = 0; i < batch->writes.size(); ++i) {
      batch->writes[i]->Done(std::move(batch->outcomes[i]));
    }
  }
}

absl::StatusOr<StoreBackup> SqliteStore::Backup(const std::string& out_path) {
  return sqlite::CopySqliteDatabase(path_, out_path);
}

std::vector<absl::Status> SqliteStore::RunBatch(
    const std::vector<std::unique_ptr<WriteOp>>& batch) {
  std::vector<absl::Status> outcomes(batch.size());
  absl::MutexLock lock(&writer_mu_);
  absl::Status failure =
      writer_ == nullptr ? absl::FailedPreconditionError("the store is closed")
                         : CommitBatch(*writer_, batch, outcomes);
  if (failure.ok()) return outcomes;
  // Nothing of the batch was written: every write that had not failed by
  // itself fails with the batch's error.
  for (absl::Status& outcome : outcomes) {
    if (outcome.ok()) outcome = failure;
  }
  return outcomes;
}

absl::Status SqliteStore::Close() {
  write_queue_.Close();
  {
    // One closer joins the writer; it ends once the queue is drained.
    absl::MutexLock lock(&close_mu_);
    if (writer_thread_.joinable()) writer_thread_.join();
    if (completer_thread_.joinable()) completer_thread_.join();
  }
  absl::Status result = readers_.Close();
  absl::MutexLock lock(&writer_mu_);
  if (writer_ == nullptr) return result;
  result.Update(EndStaleTransaction(*writer_));
  int wal_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr,
                                           SQLITE_CHECKPOINT_TRUNCATE,
                                           &wal_frames, &checkpointed);
  // SQLITE_BUSY: another process still reads an old snapshot. The data is
  // safe in the WAL and the next open checkpoints it.
  if ((rc & 0xff) != SQLITE_BUSY) {
    result.Update(sqlite::SqliteStatus(rc, writer_->handle(),
                                       "checkpointing the WAL on close"));
  }
  result.Update(writer_->Close());
  writer_.reset();
  return result;
}

}  // namespace mnrecords

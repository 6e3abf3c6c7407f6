// SqliteStore: the embedded Store backend (server/store/store.h), one SQLite
// file.
//
// Layout: one writer connection that runs migrations at Open and every
// Write(); and a pool of read-only connections, each Read() one deferred
// transaction (one snapshot). The database is in WAL mode; every connection has
// foreign_keys=ON, busy_timeout and synchronous (FULL by default) set.
// Readers never checkpoint: Debian's SQLite 3.40.1 carries a WAL-reset
// corruption bug (fixed upstream in 3.44.6) that needs two connections
// writing or checkpointing at the same moment, so only the writer writes
// and checkpoints, and no other process may write to the live file. The
// schema is in schema.cc.
//
// Beyond the Store contract: AppendRevision refuses to change a record's
// kind or clinic (INVALID_ARGUMENT), PutRequest needs the revision it names
// to exist (NOT_FOUND), and malformed input (empty name/clinic/key, unknown
// kind, limit < 1) is INVALID_ARGUMENT.
//
// Group commit: one writer thread takes the writes submitted to the store
// (Submit; write_queue.h) in order, up to max_write_batch at a time, and
// runs each batch in ONE BEGIN IMMEDIATE ... COMMIT transaction, each write
// inside its own SAVEPOINT, so one durable sync carries the whole batch.
// While it commits, new writes queue for the next batch. A write whose
// Apply fails is rolled back to its savepoint alone and gets its own error;
// the others commit. No write is told OK (WriteOp::Done) before the COMMIT
// of its batch succeeded. If the batch cannot commit (COMMIT fails, or a
// write hits a storage failure that breaks the transaction: I/O error, full
// disk, ...), the whole transaction is rolled back and every write of the
// batch that had not failed by itself gets that storage error: nothing of
// theirs was written. Apply runs exactly once. Later writes of a batch see
// the writes of earlier ones (they are one serial order). Each write's Done
// runs after its batch ended, the writes of a batch in order: on a second
// thread (the completer) that the writer hands the batch to when more
// writes are waiting, so that answering the calls of one batch overlaps
// running the next; on the writer itself when none are (no hand-off at low
// load). Done calls of different batches may therefore run at once.
//
// Thread safety: all methods may be called from any thread. Read() calls
// run in parallel up to the pool size (more wait for a free reader); writes
// are serialized as above; more than max_queued_writes waiting writes are
// refused with UNAVAILABLE. A WriteOp must not call Write or Close (each
// would deadlock), and a Read fn must not wait for another Read.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SQLITE_STORE_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/sqlite/connection_pool.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/sqlite/sqlite_options.h"
#include "server/store/store.h"
#include "server/store/write_queue.h"

namespace mnrecords {

// SqliteStore is a Store on one SQLite database file.
class SqliteStore final : public Store {
 public:
  // Open opens (creating if needed) the database at `path`, migrates its
  // schema to the latest version and opens the reader pool.
  // INVALID_ARGUMENT for an empty or in-memory path or bad options;
  // FAILED_PRECONDITION for a database of a newer schema version or another
  // application; DATA_LOSS for a file that is not a database; the mapped
  // SQLite error otherwise.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const SqliteStoreOptions& options = {});

  // The destructor calls Close() and ignores its result.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override;
  void Submit(std::unique_ptr<WriteOp> op) override;

  // Backup copies the database with VACUUM INTO on a fresh read-only
  // connection (sqlite_backup.h): one read snapshot, no checkpoint, writes
  // go on. The copy is a plain (rollback journal) database; opening it with
  // SqliteStore switches it to WAL.
  absl::StatusOr<StoreBackup> Backup(const std::string& out_path) override;

  // Close refuses new writes, lets the writer finish the ones queued,
  // closes the readers, checkpoints the WAL into the database file and
  // closes the writer connection. Later Read/Submit calls fail with
  // FAILED_PRECONDITION. Idempotent; returns the first error.
  absl::Status Close() override;

  // write_stats counts group-commit batches and the writes they carried.
  WriteQueueStats write_stats() const { return write_queue_.stats(); }

  // The database file this store was opened on.
  const std::string& path() const { return path_; }

 private:
  SqliteStore(std::string path, const SqliteStoreOptions& options,
              std::unique_ptr<sqlite::Connection> writer,
              std::vector<std::unique_ptr<sqlite::Connection>> readers);

  // WriterLoop is the writer thread: it runs batches until the queue is
  // closed and drained, and passes each finished one on.
  void WriterLoop();
  // CompleterLoop tells the writes of each finished batch their outcomes.
  void CompleterLoop();
  // RunBatch runs one group-commit batch on the writer connection and
  // returns the outcome of every write in it.
  std::vector<absl::Status> RunBatch(
      const std::vector<std::unique_ptr<WriteOp>>& batch);

  const std::string path_;
  WriteQueue write_queue_;
  WriteBatchObserver* const observer_;
  absl::Mutex writer_mu_;
  std::unique_ptr<sqlite::Connection> writer_ ABSL_GUARDED_BY(writer_mu_);
  sqlite::ConnectionPool readers_;
  FinishedBatches finished_;
  absl::Mutex close_mu_;
  std::thread writer_thread_ ABSL_GUARDED_BY(close_mu_);
  std::thread completer_thread_ ABSL_GUARDED_BY(close_mu_);
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SQLITE_STORE_H_

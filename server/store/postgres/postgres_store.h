// PostgresStore: the Store (server/store/store.h) on a PostgreSQL database,
// so that several mnrecords_server processes can serve one database.
//
// Connections: one writer connection and a pool of reader connections, each
// opened with the libpq connection string given (a URI such as
// postgresql://host/db?sslmode=verify-full, multi-host with
// target_session_attrs=read-write to follow a failover; passwords come from
// libpq's PGPASSFILE / PGPASSWORD, never from the command line). A lost
// connection is replaced at its next use; while the database is
// unreachable calls fail with UNAVAILABLE and the store recovers by itself
// once it is back.
//
// Reads: each Read() is one REPEATABLE READ, READ ONLY transaction (one
// snapshot).
//
// Writes: as in the SQLite store, one writer thread per process takes the
// submitted writes in order (write_queue.h), up to max_write_batch at a
// time, into ONE transaction, each write in its own SAVEPOINT (a batch of
// one without), and tells each write its outcome after the COMMIT
// (synchronous_commit is on for every session: an OK is durable on the
// primary, and on the standbys the server's synchronous_standby_names
// requires). Every write transaction first takes one transaction-level
// advisory lock (kWriteLockKey in pg_schema.h), so the write transactions
// of all servers on the database run one at a time: the audit log stays
// one hash chain with exactly one next event, a record's revision n+1 is
// written once, and the checks a write re-runs in its transaction see
// every earlier commit. A COMMIT that gets no answer (the connection or the
// server went away) fails every write of the batch with UNAVAILABLE: the
// outcome is unknown, and a retry with the same request_id returns the
// first result if it was committed.
//
// Beyond the Store contract, the same refusals as the SQLite store. Backup
// answers FAILED_PRECONDITION: PostgreSQL's own tools back it up
// (docs/reliability.md).
//
// Thread safety: all methods may be called from any thread.
#ifndef MNRECORDS_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_
#define MNRECORDS_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/store.h"
#include "server/store/write_observer.h"
#include "server/store/write_queue.h"

namespace mnrecords {

struct PostgresStoreOptions {
  int reader_pool_size = 4;      // >= 1 reader connections
  int max_write_batch = 128;     // writes per transaction, >= 1
  int max_queued_writes = 1024;  // waiting writes before UNAVAILABLE
  // Told about every batch the writer runs; nullptr = nobody. Must outlive
  // the store.
  WriteBatchObserver* observer = nullptr;
  // Derives stored revisions' search terms when the schema migration that
  // introduces them finds records (store.h RecordTermsFn); the server sets
  // it. Without it such a database is refused (FAILED_PRECONDITION).
  RecordTermsFn record_terms;
};

// IsPostgresUri is true for a --db value that names a PostgreSQL database
// (postgresql:// or postgres://) rather than a SQLite file.
bool IsPostgresUri(absl::string_view db);

// CheckNoPasswordInUri refuses (INVALID_ARGUMENT) a connection string that
// carries a password, which would show in the process list and logs:
// libpq's PGPASSFILE or PGPASSWORD give it instead.
absl::Status CheckNoPasswordInUri(const std::string& conninfo);

class PostgresStore final : public Store {
 public:
  // Open connects, applies the schema migrations (pg_schema.h) and starts
  // the writer. UNAVAILABLE if the database cannot be reached,
  // FAILED_PRECONDITION if it is not (or a newer) mnrecords database.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& conninfo,
      const PostgresStoreOptions& options = PostgresStoreOptions());
  ~PostgresStore() override;

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override;
  void Submit(std::unique_ptr<WriteOp> op) override;
  absl::StatusOr<StoreBackup> Backup(const std::string& out_path) override;

  absl::Status Close() override;

 private:
  PostgresStore(std::string conninfo, const PostgresStoreOptions& options,
                std::unique_ptr<postgres::PgConnection> writer);
  // Reconnect makes `slot` a usable connection, reconnecting if it was
  // lost.
  absl::Status Reconnect(std::unique_ptr<postgres::PgConnection>& slot);
  // Begin starts a read (REPEATABLE READ, READ ONLY) or a write
  // transaction (BeginWrite: with the write lock) on `slot`, replacing a
  // connection found stale.
  absl::Status Begin(std::unique_ptr<postgres::PgConnection>& slot,
                     bool read_only);
  void WriterLoop();
  std::vector<absl::Status> RunBatch(
      const std::vector<std::unique_ptr<WriteOp>>& batch);

  const std::string conninfo_;
  WriteQueue write_queue_;
  WriteBatchObserver* const observer_;
  std::unique_ptr<postgres::PgConnection> writer_;  // writer thread only

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<postgres::PgConnection>> idle_readers_
      ABSL_GUARDED_BY(readers_mu_);
  int readers_out_ ABSL_GUARDED_BY(readers_mu_) = 0;
  const int reader_pool_size_;

  absl::Mutex close_mu_;
  std::thread writer_thread_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_POSTGRES_POSTGRES_STORE_H_

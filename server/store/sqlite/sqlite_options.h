// Options of the SQLite store (see sqlite_store.h).
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SQLITE_OPTIONS_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SQLITE_OPTIONS_H_

#include <string>

#include "absl/time/time.h"
#include "server/store/store.h"
#include "server/store/write_observer.h"

namespace mnrecords {

// SqliteSynchronous is PRAGMA synchronous for every connection. In WAL mode
// kFull keeps every committed transaction through a power loss; kNormal may
// lose the last ones (but never corrupts). OFF is not offered.
enum class SqliteSynchronous { kNormal, kFull, kExtra };

// SqliteStoreOptions tune SqliteStore::Open.
struct SqliteStoreOptions {
  // Number of read-only connections; concurrent Read() calls beyond this
  // wait for a free one. >= 1.
  int reader_pool_size = 4;
  // How long a connection waits for a lock held by another process before
  // the call fails with UNAVAILABLE. >= 0.
  absl::Duration busy_timeout = absl::Seconds(5);
  SqliteSynchronous synchronous = SqliteSynchronous::kFull;
  // Page cache of each reader, in KiB (PRAGMA cache_size = -N), and of the
  // writer: the store's page caches use at most reader_pool_size *
  // cache_size_kib + writer_cache_size_kib, whatever the database size.
  // The writer's is the larger: every write walks the b-trees of the
  // tables and indexes it inserts into, and a page it finds in its own
  // cache costs no system call (SQLite's default is 2048 each). A bulk
  // loader (tools/seed) raises it so a large write transaction does not
  // spill dirty pages to the WAL before its commit. Both >= 64.
  int64_t cache_size_kib = 8192;
  int64_t writer_cache_size_kib = 65536;
  // The writer checkpoints the WAL into the database file once it holds
  // this many pages (PRAGMA wal_autocheckpoint; SQLite's default is 1000).
  // The pages that every batch rewrites (the tails of the tables and
  // indexes) are then copied once per checkpoint rather than once per few
  // batches; the WAL grows to about this many 4 KiB pages. >= 1.
  int wal_autocheckpoint_pages = 8192;
  // Tests only: the name of a registered SQLite VFS every connection opens
  // through (the fault-injecting VFS of tests/support/fault_vfs.h); "" = the
  // default VFS. Not a flag, not in the config file.
  std::string vfs_name_test_only;
  // Group commit: at most this many queued Write() calls share one
  // transaction and one durable commit. >= 1 (1 = a commit per call).
  int max_write_batch = 128;
  // At most this many Write() calls wait for the writer (beyond the batch
  // being committed); more fail at once with UNAVAILABLE. >= 1.
  int max_queued_writes = 1024;
  // Told about every batch the writer runs; nullptr = nobody. Must outlive
  // the store.
  WriteBatchObserver* observer = nullptr;
  // Derives stored revisions' search terms when the schema migration that
  // introduces them finds records (store.h RecordTermsFn); the server sets
  // it. Without it such a database is refused (FAILED_PRECONDITION).
  RecordTermsFn record_terms;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SQLITE_OPTIONS_H_

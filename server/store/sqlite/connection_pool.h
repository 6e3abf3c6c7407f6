// ConnectionPool hands out a fixed set of connections (the SQLite store's
// read-only connections), one caller at a time each.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_POOL_H_
#define MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_POOL_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/sqlite/sqlite_db.h"

namespace mnrecords {
namespace sqlite {

// ConnectionPool owns its connections. Thread-safe.
class ConnectionPool {
 public:
  // Lease is exclusive use of one connection until it is destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), connection_(other.connection_) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, Connection* connection)
        : pool_(pool), connection_(connection) {}

    ConnectionPool* pool_;
    Connection* connection_;
  };

  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // The destructor closes the pool; no lease may be outstanding.
  ~ConnectionPool();

  // Acquire waits until a connection is free and leases it.
  // FAILED_PRECONDITION once the pool is closed.
  absl::StatusOr<Lease> Acquire();

  // Close refuses new leases, waits until every lease is returned, then
  // closes all connections and returns the first error. Idempotent.
  absl::Status Close();

 private:
  void Release(Connection* connection);
  bool CanAcquire() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool AllReturned() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Connection>> all_ ABSL_GUARDED_BY(mu_);
  std::vector<Connection*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_POOL_H_

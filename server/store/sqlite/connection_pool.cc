#include "server/store/sqlite/connection_pool.h"

#include <utility>

namespace mnrecords {
namespace sqlite {

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(connection_);
}

ConnectionPool::ConnectionPool(
    std::vector<std::unique_ptr<Connection>> connections) {
  absl::MutexLock lock(&mu_);
  all_ = std::move(connections);
  for (const auto& connection : all_) free_.push_back(connection.get());
}

ConnectionPool::~ConnectionPool() { Close().IgnoreError(); }

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &ConnectionPool::CanAcquire));
  if (closed_) {
    return absl::FailedPreconditionError("the store is closed");
  }
  Connection* connection = free_.back();
  free_.pop_back();
  return Lease(this, connection);
}

bool ConnectionPool::CanAcquire() const { return closed_ || !free_.empty(); }

bool ConnectionPool::AllReturned() const { return free_.size() == all_.size(); }

void ConnectionPool::Release(Connection* connection) {
  absl::MutexLock lock(&mu_);
  free_.push_back(connection);
}

absl::Status ConnectionPool::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  mu_.Await(absl::Condition(this, &ConnectionPool::AllReturned));
  absl::Status result;
  for (const auto& connection : all_) result.Update(connection->Close());
  return result;
}

}  // namespace sqlite
}  // namespace mnrecords

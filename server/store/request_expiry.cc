#include "server/store/request_expiry.h"

#include "common/status_macros.h"

namespace mnrecords {

RequestExpiry::RequestExpiry(Store& store, const Clock& clock,
                             RequestExpiryOptions options)
    : store_(store), clock_(clock), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

RequestExpiry::~RequestExpiry() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

bool RequestExpiry::stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void RequestExpiry::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.interval)) {
        return;
      }
    }
    ExpireAll();
  }
}

void RequestExpiry::ExpireAll() {
  while (!stopping()) {
    const absl::Time cutoff = clock_.Now() - options_.retention;
    int64_t expired = 0;
    const absl::Status written =
        store_.Write([&](WriteTxn& txn) -> absl::Status {
          MNR_ASSIGN_OR_RETURN(expired,
                               txn.ExpireRequests(cutoff, options_.batch_size));
          return absl::OkStatus();
        });
    if (!written.ok()) return;  // the next interval tries again
    if (expired < options_.batch_size) return;
  }
}

}  // namespace mnrecords

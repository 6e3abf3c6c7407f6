// CommitSignal: a Store decorator that tells a listener each time a write
// through it has durably committed (the change feed wakes its watches with
// it, instead of polling the database). Everything else goes to the inner
// store unchanged.
//
// Thread safe. `on_commit` runs on the store's writer thread, after the
// write's transaction is durable and before the write's own Done: it must
// not block.
#ifndef MNRECORDS_SERVER_STORE_COMMIT_SIGNAL_H_
#define MNRECORDS_SERVER_STORE_COMMIT_SIGNAL_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords {

class CommitSignal final : public Store {
 public:
  // `inner` must outlive this.
  CommitSignal(Store& inner, std::function<void()> on_commit)
      : inner_(inner), on_commit_(std::move(on_commit)) {}

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override {
    return inner_.Read(fn);
  }
  void Submit(std::unique_ptr<WriteOp> op) override;
  absl::StatusOr<StoreBackup> Backup(const std::string& out_path) override {
    return inner_.Backup(out_path);
  }

 private:
  Store& inner_;
  const std::function<void()> on_commit_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_COMMIT_SIGNAL_H_

#include "server/store/commit_signal.h"

#include <utility>

namespace mnrecords {
namespace {

// Signalled tells the listener once `op` committed, then `op` itself.
class Signalled final : public WriteOp {
 public:
  Signalled(std::unique_ptr<WriteOp> op, const std::function<void()>& on_commit)
      : op_(std::move(op)), on_commit_(on_commit) {}

  absl::Status Apply(WriteTxn& txn) override { return op_->Apply(txn); }
  void Done(absl::Status status) override {
    if (status.ok()) on_commit_();
    op_->Done(std::move(status));
  }

 private:
  std::unique_ptr<WriteOp> op_;
  const std::function<void()>& on_commit_;
};

}  // namespace

void CommitSignal::Submit(std::unique_ptr<WriteOp> op) {
  inner_.Submit(std::make_unique<Signalled>(std::move(op), on_commit_));
}

}  // namespace mnrecords

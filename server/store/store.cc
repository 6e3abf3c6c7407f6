#include "server/store/store.h"

#include "absl/synchronization/notification.h"

namespace mnrecords {
namespace {

// BlockingWrite runs a function as a WriteOp and lets its caller wait for
// the outcome. It lives on the waiting caller's stack: the store releases
// it (Done) before the caller returns.
class BlockingWrite final : public WriteOp {
 public:
  explicit BlockingWrite(absl::FunctionRef<absl::Status(WriteTxn&)> fn)
      : fn_(fn) {}

  absl::Status Apply(WriteTxn& txn) override { return fn_(txn); }
  void Done(absl::Status status) override {
    status_ = std::move(status);
    done_.Notify();
  }
  absl::Status Wait() {
    done_.WaitForNotification();
    return status_;
  }

 private:
  absl::FunctionRef<absl::Status(WriteTxn&)> fn_;
  absl::Status status_;
  absl::Notification done_;
};

// Borrowed hands the store a WriteOp it does not own.
class Borrowed final : public WriteOp {
 public:
  explicit Borrowed(WriteOp& op) : op_(op) {}
  absl::Status Apply(WriteTxn& txn) override { return op_.Apply(txn); }
  void Done(absl::Status status) override { op_.Done(std::move(status)); }

 private:
  WriteOp& op_;
};

}  // namespace

absl::Status Store::Write(absl::FunctionRef<absl::Status(WriteTxn&)> fn) {
  BlockingWrite write(fn);
  Submit(std::make_unique<Borrowed>(write));
  return write.Wait();
}

}  // namespace mnrecords

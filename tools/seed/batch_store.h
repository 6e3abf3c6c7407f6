// BatchStore lets the seeder run many service calls inside ONE write
// transaction of the real store: while bound to a WriteTxn, every write a
// service submits is applied directly on that transaction (and told its
// outcome at once), and every Read(fn) runs `fn` on it. The services
// therefore do exactly what they do in the server (validation, plugins,
// idempotency, the audit event in the call's transaction), but many calls
// share one COMMIT.
//
// Unlike a real Store, a failed write is not undone: the bound transaction
// then holds a partial call, so the caller must fail the whole outer
// transaction (the seeder does: any error aborts the batch). failed()
// reports whether that happened.
//
// Thread safety: none; one seeding thread.
#ifndef MNRECORDS_TOOLS_SEED_BATCH_STORE_H_
#define MNRECORDS_TOOLS_SEED_BATCH_STORE_H_

#include "absl/status/status.h"
#include "server/store/store.h"

namespace mnrecords::seed {

class BatchStore final : public Store {
 public:
  // Bind makes `txn` the transaction calls run on (nullptr unbinds).
  void Bind(WriteTxn* txn) {
    txn_ = txn;
    failed_ = absl::OkStatus();
  }
  // failed is the first error of a Write since Bind.
  const absl::Status& failed() const { return failed_; }

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override {
    if (txn_ == nullptr) return Unbound();
    return fn(*txn_);
  }
  void Submit(std::unique_ptr<WriteOp> op) override {
    absl::Status status = txn_ == nullptr ? Unbound() : op->Apply(*txn_);
    if (!status.ok() && failed_.ok()) failed_ = status;
    op->Done(std::move(status));
  }

 private:
  static absl::Status Unbound() {
    return absl::FailedPreconditionError(
        "BatchStore used outside a bound write transaction");
  }
  WriteTxn* txn_ = nullptr;
  absl::Status failed_;
};

}  // namespace mnrecords::seed

#endif  // MNRECORDS_TOOLS_SEED_BATCH_STORE_H_

#include "server/store/write_guard.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mnrecords {

absl::StatusOr<uint64_t> FreeDiskBytes(const std::string& path) {
  const std::string::size_type slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  struct statvfs fs;
  if (statvfs(dir.c_str(), &fs) != 0) {
    return absl::InternalError(
        absl::StrCat("statvfs(", dir, "): ", std::strerror(errno)));
  }
  return static_cast<uint64_t>(fs.f_bavail) *
         static_cast<uint64_t>(fs.f_frsize);
}

WriteGuard::WriteGuard(Store& inner, uint64_t min_free_bytes,
                       FreeBytesFn free_bytes,
                       std::function<void(bool writable)> on_writable)
    : inner_(inner),
      min_free_bytes_(min_free_bytes),
      free_bytes_(std::move(free_bytes)),
      on_writable_(std::move(on_writable)) {}

absl::Status WriteGuard::Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  return inner_.Read(fn);
}

namespace {

// Reporting passes a write on and tells the guard how it ended.
class Reporting final : public WriteOp {
 public:
  Reporting(std::unique_ptr<WriteOp> op, std::function<void(bool)> report)
      : op_(std::move(op)), report_(std::move(report)) {}
  absl::Status Apply(WriteTxn& txn) override { return op_->Apply(txn); }
  void Done(absl::Status status) override {
    if (status.ok()) {
      report_(true);
    } else if (absl::IsResourceExhausted(status)) {
      report_(false);
    }
    op_->Done(std::move(status));
  }

 private:
  std::unique_ptr<WriteOp> op_;
  std::function<void(bool)> report_;
};

}  // namespace

void WriteGuard::Submit(std::unique_ptr<WriteOp> op) {
  if (min_free_bytes_ > 0) {
    const absl::StatusOr<uint64_t> free = free_bytes_();
    if (free.ok() && *free < min_free_bytes_) {
      Report(false);
      op->Done(absl::ResourceExhaustedError(absl::StrCat(
          "the disk holding the database is full: ", *free,
          " bytes free, below the reserve of ", min_free_bytes_,
          " bytes kept for the audit log (--min_free_disk_mb); nothing was "
          "stored. Writes resume by themselves once space is freed")));
      return;
    }
  }
  inner_.Submit(std::make_unique<Reporting>(
      std::move(op), [this](bool writable) { Report(writable); }));
}

void WriteGuard::Report(bool writable) {
  absl::MutexLock lock(&mu_);
  if (writable_ == writable) return;
  writable_ = writable;
  if (on_writable_) on_writable_(writable);
}

}  // namespace mnrecords

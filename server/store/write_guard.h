// WriteGuard: the Store the services write records through. It keeps a
// reserve of free disk space for the audit log and tells the health service
// whether records can be written (docs/reliability.md "Disk full").
//
// Before each write it asks how many bytes are free on the disk holding the
// database; below `min_free_bytes` it refuses the write with
// RESOURCE_EXHAUSTED without touching the store. The audit events of reads
// and of refused calls are appended to the inner store directly
// (server/audit/audited_call.h), so they can use the reserve: reads keep
// working, and keep being audited, while record writes are refused. After
// every write it reports to
// `on_writable`: false after RESOURCE_EXHAUSTED (refused here, or the store
// found the disk full: SQLITE_FULL), true after a success; only changes are
// reported. Nothing is refused for good: the first write after space is
// freed goes through and reports true.
//
// Thread safe.
#ifndef MNRECORDS_SERVER_STORE_WRITE_GUARD_H_
#define MNRECORDS_SERVER_STORE_WRITE_GUARD_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/store/store.h"

namespace mnrecords {

// FreeDiskBytes returns the bytes an unprivileged process may still write on
// the file system holding `path`'s directory (statvfs f_bavail * f_frsize).
// INTERNAL naming the path if statvfs fails.
absl::StatusOr<uint64_t> FreeDiskBytes(const std::string& path);

class WriteGuard final : public Store {
 public:
  using FreeBytesFn = std::function<absl::StatusOr<uint64_t>()>;

  // `inner` must outlive the guard. min_free_bytes == 0 turns the reserve
  // check off. A free_bytes error is not a reason to refuse a write (the
  // store then reports a full disk itself).
  WriteGuard(Store& inner, uint64_t min_free_bytes, FreeBytesFn free_bytes,
             std::function<void(bool writable)> on_writable);

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override;
  void Submit(std::unique_ptr<WriteOp> op) override;
  // Backup is the inner store's (a copy is not a record write).
  absl::StatusOr<StoreBackup> Backup(const std::string& out_path) override {
    return inner_.Backup(out_path);
  }

 private:
  void Report(bool writable);

  Store& inner_;
  const uint64_t min_free_bytes_;
  const FreeBytesFn free_bytes_;
  const std::function<void(bool)> on_writable_;
  absl::Mutex mu_;  // orders the reports
  bool writable_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_WRITE_GUARD_H_

// AdminService implements the Admin API (admin_service.proto) as a plain
// C++ class: online backups of the database into the configured backup
// directory, and reloads of the server's configuration (done by the
// composition root, which knows the file). Callers are admitted (admins
// only) and audited by the gRPC layer like every other call.
//
// Thread safety: all methods may be called concurrently; concurrent backups
// each take their own snapshot.
#ifndef MNRECORDS_SERVER_SERVICE_ADMIN_SERVICE_H_
#define MNRECORDS_SERVER_SERVICE_ADMIN_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/admin_service.pb.h"
#include "common/clock.h"
#include "server/audit/audited_call.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// CheckBackupDir returns OK for "" (backups off) or an absolute path of an
// existing directory, else INVALID_ARGUMENT naming backup_dir.
absl::Status CheckBackupDir(const std::string& backup_dir);

// ReloadConfigFn re-reads and applies the server's configuration: the
// response, or why the file was refused (the running one then stays).
using ReloadConfigFn =
    std::function<absl::StatusOr<v1::ReloadConfigResponse>()>;

class AdminService {
 public:
  // `store` is the store to back up; `backup_dir` ("" = backups refused)
  // must pass CheckBackupDir; `reload` applies the config file (nullptr =
  // the server has none); `store` and `clock` must outlive this.
  AdminService(Store& store, std::string backup_dir, const Clock& clock,
               ReloadConfigFn reload = nullptr)
      : store_(store),
        backup_dir_(std::move(backup_dir)),
        clock_(clock),
        reload_(std::move(reload)) {}

  // BackupDatabase copies the database to backup_dir/file_name (see the
  // proto): INVALID_ARGUMENT naming file_name if it is not a plain file
  // name; ALREADY_EXISTS if the file exists; FAILED_PRECONDITION without a
  // backup_dir; UNIMPLEMENTED for a backend without file backups; storage
  // errors as the store maps them.
  absl::StatusOr<v1::BackupDatabaseResponse> BackupDatabase(
      AuditedCall& call, const v1::BackupDatabaseRequest& r);

  // ReloadConfig applies the config file again (see the proto);
  // FAILED_PRECONDITION when the server has no file or refused it. The
  // call's audit event names the applied file by its SHA-256.
  absl::StatusOr<v1::ReloadConfigResponse> ReloadConfig(
      AuditedCall& call, const v1::ReloadConfigRequest& r);

 private:
  Store& store_;
  const std::string backup_dir_;
  const Clock& clock_;
  const ReloadConfigFn reload_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_ADMIN_SERVICE_H_

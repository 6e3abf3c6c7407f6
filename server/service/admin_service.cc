#include "server/service/admin_service.h"

#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

absl::Status CheckFileName(const std::string& name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "file_name: required (a new file name inside the server's backup "
        "directory)");
  }
  if (name.size() > kMaxFileNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("file_name: at most ", kMaxFileNameLength,
                     " characters, got ", name.size()));
  }
  if (name[0] == '.') {
    return absl::InvalidArgumentError(
        absl::StrCat("file_name: must not start with '.', got \"", name, "\""));
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          "file_name: only letters, digits, '.', '_' and '-' (a file name "
          "inside the backup directory, not a path), got \"",
          name, "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckBackupDir(const std::string& backup_dir) {
  if (backup_dir.empty()) return absl::OkStatus();
  struct stat st;
  if (backup_dir[0] != '/' || stat(backup_dir.c_str(), &st) != 0 ||
      !S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("backup_dir: must be the absolute path of an existing "
                     "directory, got \"",
                     backup_dir, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::BackupDatabaseResponse> AdminService::BackupDatabase(
    AuditedCall& /*call*/, const v1::BackupDatabaseRequest& r) {
  if (absl::Status name = CheckFileName(r.file_name()); !name.ok()) {
    return name;
  }
  if (backup_dir_.empty()) {
    return absl::FailedPreconditionError(
        "backups are not configured: set backup_dir in the server config");
  }
  const std::string path = absl::StrCat(backup_dir_, "/", r.file_name());
  const absl::Time taken = clock_.Now();
  absl::StatusOr<StoreBackup> copy = store_.Backup(path);
  if (copy.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat("file_name: \"", r.file_name(),
                     "\" already exists in the backup directory; a backup "
                     "never overwrites a file"));
  }
  if (!copy.ok()) return copy.status();
  v1::BackupDatabaseResponse response;
  response.set_path(path);
  response.set_size_bytes(copy->size_bytes);
  response.mutable_checkpoint()->set_sequence(copy->last_audit_seq);
  response.mutable_checkpoint()->set_hash(copy->last_audit_hash);
  if (copy->last_audit_seq > 0) {
    *response.mutable_checkpoint()->mutable_event_time() =
        ToProtoTime(copy->last_audit_time);
  }
  *response.mutable_create_time() = ToProtoTime(taken);
  return response;
}

absl::StatusOr<v1::ReloadConfigResponse> AdminService::ReloadConfig(
    AuditedCall& call, const v1::ReloadConfigRequest& /*r*/) {
  if (!reload_) {
    return absl::FailedPreconditionError(
        "this server was started without a configuration file to reload");
  }
  absl::StatusOr<v1::ReloadConfigResponse> reloaded = reload_();
  if (reloaded.ok()) {
    call.set_resource(
        absl::StrCat("config:sha256:", reloaded->config_sha256()));
  }
  return reloaded;
}

}  // namespace mnrecords

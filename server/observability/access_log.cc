#include "server/observability/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "mnrecords/log/v1/access_log.pb.h"
#include "server/audit/audited_call.h"

namespace mnrecords {
namespace {

absl::StatusOr<int> OpenForAppend(const std::string& path) {
  if (path == "-") return STDOUT_FILENO;
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot open the access log ", path, ": ", std::strerror(errno)));
  }
  return fd;
}

// RequestIdOf returns the request's `request_id` field, or "".
std::string RequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return "";
  }
  return request.GetReflection()->GetString(request, field);
}

}  // namespace

std::string AccessLogLine(const FinishedCall& call) {
  mnrecords::log::v1::AccessLogEntry entry;
  *entry.mutable_time() = ToProtoTime(call.start);
  entry.set_method(call.context.method);
  entry.set_principal(call.context.principal.id);
  entry.set_role(std::string(RoleName(call.context.principal.role)));
  entry.set_clinic(ClinicOfResource(AuditResourceOf(call.request)));
  entry.set_code(absl::StatusCodeToString(call.code));
  entry.set_latency_seconds(absl::ToDoubleSeconds(call.latency));
  entry.set_request_id(RequestIdOf(call.request));
  entry.set_peer(call.context.peer);
  entry.set_request_bytes(static_cast<uint32_t>(call.request.ByteSizeLong()));
  if (call.response != nullptr) {
    entry.set_response_bytes(
        static_cast<uint32_t>(call.response->ByteSizeLong()));
  }
  entry.set_audit_stored(call.audit_stored);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string line;
  // Cannot fail: the entry holds no Any and only valid UTF-8 we produced
  // or gRPC validated; a failure would leave `line` empty.
  (void)google::protobuf::util::MessageToJsonString(entry, &line, options);
  line.push_back('\n');
  return line;
}

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(
    const std::string& path) {
  absl::StatusOr<int> fd = OpenForAppend(path);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<AccessLog>(new AccessLog(path, *fd));
}

AccessLog::~AccessLog() {
  absl::MutexLock lock(&mu_);
  if (fd_ != STDOUT_FILENO) ::close(fd_);
}

absl::Status AccessLog::Reopen() {
  if (path_ == "-") return absl::OkStatus();
  absl::StatusOr<int> fd = OpenForAppend(path_);
  if (!fd.ok()) return fd.status();
  absl::MutexLock lock(&mu_);
  ::close(fd_);
  fd_ = *fd;
  return absl::OkStatus();
}

void AccessLog::OnCallFinished(const FinishedCall& call) {
  const std::string line = AccessLogLine(call);
  absl::MutexLock lock(&mu_);
  // O_APPEND: one write(2) per line keeps lines whole. A failed write (a
  // full disk) loses the line, never the call: the audit log, not this
  // file, is the record of calls.
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n =
        ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
}

}  // namespace mnrecords

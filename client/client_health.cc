// RecordsClient::IsServing over grpc.health.v1.Health/Check.
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/notification.h"
#include "client/client.h"
#include "client/internal/connection.h"
#include "client/internal/health_codec.h"
#include "client/status_conversion.h"
#include "grpcpp/support/byte_buffer.h"

namespace mnrecords {

// ---- Health ----

absl::StatusOr<bool> RecordsClient::IsServing(const std::string& service,
                                              CallOptions options) const {
  if (options.timeout.has_value() && *options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("CallOptions.timeout must be positive");
  }
  grpc::ClientContext context;
  internal::PrepareContext(
      conn_->options, internal::CallDeadline(conn_->options, options), context);
  const std::string wire = internal::EncodeHealthCheckRequest(service);
  grpc::Slice slice(wire);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  conn_->generic->UnaryCall(&context, internal::kHealthCheckMethod,
                            grpc::StubOptions(), &request, &response,
                            [&](grpc::Status s) {
                              status = std::move(s);
                              done.Notify();
                            });
  done.WaitForNotification();
  if (!status.ok()) return ToAbslStatus(status);

  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) {
    return absl::DataLossError("unreadable grpc.health.v1 response");
  }
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  auto serving = internal::DecodeHealthCheckResponse(bytes);
  if (!serving.ok()) return serving.status();
  return *serving == internal::ServingStatus::kServing;
}

}  // namespace mnrecords

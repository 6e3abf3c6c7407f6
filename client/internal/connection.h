// The state RecordsClient copies share, and the retry loop every call runs.
// Not installed; not part of the public API.
#ifndef MNRECORDS_CLIENT_INTERNAL_CONNECTION_H_
#define MNRECORDS_CLIENT_INTERNAL_CONNECTION_H_

#include <memory>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/client_options.h"
#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/audit_service.grpc.pb.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"

namespace mnrecords {
namespace internal {

// Connection is immutable once built and shared by all copies of a client.
struct Connection {
  ClientOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<clinic::microneedling::v1::TreatmentRecords::Stub> records;
  std::unique_ptr<clinic::microneedling::v1::Consents::Stub> consents;
  std::unique_ptr<clinic::microneedling::v1::Audit::Stub> audit;
  std::unique_ptr<clinic::microneedling::v1::Admin::Stub> admin;
  std::unique_ptr<clinic::microneedling::v1::ChangeFeed::Stub> changes;
  std::unique_ptr<grpc::GenericStub> generic;
};

// ValidateOptions returns INVALID_ARGUMENT naming the first unusable field.
absl::Status ValidateOptions(const ClientOptions& options, bool require_target);

// CallDeadline returns now + the call's timeout (or the default one).
absl::Time CallDeadline(const ClientOptions& options, const CallOptions& call);

// PrepareContext sets the deadline and the authorization metadata.
void PrepareContext(const ClientOptions& options, absl::Time deadline,
                    grpc::ClientContext& context);

// AddAuthMetadata adds `authorization: Bearer <token>` if options has a
// token (PrepareContext without the deadline, for long-lived streams).
void AddAuthMetadata(const ClientOptions& options,
                     grpc::ClientContext& context);

// RunWithRetries runs `attempt` with a fresh, prepared ClientContext until
// it returns anything but UNAVAILABLE, max_attempts is reached, or the next
// backoff plus an attempt as long as the last would end past the deadline.
// Before each retry it waits, within
// the deadline, for `channel` (nullptr: no waiting) to connect, and
// returns UNAVAILABLE if it never does. Otherwise returns the last
// attempt's status.
absl::Status RunWithRetries(
    const ClientOptions& options, const CallOptions& call,
    grpc::ChannelInterface* channel,
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt);

// BackoffBefore returns the (unjittered) wait before attempt `attempt`
// (2 = the first retry): initial_backoff * 2^(attempt-2), at most
// max_backoff.
absl::Duration BackoffBefore(const ClientOptions& options, int attempt);

// ExponentialBackoff returns initial * multiplier^(retry-1), at most max
// (retry 1 = the first wait); multiplier >= 1.
absl::Duration ExponentialBackoff(absl::Duration initial, absl::Duration max,
                                  double multiplier, int retry);

// Jitter returns a uniformly random point in [d * (1 - fraction), d]
// (fraction in [0, 1]): spreads the retries of many clients.
absl::Duration Jitter(absl::Duration d, double fraction = 0.5);

}  // namespace internal
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_INTERNAL_CONNECTION_H_

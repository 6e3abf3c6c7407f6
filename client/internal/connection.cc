#include "client/internal/connection.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/status_conversion.h"

namespace mnrecords {
namespace internal {
absl::Duration Jitter(absl::Duration d, double fraction) {
  if (fraction <= 0) return d;
  thread_local std::minstd_rand engine{std::random_device{}()};
  std::uniform_real_distribution<double> share(1.0 - fraction, 1.0);
  return d * share(engine);
}

absl::Status ValidateOptions(const ClientOptions& options,
                             bool require_target) {
  if (require_target && options.target.empty()) {
    return absl::InvalidArgumentError("ClientOptions.target is empty");
  }
  if (options.max_attempts < 1) {
    return absl::InvalidArgumentError(
        "ClientOptions.max_attempts must be >= 1");
  }
  if (options.default_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "ClientOptions.default_timeout must be positive");
  }
  if (options.initial_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.initial_backoff) {
    return absl::InvalidArgumentError(
        "ClientOptions backoff must satisfy 0 < initial_backoff <= "
        "max_backoff");
  }
  for (char c : options.bearer_token) {
    if (c < 0x20 || c > 0x7e) {
      return absl::InvalidArgumentError(
          "ClientOptions.bearer_token must be printable ASCII");
    }
  }
  return absl::OkStatus();
}

absl::Time CallDeadline(const ClientOptions& options, const CallOptions& call) {
  return absl::Now() + call.timeout.value_or(options.default_timeout);
}

void PrepareContext(const ClientOptions& options, absl::Time deadline,
                    grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(deadline));
  AddAuthMetadata(options, context);
}

void AddAuthMetadata(const ClientOptions& options,
                     grpc::ClientContext& context) {
  if (!options.bearer_token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options.bearer_token);
  }
}

absl::Duration BackoffBefore(const ClientOptions& options, int attempt) {
  return ExponentialBackoff(options.initial_backoff, options.max_backoff, 2.0,
                            attempt - 1);
}

absl::Duration ExponentialBackoff(absl::Duration initial, absl::Duration max,
                                  double multiplier, int retry) {
  absl::Duration backoff = initial;
  for (int i = 1; i < retry && backoff < max; ++i) backoff *= multiplier;
  return std::min(backoff, max);
}

absl::Status RunWithRetries(
    const ClientOptions& options, const CallOptions& call,
    grpc::ChannelInterface* channel,
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt) {
  if (call.timeout.has_value() && *call.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("CallOptions.timeout must be positive");
  }
  const absl::Time deadline = CallDeadline(options, call);
  for (int n = 1;; ++n) {
    grpc::ClientContext context;
    PrepareContext(options, deadline, context);
    const absl::Time started = absl::Now();
    grpc::Status status = attempt(context);
    // A retry needs at least as long as this attempt took: one that could
    // not finish by the deadline would only turn UNAVAILABLE into
    // DEADLINE_EXCEEDED.
    const absl::Duration attempt_took = absl::Now() - started;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        n >= options.max_attempts) {
      return ToAbslStatus(status);
    }
    const absl::Duration wait = Jitter(BackoffBefore(options, n + 1));
    if (absl::Now() + wait + attempt_took >= deadline) {
      return ToAbslStatus(status);
    }
    absl::SleepFor(wait);
    // Wait for the channel to connect, within the call's deadline, before
    // the retry: after a server restart the retry goes out as soon as the
    // channel (which reconnects on the retry schedule, RecordsClient::
    // Create) is back, instead of failing fast while it is still down. A
    // server never reached by the deadline is UNAVAILABLE (the request was
    // not sent), not DEADLINE_EXCEEDED.
    if (channel != nullptr &&
        !channel->WaitForConnected(absl::ToChronoTime(deadline))) {
      return absl::UnavailableError(absl::StrCat(
          status.error_message(),
          " (the server could not be reached before the call's deadline)"));
    }
    if (absl::Now() + attempt_took >= deadline) return ToAbslStatus(status);
  }
}

}  // namespace internal
}  // namespace mnrecords

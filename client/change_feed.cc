#include "client/change_feed.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/internal/connection.h"
#include "client/status_conversion.h"
#include "grpcpp/support/sync_stream.h"

namespace mnrecords {
namespace {

absl::Status ValidateFeedOptions(const ChangeFeedOptions& options) {
  if (options.parent.empty()) {
    return absl::InvalidArgumentError(
        "ChangeFeedOptions.parent is empty; expected clinics/{clinic}");
  }
  if (options.start_at_head && !options.start_cursor.empty()) {
    return absl::InvalidArgumentError(
        "ChangeFeedOptions: start_at_head and start_cursor exclude each other");
  }
  const ChangeFeedBackoff& b = options.backoff;
  if (b.initial <= absl::ZeroDuration() || b.max < b.initial ||
      !(b.multiplier >= 1.0) || !(b.jitter >= 0.0 && b.jitter <= 1.0)) {
    return absl::InvalidArgumentError(
        "ChangeFeedBackoff must satisfy 0 < initial <= max, multiplier >= 1 "
        "and 0 <= jitter <= 1");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsRetriableChangeFeedStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:  // the stream should not end; a proxy did
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
      return true;
    default:
      return false;
  }
}

ChangeFeed::ChangeFeed(RecordsClient client, ChangeFeedOptions options)
    : client_(std::move(client)),
      options_(std::move(options)),
      cursor_(options_.start_cursor) {}

std::string ChangeFeed::cursor() const {
  absl::MutexLock lock(&mu_);
  return cursor_;
}

bool ChangeFeed::stopped() const {
  absl::MutexLock lock(&mu_);
  return stopped_;
}

void ChangeFeed::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (active_ != nullptr) active_->TryCancel();
}

absl::Status ChangeFeed::Run(
    absl::FunctionRef<absl::Status(const v1::Change&)> on_change) {
  absl::Status valid = ValidateFeedOptions(options_);
  if (!valid.ok()) return valid;
  int failures = 0;  // attempts in a row that received nothing
  while (!stopped()) {
    const bool read_head = options_.start_at_head && !head_resolved();
    Attempt attempt = read_head ? ReadHead() : Watch(on_change);
    if (!attempt.stop.ok()) return attempt.stop;
    if (stopped()) break;
    if (read_head && attempt.stream.ok()) continue;  // now watch from it
    if (!IsRetriableChangeFeedStatus(attempt.stream.error_code())) {
      return ToAbslStatus(attempt.stream);
    }
    failures = attempt.received ? 1 : failures + 1;
    const ChangeFeedBackoff& b = options_.backoff;
    const absl::Duration wait = internal::Jitter(
        internal::ExponentialBackoff(b.initial, b.max, b.multiplier, failures),
        b.jitter);
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopped_), wait);
  }
  return absl::OkStatus();
}

bool ChangeFeed::Activate(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (stopped_) return false;
  active_ = context;
  return true;
}

void ChangeFeed::Deactivate() {
  absl::MutexLock lock(&mu_);
  active_ = nullptr;
}

bool ChangeFeed::head_resolved() const {
  absl::MutexLock lock(&mu_);
  return head_resolved_;
}

// A WatchChanges with start_at_head could resume from nowhere if it broke
// before its first response; the head read once here is a cursor to resume
// from in every case. One attempt: Run retries it like a watch.
ChangeFeed::Attempt ChangeFeed::ReadHead() {
  Attempt attempt;
  grpc::ClientContext context;
  const ClientOptions& client_options = client_.conn_->options;
  internal::PrepareContext(client_options,
                           internal::CallDeadline(client_options, {}), context);
  v1::ListChangesRequest request;
  request.set_parent(options_.parent);
  request.set_page_size(1);
  request.mutable_filter()->set_names_only(true);
  v1::ListChangesResponse page;
  if (!Activate(&context)) return attempt;
  attempt.stream =
      client_.conn_->changes->ListChanges(&context, request, &page);
  Deactivate();
  if (attempt.stream.ok()) {
    absl::MutexLock lock(&mu_);
    cursor_ = page.head_cursor();
    head_resolved_ = true;
  }
  return attempt;
}

ChangeFeed::Attempt ChangeFeed::Watch(
    absl::FunctionRef<absl::Status(const v1::Change&)> on_change) {
  Attempt attempt;
  grpc::ClientContext context;
  internal::AddAuthMetadata(client_.conn_->options, context);
  // Wait for the channel to connect rather than fail at once while it is
  // reconnecting: the feed then resumes as soon as the server is back (the
  // channel's reconnect backoff, at most the client's max_backoff), not
  // after a backoff of its own that grew while the server was down.
  context.set_wait_for_ready(true);
  v1::WatchChangesRequest request;
  request.set_parent(options_.parent);
  *request.mutable_filter() = options_.filter;
  request.set_after_cursor(cursor());
  if (!Activate(&context)) return attempt;
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
      client_.conn_->changes->WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  while (reader->Read(&response)) {
    attempt.received = true;
    attempt.stop = Deliver(response, on_change);
    if (!attempt.stop.ok() || stopped()) {
      context.TryCancel();
      break;
    }
  }
  attempt.stream = reader->Finish();
  Deactivate();
  return attempt;
}

absl::Status ChangeFeed::Deliver(
    const v1::WatchChangesResponse& response,
    absl::FunctionRef<absl::Status(const v1::Change&)> on_change) {
  for (const v1::Change& change : response.changes()) {
    if (change.cursor().empty()) {
      return absl::InternalError(absl::StrCat(
          "ChangeFeed: the server sent a change without a cursor (",
          change.name(), " revision ", change.revision_id(), ")"));
    }
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return absl::OkStatus();
      // Sent again (cursors sort in commit order): already delivered.
      if (!cursor_.empty() && change.cursor() <= cursor_) continue;
    }
    absl::Status applied = on_change(change);
    if (!applied.ok()) return applied;
    absl::MutexLock lock(&mu_);
    cursor_ = change.cursor();
  }
  absl::MutexLock lock(&mu_);
  if (!stopped_ && response.progress_cursor() > cursor_) {
    cursor_ = response.progress_cursor();
  }
  return absl::OkStatus();
}

}  // namespace mnrecords

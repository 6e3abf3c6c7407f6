// Reply: how a service answers a call that writes. The answer comes once,
// after the write is durable (or failed), usually on the store's writer
// thread: a reply must not block.
#ifndef MNRECORDS_SERVER_RECORDS_REPLY_H_
#define MNRECORDS_SERVER_RECORDS_REPLY_H_

#include <optional>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"

namespace mnrecords {

template <typename R>
using Reply = absl::AnyInvocable<void(absl::StatusOr<R>) &&>;

// Await starts a call that answers through a Reply and waits for the
// answer: for tools and tests that may block, never on a thread that must
// not wait (a gRPC callback, the store's writer).
template <typename R>
absl::StatusOr<R> Await(absl::FunctionRef<void(Reply<R>)> start) {
  absl::Notification done;
  std::optional<absl::StatusOr<R>> answer;
  start([&](absl::StatusOr<R> result) {
    answer = std::move(result);
    done.Notify();
  });
  done.WaitForNotification();
  return *std::move(answer);
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_REPLY_H_

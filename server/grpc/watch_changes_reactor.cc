#include "server/grpc/watch_changes_reactor.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/grpc/grpc_auth.h"
#include "server/grpc/grpc_status.h"

namespace mnrecords {
namespace {

CallContext DescribeWatch(const grpc::CallbackServerContext& context) {
  CallContext call;
  call.method =
      MethodName<v1::WatchChangesRequest>(v1::ChangeFeed::service_full_name());
  call.peer = context.peer();
  call.principal.id = "(unauthenticated)";
  // A watch has no deadline of its own to stop writes by: it writes nothing.
  return call;
}

}  // namespace

WatchChangesReactor::WatchChangesReactor(WatchEnvironment& env,
                                         grpc::CallbackServerContext& context,
                                         const v1::WatchChangesRequest& request)
    : env_(env),
      context_(context),
      request_(request),
      start_call_(DescribeWatch(context), env.calls.audit) {}

WatchChangesReactor* WatchChangesReactor::Start(
    WatchEnvironment& env, grpc::CallbackServerContext& context,
    const v1::WatchChangesRequest& request) {
  auto* reactor = new WatchChangesReactor(env, context, request);
  for (CallObserver* observer : env.calls.observers) {
    observer->OnCallStarted(reactor->start_call_.context().method);
  }
  absl::MutexLock lock(&reactor->mu_);
  reactor->ScheduleLocked(&WatchChangesReactor::Begin);
  return reactor;
}

void WatchChangesReactor::ScheduleLocked(void (WatchChangesReactor::*task)()) {
  ++pending_tasks_;
  env_.pool.Run([this, task] {
    (this->*task)();
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      last = --pending_tasks_ == 0 && done_;
    }
    if (last) delete this;
  });
}

void WatchChangesReactor::Begin() {
  absl::Status status = AdmitCall(env_.calls.authenticator, context_, request_,
                                  start_call_.context());
  absl::StatusOr<ChangeWatch> watch =
      status.ok() ? env_.service.StartWatch(request_) : status;
  if (watch.ok()) {
    status = env_.hub.Add(this, start_call_.context().principal.id);
  } else {
    status = watch.status();
  }
  end_call_.emplace(start_call_.context(), env_.calls.audit);
  if (!status.ok()) {
    EndNow(status);
    return;
  }
  watch_ = *std::move(watch);
  {
    absl::MutexLock lock(&mu_);
    registered_ = true;
    cursor_ = watch_.query.after_seq;
  }
  // The start is audited before the first change leaves the server.
  start_call_.Finish(absl::OkStatus(), request_, [this](absl::Status audited) {
    if (!audited.ok()) {
      EndNow(absl::Status(
          audited.code(),
          absl::StrCat("the audit event of this watch could not be stored, "
                       "so no data is returned: ",
                       audited.message())));
      return;
    }
    absl::MutexLock lock(&mu_);
    state_ = State::kReading;
    ScheduleLocked(&WatchChangesReactor::Read);
  });
}

void WatchChangesReactor::Read() {
  int64_t after = 0;
  {
    absl::MutexLock lock(&mu_);
    if (state_ != State::kReading) return;
    woken_ = false;
    after = cursor_;
  }
  absl::StatusOr<ChangePage> page = env_.service.NextChanges(watch_, after);
  absl::Status end;
  bool write = false;
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) {
      end = absl::CancelledError("the client cancelled the watch");
    } else if (!page.ok()) {
      end = page.status();
    } else {
      cursor_ = page->progress_seq;
      const bool heartbeat_due =
          absl::Now() - last_sent_ >= env_.hub.options().heartbeat_interval;
      if (!page->changes.empty() || !sent_any_ || heartbeat_due) {
        response_.Clear();
        response_.mutable_changes()->Swap(&page->changes);
        response_.set_progress_cursor(ChangeCursor(cursor_));
        // The watch's end event lists the records it sent.
        end_call_->NoteDisclosed(response_);
        sent_any_ = true;
        last_sent_ = absl::Now();
        state_ = State::kWriting;
        write = true;
      } else if (stopping_) {
        end = ShutdownStatus();
      } else if (woken_ || page->more) {
        // Woken while reading: read again.
        ScheduleLocked(&WatchChangesReactor::Read);
        return;
      } else {
        state_ = State::kIdle;
        return;
      }
    }
    if (!write) state_ = State::kEnding;
  }
  // kWriting: nothing else touches response_ until OnWriteDone.
  if (write) {
    StartWrite(&response_);
    return;
  }
  EndNow(end);
}

void WatchChangesReactor::OnWriteDone(bool ok) {
  absl::Status end;
  {
    absl::MutexLock lock(&mu_);
    if (!ok || cancelled_) {
      end = absl::CancelledError(
          "the watch's stream broke or the client cancelled it");
    } else if (stopping_) {
      end = ShutdownStatus();
    } else {
      state_ = State::kReading;
      ScheduleLocked(&WatchChangesReactor::Read);
      return;
    }
    state_ = State::kEnding;
  }
  EndNow(end);
}

void WatchChangesReactor::Wake() {
  absl::MutexLock lock(&mu_);
  if (state_ == State::kIdle) {
    state_ = State::kReading;
    ScheduleLocked(&WatchChangesReactor::Read);
  } else {
    woken_ = true;
  }
}

void WatchChangesReactor::Shutdown() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  if (state_ == State::kIdle) {
    // End on the pool: the hub calls this with the watch marked busy, and
    // ending removes it from the hub.
    state_ = State::kReading;
    ScheduleLocked(&WatchChangesReactor::Read);
  }
}

void WatchChangesReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (state_ == State::kIdle) {
    state_ = State::kReading;
    ScheduleLocked(&WatchChangesReactor::Read);
  }
}

absl::Status WatchChangesReactor::ShutdownStatus() const {
  return absl::UnavailableError(
      absl::StrCat("the server is shutting down; watch again after cursor \"",
                   ChangeCursor(cursor_), "\""));
}

void WatchChangesReactor::EndNow(absl::Status status) {
  bool registered = false;
  {
    absl::MutexLock lock(&mu_);
    state_ = State::kEnding;
    registered = registered_;
    registered_ = false;
  }
  if (registered) env_.hub.Remove(this);
  end_call_->Finish(status, request_, [this, status](absl::Status audited) {
    // The outcome is the watch's either way; an end event that could not
    // be stored is the store's problem to report, the data already left.
    NotifyFinished(env_.calls.observers, end_call_->context(), request_,
                   nullptr, status.code(), timing_, audited.ok());
    Finish(ToGrpcStatus(status));
  });
}

void WatchChangesReactor::OnDone() {
  bool last = false;
  {
    absl::MutexLock lock(&mu_);
    done_ = true;
    last = pending_tasks_ == 0;
  }
  if (last) delete this;
}

}  // namespace mnrecords

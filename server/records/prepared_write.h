// PreparedWrite: how every call that writes records is run, so that the
// store's single writer does only what must be serial.
//
// On the caller's thread, against a snapshot (read_set.h), the write is
// planned: validation against the stored state, plugin checks,
// serialization and hashing all happen there, in parallel with other
// calls. The plan is handed to the writer (AuditedCall::Submit), which, in
// the batch transaction:
//   1. looks the request_id up: a retry gets the first result again (and a
//      reuse for another request INVALID_ARGUMENT), nothing new is stored;
//   2. checks whether anything the plan read has changed since the
//      snapshot; if so it plans again, on the write transaction itself
//      (so the checks see every write committed or batched before);
//   3. stores the planned rows and remembers the request_id;
// and the call's audit event follows in the same transaction. The reply
// comes after the durable COMMIT.
#ifndef MNRECORDS_SERVER_RECORDS_PREPARED_WRITE_H_
#define MNRECORDS_SERVER_RECORDS_PREPARED_WRITE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "server/audit/audited_call.h"
#include "server/records/read_set.h"
#include "server/records/reply.h"
#include "server/store/store.h"

namespace mnrecords {

// WritePlan is what a planned write stores and answers.
template <typename R>
struct WritePlan {
  R result;  // the call's answer once stored
  // The revision to store: a new record (insert) or the next revision of
  // an existing one; none when the call stores nothing new (e.g. the same
  // instruction text published again), only its request_id.
  std::optional<RecordRevision> row;
  bool insert = true;
  RecordKeys keys;
  // The revision the request_id remembers (the row's, or an existing one).
  std::string name;
  int64_t revision_id = 0;
  // Further writes after the row in the same transaction (e.g. superseding
  // older consents); may be empty.
  std::function<absl::Status(WriteTxn&, absl::Time now)> also;
};

// Planner makes the plan from `txn` at `now`: on a snapshot first, and
// again in the write transaction if what it read has changed since. It must
// not write and must give the same plan for the same state.
template <typename R>
using Planner =
    std::function<absl::StatusOr<WritePlan<R>>(ReadTxn&, absl::Time now)>;

// Replayer rebuilds the first answer of a request_id from what it stored.
template <typename R>
using Replayer =
    std::function<absl::StatusOr<R>(ReadTxn&, const RequestRecord& first)>;

// OnceKey makes a write idempotent: its request_id in its scope (a clinic)
// and the digest of the request (idempotency.h).
struct OnceKey {
  std::string scope;
  std::string request_id;
  std::string digest;
};

namespace internal {

template <typename R>
class PreparedWrite final : public CallWrite {
 public:
  PreparedWrite(OnceKey key, Planner<R> planner, Replayer<R> replay,
                Reply<R> reply)
      : key_(std::move(key)),
        planner_(std::move(planner)),
        replay_(std::move(replay)),
        reply_(std::move(reply)) {}

  // Plan plans on a snapshot of `store` at `now`. An error is the call's
  // answer: nothing is written. (A request_id already used gets its first
  // result from Apply, whatever the plan says: the writer looks it up in
  // its transaction. Here it is looked up only when planning fails, so
  // that a retry of a request that succeeded is not refused by a state
  // that has moved on since.)
  absl::Status Plan(Store& store, absl::Time now) {
    now_ = now;
    return store.Read([&](ReadTxn& txn) -> absl::Status {
      SnapshotTxn snapshot(txn);
      absl::StatusOr<WritePlan<R>> plan = planner_(snapshot, now_);
      if (plan.ok()) {
        plan_ = *std::move(plan);
        read_set_ = std::move(snapshot).TakeReadSet();
        return absl::OkStatus();
      }
      MNR_ASSIGN_OR_RETURN(const std::optional<RequestRecord> first,
                           txn.GetRequest(key_.scope, key_.request_id));
      if (first.has_value()) return absl::OkStatus();  // replayed in Apply
      return plan.status();
    });
  }

  absl::StatusOr<WrittenResource> Apply(WriteTxn& txn) override {
    MNR_ASSIGN_OR_RETURN(const std::optional<RequestRecord> first,
                         txn.GetRequest(key_.scope, key_.request_id));
    if (first.has_value()) {
      if (first->request_hash != key_.digest) {
        return absl::InvalidArgumentError(absl::StrCat(
            "request_id: \"", key_.request_id,
            "\" was already used for a different request (", first->name,
            "); use a new request_id for a new request"));
      }
      MNR_ASSIGN_OR_RETURN(result_, replay_(txn, *first));
      return WrittenResource{first->name, key_.request_id};
    }
    bool replan = !plan_.has_value();
    if (!replan) {
      MNR_ASSIGN_OR_RETURN(replan, read_set_.Changed(txn));
    }
    if (replan) {
      MNR_ASSIGN_OR_RETURN(plan_, planner_(txn, now_));
    }
    WritePlan<R>& plan = *plan_;
    if (plan.row.has_value()) {
      MNR_RETURN_IF_ERROR(plan.insert
                              ? txn.InsertRecord(*plan.row, plan.keys)
                              : txn.AppendRevision(*plan.row, plan.keys));
    }
    if (plan.also) MNR_RETURN_IF_ERROR(plan.also(txn, now_));
    RequestRecord done;
    done.request_hash = key_.digest;
    done.name = plan.name;
    done.revision_id = plan.revision_id;
    done.create_time = now_;
    MNR_RETURN_IF_ERROR(txn.PutRequest(key_.scope, key_.request_id, done));
    result_ = std::move(plan.result);
    return WrittenResource{plan.name, key_.request_id};
  }

  void Done(absl::Status status) override {
    if (status.ok()) {
      std::move(reply_)(std::move(*result_));
    } else {
      std::move(reply_)(std::move(status));
    }
  }

 private:
  const OnceKey key_;
  Planner<R> planner_;
  Replayer<R> replay_;
  Reply<R> reply_;
  absl::Time now_;
  std::optional<WritePlan<R>> plan_;
  ReadSet read_set_;
  std::optional<R> result_;
};

}  // namespace internal

// WriteOnce plans a write on a snapshot of `store` and hands it to the
// writer, once per request_id (see the file comment). `reply` gets the
// answer: at once if planning fails, else after the write's transaction
// ended. `call` must outlive the reply; everything the planner and replayer
// capture must too.
template <typename R>
void WriteOnce(Store& store, AuditedCall& call, const Clock& clock, OnceKey key,
               Planner<R> planner, Replayer<R> replay, Reply<R> reply) {
  auto write = std::make_unique<internal::PreparedWrite<R>>(
      std::move(key), std::move(planner), std::move(replay), std::move(reply));
  const absl::Status planned = write->Plan(store, clock.Now());
  if (!planned.ok()) {
    write->Done(planned);
    return;
  }
  call.Submit(store, std::move(write));
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_PREPARED_WRITE_H_

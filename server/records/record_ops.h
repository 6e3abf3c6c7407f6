// The request flows every revisioned resource shares: create under a
// parent, get (optionally at a revision), amend, and other changes of an
// existing record (a consent's revocation). Each validates what it can
// without the database, then plans its write on a snapshot and hands it to
// the store's writer once per request_id (prepared_write.h). Resource
// specific checks come in as callbacks; they run on the snapshot and run
// again inside the write transaction if what they read has changed, so
// they must not write and must capture only what outlives the reply.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_OPS_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_OPS_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "server/records/idempotency.h"
#include "server/records/prepared_write.h"
#include "server/records/record_codec.h"
#include "server/records/reply.h"
#include "server/store/store.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {

// Check verifies the stored state a record depends on (its parent exists,
// references resolve, plugin rules) and may complete the record.
template <typename R>
using Check = std::function<absl::Status(ReadTxn&, R&, absl::Time now)>;

// AfterInsert writes what else a new record changes, in its transaction.
template <typename R>
using AfterInsert =
    std::function<absl::Status(WriteTxn&, const R&, absl::Time now)>;

// ReplayRecord answers a retried request_id with the revision it stored.
template <typename R>
absl::StatusOr<R> ReplayRecord(ReadTxn& txn, const RequestRecord& first) {
  return LoadRecord<R>(txn, first.name, first.revision_id);
}

// CreateParts are the fields every Create* request has.
template <typename R>
struct CreateParts {
  ResourceName parent;
  std::string id_field;    // e.g. "session_id"
  std::string id;          // "" = a fresh id
  R resource;              // the record as sent
  std::string request_id;  // required
};

// CreateRecord stores `c.resource` as a new child of `c.parent`, once per
// request_id: `check` verifies and completes it, `after` (may be empty)
// writes what else the new record changes. `request` is the call's request
// (for the request digest) and must outlive the reply.
template <typename R>
void CreateRecord(Store& store, AuditedCall& call, const Clock& clock,
                  const google::protobuf::Message& request, CreateParts<R> c,
                  Check<R> check, AfterInsert<R> after, Reply<R> reply) {
  absl::Status valid = ValidateRequestId("request_id", c.request_id);
  if (valid.ok() && !c.id.empty()) valid = ValidateId(c.id_field, c.id);
  if (!valid.ok()) return std::move(reply)(valid);
  OnceKey key{RequestScope(c.parent.clinic), c.request_id,
              RequestDigest(call.context().method, request)};
  // The name is chosen once: a plan made again keeps it.
  const ResourceName name = ChildName(c.parent, RecordTraits<R>::kNameKind,
                                      c.id.empty() ? NewResourceId() : c.id);
  Planner<R> planner = [name, resource = std::move(c.resource),
                        check = std::move(check), after = std::move(after)](
                           ReadTxn& txn,
                           absl::Time now) -> absl::StatusOr<WritePlan<R>> {
    WritePlan<R> plan;
    plan.result = resource;
    MNR_RETURN_IF_ERROR(check(txn, plan.result, now));
    plan.row = PrepareFirstRevision(name, now, &plan.result);
    plan.keys = KeysOf(plan.result);
    plan.name = plan.row->name;
    plan.revision_id = 1;
    if (after) {
      plan.also = [after, record = plan.result](WriteTxn& txn, absl::Time at) {
        return after(txn, record, at);
      };
    }
    return plan;
  };
  WriteOnce<R>(store, call, clock, std::move(key), std::move(planner),
               ReplayRecord<R>, std::move(reply));
}

// GetRecord reads revision `revision_id` (0 = current) of `name`.
template <typename R>
absl::StatusOr<R> GetRecord(Store& store, const std::string& name,
                            int64_t revision_id) {
  MNR_RETURN_IF_ERROR(
      ParseName("name", name, RecordTraits<R>::kNameKind).status());
  MNR_RETURN_IF_ERROR(
      CheckIntRange("revision_id", revision_id, 0, kMaxRevisionId));
  absl::StatusOr<R> result;
  MNR_RETURN_IF_ERROR(store.Read([&](ReadTxn& txn) -> absl::Status {
    result = LoadRecord<R>(txn, name, revision_id);
    return result.status();
  }));
  return result;
}

// ChangeParts are the request fields of every change to an existing
// record (an Amend*, a consent revocation, ...).
struct ChangeParts {
  std::string name_field;     // the field naming the record
  std::string name;           // the record
  std::string etag;           // "" = no check, unless etag_required
  bool etag_required = true;  // amendments must carry the etag
  std::string request_id;     // required
};

// NextRevision is a change's next revision of a record and why.
template <typename R>
struct NextRevision {
  R record;  // its content, with the current revision's revision info
  v1::Amendment amendment;
};

// Change turns the current revision of the named record into the next one
// (or refuses). Same rules as Check.
template <typename R>
using Change = std::function<absl::StatusOr<NextRevision<R>>(
    ReadTxn&, const R& current, absl::Time now)>;

// ChangeRecordOnce is the flow every change of an existing record shares:
// it checks the name, request_id and etag fields, then the change's own
// fields (`check_fields`, no database), then, once per request_id, plans on
// a snapshot: loads the record's current revision, checks the etag
// (ABORTED if stale) and lets `change` make the next revision, which is
// stored and answered. A retry with the same request_id gets it again.
template <typename R>
void ChangeRecordOnce(Store& store, AuditedCall& call, const Clock& clock,
                      const google::protobuf::Message& request, ChangeParts c,
                      absl::FunctionRef<absl::Status()> check_fields,
                      Change<R> change, Reply<R> reply) {
  absl::StatusOr<ResourceName> name =
      ParseName(c.name_field, c.name, RecordTraits<R>::kNameKind);
  absl::Status valid = name.status();
  if (valid.ok()) valid = ValidateRequestId("request_id", c.request_id);
  if (valid.ok()) {
    valid = CheckText("etag", c.etag, c.etag_required ? 1 : 0, kMaxEtagLength);
  }
  if (valid.ok()) valid = check_fields();
  if (!valid.ok()) return std::move(reply)(valid);
  OnceKey key{RequestScope(name->clinic), c.request_id,
              RequestDigest(call.context().method, request)};
  Planner<R> planner =
      [name = *name, etag = c.etag, change = std::move(change)](
          ReadTxn& txn, absl::Time now) -> absl::StatusOr<WritePlan<R>> {
    MNR_ASSIGN_OR_RETURN(const R current,
                         LoadRecord<R>(txn, name.FullName(), 0));
    if (!etag.empty()) MNR_RETURN_IF_ERROR(CheckEtag("etag", current, etag));
    MNR_ASSIGN_OR_RETURN(NextRevision<R> next, change(txn, current, now));
    WritePlan<R> plan;
    plan.result = std::move(next.record);
    plan.row = PrepareNextRevision(name, now, next.amendment, &plan.result);
    plan.insert = false;
    plan.keys = KeysOf(plan.result);
    plan.name = plan.row->name;
    plan.revision_id = plan.row->revision_id;
    return plan;
  };
  WriteOnce<R>(store, call, clock, std::move(key), std::move(planner),
               ReplayRecord<R>, std::move(reply));
}

// AmendRequestParts are the fields every Amend* request has.
template <typename R>
struct AmendRequestParts {
  const R& patch;  // carries the name and the new field values
  const google::protobuf::FieldMask& update_mask;
  const std::string& etag;
  const v1::Amendment& amendment;
  const std::string& request_id;
};

// Prepare validates an amended record (and may complete it) given the
// current revision; same rules as Check.
template <typename R>
using Prepare = std::function<absl::Status(ReadTxn&, const R& current,
                                           R& merged, absl::Time now)>;

// AmendRecordOnce validates an Amend* request and applies it once per
// request_id (ChangeRecordOnce, MergeAmendment). `prepare` validates the
// merged record (and may complete it).
template <typename R>
void AmendRecordOnce(Store& store, AuditedCall& call, const Clock& clock,
                     const google::protobuf::Message& request,
                     const AmendRequestParts<R>& a, Prepare<R> prepare,
                     Reply<R> reply) {
  ChangeParts change{absl::StrCat(RecordTraits<R>::kField, ".name"),
                     a.patch.name(), a.etag, /*etag_required=*/true,
                     a.request_id};
  ChangeRecordOnce<R>(
      store, call, clock, request, std::move(change),
      [&]() -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidateAmendment("amendment", a.amendment));
        return ValidateUpdateMask(
            "update_mask", a.update_mask, RecordTraits<R>::AmendablePaths(),
            a.amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
      },
      [patch = a.patch, mask = a.update_mask, amendment = a.amendment,
       prepare = std::move(prepare)](
          ReadTxn& txn, const R& current,
          absl::Time now) -> absl::StatusOr<NextRevision<R>> {
        MNR_ASSIGN_OR_RETURN(
            R merged, MergeAmendment<R>(current, patch, mask, amendment));
        MNR_RETURN_IF_ERROR(prepare(txn, current, merged, now));
        return NextRevision<R>{std::move(merged), amendment};
      },
      std::move(reply));
}

// RequireLiveParent loads the current revision of `name` as a parent
// record and fails with FAILED_PRECONDITION if it was entered in error.
template <typename R>
absl::StatusOr<R> RequireLiveParent(ReadTxn& txn, const std::string& name) {
  MNR_ASSIGN_OR_RETURN(R parent, LoadRecord<R>(txn, name, 0));
  if (IsEnteredInError(parent)) {
    return absl::FailedPreconditionError(absl::StrCat(
        name, " was entered in error; nothing can be added to it"));
  }
  return parent;
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_RECORD_OPS_H_

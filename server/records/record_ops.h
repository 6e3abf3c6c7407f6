// The request flows every revisioned resource shares: create under a
// parent, get (optionally at a revision) and amend. Each validates what it
// can without the database, then runs one store transaction. Resource
// specific checks come in as callbacks.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_OPS_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_OPS_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "server/records/idempotency.h"
#include "server/records/record_codec.h"
#include "server/store/store.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {

// CreateRecord stores `resource` as a new child of `parent` with `id` (a
// fresh id if empty), once per request_id. `check` runs inside the write
// transaction before the insert: it verifies the stored state (parent
// exists, references resolve) and may complete `resource`.
template <typename R>
absl::StatusOr<R> CreateRecord(
    Store& store, AuditedCall& call, const Clock& clock,
    const google::protobuf::Message& request, const ResourceName& parent,
    absl::string_view id_field, const std::string& id, const R& resource,
    const std::string& request_id,
    absl::FunctionRef<absl::Status(WriteTxn&, R&, absl::Time)> check) {
  MNR_RETURN_IF_ERROR(ValidateRequestId("request_id", request_id));
  if (!id.empty()) MNR_RETURN_IF_ERROR(ValidateId(id_field, id));
  const std::string digest = RequestDigest(call.context().method, request);
  return RunOnce<R>(
      store, call, RequestScope(parent.clinic), request_id, digest,
      [&](WriteTxn& txn, RequestRecord* done) -> absl::StatusOr<R> {
        R r = resource;
        const absl::Time now = clock.Now();
        MNR_RETURN_IF_ERROR(check(txn, r, now));
        const ResourceName name = ChildName(parent, RecordTraits<R>::kNameKind,
                                            id.empty() ? NewResourceId() : id);
        MNR_RETURN_IF_ERROR(InsertNewRecord(txn, name, now, &r));
        done->name = r.name();
        done->revision_id = 1;
        return r;
      },
      [](ReadTxn& txn, const RequestRecord& done) {
        return LoadRecord<R>(txn, done.name, done.revision_id);
      });
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
  std::string name_field;         // the field naming the record
  const std::string& name;        // the record
  const std::string& etag;        // "" = no check, unless etag_required
  bool etag_required = true;      // amendments must carry the etag
  const std::string& request_id;  // required
};

// ChangeRecordOnce is the flow every change of an existing record shares:
// it checks the name, request_id and etag fields, then the change's own
// fields (`check_fields`, no database), then, once per request_id and in
// one write transaction with the call's audit event,
// loads the record's current revision, checks the etag (ABORTED if stale)
// and lets `change` store the next revision, which it returns. A retry with
// the same request_id returns that revision again.
template <typename R>
absl::StatusOr<R> ChangeRecordOnce(
    Store& store, AuditedCall& call, const Clock& clock,
    const google::protobuf::Message& request, const ChangeParts& c,
    absl::FunctionRef<absl::Status()> check_fields,
    absl::FunctionRef<absl::StatusOr<R>(WriteTxn&, const ResourceName&,
                                        R current, absl::Time now)>
        change) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName name,
      ParseName(c.name_field, c.name, RecordTraits<R>::kNameKind));
  MNR_RETURN_IF_ERROR(ValidateRequestId("request_id", c.request_id));
  MNR_RETURN_IF_ERROR(
      CheckText("etag", c.etag, c.etag_required ? 1 : 0, kMaxEtagLength));
  MNR_RETURN_IF_ERROR(check_fields());
  const std::string digest = RequestDigest(call.context().method, request);
  return RunOnce<R>(
      store, call, RequestScope(name.clinic), c.request_id, digest,
      [&](WriteTxn& txn, RequestRecord* done) -> absl::StatusOr<R> {
        MNR_ASSIGN_OR_RETURN(R current, LoadRecord<R>(txn, name.FullName(), 0));
        if (!c.etag.empty()) {
          MNR_RETURN_IF_ERROR(CheckEtag("etag", current, c.etag));
        }
        MNR_ASSIGN_OR_RETURN(
            R next, change(txn, name, std::move(current), clock.Now()));
        done->name = next.name();
        done->revision_id = next.revision().revision_id();
        return next;
      },
      [](ReadTxn& txn, const RequestRecord& done) {
        return LoadRecord<R>(txn, done.name, done.revision_id);
      });
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

// AmendRecordOnce validates an Amend* request and applies it once per
// request_id (ChangeRecordOnce, MergeAmendment). `prepare` validates the
// merged record (and may complete it) inside the write transaction.
template <typename R>
absl::StatusOr<R> AmendRecordOnce(
    Store& store, AuditedCall& call, const Clock& clock,
    const google::protobuf::Message& request, const AmendRequestParts<R>& a,
    absl::FunctionRef<absl::Status(WriteTxn&, const R&, R&, absl::Time)>
        prepare) {
  const ChangeParts change{absl::StrCat(RecordTraits<R>::kField, ".name"),
                           a.patch.name(), a.etag, /*etag_required=*/true,
                           a.request_id};
  return ChangeRecordOnce<R>(
      store, call, clock, request, change,
      [&]() -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidateAmendment("amendment", a.amendment));
        return ValidateUpdateMask(
            "update_mask", a.update_mask, RecordTraits<R>::AmendablePaths(),
            a.amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
      },
      [&](WriteTxn& txn, const ResourceName& name, R current,
          absl::Time now) -> absl::StatusOr<R> {
        return MergeAmendment<R>(txn, name, current, a.patch, a.update_mask,
                                 a.amendment, now,
                                 [&](const R& current, R& merged) {
                                   return prepare(txn, current, merged, now);
                                 });
      });
}

// RequireLive loads the current revision of `name` as a parent record and
// fails with FAILED_PRECONDITION if it was entered in error.
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

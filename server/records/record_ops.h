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
      CheckIntRange("revision_id", revision_id, 0, int64_t{1} << 40));
  absl::StatusOr<R> result;
  MNR_RETURN_IF_ERROR(store.Read([&](ReadTxn& txn) -> absl::Status {
    result = LoadRecord<R>(txn, name, revision_id);
    return result.status();
  }));
  return result;
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
// request_id. `prepare` validates the merged record (and may complete it)
// inside the write transaction.
template <typename R>
absl::StatusOr<R> AmendRecordOnce(
    Store& store, AuditedCall& call, const Clock& clock,
    const google::protobuf::Message& request, const AmendRequestParts<R>& a,
    absl::FunctionRef<absl::Status(WriteTxn&, const R&, R&, absl::Time)>
        prepare) {
  const std::string field = RecordTraits<R>::kField;
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName(absl::StrCat(field, ".name"), a.patch.name(),
                                 RecordTraits<R>::kNameKind));
  MNR_RETURN_IF_ERROR(ValidateRequestId("request_id", a.request_id));
  MNR_RETURN_IF_ERROR(CheckText("etag", a.etag, 1, 64));
  MNR_RETURN_IF_ERROR(ValidateAmendment("amendment", a.amendment));
  MNR_RETURN_IF_ERROR(ValidateUpdateMask(
      "update_mask", a.update_mask, RecordTraits<R>::AmendablePaths(),
      a.amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR));
  const std::string digest = RequestDigest(call.context().method, request);
  return RunOnce<R>(
      store, call, RequestScope(name.clinic), a.request_id, digest,
      [&](WriteTxn& txn, RequestRecord* done) -> absl::StatusOr<R> {
        const absl::Time now = clock.Now();
        MNR_ASSIGN_OR_RETURN(
            R amended,
            AmendRecord<R>(txn, name, a.patch, a.update_mask, a.etag,
                           a.amendment, now, [&](const R& current, R& merged) {
                             return prepare(txn, current, merged, now);
                           }));
        done->name = amended.name();
        done->revision_id = amended.revision().revision_id();
        return amended;
      },
      [](ReadTxn& txn, const RequestRecord& done) {
        return LoadRecord<R>(txn, done.name, done.revision_id);
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

// Generic reading and writing of revisioned resources (patients, courses,
// sessions, photos, consents) through a Store transaction. The resource
// proto is the revision's payload; output-only fields (name, create_time,
// revision, etag) are set here and nowhere else.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_CODEC_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_CODEC_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "server/records/record_traits.h"
#include "server/store/store.h"
#include "server/validation/resource_names.h"

namespace mnrecords {

// EtagFor is the etag of a record's revision: it changes with every
// revision, and records only change by getting a new revision.
inline std::string EtagFor(int64_t revision_id) {
  return absl::StrCat("r", revision_id);
}

// DecodePayload parses a stored revision of `kind` as M and sets its etag.
// DATA_LOSS for a row of another kind or a payload that does not parse.
template <typename M>
absl::StatusOr<M> DecodePayload(const StoredRecord& stored, RecordKind kind) {
  M m;
  if (stored.revision.kind != kind ||
      !m.ParseFromString(stored.revision.payload)) {
    return absl::DataLossError(
        absl::StrCat("revision ", stored.revision.revision_id, " of ",
                     stored.revision.name, " cannot be decoded"));
  }
  m.set_etag(EtagFor(stored.revision.revision_id));
  return m;
}

// DecodeRecord parses a stored revision. DATA_LOSS if it does not parse.
template <typename R>
absl::StatusOr<R> DecodeRecord(const StoredRecord& stored) {
  return DecodePayload<R>(stored, RecordTraits<R>::kKind);
}

// LoadRecord reads revision `revision_id` (0 = current) of `name`.
template <typename R>
absl::StatusOr<R> LoadRecord(ReadTxn& txn, const std::string& name,
                             int64_t revision_id) {
  MNR_ASSIGN_OR_RETURN(StoredRecord stored, txn.GetRecord(name, revision_id));
  return DecodeRecord<R>(stored);
}

// ToRevision builds the store row for resource `r` named `name`.
template <typename R>
RecordRevision ToRevision(const ResourceName& name, const R& r) {
  RecordRevision rev;
  rev.name = r.name();
  rev.kind = RecordTraits<R>::kKind;
  rev.clinic = name.clinic;
  rev.patient = name.PatientName();
  rev.course = name.CourseName();
  rev.session = name.SessionName();
  rev.revision_id = r.revision().revision_id();
  rev.create_time = FromProtoTime(r.revision().create_time());
  RecordTraits<R>::Index(r, &rev);
  R payload = r;
  payload.clear_etag();
  payload.SerializeToString(&rev.payload);
  return rev;
}

// PrepareFirstRevision fills the output fields of `r` as revision 1 of
// `name` created at `now` and returns its store row.
template <typename R>
RecordRevision PrepareFirstRevision(const ResourceName& name, absl::Time now,
                                    R* r) {
  r->set_name(name.FullName());
  *r->mutable_create_time() = ToProtoTime(now);
  r->clear_revision();
  r->mutable_revision()->set_revision_id(1);
  *r->mutable_revision()->mutable_create_time() = ToProtoTime(now);
  r->clear_etag();
  RecordRevision row = ToRevision(name, *r);
  r->set_etag(EtagFor(1));
  return row;
}

// PrepareNextRevision turns `r` (the content of the next revision, with
// the revision info of the current one) into the next revision written at
// `now` with `amendment`, and returns its store row.
template <typename R>
RecordRevision PrepareNextRevision(const ResourceName& name, absl::Time now,
                                   const v1::Amendment& amendment, R* r) {
  const int64_t next = r->revision().revision_id() + 1;
  r->clear_revision();
  r->mutable_revision()->set_revision_id(next);
  *r->mutable_revision()->mutable_create_time() = ToProtoTime(now);
  *r->mutable_revision()->mutable_amendment() = amendment;
  r->clear_etag();
  RecordRevision row = ToRevision(name, *r);
  r->set_etag(EtagFor(next));
  return row;
}

// AppendRecordRevision stores `r` (holding the content of the next revision
// and the revision info of the current one) as the next revision.
template <typename R>
absl::Status AppendRecordRevision(WriteTxn& txn, const ResourceName& name,
                                  absl::Time now,
                                  const v1::Amendment& amendment, R* r) {
  const RecordRevision row = PrepareNextRevision(name, now, amendment, r);
  return txn.AppendRevision(row, KeysOf(*r));
}

// CheckEtag: ABORTED unless `etag` names the current revision of `current`.
template <typename R>
absl::Status CheckEtag(absl::string_view field, const R& current,
                       absl::string_view etag) {
  if (etag != current.etag()) {
    return absl::AbortedError(absl::StrCat(
        field, ": \"", etag, "\" does not match the current revision of ",
        current.name(), " (etag \"", current.etag(),
        "\"); read it again and reapply the change"));
  }
  return absl::OkStatus();
}

// IsEnteredInError: the current revision was an ENTERED_IN_ERROR amendment.
template <typename R>
bool IsEnteredInError(const R& r) {
  return r.revision().amendment().kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR;
}

// MergeAmendment applies an amendment to `current` (its current revision,
// already checked against the caller's etag): merges the `mask` fields of
// `patch` ("*" = every amendable field) and marks ENTERED_IN_ERROR
// amendments. Records entered in error are final: FAILED_PRECONDITION.
template <typename R>
absl::StatusOr<R> MergeAmendment(const R& current, const R& patch,
                                 const google::protobuf::FieldMask& mask,
                                 const v1::Amendment& amendment) {
  if (IsEnteredInError(current)) {
    return absl::FailedPreconditionError(absl::StrCat(
        current.name(), " was entered in error; such records are final"));
  }
  R merged = current;
  google::protobuf::FieldMask effective = mask;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    effective.clear_paths();
    for (const std::string& path : RecordTraits<R>::AmendablePaths()) {
      effective.add_paths(path);
    }
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, effective,
                                                        options, &merged);
  if (amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR) {
    RecordTraits<R>::MarkEnteredInError(&merged);
  }
  return merged;
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_RECORD_CODEC_H_

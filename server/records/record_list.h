// ListRecordPage: one page of a List call over current revisions, with
// keyset pagination through opaque page tokens.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_LIST_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "server/records/page_token.h"
#include "server/records/record_codec.h"
#include "server/store/store.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {

template <typename R>
struct RecordPage {
  std::vector<R> items;
  std::string next_page_token;
};

// PageOf turns rows fetched with one extra row (limit = size + 1) into a
// page: the first `size` rows decoded by `decode`, and a token for the next
// page at `position(last row)` if the extra row came back.
template <typename R, typename Decode, typename Position>
absl::StatusOr<RecordPage<R>> PageOf(std::vector<StoredRecord> rows, int size,
                                     const std::string& fingerprint,
                                     Decode decode, Position position) {
  RecordPage<R> page;
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (const StoredRecord& row : rows) {
    MNR_ASSIGN_OR_RETURN(R item, decode(row));
    page.items.push_back(std::move(item));
  }
  if (more) {
    page.next_page_token = EncodePageToken(position(rows.back()), fingerprint);
  }
  return page;
}

// ListRecordPage runs `query` for the page that `request` (a List request
// with page_size and page_token fields) asks for, decoding rows with
// `decode`. NOT_FOUND if the query's most specific parent (session, else
// course, else patient) does not exist.
template <typename R, typename Decode>
absl::StatusOr<RecordPage<R>> ListRecordPage(
    ReadTxn& txn, RecordQuery query, int32_t page_size,
    const std::string& page_token, const google::protobuf::Message& request,
    Decode decode) {
  MNR_ASSIGN_OR_RETURN(const int size,
                       EffectivePageSize("page_size", page_size));
  // A named (not wildcard) parent must exist: an empty list would hide a
  // mistyped name.
  const std::string& parent = !query.session.empty()  ? query.session
                              : !query.course.empty() ? query.course
                                                      : query.patient;
  if (!parent.empty()) MNR_RETURN_IF_ERROR(txn.GetRecord(parent, 0).status());
  const std::string fingerprint = QueryFingerprint(request);
  MNR_ASSIGN_OR_RETURN(query.after_seq,
                       DecodePageToken(page_token, fingerprint));
  query.limit = size + 1;  // one more tells whether another page exists
  MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows, txn.ListRecords(query));
  return PageOf<R>(std::move(rows), size, fingerprint, decode,
                   [](const StoredRecord& row) { return row.seq; });
}

// ListRecordPage for the revisioned resources of record_traits.h.
template <typename R>
absl::StatusOr<RecordPage<R>> ListRecordPage(
    ReadTxn& txn, RecordQuery query, int32_t page_size,
    const std::string& page_token, const google::protobuf::Message& request) {
  return ListRecordPage<R>(txn, std::move(query), page_size, page_token,
                           request, DecodeRecord<R>);
}

// ListRevisionPage returns the page of revisions of `name` that `request`
// asks for, oldest first, decoding rows with `decode`.
template <typename R, typename Decode>
absl::StatusOr<RecordPage<R>> ListRevisionPage(
    ReadTxn& txn, const std::string& name, int32_t page_size,
    const std::string& page_token, const google::protobuf::Message& request,
    Decode decode) {
  MNR_ASSIGN_OR_RETURN(const int size,
                       EffectivePageSize("page_size", page_size));
  const std::string fingerprint = QueryFingerprint(request);
  MNR_ASSIGN_OR_RETURN(const int64_t after,
                       DecodePageToken(page_token, fingerprint));
  MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                       txn.ListRevisions(name, after, size + 1));
  return PageOf<R>(
      std::move(rows), size, fingerprint, decode,
      [](const StoredRecord& row) { return row.revision.revision_id; });
}

// MovePage moves a page into a List response's repeated field and token.
template <typename R>
void MovePage(RecordPage<R> page, google::protobuf::RepeatedPtrField<R>* items,
              std::string* next_page_token) {
  for (R& item : page.items) *items->Add() = std::move(item);
  *next_page_token = std::move(page.next_page_token);
}

// ListRecordPageInto is ListRecordPage for a List `request` (with page_size
// and page_token), moved into the response's `items` and
// `next_page_token`.
template <typename R, typename Request>
absl::Status ListRecordPageInto(ReadTxn& txn, RecordQuery query,
                                const Request& request,
                                google::protobuf::RepeatedPtrField<R>* items,
                                std::string* next_page_token) {
  MNR_ASSIGN_OR_RETURN(
      RecordPage<R> page,
      ListRecordPage<R>(txn, std::move(query), request.page_size(),
                        request.page_token(), request));
  MovePage(std::move(page), items, next_page_token);
  return absl::OkStatus();
}

// QueryUnder selects the records of `kind` under `parent` (a List request's
// parent, whose "-" wildcards select any).
inline RecordQuery QueryUnder(const ResourceName& parent, RecordKind kind) {
  RecordQuery query;
  query.kind = kind;
  query.clinic = parent.clinic;
  query.patient = parent.PatientName();
  query.course = parent.CourseName();
  query.session = parent.SessionName();
  return query;
}

// ReadAll collects every current record `query` matches (ignoring its
// limit), page by page. For bounded sets only: a course's sessions, a
// patient's consents.
template <typename R>
absl::StatusOr<std::vector<R>> ReadAll(ReadTxn& txn, RecordQuery query) {
  std::vector<R> all;
  query.limit = 500;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                         txn.ListRecords(query));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(R r, DecodeRecord<R>(row));
      all.push_back(std::move(r));
    }
    if (static_cast<int>(rows.size()) < query.limit) return all;
    query.after_seq = rows.back().seq;
  }
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_RECORD_LIST_H_

#include "server/service/change_feed_service.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/instruction_refs.h"
#include "server/records/plugin_settings_records.h"
#include "server/records/record_codec.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

constexpr absl::string_view kCursorPrefix = "1.";
constexpr int kCursorDigits = 19;
constexpr int kDefaultListPageSize = 100;

// SetTypeFromRevision sets the type of `out`: CREATED for revision 1, else
// what the revision's amendment says (and the amendment itself).
template <typename R>
void SetTypeFromRevision(const R& r, int64_t revision_id, v1::Change* out) {
  if (revision_id == 1) {
    out->set_type(v1::CHANGE_TYPE_CREATED);
    return;
  }
  const v1::Amendment& amendment = r.revision().amendment();
  out->set_type(amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR
                    ? v1::CHANGE_TYPE_ENTERED_IN_ERROR
                    : v1::CHANGE_TYPE_AMENDED);
  *out->mutable_amendment() = amendment;
}

// Decode parses the revision of `stored` as R (DATA_LOSS if it does not).
template <typename R>
absl::StatusOr<R> Decode(const StoredChange& stored) {
  StoredRecord record;
  record.revision = stored.revision;
  return DecodeRecord<R>(record);
}

// Fill sets the type of `out` from record R's revision and, unless
// names_only, the record itself through `mutable_record`.
template <typename R>
absl::Status Fill(const StoredChange& stored, bool names_only,
                  R* (v1::Change::*mutable_record)(), v1::Change* out) {
  MNR_ASSIGN_OR_RETURN(R r, Decode<R>(stored));
  SetTypeFromRevision(r, stored.revision.revision_id, out);
  if (!names_only) *(out->*mutable_record)() = std::move(r);
  return absl::OkStatus();
}

absl::Status FillConsent(const StoredChange& stored, bool names_only,
                         v1::Change* out) {
  MNR_ASSIGN_OR_RETURN(v1::Consent c, Decode<v1::Consent>(stored));
  out->set_consent_state(c.state());
  if (c.state() == v1::CONSENT_STATE_ENTERED_IN_ERROR) {
    out->set_type(v1::CHANGE_TYPE_ENTERED_IN_ERROR);
  } else if (stored.revision.revision_id == 1) {
    out->set_type(v1::CHANGE_TYPE_CREATED);
  } else {
    out->set_type(v1::CHANGE_TYPE_CONSENT_STATE_CHANGED);
  }
  if (!names_only) *out->mutable_consent() = std::move(c);
  return absl::OkStatus();
}

// FillPublished fills a change of a published text or settings revision
// (decoded by `decode` into the field `mutable_record` returns): revision 1
// creates it, later ones amend it.
template <typename M>
absl::Status FillPublished(const StoredChange& stored, bool names_only,
                           absl::StatusOr<M> (*decode)(const StoredRecord&),
                           M* (v1::Change::*mutable_record)(),
                           v1::Change* out) {
  StoredRecord record;
  record.revision = stored.revision;
  MNR_ASSIGN_OR_RETURN(M m, decode(record));
  out->set_type(stored.revision.revision_id == 1 ? v1::CHANGE_TYPE_CREATED
                                                 : v1::CHANGE_TYPE_AMENDED);
  if (!names_only) *(out->*mutable_record)() = std::move(m);
  return absl::OkStatus();
}

// ParseFilter fills the clinic and filters of `query` from a request.
absl::Status ParseFilter(const std::string& parent,
                         const v1::ChangeFilter& filter, ChangeQuery* query) {
  MNR_ASSIGN_OR_RETURN(const ResourceName clinic,
                       ParseName("parent", parent, NameKind::kClinic));
  query->clinic = clinic.clinic;
  if (!filter.patient().empty()) {
    MNR_ASSIGN_OR_RETURN(
        const ResourceName patient,
        ParseName("filter.patient", filter.patient(), NameKind::kPatient));
    if (patient.clinic != clinic.clinic) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter.patient: ", filter.patient(),
                       " is not in the parent clinic ", parent));
    }
    query->patient = patient.PatientName();
  }
  for (int i = 0; i < filter.kinds_size(); ++i) {
    const int kind = filter.kinds(i);
    if (kind < v1::RECORD_KIND_PATIENT ||
        kind > v1::RECORD_KIND_SESSION_SIGNATURE) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter.kinds[", i, "]: ", kind,
                       " is not a record kind (RECORD_KIND_PATIENT .. "
                       "RECORD_KIND_SESSION_SIGNATURE)"));
    }
    // RecordKind and v1::RecordKind share their numbers.
    query->kinds.push_back(static_cast<RecordKind>(kind));
  }
  return absl::OkStatus();
}

// CheckNotAhead refuses a cursor beyond the clinic's latest change.
absl::Status CheckNotAhead(absl::string_view field, int64_t after_seq,
                           int64_t head_seq, const std::string& clinic) {
  if (after_seq <= head_seq) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": cursor ", ChangeCursor(after_seq),
      " is beyond the latest change of clinic ", clinic, " (",
      head_seq == 0 ? "none" : ChangeCursor(head_seq),
      "); this database never handed it out (was it restored from an older "
      "backup?). Copy the clinic's records again and watch from the head"));
}

}  // namespace

std::string ChangeCursor(int64_t seq) {
  if (seq <= 0) return "";
  return absl::StrFormat("%s%0*d", kCursorPrefix, kCursorDigits, seq);
}

absl::StatusOr<int64_t> ParseChangeCursor(absl::string_view field,
                                          absl::string_view cursor) {
  if (cursor.empty()) return 0;
  int64_t seq = 0;
  if (!absl::StartsWith(cursor, kCursorPrefix) ||
      cursor.size() != kCursorPrefix.size() + kCursorDigits ||
      !absl::SimpleAtoi(cursor.substr(kCursorPrefix.size()), &seq) ||
      seq <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", cursor,
                     "\" is not a change cursor (pass back a cursor this "
                     "service returned, or \"\" for the first change)"));
  }
  return seq;
}

absl::StatusOr<v1::Change> ChangeFromStored(const StoredChange& stored,
                                            bool names_only) {
  v1::Change out;
  const RecordRevision& r = stored.revision;
  out.set_cursor(ChangeCursor(stored.seq));
  out.set_name(r.name);
  out.set_kind(static_cast<v1::RecordKind>(r.kind));
  out.set_revision_id(r.revision_id);
  *out.mutable_commit_time() = ToProtoTime(r.create_time);
  out.set_principal(stored.principal);
  out.set_patient(r.patient);
  switch (r.kind) {
    case RecordKind::kPatient:
      MNR_RETURN_IF_ERROR(Fill<v1::Patient>(
          stored, names_only, &v1::Change::mutable_patient_record, &out));
      break;
    case RecordKind::kCourse:
      MNR_RETURN_IF_ERROR(Fill<v1::TreatmentCourse>(
          stored, names_only, &v1::Change::mutable_course, &out));
      break;
    case RecordKind::kSession:
      MNR_RETURN_IF_ERROR(Fill<v1::TreatmentSession>(
          stored, names_only, &v1::Change::mutable_session, &out));
      break;
    case RecordKind::kPhoto:
      MNR_RETURN_IF_ERROR(Fill<v1::OutcomePhoto>(
          stored, names_only, &v1::Change::mutable_photo, &out));
      break;
    case RecordKind::kConsent:
      MNR_RETURN_IF_ERROR(FillConsent(stored, names_only, &out));
      break;
    case RecordKind::kScreening:
      MNR_RETURN_IF_ERROR(Fill<v1::Screening>(
          stored, names_only, &v1::Change::mutable_screening, &out));
      break;
    case RecordKind::kOutcomeAssessment:
      MNR_RETURN_IF_ERROR(Fill<v1::OutcomeAssessment>(
          stored, names_only, &v1::Change::mutable_outcome_assessment, &out));
      break;
    case RecordKind::kPhotoRelease:
      MNR_RETURN_IF_ERROR(Fill<v1::PhotoRelease>(
          stored, names_only, &v1::Change::mutable_photo_release, &out));
      break;
    case RecordKind::kSessionSignature:
      MNR_RETURN_IF_ERROR(Fill<v1::SessionSignature>(
          stored, names_only, &v1::Change::mutable_session_signature, &out));
      break;
    case RecordKind::kInstructionSet:
      MNR_RETURN_IF_ERROR(
          FillPublished(stored, names_only, &DecodeInstructionSet,
                        &v1::Change::mutable_instruction_set, &out));
      break;
    case RecordKind::kPluginSettings:
      MNR_RETURN_IF_ERROR(
          FillPublished(stored, names_only, &DecodePluginSettings,
                        &v1::Change::mutable_plugin_settings, &out));
      break;
  }
  return out;
}

absl::StatusOr<ChangePage> ChangeFeedService::ReadPage(const ChangeQuery& query,
                                                       bool names_only) {
  std::vector<StoredChange> rows;
  ChangePage page;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(rows, txn.ListChanges(query));
    MNR_ASSIGN_OR_RETURN(page.head_seq, txn.LastChangeSeq(query.clinic));
    return absl::OkStatus();
  }));
  page.progress_seq = query.after_seq;
  int64_t bytes = 0;
  for (const StoredChange& row : rows) {
    if (bytes >= kMaxPageBytes) {
      page.more = true;
      return page;
    }
    MNR_ASSIGN_OR_RETURN(v1::Change change, ChangeFromStored(row, names_only));
    bytes += static_cast<int64_t>(change.ByteSizeLong());
    *page.changes.Add() = std::move(change);
    page.progress_seq = row.seq;
  }
  if (static_cast<int>(rows.size()) >= query.limit) {
    page.more = true;
  } else if (page.head_seq > page.progress_seq) {
    // Everything up to the head was read; what lies beyond the last
    // change returned did not match the filter.
    page.progress_seq = page.head_seq;
  }
  return page;
}

absl::StatusOr<v1::ListChangesResponse> ChangeFeedService::ListChanges(
    AuditedCall&, const v1::ListChangesRequest& r) {
  ChangeQuery query;
  MNR_RETURN_IF_ERROR(ParseFilter(r.parent(), r.filter(), &query));
  MNR_ASSIGN_OR_RETURN(query.after_seq,
                       ParseChangeCursor("after_cursor", r.after_cursor()));
  if (r.page_size() < 0 || r.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be 0 (", kDefaultListPageSize, ") or 1..",
                     kMaxPageSize, ", got ", r.page_size()));
  }
  query.limit = r.page_size() == 0 ? kDefaultListPageSize : r.page_size();
  MNR_ASSIGN_OR_RETURN(ChangePage page,
                       ReadPage(query, r.filter().names_only()));
  MNR_RETURN_IF_ERROR(CheckNotAhead("after_cursor", query.after_seq,
                                    page.head_seq, query.clinic));
  v1::ListChangesResponse out;
  out.mutable_changes()->Swap(&page.changes);
  out.set_next_cursor(ChangeCursor(page.progress_seq));
  out.set_more(page.more);
  out.set_head_cursor(ChangeCursor(page.head_seq));
  return out;
}

absl::StatusOr<ChangeWatch> ChangeFeedService::StartWatch(
    const v1::WatchChangesRequest& r) {
  ChangeWatch watch;
  MNR_RETURN_IF_ERROR(ParseFilter(r.parent(), r.filter(), &watch.query));
  MNR_ASSIGN_OR_RETURN(watch.query.after_seq,
                       ParseChangeCursor("after_cursor", r.after_cursor()));
  if (r.start_at_head() && !r.after_cursor().empty()) {
    return absl::InvalidArgumentError(
        "start_at_head: set it or after_cursor, not both");
  }
  watch.names_only = r.filter().names_only();
  watch.query.limit = kWatchPageSize;
  int64_t head = 0;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(head, txn.LastChangeSeq(watch.query.clinic));
    return absl::OkStatus();
  }));
  if (r.start_at_head()) watch.query.after_seq = head;
  MNR_RETURN_IF_ERROR(CheckNotAhead("after_cursor", watch.query.after_seq, head,
                                    watch.query.clinic));
  return watch;
}

absl::StatusOr<ChangePage> ChangeFeedService::NextChanges(
    const ChangeWatch& watch, int64_t after_seq) {
  ChangeQuery query = watch.query;
  query.after_seq = after_seq;
  return ReadPage(query, watch.names_only);
}

}  // namespace mnrecords

#include "server/store/record_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/audit_access.h"

namespace mnrecords {

bool IsKnownKind(int kind) {
  return kind >= static_cast<int>(RecordKind::kPatient) &&
         kind <= static_cast<int>(RecordKind::kSessionSignature);
}

std::string ParentOf(const std::string& name, const std::string& patient,
                     const std::string& course, const std::string& session) {
  for (const std::string* level : {&session, &course, &patient}) {
    if (!level->empty() && *level != name) return *level;
  }
  return "";
}

absl::Status ValidateRevision(const RecordRevision& record) {
  if (record.name.empty()) {
    return absl::InvalidArgumentError("record name must not be empty");
  }
  if (record.clinic.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("clinic of ", record.name, " must not be empty"));
  }
  if (!IsKnownKind(static_cast<int>(record.kind))) {
    return absl::InvalidArgumentError(absl::StrCat(
        record.name, " has unknown kind ", static_cast<int>(record.kind)));
  }
  if (record.revision_id < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("revision_id of ", record.name, " must be >= 1, got ",
                     record.revision_id));
  }
  if (record.create_time == absl::InfinitePast() ||
      record.create_time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        absl::StrCat("create_time of ", record.name, " must be finite"));
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordKeys> NormalizeKeys(const RecordRevision& record,
                                         const RecordKeys& keys) {
  RecordKeys out = keys;
  for (auto [list, what] : {std::pair{&out.unique, "keys"},
                            std::pair{&out.terms, "search terms"}}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
    if (!list->empty() && list->front().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " of ", record.name, " must not be empty"));
    }
  }
  return out;
}

absl::Status CheckNextRevision(const RecordRevision& record,
                               int64_t current_revision, RecordKind stored_kind,
                               const std::string& stored_clinic) {
  if (record.revision_id != current_revision + 1) {
    return absl::AbortedError(absl::StrCat(
        record.name, " is at revision ", current_revision,
        "; cannot write revision ", record.revision_id, " (expected ",
        current_revision + 1, "); re-read it and retry"));
  }
  if (record.kind != stored_kind || record.clinic != stored_clinic) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind and clinic of ", record.name, " cannot change (stored: kind ",
        static_cast<int>(stored_kind), ", clinic '", stored_clinic,
        "'; given: kind ", static_cast<int>(record.kind), ", clinic '",
        record.clinic, "')"));
  }
  return absl::OkStatus();
}

absl::Status ValidateScanPart(int part, int parts) {
  if (parts < 1 || part < 0 || part >= parts) {
    return absl::InvalidArgumentError(absl::StrCat(
        "revision scan part must be in [0, parts) with parts >= 1; got part ",
        part, " of ", parts));
  }
  return absl::OkStatus();
}

absl::Status ValidateRevisionPage(int64_t after_revision, int limit) {
  if (limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("revision list limit must be >= 1, got ", limit));
  }
  if (after_revision < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("after_revision must be >= 0, got ", after_revision));
  }
  return absl::OkStatus();
}

absl::Status ValidateAuditQuery(const AuditQuery& query) {
  if (query.limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit query limit must be >= 1, got ", query.limit));
  }
  if (!query.patient.empty() &&
      PatientOfResource(query.patient) != query.patient) {
    return absl::InvalidArgumentError(
        "audit query patient must be clinics/{clinic}/patients/{patient}");
  }
  for (char c : query.resource_prefix) {
    if (static_cast<unsigned char>(c) >= 0x7f) {
      return absl::InvalidArgumentError(
          "audit resource prefix must be printable ASCII");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestRecord(const std::string& scope,
                                   const std::string& request_id,
                                   const RequestRecord& request) {
  if (scope.empty() || request_id.empty()) {
    return absl::InvalidArgumentError(
        "request scope and request_id must not be empty");
  }
  if (request.name.empty() || request.revision_id < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request '", request_id, "' must name a record and a revision >= 1"));
  }
  if (request.create_time == absl::InfinitePast() ||
      request.create_time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request '", request_id, "' must have a finite create_time"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAuditEvent(const AuditEvent& event) {
  if (event.action.empty()) {
    return absl::InvalidArgumentError("audit event action must not be empty");
  }
  if (event.time == absl::InfinitePast() ||
      event.time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("audit event time must be finite");
  }
  if (!DecodeRecordsAccessed(event.accessed).ok()) {
    return absl::InvalidArgumentError(
        "audit event's records accessed are not in their stored form");
  }
  return absl::OkStatus();
}

}  // namespace mnrecords

#include "server/service/audit_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/audit/audit_verify.h"
#include "server/records/page_token.h"
#include "server/store/audit_access.h"
#include "server/store/audit_chain.h"
#include "server/store/revision_hash.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

v1::AuditCheckpoint CheckpointOf(const std::optional<AuditEvent>& last) {
  v1::AuditCheckpoint c;
  if (last.has_value()) {
    c.set_sequence(last->seq);
    c.set_hash(last->hash);
    *c.mutable_event_time() = ToProtoTime(last->time);
  }
  return c;
}

// Break marks `response` as failed at `e` (or at `seq` if e is absent).
void Break(v1::VerifyAuditLogResponse* response, int64_t seq,
           const std::string& name, const std::string& problem) {
  response->set_ok(false);
  response->set_broken_sequence(seq);
  response->set_broken_event(name);
  response->set_problem(problem);
}

// kMaxListedPatients bounds RecordsAccessed.patients in a response.
constexpr int kMaxListedPatients = 1000;

// ParseOutcome reads ListAuditEventsRequest.outcome into `query`.
absl::Status ParseOutcome(const std::string& outcome, AuditQuery* query) {
  if (outcome.empty()) return absl::OkStatus();
  if (outcome == "ERROR") {
    query->outcome = AuditOutcome::kFailed;
    return absl::OkStatus();
  }
  for (int code = 0;
       code <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++code) {
    if (absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) ==
        outcome) {
      query->outcome = AuditOutcome::kExactly;
      query->outcome_code = code;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("outcome: \"", outcome,
                   "\" is neither a gRPC status code name (OK, NOT_FOUND, "
                   "PERMISSION_DENIED, ...) nor ERROR"));
}

// ParseAuditParent accepts clinics/{clinic} (that clinic's events) and
// clinics/- (the events of calls that named no clinic, such as checkpoints
// or malformed requests). There is no "every clinic" listing: a principal
// sees only the clinics it belongs to (server/auth/authorization.h).
absl::StatusOr<std::string> ParseAuditParent(const std::string& parent) {
  if (parent == "clinics/-") return std::string("-");
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("parent", parent, NameKind::kClinic));
  return name.clinic;
}

}  // namespace

v1::AuditEvent ToAuditEventProto(const AuditEvent& e) {
  v1::AuditEvent out;
  out.set_name(AuditEventName(e));
  out.set_sequence(e.seq);
  *out.mutable_event_time() = ToProtoTime(e.time);
  out.set_principal(e.principal);
  out.set_role(e.role);
  out.set_action(e.action);
  out.set_clinic(e.clinic);
  out.set_resource(e.resource);
  out.set_patient(std::string(PatientOfResource(e.resource)));
  out.set_outcome(e.outcome);
  out.set_outcome_name(
      absl::StatusCodeToString(static_cast<absl::StatusCode>(e.outcome)));
  out.set_peer(e.peer);
  out.set_request_id(e.request_id);
  out.set_prev_hash(e.prev_hash);
  out.set_hash(e.hash);
  // A list that no longer parses was changed: the event's hash does not
  // recompute, which VerifyAuditLog reports; it is listed without it.
  absl::StatusOr<std::vector<RevisionDigest>> written =
      DecodeRevisionDigests(e.revisions);
  if (written.ok()) {
    for (const RevisionDigest& d : *written) {
      v1::RevisionWritten* w = out.add_revisions_written();
      w->set_name(d.name);
      w->set_revision_id(d.revision_id);
      w->set_content_sha256(d.content_sha256);
    }
  }
  if (!e.accessed.empty()) {
    v1::RecordsAccessed* accessed = out.mutable_records_accessed();
    accessed->set_sha256(Sha256Hex(e.accessed));
    absl::StatusOr<RecordsAccessed> decoded = DecodeRecordsAccessed(e.accessed);
    if (decoded.ok()) {
      accessed->set_record_count(decoded->record_count);
      accessed->set_patient_count(
          static_cast<int64_t>(decoded->patients.size()));
      for (std::string& patient : decoded->patients) {
        if (accessed->patients_size() == kMaxListedPatients) {
          accessed->set_patients_truncated(true);
          break;
        }
        accessed->add_patients(std::move(patient));
      }
    }
  }
  return out;
}

absl::StatusOr<v1::ListAuditEventsResponse> AuditService::ListPage(
    const v1::ListAuditEventsRequest& r, int default_page_size) const {
  AuditQuery query;
  MNR_ASSIGN_OR_RETURN(query.clinic, ParseAuditParent(r.parent()));
  MNR_ASSIGN_OR_RETURN(const int size,
                       r.page_size() == 0
                           ? absl::StatusOr<int>(default_page_size)
                           : EffectivePageSize("page_size", r.page_size()));
  MNR_RETURN_IF_ERROR(CheckText("principal", r.principal(), 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(
      CheckText("resource_prefix", r.resource_prefix(), 0, kMaxReasonText));
  for (char c : r.resource_prefix()) {
    if (static_cast<unsigned char>(c) >= 0x7f) {
      return absl::InvalidArgumentError(
          "resource_prefix: resource names are ASCII");
    }
  }
  MNR_RETURN_IF_ERROR(CheckText("action", r.action(), 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(
      CheckTime("start_time", r.has_start_time(), r.start_time(), false));
  MNR_RETURN_IF_ERROR(
      CheckTime("end_time", r.has_end_time(), r.end_time(), false));
  if (!r.patient().empty()) {
    MNR_ASSIGN_OR_RETURN(const ResourceName patient,
                         ParseName("patient", r.patient(), NameKind::kPatient));
    if (patient.clinic != query.clinic) {
      return absl::InvalidArgumentError(absl::StrCat(
          "patient: ", r.patient(), " is not a patient of ", r.parent()));
    }
    query.patient = r.patient();
  }
  MNR_RETURN_IF_ERROR(ParseOutcome(r.outcome(), &query));
  if (r.order_by() == "time desc") {
    query.newest_first = true;
  } else if (!r.order_by().empty() && r.order_by() != "time") {
    return absl::InvalidArgumentError(absl::StrCat(
        "order_by: \"", r.order_by(), "\" is not \"time\" or \"time desc\""));
  }
  query.principal = r.principal();
  query.resource_prefix = r.resource_prefix();
  query.action = r.action();
  if (r.has_start_time())
    query.time_from_us = ProtoTimeToMicros(r.start_time());
  if (r.has_end_time()) query.time_to_us = ProtoTimeToMicros(r.end_time());
  const std::string fingerprint = QueryFingerprint(r);
  MNR_ASSIGN_OR_RETURN(const int64_t cursor,
                       DecodePageToken(r.page_token(), fingerprint));
  (query.newest_first ? query.before_seq : query.after_seq) = cursor;
  query.limit = size + 1;
  v1::ListAuditEventsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                         txn.ListAuditEvents(query));
    const bool more = static_cast<int>(events.size()) > size;
    if (more) events.resize(size);
    for (const AuditEvent& e : events) {
      *response.add_audit_events() = ToAuditEventProto(e);
    }
    if (more) {
      response.set_next_page_token(
          EncodePageToken(events.back().seq, fingerprint));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListAuditEventsResponse> AuditService::ListAuditEvents(
    AuditedCall&, const v1::ListAuditEventsRequest& r) {
  return ListPage(r, kDefaultPageSize);
}

absl::StatusOr<v1::ExportAuditEventsResponse> AuditService::ExportAuditEvents(
    AuditedCall& call, const v1::ExportAuditEventsRequest& r) {
  // The event of the export names what was exported from.
  call.set_resource(r.query().parent());
  if (r.format().empty()) {
    return absl::InvalidArgumentError(
        "format: required (\"fhir-r4\" or \"csv\")");
  }
  static const plugins::AuditExporterRegistry* const kNone =
      new plugins::AuditExporterRegistry();
  MNR_ASSIGN_OR_RETURN(
      const plugins::AuditExporter* exporter,
      (exporters_ != nullptr ? exporters_ : kNone)->Find(r.format()));
  absl::StatusOr<v1::ListAuditEventsResponse> page =
      ListPage(r.query(), kMaxPageSize);
  if (absl::IsInvalidArgument(page.status())) {
    // The query's checks name its fields; here they are under `query`.
    return absl::InvalidArgumentError(
        absl::StrCat("query.", page.status().message()));
  }
  if (!page.ok()) return page.status();
  plugins::AuditExportPage export_page;
  MNR_ASSIGN_OR_RETURN(export_page.clinic,
                       ParseAuditParent(r.query().parent()));
  export_page.events.assign(
      std::make_move_iterator(page->mutable_audit_events()->begin()),
      std::make_move_iterator(page->mutable_audit_events()->end()));
  MNR_ASSIGN_OR_RETURN(std::string content, exporter->Export(export_page));
  v1::ExportAuditEventsResponse response;
  response.set_format(r.format());
  response.set_media_type(exporter->media_type());
  response.set_content(std::move(content));
  response.set_event_count(static_cast<int32_t>(export_page.events.size()));
  response.set_next_page_token(page->next_page_token());
  return response;
}

absl::StatusOr<v1::VerifyAuditLogResponse> AuditService::VerifyAuditLog(
    AuditedCall&, const v1::VerifyAuditLogRequest& r) {
  if (r.start_sequence() < 0) {
    return absl::InvalidArgumentError("start_sequence: must be >= 0");
  }
  if (r.end_sequence() < 0) {
    return absl::InvalidArgumentError("end_sequence: must be >= 0");
  }
  if (r.end_sequence() != 0 && r.end_sequence() < r.start_sequence()) {
    return absl::InvalidArgumentError(
        "end_sequence: must not be before start_sequence");
  }
  if (r.has_checkpoint() &&
      (r.checkpoint().sequence() < 1 || !IsSha256Hex(r.checkpoint().hash()))) {
    return absl::InvalidArgumentError(
        "checkpoint: needs a sequence >= 1 and a 64-hex hash");
  }
  v1::VerifyAuditLogResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::optional<AuditEvent> last,
                         txn.LastAuditEvent());
    *response.mutable_head() = CheckpointOf(last);
    response.set_ok(true);
    const int64_t head = last.has_value() ? last->seq : 0;
    const int64_t first = std::max<int64_t>(r.start_sequence(), 1);
    const int64_t end = r.end_sequence() == 0 ? head : r.end_sequence();
    response.set_first_sequence(first);
    response.set_last_sequence(end);
    if (r.has_checkpoint()) {
      const v1::AuditCheckpoint& cp = r.checkpoint();
      MNR_ASSIGN_OR_RETURN(std::vector<AuditEvent> at,
                           txn.ReadAuditEvents(cp.sequence(), 1));
      if (at.empty() || at[0].seq != cp.sequence()) {
        Break(&response, cp.sequence(), "",
              at.empty() ? absl::StrCat("the log ends at sequence ", head,
                                        ", before the checkpoint's sequence ",
                                        cp.sequence(), ": events were removed")
                         : absl::StrCat("event ", cp.sequence(),
                                        " of the checkpoint is missing"));
        return absl::OkStatus();
      }
      if (at[0].hash != cp.hash()) {
        Break(&response, cp.sequence(), AuditEventName(at[0]),
              absl::StrCat("event ", cp.sequence(), " has hash ", at[0].hash,
                           " but the checkpoint recorded ", cp.hash(),
                           ": the log up to the checkpoint was rewritten"));
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }));
  const int64_t first = response.first_sequence();
  const int64_t end = response.last_sequence();
  if (!response.ok() || end < first) return response;  // nothing in range
  MNR_ASSIGN_OR_RETURN(
      const AuditRangeCheck check,
      VerifyAuditRange(store_, first, end, response.head().sequence()));
  response.set_events_checked(check.events_checked);
  if (check.broken.has_value()) {
    const AuditChainBreak& b = *check.broken;
    Break(&response, b.seq, b.event_name, b.problem);
  }
  return response;
}

absl::StatusOr<v1::AuditCheckpoint> AuditService::GetAuditCheckpoint(
    AuditedCall&, const v1::GetAuditCheckpointRequest&) {
  v1::AuditCheckpoint checkpoint;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::optional<AuditEvent> last,
                         txn.LastAuditEvent());
    checkpoint = CheckpointOf(last);
    return absl::OkStatus();
  }));
  return checkpoint;
}

}  // namespace mnrecords

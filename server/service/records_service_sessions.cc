// TreatmentRecords: sessions and outcome photo metadata.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/instruction_refs.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/records/record_traits.h"
#include "server/service/plugin_checks.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// ResolveAftercare checks the session's aftercare reference, if any, and
// fills in its content hash.
absl::Status ResolveAftercare(ReadTxn& txn, absl::string_view clinic,
                              v1::TreatmentSession& s) {
  if (!s.has_aftercare_instructions()) return absl::OkStatus();
  return ResolveInstructionRef(txn, "session.aftercare_instructions", clinic,
                               v1::INSTRUCTION_KIND_AFTERCARE,
                               s.mutable_aftercare_instructions())
      .status();
}

absl::Status CheckSessionStatus(const v1::TreatmentSession& s,
                                const v1::Amendment* amendment) {
  return CheckEnteredInErrorStatus(
      "session.status", s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR,
      amendment);
}

}  // namespace

// ---- Sessions ----

void RecordsService::LogSession(AuditedCall& call,
                                const v1::LogSessionRequest& r,
                                Reply<v1::TreatmentSession> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kCourse);
  absl::Status valid = parent.status();
  if (valid.ok()) valid = ValidateSession("session", r.session(), clock_.Now());
  if (valid.ok()) valid = CheckSessionStatus(r.session(), nullptr);
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::TreatmentSession>(
      store_, call, clock_, r,
      {*parent, "session_id", r.session_id(), r.session(), r.request_id()},
      [this, parent = *parent](ReadTxn& txn, v1::TreatmentSession& s,
                               absl::Time) -> absl::Status {
        const std::string course_name = parent.FullName();
        MNR_ASSIGN_OR_RETURN(
            const v1::TreatmentCourse course,
            RequireLiveParent<v1::TreatmentCourse>(txn, course_name));
        if (course.status() == v1::COURSE_STATUS_CANCELLED ||
            course.status() == v1::COURSE_STATUS_COMPLETED) {
          return absl::FailedPreconditionError(absl::StrCat(
              course_name, " is ", v1::CourseStatus_Name(course.status()),
              "; sessions cannot be logged on it (amend its status first)"));
        }
        MNR_RETURN_IF_ERROR(ResolveAftercare(txn, parent.clinic, s));
        return CheckSessionWithPlugins(plugins_, txn, parent.clinic,
                                       parent.PatientName(), course_name,
                                       course, s);
      },
      nullptr,
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifySession));
}

absl::StatusOr<v1::TreatmentSession> RecordsService::GetSession(
    AuditedCall&, const v1::GetSessionRequest& r) {
  return GetRecord<v1::TreatmentSession>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListSessionsResponse> RecordsService::ListSessions(
    AuditedCall&, const v1::ListSessionsRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kCourse, /*wildcards=*/true));
  MNR_RETURN_IF_ERROR(CheckText("clinician", r.clinician(), 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(CheckTime("performed_after", r.has_performed_after(),
                                r.performed_after(), false));
  MNR_RETURN_IF_ERROR(CheckTime("performed_before", r.has_performed_before(),
                                r.performed_before(), false));
  MNR_RETURN_IF_ERROR(
      CheckText("cartridge_lot", r.cartridge_lot(), 0, kMaxCodeText));
  MNR_RETURN_IF_ERROR(
      CheckText("cartridge_model", r.cartridge_model(), 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(
      CheckText("device_serial", r.device_serial(), 0, kMaxCodeText));
  RecordQuery query = QueryUnder(parent, RecordKind::kSession);
  query.actor = r.clinician();
  if (!r.cartridge_lot().empty()) {
    query.terms.push_back(CartridgeLotTerm(r.cartridge_lot()));
  }
  if (!r.cartridge_model().empty()) {
    query.terms.push_back(CartridgeModelTerm(r.cartridge_model()));
  }
  if (!r.device_serial().empty()) {
    query.terms.push_back(DeviceSerialTerm(r.device_serial()));
  }
  if (r.has_performed_after()) {
    query.event_time_from_us = ProtoTimeToMicros(r.performed_after());
  }
  if (r.has_performed_before()) {
    query.event_time_to_us = ProtoTimeToMicros(r.performed_before());
  }
  v1::ListSessionsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_sessions(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendSession(AuditedCall& call,
                                  const v1::AmendSessionRequest& r,
                                  Reply<v1::TreatmentSession> reply) {
  AmendRecordOnce<v1::TreatmentSession>(
      store_, call, clock_, r,
      {r.session(), r.update_mask(), r.etag(), r.amendment(), r.request_id()},
      [this, amendment = r.amendment()](
          ReadTxn& txn, const v1::TreatmentSession&,
          v1::TreatmentSession& merged, absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidateSession("session", merged, now));
        MNR_RETURN_IF_ERROR(CheckSessionStatus(merged, &amendment));
        MNR_ASSIGN_OR_RETURN(
            const ResourceName name,
            ParseName("session.name", merged.name(), NameKind::kSession));
        MNR_RETURN_IF_ERROR(ResolveAftercare(txn, name.clinic, merged));
        MNR_ASSIGN_OR_RETURN(
            const v1::TreatmentCourse course,
            LoadRecord<v1::TreatmentCourse>(txn, name.CourseName(), 0));
        return CheckSessionWithPlugins(plugins_, txn, name.clinic,
                                       name.PatientName(), name.CourseName(),
                                       course, merged);
      },
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifySession));
}

// ---- Photos ----

void RecordsService::CreatePhoto(AuditedCall& call,
                                 const v1::CreatePhotoRequest& r,
                                 Reply<v1::OutcomePhoto> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kSession);
  absl::Status valid = parent.status();
  if (valid.ok()) valid = ValidatePhoto("photo", r.photo(), clock_.Now());
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::OutcomePhoto>(
      store_, call, clock_, r,
      {*parent, "photo_id", r.photo_id(), r.photo(), r.request_id()},
      [this, parent = *parent](ReadTxn& txn, v1::OutcomePhoto& p,
                               absl::Time) -> absl::Status {
        MNR_ASSIGN_OR_RETURN(
            const v1::TreatmentSession session,
            RequireLiveParent<v1::TreatmentSession>(txn, parent.FullName()));
        return CheckPhotoWithPlugins(plugins_, txn, parent.clinic,
                                     parent.PatientName(), session, p);
      },
      nullptr,
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifyPhoto));
}

absl::StatusOr<v1::OutcomePhoto> RecordsService::GetPhoto(
    AuditedCall&, const v1::GetPhotoRequest& r) {
  return GetRecord<v1::OutcomePhoto>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListPhotosResponse> RecordsService::ListPhotos(
    AuditedCall&, const v1::ListPhotosRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kSession, /*wildcards=*/true));
  MNR_RETURN_IF_ERROR(
      CheckEnum("phase", r.phase(), v1::PhotoPhase_IsValid, false));
  RecordQuery query = QueryUnder(parent, RecordKind::kPhoto);
  if (r.phase() != v1::PHOTO_PHASE_UNSPECIFIED) query.category = r.phase();
  v1::ListPhotosResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_photos(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendPhoto(AuditedCall& call,
                                const v1::AmendPhotoRequest& r,
                                Reply<v1::OutcomePhoto> reply) {
  AmendRecordOnce<v1::OutcomePhoto>(
      store_, call, clock_, r,
      {r.photo(), r.update_mask(), r.etag(), r.amendment(), r.request_id()},
      [this, amendment = r.amendment()](ReadTxn& txn, const v1::OutcomePhoto&,
                                        v1::OutcomePhoto& merged,
                                        absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidatePhoto("photo", merged, now));
        merged.clear_findings();
        if (amendment.kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR) {
          return absl::OkStatus();  // marking a mistake is never blocked
        }
        MNR_ASSIGN_OR_RETURN(
            const ResourceName name,
            ParseName("photo.name", merged.name(), NameKind::kPhoto));
        MNR_ASSIGN_OR_RETURN(
            const v1::TreatmentSession session,
            LoadRecord<v1::TreatmentSession>(txn, name.SessionName(), 0));
        return CheckPhotoWithPlugins(plugins_, txn, name.clinic,
                                     name.PatientName(), session, merged);
      },
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifyPhoto));
}

}  // namespace mnrecords

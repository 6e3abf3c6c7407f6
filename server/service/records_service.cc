// TreatmentRecords: patients, courses, course summaries and revisions.
// Sessions and photos are in records_service_sessions.cc.
#include "server/service/records_service.h"

#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/charts/chart_completeness.h"
#include "server/charts/course_summary.h"
#include "server/charts/outcome_summary.h"
#include "server/charts/photo_pairing.h"
#include "server/charts/sign_off.h"
#include "server/consent/consent_status.h"
#include "server/consent/instruction_refs.h"
#include "server/records/plugin_settings_records.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/service/plugin_checks.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// CheckIdentifiersFree: no other patient of the clinic holds one of p's
// identifiers (ALREADY_EXISTS naming the identifier and its holder).
absl::Status CheckIdentifiersFree(ReadTxn& txn, const std::string& clinic,
                                  const v1::Patient& p,
                                  const std::string& self) {
  for (int i = 0; i < p.identifiers_size(); ++i) {
    MNR_ASSIGN_OR_RETURN(
        std::optional<std::string> holder,
        txn.FindByKey(clinic, PatientIdentifierKey(p.identifiers(i))));
    if (holder.has_value() && *holder != self) {
      return absl::AlreadyExistsError(absl::StrCat(
          Indexed("patient.identifiers", i), ": ", p.identifiers(i).system(),
          " ", p.identifiers(i).value(), " already identifies ", *holder));
    }
  }
  return absl::OkStatus();
}

// CheckStatusChange rejects ENTERED_IN_ERROR set other than by an
// ENTERED_IN_ERROR amendment.
absl::Status CheckCourseStatus(const v1::TreatmentCourse& c,
                               const v1::Amendment& amendment) {
  MNR_RETURN_IF_ERROR(CheckEnum("course.status", c.status(),
                                v1::CourseStatus_IsValid, /*required=*/true));
  return CheckEnteredInErrorStatus(
      "course.status", c.status() == v1::COURSE_STATUS_ENTERED_IN_ERROR,
      &amendment);
}

// RevisionInfoOf extracts the revision metadata of any stored record.
absl::StatusOr<v1::RevisionInfo> RevisionInfoOf(const StoredRecord& row) {
  switch (row.revision.kind) {
    case RecordKind::kPatient: {
      MNR_ASSIGN_OR_RETURN(v1::Patient r, DecodeRecord<v1::Patient>(row));
      return r.revision();
    }
    case RecordKind::kCourse: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::TreatmentCourse>(row));
      return r.revision();
    }
    case RecordKind::kSession: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::TreatmentSession>(row));
      return r.revision();
    }
    case RecordKind::kPhoto: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::OutcomePhoto>(row));
      return r.revision();
    }
    case RecordKind::kConsent: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::Consent>(row));
      return r.revision();
    }
    case RecordKind::kScreening: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::Screening>(row));
      return r.revision();
    }
    case RecordKind::kOutcomeAssessment: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::OutcomeAssessment>(row));
      return r.revision();
    }
    case RecordKind::kPhotoRelease: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::PhotoRelease>(row));
      return r.revision();
    }
    case RecordKind::kSessionSignature: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeRecord<v1::SessionSignature>(row));
      return r.revision();
    }
    case RecordKind::kInstructionSet: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodeInstructionSet(row));
      v1::RevisionInfo info;
      info.set_revision_id(r.revision_id());
      *info.mutable_create_time() = r.publish_time();
      return info;
    }
    case RecordKind::kPluginSettings: {
      MNR_ASSIGN_OR_RETURN(auto r, DecodePluginSettings(row));
      v1::RevisionInfo info;
      info.set_revision_id(r.revision_id());
      *info.mutable_create_time() = r.publish_time();
      return info;
    }
  }
  return absl::DataLossError(
      absl::StrCat(row.revision.name, " has an unknown record kind"));
}

}  // namespace

// ---- Patients ----

void RecordsService::CreatePatient(AuditedCall& call,
                                   const v1::CreatePatientRequest& r,
                                   Reply<v1::Patient> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kClinic);
  absl::Status valid = parent.status();
  if (valid.ok()) valid = ValidatePatient("patient", r.patient());
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::Patient>(
      store_, call, clock_, r,
      {*parent, "patient_id", r.patient_id(), r.patient(), r.request_id()},
      [clinic = parent->clinic](ReadTxn& txn, v1::Patient& p, absl::Time) {
        return CheckIdentifiersFree(txn, clinic, p, "");
      },
      nullptr, std::move(reply));
}

absl::StatusOr<v1::Patient> RecordsService::GetPatient(
    AuditedCall&, const v1::GetPatientRequest& r) {
  return GetRecord<v1::Patient>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListPatientsResponse> RecordsService::ListPatients(
    AuditedCall&, const v1::ListPatientsRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kClinic));
  const bool by_identifier =
      !r.identifier_system().empty() || !r.identifier_value().empty();
  if (by_identifier) {
    MNR_RETURN_IF_ERROR(CheckText("identifier_system", r.identifier_system(), 1,
                                  kMaxShortText));
    MNR_RETURN_IF_ERROR(
        CheckText("identifier_value", r.identifier_value(), 1, kMaxShortText));
  }
  v1::ListPatientsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    if (by_identifier) {
      MNR_RETURN_IF_ERROR(
          EffectivePageSize("page_size", r.page_size()).status());
      v1::PatientIdentifier id;
      id.set_system(r.identifier_system());
      id.set_value(r.identifier_value());
      MNR_ASSIGN_OR_RETURN(
          std::optional<std::string> holder,
          txn.FindByKey(parent.clinic, PatientIdentifierKey(id)));
      if (holder.has_value() && r.page_token().empty()) {
        MNR_ASSIGN_OR_RETURN(*response.add_patients(),
                             LoadRecord<v1::Patient>(txn, *holder, 0));
      }
      return absl::OkStatus();
    }
    RecordQuery query;
    query.kind = RecordKind::kPatient;
    query.clinic = parent.clinic;
    return ListRecordPageInto(txn, query, r, response.mutable_patients(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendPatient(AuditedCall& call,
                                  const v1::AmendPatientRequest& r,
                                  Reply<v1::Patient> reply) {
  AmendRecordOnce<v1::Patient>(
      store_, call, clock_, r,
      {r.patient(), r.update_mask(), r.etag(), r.amendment(), r.request_id()},
      [](ReadTxn& txn, const v1::Patient&, v1::Patient& merged,
         absl::Time) -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidatePatient("patient", merged));
        MNR_ASSIGN_OR_RETURN(
            const ResourceName name,
            ParseName("patient.name", merged.name(), NameKind::kPatient));
        return CheckIdentifiersFree(txn, name.clinic, merged, merged.name());
      },
      std::move(reply));
}

// ---- Courses ----

void RecordsService::CreateCourse(AuditedCall& call,
                                  const v1::CreateCourseRequest& r,
                                  Reply<v1::TreatmentCourse> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kPatient);
  absl::Status valid = parent.status();
  if (valid.ok()) valid = ValidateCourse("course", r.course());
  const v1::CourseStatus status = r.course().status();
  if (valid.ok() && status != v1::COURSE_STATUS_UNSPECIFIED &&
      status != v1::COURSE_STATUS_PLANNED &&
      status != v1::COURSE_STATUS_ACTIVE) {
    valid = absl::InvalidArgumentError(
        "course.status: a new course is PLANNED (the default) or ACTIVE");
  }
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::TreatmentCourse>(
      store_, call, clock_, r,
      {*parent, "course_id", r.course_id(), r.course(), r.request_id()},
      [this, parent = *parent](ReadTxn& txn, v1::TreatmentCourse& c,
                               absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(
            RequireLiveParent<v1::Patient>(txn, parent.FullName()).status());
        if (c.status() == v1::COURSE_STATUS_UNSPECIFIED) {
          c.set_status(v1::COURSE_STATUS_PLANNED);
        }
        c.clear_status_history();
        v1::CourseStatusChange* change = c.add_status_history();
        change->set_status(c.status());
        *change->mutable_change_time() = ToProtoTime(now);
        change->set_revision_id(1);
        return CheckCourseWithPlugins(plugins_, txn, parent.clinic, c);
      },
      nullptr,
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifyCourse));
}

absl::StatusOr<v1::TreatmentCourse> RecordsService::GetCourse(
    AuditedCall&, const v1::GetCourseRequest& r) {
  return GetRecord<v1::TreatmentCourse>(store_, r.name(), r.revision_id());
}

absl::StatusOr<v1::ListCoursesResponse> RecordsService::ListCourses(
    AuditedCall&, const v1::ListCoursesRequest& r) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName parent,
      ParseName("parent", r.parent(), NameKind::kPatient, /*wildcards=*/true));
  MNR_RETURN_IF_ERROR(CheckText("responsible_clinician",
                                r.responsible_clinician(), 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(
      CheckEnum("status", r.status(), v1::CourseStatus_IsValid, false));
  RecordQuery query;
  query.kind = RecordKind::kCourse;
  query.clinic = parent.clinic;
  query.patient = parent.PatientName();
  query.actor = r.responsible_clinician();
  if (r.status() != v1::COURSE_STATUS_UNSPECIFIED) query.category = r.status();
  v1::ListCoursesResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    return ListRecordPageInto(txn, query, r, response.mutable_courses(),
                              response.mutable_next_page_token());
  }));
  return response;
}

void RecordsService::AmendCourse(AuditedCall& call,
                                 const v1::AmendCourseRequest& r,
                                 Reply<v1::TreatmentCourse> reply) {
  AmendRecordOnce<v1::TreatmentCourse>(
      store_, call, clock_, r,
      {r.course(), r.update_mask(), r.etag(), r.amendment(), r.request_id()},
      [this, amendment = r.amendment()](
          ReadTxn& txn, const v1::TreatmentCourse& current,
          v1::TreatmentCourse& merged, absl::Time now) -> absl::Status {
        MNR_RETURN_IF_ERROR(ValidateCourse("course", merged));
        MNR_RETURN_IF_ERROR(CheckCourseStatus(merged, amendment));
        merged.mutable_status_history()->CopyFrom(current.status_history());
        if (merged.status() != current.status()) {
          v1::CourseStatusChange* change = merged.add_status_history();
          change->set_status(merged.status());
          *change->mutable_change_time() = ToProtoTime(now);
          change->set_revision_id(current.revision().revision_id() + 1);
        }
        MNR_ASSIGN_OR_RETURN(
            const ResourceName name,
            ParseName("course.name", merged.name(), NameKind::kCourse));
        return CheckCourseWithPlugins(plugins_, txn, name.clinic, merged);
      },
      NotifyAfter(plugins_, std::move(reply),
                  &plugins::PluginHost::NotifyCourse));
}

absl::StatusOr<v1::CourseSummary> RecordsService::GetCourseSummary(
    AuditedCall&, const v1::GetCourseSummaryRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("name", r.name(), NameKind::kCourse));
  v1::CourseSummary summary;
  const absl::Time now = clock_.Now();
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(v1::TreatmentCourse course,
                         LoadRecord<v1::TreatmentCourse>(txn, r.name(), 0));
    RecordQuery sessions;
    sessions.kind = RecordKind::kSession;
    sessions.clinic = name.clinic;
    sessions.course = r.name();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::TreatmentSession> all_sessions,
                         ReadAll<v1::TreatmentSession>(txn, sessions));
    RecordQuery consents;
    consents.kind = RecordKind::kConsent;
    consents.clinic = name.clinic;
    consents.patient = name.PatientName();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> all_consents,
                         ReadAll<v1::Consent>(txn, consents));
    summary = SummarizeCourse(course, all_sessions, all_consents, now);
    RecordQuery photos;
    photos.kind = RecordKind::kPhoto;
    photos.clinic = name.clinic;
    photos.course = r.name();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::OutcomePhoto> all_photos,
                         ReadAll<v1::OutcomePhoto>(txn, photos));
    AddChartDetails(course, all_sessions, all_photos, all_consents, &summary);
    RecordQuery assessments;
    assessments.kind = RecordKind::kOutcomeAssessment;
    assessments.clinic = name.clinic;
    assessments.course = r.name();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::OutcomeAssessment> all_assessments,
                         ReadAll<v1::OutcomeAssessment>(txn, assessments));
    for (v1::OutcomeSummary& outcome : SummarizeOutcomes(all_assessments)) {
      *summary.add_outcomes() = std::move(outcome);
    }
    RecordQuery signatures;
    signatures.kind = RecordKind::kSessionSignature;
    signatures.clinic = name.clinic;
    signatures.course = r.name();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::SessionSignature> all_signatures,
                         ReadAll<v1::SessionSignature>(txn, signatures));
    std::map<std::string, std::vector<v1::SessionSignature>> by_session;
    for (v1::SessionSignature& s : all_signatures) {
      by_session[s.name().substr(0, s.name().rfind("/signatures/"))].push_back(
          std::move(s));
    }
    for (const v1::TreatmentSession& s : all_sessions) {
      if (s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) continue;
      v1::SessionSignOff sign_off =
          SignOffOf(s, by_session[s.name()], now, signature_window_);
      if (sign_off.state() != v1::SIGN_OFF_STATE_SIGNED) {
        *summary.add_unsigned_sessions() = std::move(sign_off);
      }
    }
    return absl::OkStatus();
  }));
  return summary;
}

absl::StatusOr<v1::PairCoursePhotosResponse> RecordsService::PairCoursePhotos(
    AuditedCall&, const v1::PairCoursePhotosRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("name", r.name(), NameKind::kCourse));
  v1::PairCoursePhotosResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(
        LoadRecord<v1::TreatmentCourse>(txn, r.name(), 0).status());
    RecordQuery photos;
    photos.kind = RecordKind::kPhoto;
    photos.clinic = name.clinic;
    photos.course = r.name();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::OutcomePhoto> all_photos,
                         ReadAll<v1::OutcomePhoto>(txn, photos));
    response = PairPhotos(all_photos);
    return absl::OkStatus();
  }));
  return response;
}

// ---- Revisions ----

absl::StatusOr<v1::ListRevisionsResponse> RecordsService::ListRevisions(
    AuditedCall&, const v1::ListRevisionsRequest& r) {
  MNR_RETURN_IF_ERROR(ParseAnyRecordName("name", r.name()).status());
  v1::ListRevisionsResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(
        RecordPage<v1::RevisionInfo> page,
        ListRevisionPage<v1::RevisionInfo>(txn, r.name(), r.page_size(),
                                           r.page_token(), r, RevisionInfoOf));
    MovePage(std::move(page), response.mutable_revisions(),
             response.mutable_next_page_token());
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace mnrecords

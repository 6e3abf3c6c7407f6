// TreatmentRecords: photo use beyond the clinical record (ReleasePhoto,
// ListPhotoReleases, CheckPhotoUse). A release records that a photo was
// used for a purpose; it is stored only when the patient's PHOTOGRAPHY
// consent in force at released_at allows that use of that photo
// (photo_use.h), and it names the consent that did.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/photo_use.h"
#include "server/records/record_list.h"
#include "server/records/record_ops.h"
#include "server/records/record_traits.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {

void RecordsService::ReleasePhoto(AuditedCall& call,
                                  const v1::ReleasePhotoRequest& r,
                                  Reply<v1::PhotoRelease> reply) {
  absl::StatusOr<ResourceName> parent =
      ParseName("parent", r.parent(), NameKind::kPhoto);
  absl::Status valid = parent.status();
  if (valid.ok()) {
    valid = ValidatePhotoRelease("release", r.release(), clock_.Now());
  }
  if (!valid.ok()) return std::move(reply)(valid);
  CreateRecord<v1::PhotoRelease>(
      store_, call, clock_, r,
      {*parent, "release_id", r.release_id(), r.release(), r.request_id()},
      [parent = *parent](ReadTxn& txn, v1::PhotoRelease& release,
                         absl::Time) -> absl::Status {
        MNR_ASSIGN_OR_RETURN(
            const v1::OutcomePhoto photo,
            RequireLiveParent<v1::OutcomePhoto>(txn, parent.FullName()));
        MNR_ASSIGN_OR_RETURN(
            const v1::PhotoUsePermission permission,
            PhotoUsePermissionAt(txn, parent.clinic, parent.PatientName(),
                                 photo, release.purpose(),
                                 FromProtoTime(release.released_at())));
        if (!permission.allowed()) {
          return absl::FailedPreconditionError(
              absl::StrCat("release.purpose: ", PhotoUseName(release.purpose()),
                           " is not allowed: ", permission.reason()));
        }
        release.set_consent(permission.consent());
        release.set_identifiable(photo.identifiable());
        release.set_photo_revision_id(photo.revision().revision_id());
        return absl::OkStatus();
      },
      nullptr, std::move(reply));
}

absl::StatusOr<v1::ListPhotoReleasesResponse> RecordsService::ListPhotoReleases(
    AuditedCall&, const v1::ListPhotoReleasesRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName photo,
                       ParseName("parent", r.parent(), NameKind::kPhoto));
  RecordQuery query = QueryUnder(photo, RecordKind::kPhotoRelease);
  query.terms = {PhotoReleaseTerm(photo.FullName())};
  v1::ListPhotoReleasesResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(
        LoadRecord<v1::OutcomePhoto>(txn, photo.FullName(), 0).status());
    return ListRecordPageInto(txn, query, r, response.mutable_releases(),
                              response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<v1::CheckPhotoUseResponse> RecordsService::CheckPhotoUse(
    AuditedCall&, const v1::CheckPhotoUseRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName name,
                       ParseName("name", r.name(), NameKind::kPhoto));
  absl::Time at = clock_.Now();
  if (r.has_at()) {
    MNR_RETURN_IF_ERROR(CheckTime("at", true, r.at(), true));
    at = FromProtoTime(r.at());
  }
  v1::CheckPhotoUseResponse response;
  response.set_photo(name.FullName());
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(
        const v1::OutcomePhoto photo,
        RequireLiveParent<v1::OutcomePhoto>(txn, name.FullName()));
    response.set_identifiable(photo.identifiable());
    for (v1::PhotoUse use :
         {v1::PHOTO_USE_CLINICAL_RECORD, v1::PHOTO_USE_INTERNAL_TEACHING,
          v1::PHOTO_USE_EXTERNAL_PUBLICATION}) {
      MNR_ASSIGN_OR_RETURN(
          *response.add_uses(),
          PhotoUsePermissionAt(txn, name.clinic, name.PatientName(), photo, use,
                               at));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace mnrecords

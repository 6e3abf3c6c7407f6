// TreatmentRecords.ExportPatientRecord: a patient's records in an exchange
// format, through an exporter (plugins/exporter.h).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/service/export_snapshot.h"
#include "server/service/records_service.h"
#include "server/validation/resource_names.h"

namespace mnrecords {

absl::StatusOr<v1::ExportPatientRecordResponse>
RecordsService::ExportPatientRecord(AuditedCall&,
                                    const v1::ExportPatientRecordRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName patient,
                       ParseName("name", r.name(), NameKind::kPatient));
  if (!r.course().empty()) {
    MNR_ASSIGN_OR_RETURN(const ResourceName course,
                         ParseName("course", r.course(), NameKind::kCourse));
    if (course.PatientName() != patient.PatientName()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "course: ", r.course(), " is not a course of ", r.name()));
    }
  }
  if (r.format().empty()) {
    return absl::InvalidArgumentError("format: required (e.g. \"fhir-r4\")");
  }
  static const plugins::ExporterRegistry* const kNone =
      new plugins::ExporterRegistry();
  MNR_ASSIGN_OR_RETURN(
      const plugins::Exporter* exporter,
      (exporters_ != nullptr ? exporters_ : kNone)->Find(r.format()));
  plugins::ExportSnapshot snapshot;
  const absl::Time now = clock_.Now();
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(snapshot,
                         GatherExportSnapshot(txn, patient, r.course(), now));
    return absl::OkStatus();
  }));
  MNR_ASSIGN_OR_RETURN(std::string content, exporter->Export(snapshot));
  v1::ExportPatientRecordResponse response;
  response.set_format(r.format());
  response.set_media_type(exporter->media_type());
  response.set_content(std::move(content));
  return response;
}

}  // namespace mnrecords

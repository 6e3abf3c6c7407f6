// GatherExportSnapshot reads what an exporter sees (plugins/exporter.h): a
// patient's courses, sessions, photos and consents with every revision, and
// the instruction text revisions they refer to, inside the caller's one
// read transaction so the export is consistent.
#ifndef MNRECORDS_SERVER_SERVICE_EXPORT_SNAPSHOT_H_
#define MNRECORDS_SERVER_SERVICE_EXPORT_SNAPSHOT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "plugins/api/exporter.h"
#include "server/store/store.h"
#include "server/validation/resource_names.h"

namespace mnrecords {

// GatherExportSnapshot collects `patient`'s records, or only `course`'s
// (and the patient's consents) when `course` is not empty. Consents report
// their state as of `now` (EXPIRED derived). NOT_FOUND naming the patient or
// course if it does not exist.
absl::StatusOr<plugins::ExportSnapshot> GatherExportSnapshot(
    ReadTxn& txn, const ResourceName& patient, const std::string& course,
    absl::Time now);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_EXPORT_SNAPSHOT_H_

// csv: one page of audit events as CSV for spreadsheets (RFC 4180: comma
// separated, CRLF line ends, fields with a comma, quote or line break in
// double quotes, quotes doubled; UTF-8, media type text/csv). The first
// line names the columns (kAuditCsvColumns). A cell that a spreadsheet
// would read as a formula (starting with =, +, -, @, tab or carriage
// return) is prefixed with a single quote, so opening an export never runs
// anything a caller put in a field.
#ifndef MNRECORDS_PLUGINS_AUDIT_CSV_AUDIT_CSV_EXPORTER_H_
#define MNRECORDS_PLUGINS_AUDIT_CSV_AUDIT_CSV_EXPORTER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "plugins/api/audit_exporter.h"

namespace mnrecords::audit_csv {

inline constexpr absl::string_view kAuditCsvFormat = "csv";

// kAuditCsvColumns is the header line (without its CRLF). patients holds
// the patients the call disclosed (or the patient its resource names),
// separated by spaces.
inline constexpr absl::string_view kAuditCsvColumns =
    "sequence,event_time,principal,role,action,clinic,resource,outcome,"
    "outcome_name,peer,request_id,patients,records_disclosed,hash,prev_hash";

// CsvField returns `value` as one CSV field (quoted, escaped and
// formula-guarded as above).
std::string CsvField(absl::string_view value);

class AuditCsvExporter : public plugins::AuditExporter {
 public:
  std::string media_type() const override { return "text/csv"; }
  absl::StatusOr<std::string> Export(
      const plugins::AuditExportPage& page) const override;
};

// RegisterAuditCsvExporter registers "csv" (the registry's error if it is
// registered already).
absl::Status RegisterAuditCsvExporter(plugins::AuditExporterRegistry& registry);

}  // namespace mnrecords::audit_csv

#endif  // MNRECORDS_PLUGINS_AUDIT_CSV_AUDIT_CSV_EXPORTER_H_

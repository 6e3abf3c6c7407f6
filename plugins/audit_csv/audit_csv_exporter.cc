#include "plugins/audit_csv/audit_csv_exporter.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace mnrecords::audit_csv {
namespace {

std::string Rfc3339(const google::protobuf::Timestamp& ts) {
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

// PatientsOf: the disclosed patients, else the patient the resource names.
std::string PatientsOf(const plugins::v1::AuditEvent& e) {
  if (e.has_records_accessed()) {
    return absl::StrJoin(e.records_accessed().patients(), " ");
  }
  return e.patient();
}

}  // namespace

std::string CsvField(absl::string_view value) {
  std::string cell;
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
       value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
    cell.push_back('\'');
  }
  cell.append(value.data(), value.size());
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

absl::StatusOr<std::string> AuditCsvExporter::Export(
    const plugins::AuditExportPage& page) const {
  std::string out = absl::StrCat(kAuditCsvColumns, "\r\n");
  for (const plugins::v1::AuditEvent& e : page.events) {
    const std::vector<std::string> fields = {
        absl::StrCat(e.sequence()),
        Rfc3339(e.event_time()),
        e.principal(),
        e.role(),
        e.action(),
        e.clinic(),
        e.resource(),
        absl::StrCat(e.outcome()),
        e.outcome_name(),
        e.peer(),
        e.request_id(),
        PatientsOf(e),
        e.has_records_accessed()
            ? absl::StrCat(e.records_accessed().record_count())
            : "",
        e.hash(),
        e.prev_hash()};
    std::vector<std::string> cells;
    cells.reserve(fields.size());
    for (const std::string& f : fields) cells.push_back(CsvField(f));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\r\n");
  }
  return out;
}

absl::Status RegisterAuditCsvExporter(
    plugins::AuditExporterRegistry& registry) {
  return registry.Register(std::string(kAuditCsvFormat),
                           std::make_unique<AuditCsvExporter>());
}

}  // namespace mnrecords::audit_csv

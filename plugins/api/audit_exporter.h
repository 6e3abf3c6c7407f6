// AuditExporter: the narrow interface through which an audit export format
// (FHIR R4 AuditEvent, CSV) sees the audit log. It gets one page of events
// the Audit service listed — already filtered and authorized, the export
// call itself audited around it — and returns that page as a document. It
// cannot read or write the store.
//
// Thread safety: Export is const and may be called concurrently.
#ifndef MNRECORDS_PLUGINS_API_AUDIT_EXPORTER_H_
#define MNRECORDS_PLUGINS_API_AUDIT_EXPORTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/audit_service.pb.h"
#include "plugins/api/format_registry.h"

namespace mnrecords::plugins {

namespace v1 = ::clinic::microneedling::v1;

// AuditExportPage is one page of an audit export.
struct AuditExportPage {
  // The clinic id the events were listed under ("-" for the calls that
  // named no clinic).
  std::string clinic;
  // The events, in the order listed.
  std::vector<v1::AuditEvent> events;
};

class AuditExporter {
 public:
  virtual ~AuditExporter() = default;

  // media_type is the MIME type of what Export returns.
  virtual std::string media_type() const = 0;

  // Export turns one page into a document that stands on its own (a CSV
  // page has its header line, a FHIR page is a whole Bundle). INTERNAL if
  // an event cannot be represented (a bug, not bad input).
  virtual absl::StatusOr<std::string> Export(
      const AuditExportPage& page) const = 0;
};

// AuditExporterRegistry: the audit export formats a server offers.
using AuditExporterRegistry = FormatRegistry<AuditExporter>;

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_AUDIT_EXPORTER_H_

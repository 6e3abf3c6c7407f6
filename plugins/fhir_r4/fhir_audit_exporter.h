// fhir-r4 for the audit log: one page of audit events as a FHIR R4 Bundle
// (type "collection") of AuditEvent resources, shaped after IHE's Basic
// Audit Log Patterns (BALP): who (the principal and its role as the
// requesting agent, with its network address), what (the action, the
// resource named, every patient whose records the call disclosed as a
// Patient-role entity), when, the outcome, and the server as the source.
// docs/fhir-mapping.md ("Audit events as FHIR AuditEvent") maps every field
// and code. The output depends only on the page, so exporting the same
// events twice gives the same bytes.
#ifndef MNRECORDS_PLUGINS_FHIR_R4_FHIR_AUDIT_EXPORTER_H_
#define MNRECORDS_PLUGINS_FHIR_R4_FHIR_AUDIT_EXPORTER_H_

#include <string>

#include "absl/status/status.h"
#include "plugins/api/audit_exporter.h"
#include "plugins/fhir_r4/fhir_terms.h"

namespace mnrecords::fhir_r4 {

// AuditEventOf is the FHIR AuditEvent of one of our audit events.
Json AuditEventOf(const plugins::v1::AuditEvent& event);

class FhirR4AuditExporter : public plugins::AuditExporter {
 public:
  std::string media_type() const override;
  absl::StatusOr<std::string> Export(
      const plugins::AuditExportPage& page) const override;
};

// RegisterFhirR4AuditExporter registers "fhir-r4" (the registry's error if
// it is registered already).
absl::Status RegisterFhirR4AuditExporter(
    plugins::AuditExporterRegistry& registry);

}  // namespace mnrecords::fhir_r4

#endif  // MNRECORDS_PLUGINS_FHIR_R4_FHIR_AUDIT_EXPORTER_H_

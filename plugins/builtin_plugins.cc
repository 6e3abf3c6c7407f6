#include "plugins/builtin_plugins.h"

#include "common/status_macros.h"
#include "plugins/audit_csv/audit_csv_exporter.h"
#include "plugins/fhir_r4/fhir_audit_exporter.h"
#include "plugins/fhir_r4/fhir_exporter.h"
#include "plugins/microneedling_protocol/protocol_plugin.h"

namespace mnrecords::plugins {

absl::Status RegisterBuiltinPlugins(PluginRegistry& registry) {
  return RegisterMicroneedlingProtocolPlugin(registry);
}

PluginConfigs EffectivePluginConfigs(const PluginConfigs& configured) {
  if (!configured.empty()) return configured;
  PluginConfigs defaults;
  defaults.Add()->set_name(kMicroneedlingProtocolName);
  return defaults;
}

absl::Status RegisterBuiltinExporters(ExporterRegistry& registry) {
  return fhir_r4::RegisterFhirR4Exporter(registry);
}

absl::Status RegisterBuiltinAuditExporters(AuditExporterRegistry& registry) {
  MNR_RETURN_IF_ERROR(fhir_r4::RegisterFhirR4AuditExporter(registry));
  return audit_csv::RegisterAuditCsvExporter(registry);
}

}  // namespace mnrecords::plugins

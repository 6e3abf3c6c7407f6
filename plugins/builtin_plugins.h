// The one list of plugins and export formats shipped with mnrecords, and the
// plugin config the server uses when its config file lists none.
#ifndef MNRECORDS_PLUGINS_BUILTIN_PLUGINS_H_
#define MNRECORDS_PLUGINS_BUILTIN_PLUGINS_H_

#include "absl/status/status.h"
#include "plugins/api/audit_exporter.h"
#include "plugins/api/exporter.h"
#include "plugins/api/plugin_host.h"
#include "plugins/api/plugin_registry.h"

namespace mnrecords::plugins {

// RegisterBuiltinPlugins registers every shipped plugin:
// microneedling-protocol.
absl::Status RegisterBuiltinPlugins(PluginRegistry& registry);

// EffectivePluginConfigs: `configured` if it lists any plugin, else the
// default: microneedling-protocol with its default settings.
PluginConfigs EffectivePluginConfigs(const PluginConfigs& configured);

// RegisterBuiltinExporters registers every shipped export format: fhir-r4.
absl::Status RegisterBuiltinExporters(ExporterRegistry& registry);

// RegisterBuiltinAuditExporters registers every shipped audit export
// format: fhir-r4 and csv.
absl::Status RegisterBuiltinAuditExporters(AuditExporterRegistry& registry);

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_BUILTIN_PLUGINS_H_

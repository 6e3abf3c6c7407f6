#include "plugins/builtin_plugins.h"

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

}  // namespace mnrecords::plugins

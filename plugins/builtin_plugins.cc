#include "plugins/builtin_plugins.h"

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

}  // namespace mnrecords::plugins

// The microneedling-protocol plugin: the treatment protocol's rules as
// checks (protocol_rules.h) with the clinic's settings
// (protocol_settings.h). README "Plugins" lists its codes and settings.
#ifndef MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_PLUGIN_H_
#define MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_PLUGIN_H_

#include "absl/status/status.h"
#include "plugins/api/plugin_registry.h"

namespace mnrecords::plugins {

inline constexpr char kMicroneedlingProtocolName[] = "microneedling-protocol";

// RegisterMicroneedlingProtocolPlugin adds "microneedling-protocol".
// ALREADY_EXISTS if it is registered already.
absl::Status RegisterMicroneedlingProtocolPlugin(PluginRegistry& registry);

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_PLUGIN_H_

// PluginRegistry: the names plugins can be enabled by, each with a factory
// that builds the plugin from its config. Registration is explicit (no
// static self-registration): builtin_plugins.h registers the shipped ones,
// a test may build its own registry with extra plugins.
//
// Thread safety: register everything before use; const methods may then be
// called concurrently.
#ifndef MNRECORDS_PLUGINS_API_PLUGIN_REGISTRY_H_
#define MNRECORDS_PLUGINS_API_PLUGIN_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "plugins/api/plugin.h"

namespace mnrecords::plugins {

namespace config = ::mnrecords::config::v1;

// PluginFactory builds a plugin from its config entry, or returns
// INVALID_ARGUMENT naming the bad param. Severity overrides are the host's
// business (plugin_host.h); the factory reads only `param` and
// `clinic[].param`.
using PluginFactory = std::function<absl::StatusOr<std::unique_ptr<Plugin>>(
    const config::PluginConfig&)>;

class PluginRegistry {
 public:
  // Register adds `name`. ALREADY_EXISTS if the name is registered already;
  // INVALID_ARGUMENT if the name is empty.
  absl::Status Register(const std::string& name, PluginFactory factory);

  // Create builds the plugin `config.name()`. INVALID_ARGUMENT naming the
  // registered plugins if the name is unknown; the factory's error
  // otherwise.
  absl::StatusOr<std::unique_ptr<Plugin>> Create(
      const config::PluginConfig& config) const;

  // names lists the registered names in order.
  std::vector<std::string> names() const;

 private:
  std::map<std::string, PluginFactory> factories_;
};

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_PLUGIN_REGISTRY_H_

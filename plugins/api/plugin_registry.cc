#include "plugins/api/plugin_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mnrecords::plugins {

absl::Status PluginRegistry::Register(const std::string& name,
                                      PluginFactory factory) {
  if (name.empty()) {
    return absl::InvalidArgumentError("a plugin needs a non-empty name");
  }
  if (!factories_.emplace(name, std::move(factory)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("plugin \"", name, "\" is registered twice"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Plugin>> PluginRegistry::Create(
    const config::PluginConfig& config) const {
  auto it = factories_.find(config.name());
  if (it == factories_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown plugin \"", config.name(),
                     "\" (registered: ", absl::StrJoin(names(), ", "), ")"));
  }
  return it->second(config);
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) out.push_back(name);
  return out;
}

}  // namespace mnrecords::plugins

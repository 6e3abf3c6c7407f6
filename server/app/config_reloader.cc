#include "server/app/config_reloader.h"

#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "plugins/builtin_plugins.h"
#include "server/config/config_loader.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;
using mnrecords::config::v1::ServerConfig;

// The settings only a start applies that `next` changes.
std::vector<std::string> RestartRequired(const ServerConfig& started,
                                         const ServerConfig& next) {
  std::vector<std::string> changed;
  if (started.backup_dir() != next.backup_dir()) {
    changed.push_back("backup_dir");
  }
  if (started.request_id_retention_hours() !=
      next.request_id_retention_hours()) {
    changed.push_back("request_id_retention_hours");
  }
  return changed;
}

}  // namespace

ConfigReloader::ConfigReloader(std::string path, ServerConfig started_with,
                               Authenticator& authenticator,
                               plugins::PluginHost& plugins,
                               const plugins::PluginRegistry& registry,
                               const Clock& clock)
    : path_(std::move(path)),
      authenticator_(authenticator),
      plugins_(plugins),
      registry_(registry),
      clock_(clock),
      started_with_(std::move(started_with)) {}

absl::StatusOr<v1::ReloadConfigResponse> ConfigReloader::Reload() {
  absl::MutexLock lock(&mu_);
  // Every check runs before anything is applied.
  absl::StatusOr<v1::ReloadConfigResponse> applied =
      [&]() -> absl::StatusOr<v1::ReloadConfigResponse> {
    MNR_ASSIGN_OR_RETURN(const std::string text, ReadConfigFile(path_));
    MNR_ASSIGN_OR_RETURN(const ServerConfig next,
                         ParseServerConfig(text, path_));
    if (next.principals().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_,
                       " lists no principals: nobody could call, not even to "
                       "reload a fixed file"));
    }
    MNR_ASSIGN_OR_RETURN(
        std::unique_ptr<plugins::PluginHost> next_plugins,
        plugins::PluginHost::Build(
            registry_, plugins::EffectivePluginConfigs(next.plugins())));
    authenticator_.Replace(next);
    plugins_.Replace(*next_plugins);

    v1::ReloadConfigResponse response;
    response.set_config_sha256(Sha256Hex(text));
    response.set_principal_count(next.principals_size());
    for (const std::string& name : plugins_.names()) {
      response.add_plugins(name);
    }
    for (std::string& field : RestartRequired(started_with_, next)) {
      response.add_restart_required(std::move(field));
    }
    *response.mutable_reload_time() = ToProtoTime(clock_.Now());
    return response;
  }();
  if (!applied.ok()) {
    std::cerr << "mnrecords_server: config reload refused, the running "
                 "configuration stays: "
              << applied.status().message() << std::endl;
    return absl::FailedPreconditionError(
        absl::StrCat("the config file was refused and the running "
                     "configuration stays: ",
                     applied.status().message()));
  }
  std::cout << "mnrecords_server: config reloaded from " << path_ << " (sha256 "
            << applied->config_sha256() << ", " << applied->principal_count()
            << " principals, plugins: "
            << absl::StrJoin(applied->plugins(), ", ")
            << (applied->restart_required().empty()
                    ? ""
                    : absl::StrCat(
                          "; at the next start only: ",
                          absl::StrJoin(applied->restart_required(), ", ")))
            << ")" << std::endl;
  return applied;
}

}  // namespace mnrecords

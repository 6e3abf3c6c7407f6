// ConfigReloader applies the server's configuration file again while the
// server runs (Admin.ReloadConfig and SIGHUP). The principals (tokens,
// roles, clinics, certificate subjects) and the plugin settings change in
// place: calls admitted afterwards see the new ones, calls in flight finish
// with the old. Everything else in the file applies only at start and is
// reported as restart_required when it changed. A file that cannot be read,
// fails a check or lists no principals changes nothing.
#ifndef MNRECORDS_SERVER_APP_CONFIG_RELOADER_H_
#define MNRECORDS_SERVER_APP_CONFIG_RELOADER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "clinic/microneedling/v1/admin_service.pb.h"
#include "common/clock.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "plugins/api/plugin_host.h"
#include "plugins/api/plugin_registry.h"
#include "server/auth/authenticator.h"

namespace mnrecords {

class ConfigReloader {
 public:
  // `path` is the file the server started with, `started_with` what it
  // held then. The references must outlive this.
  ConfigReloader(std::string path,
                 mnrecords::config::v1::ServerConfig started_with,
                 Authenticator& authenticator, plugins::PluginHost& plugins,
                 const plugins::PluginRegistry& registry, const Clock& clock);

  // Reload reads, checks and applies the file, one reload at a time, and
  // logs the outcome on standard error. FAILED_PRECONDITION naming the
  // reason when the file is refused (the running configuration stays).
  absl::StatusOr<clinic::microneedling::v1::ReloadConfigResponse> Reload();

 private:
  const std::string path_;
  Authenticator& authenticator_;
  plugins::PluginHost& plugins_;
  const plugins::PluginRegistry& registry_;
  const Clock& clock_;
  absl::Mutex mu_;
  // The file as it was at start: what only a restart applies is compared
  // with it.
  const mnrecords::config::v1::ServerConfig started_with_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_APP_CONFIG_RELOADER_H_

#include "plugins/microneedling_protocol/protocol_plugin.h"

#include <memory>
#include <utility>

#include "plugins/microneedling_protocol/protocol_rules.h"
#include "plugins/microneedling_protocol/protocol_settings.h"

namespace mnrecords::plugins {
namespace microneedling_protocol {
namespace {

class ProtocolPlugin : public Plugin {
 public:
  std::vector<FindingCode> codes() const override { return ProtocolCodes(); }
  std::vector<ParamInfo> params() const override { return ProtocolParams(); }
  absl::Status ValidateParams(const PluginParams& params) const override {
    return ParseSettings(params).status();
  }

  std::vector<PluginFinding> CheckCourse(const CourseView& v) const override {
    return microneedling_protocol::CheckCourse(v, SettingsOf(v));
  }
  std::vector<PluginFinding> CheckSession(const SessionView& v) const override {
    return microneedling_protocol::CheckSession(v, SettingsOf(v));
  }
  std::vector<PluginFinding> CheckPhoto(const PhotoView& v) const override {
    return microneedling_protocol::CheckPhoto(v);
  }

 private:
  // SettingsOf parses the params the host resolved for the view. The host
  // validated them with ValidateParams when they were configured or
  // published, so parsing cannot fail; the defaults stand in if it did.
  template <typename View>
  static Settings SettingsOf(const View& v) {
    if (v.params == nullptr) return Settings();
    absl::StatusOr<Settings> parsed = ParseSettings(*v.params);
    return parsed.ok() ? *std::move(parsed) : Settings();
  }
};

}  // namespace
}  // namespace microneedling_protocol

absl::Status RegisterMicroneedlingProtocolPlugin(PluginRegistry& registry) {
  // The params are the host's business (params(), ValidateParams): the
  // plugin itself holds no settings.
  return registry.Register(
      kMicroneedlingProtocolName,
      [](const config::PluginConfig&)
          -> absl::StatusOr<std::unique_ptr<Plugin>> {
        return std::make_unique<microneedling_protocol::ProtocolPlugin>();
      });
}

}  // namespace mnrecords::plugins

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
  explicit ProtocolPlugin(ProtocolSettings settings)
      : settings_(std::move(settings)) {}

  std::vector<FindingCode> codes() const override { return ProtocolCodes(); }

  std::vector<PluginFinding> CheckCourse(const CourseView& v) const override {
    return microneedling_protocol::CheckCourse(v);
  }
  std::vector<PluginFinding> CheckSession(const SessionView& v) const override {
    return microneedling_protocol::CheckSession(v, settings_.For(v.clinic));
  }
  std::vector<PluginFinding> CheckPhoto(const PhotoView& v) const override {
    return microneedling_protocol::CheckPhoto(v);
  }

 private:
  ProtocolSettings settings_;
};

}  // namespace
}  // namespace microneedling_protocol

absl::Status RegisterMicroneedlingProtocolPlugin(PluginRegistry& registry) {
  return registry.Register(
      kMicroneedlingProtocolName,
      [](const config::PluginConfig& c)
          -> absl::StatusOr<std::unique_ptr<Plugin>> {
        absl::StatusOr<microneedling_protocol::ProtocolSettings> settings =
            microneedling_protocol::ProtocolSettings::Parse(c);
        if (!settings.ok()) return settings.status();
        return std::make_unique<microneedling_protocol::ProtocolPlugin>(
            *std::move(settings));
      });
}

}  // namespace mnrecords::plugins

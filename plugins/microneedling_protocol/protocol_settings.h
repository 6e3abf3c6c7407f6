// The microneedling-protocol plugin's settings: the params of its config
// entry (plugin-wide, then per clinic), parsed and checked.
#ifndef MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_
#define MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "mnrecords/config/v1/server_config.pb.h"

namespace mnrecords::plugins::microneedling_protocol {

namespace v1 = ::clinic::microneedling::v1;

// A needle depth range in mm, both ends allowed.
struct DepthRange {
  double min_mm = 0;
  double max_mm = 0;
};

// Settings of one clinic.
struct Settings {
  // prep_stop_days: retinoids, exfoliants and acids must have been stopped
  // at least this many days before a session (default 3).
  int prep_stop_days = 3;
  // lot_expiry_warning_days: a cartridge lot that expires within this many
  // days after a session is reported (MNP-CARTRIDGE-LOT-EXPIRING); 0 turns
  // the warning off. The default of 30 is an operational choice of
  // mnrecords, not a clinical rule: the clinic sets its own.
  int lot_expiry_warning_days = 30;
  // needle_depth_mm.<area>: the clinic's range per treated body area; an
  // area without a range is not checked.
  std::map<v1::BodyArea, DepthRange> depth_ranges;
};

// ProtocolSettings: plugin-wide settings and per-clinic ones.
class ProtocolSettings {
 public:
  // Parse reads `param` and `clinic[].param` of `config`. INVALID_ARGUMENT
  // naming the param for an unknown key, a bad value or a key listed twice.
  static absl::StatusOr<ProtocolSettings> Parse(
      const mnrecords::config::v1::PluginConfig& config);

  // For returns the settings of `clinic` (its own, else plugin-wide).
  const Settings& For(absl::string_view clinic) const;

 private:
  Settings defaults_;
  std::map<std::string, Settings, std::less<>> clinics_;
};

}  // namespace mnrecords::plugins::microneedling_protocol

#endif  // MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_

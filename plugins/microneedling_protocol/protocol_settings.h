// The microneedling-protocol plugin's settings: every threshold its rules
// use, declared with the protocol's values as defaults (ProtocolParams) and
// parsed from the params a clinic's settings resolve to (ParseSettings).
#ifndef MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_
#define MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_

#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "plugins/api/plugin.h"

namespace mnrecords::plugins::microneedling_protocol {

namespace v1 = ::clinic::microneedling::v1;

// A needle depth range in mm, both ends allowed.
struct DepthRange {
  double min_mm = 0;
  double max_mm = 0;
};

// A whole-number range, both ends allowed.
struct IntRange {
  int min = 0;
  int max = 0;
};

// Settings of one clinic. The defaults are the protocol's values (and, for
// lot_expiry_warning_days, an operational choice of mnrecords).
struct Settings {
  IntRange planned_sessions{3, 6};
  IntRange session_interval_days{28, 42};
  IntRange session_duration_minutes{30, 60};
  // Whether the clinic's recorded duration_minutes includes the numbing
  // contact time. The protocol's 30-60 minutes are the procedure itself,
  // so when it does, the numbing contact minutes are subtracted first.
  bool duration_includes_numbing = false;
  int isotretinoin_months = 6;
  int prep_stop_days = 3;
  int lot_expiry_warning_days = 30;
  // A screening older than this many days at a session is reported.
  int screening_valid_days = 90;
  // needle_depth_mm.<area>: the clinic's range per treated body area; an
  // area without a range is not checked.
  std::map<v1::BodyArea, DepthRange> depth_ranges;
};

// ProtocolParams declares every param with its default and meaning.
std::vector<ParamInfo> ProtocolParams();

// ParseSettings reads resolved params (defaults included). INVALID_ARGUMENT
// starting with the key for an unknown key or a malformed value.
absl::StatusOr<Settings> ParseSettings(const PluginParams& params);

}  // namespace mnrecords::plugins::microneedling_protocol

#endif  // MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_SETTINGS_H_

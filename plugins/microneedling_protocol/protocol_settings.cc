#include "plugins/microneedling_protocol/protocol_settings.h"

#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mnrecords::plugins::microneedling_protocol {
namespace {

namespace config = ::mnrecords::config::v1;

constexpr absl::string_view kDepthPrefix = "needle_depth_mm.";

// ParseArea maps "cheek" / "full_face" to the BodyArea enum.
bool ParseArea(absl::string_view text, v1::BodyArea* area) {
  const std::string name =
      absl::StrCat("BODY_AREA_", absl::AsciiStrToUpper(text));
  return v1::BodyArea_Parse(name, area) && *area != v1::BODY_AREA_UNSPECIFIED;
}

// ParseDays reads a whole number of days 0..365 into `days`.
absl::Status ParseDays(const std::string& field, const std::string& value,
                       int* days) {
  int parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < 0 || parsed > 365) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be a whole number of days 0..365, got \"", value, "\""));
  }
  *days = parsed;
  return absl::OkStatus();
}

absl::Status ApplyParams(
    const std::string& where,
    const google::protobuf::RepeatedPtrField<config::PluginParam>& params,
    Settings* s) {
  std::set<std::string> seen;
  for (int i = 0; i < params.size(); ++i) {
    const config::PluginParam& p = params.Get(i);
    const std::string field =
        absl::StrCat(where, ".param[", i, "] (", p.key(), ")");
    if (!seen.insert(p.key()).second) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": listed twice"));
    }
    if (p.key() == "prep_stop_days") {
      absl::Status parsed = ParseDays(field, p.value(), &s->prep_stop_days);
      if (!parsed.ok()) return parsed;
      continue;
    }
    if (p.key() == "lot_expiry_warning_days") {
      absl::Status parsed =
          ParseDays(field, p.value(), &s->lot_expiry_warning_days);
      if (!parsed.ok()) return parsed;
      continue;
    }
    if (absl::StartsWith(p.key(), kDepthPrefix)) {
      v1::BodyArea area;
      if (!ParseArea(p.key().substr(kDepthPrefix.size()), &area)) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": unknown body area (use e.g. needle_depth_mm.cheek)"));
      }
      std::vector<std::string> ends = absl::StrSplit(p.value(), '-');
      DepthRange range;
      if (ends.size() != 2 || !absl::SimpleAtod(ends[0], &range.min_mm) ||
          !absl::SimpleAtod(ends[1], &range.max_mm) || range.min_mm <= 0 ||
          range.max_mm < range.min_mm) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": must be \"MIN-MAX\" in mm with 0 < MIN <= MAX, got \"",
            p.value(), "\""));
      }
      s->depth_ranges[area] = range;
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ": unknown param (known: prep_stop_days, lot_expiry_warning_days, "
        "needle_depth_mm.<area>)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProtocolSettings> ProtocolSettings::Parse(
    const config::PluginConfig& c) {
  ProtocolSettings settings;
  absl::Status s =
      ApplyParams("microneedling-protocol", c.param(), &settings.defaults_);
  if (!s.ok()) return s;
  for (int i = 0; i < c.clinic_size(); ++i) {
    Settings clinic = settings.defaults_;
    s = ApplyParams(absl::StrCat("microneedling-protocol.clinic[", i, "]"),
                    c.clinic(i).param(), &clinic);
    if (!s.ok()) return s;
    settings.clinics_[c.clinic(i).clinic()] = std::move(clinic);
  }
  return settings;
}

const Settings& ProtocolSettings::For(absl::string_view clinic) const {
  auto it = clinics_.find(clinic);
  return it == clinics_.end() ? defaults_ : it->second;
}

}  // namespace mnrecords::plugins::microneedling_protocol

#include "plugins/microneedling_protocol/protocol_settings.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mnrecords::plugins::microneedling_protocol {
namespace {

constexpr char kDepthPrefix[] = "needle_depth_mm.";

// ParseArea maps "cheek" / "full_face" to the BodyArea enum.
bool ParseArea(absl::string_view text, v1::BodyArea* area) {
  const std::string name =
      absl::StrCat("BODY_AREA_", absl::AsciiStrToUpper(text));
  return v1::BodyArea_Parse(name, area) && *area != v1::BODY_AREA_UNSPECIFIED;
}

// ParseWhole reads a whole number lo..hi of `unit` into `out`.
absl::Status ParseWhole(const std::string& key, const std::string& value,
                        int lo, int hi, absl::string_view unit, int* out) {
  int parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < lo || parsed > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": must be a whole number of ", unit, " ", lo, "..",
                     hi, ", got \"", value, "\""));
  }
  *out = parsed;
  return absl::OkStatus();
}

// ParseRange reads "MIN-MAX", whole numbers lo <= MIN <= MAX <= hi.
absl::Status ParseRange(const std::string& key, const std::string& value,
                        int lo, int hi, absl::string_view unit, IntRange* out) {
  std::vector<std::string> ends = absl::StrSplit(value, '-');
  IntRange r;
  if (ends.size() != 2 || !absl::SimpleAtoi(ends[0], &r.min) ||
      !absl::SimpleAtoi(ends[1], &r.max) || r.min < lo || r.max > hi ||
      r.max < r.min) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": must be \"MIN-MAX\" in ", unit, " with ", lo,
                     " <= MIN <= MAX <= ", hi, ", got \"", value, "\""));
  }
  *out = r;
  return absl::OkStatus();
}

}  // namespace

std::vector<ParamInfo> ProtocolParams() {
  return {
      {"planned_sessions", "3-6",
       "sessions a course may plan (MIN-MAX); MNP-COURSE-LENGTH outside it"},
      {"session_interval_days", "28-42",
       "days between sessions a course may plan (MIN-MAX); "
       "MNP-COURSE-INTERVAL when a course plans an interval outside it. "
       "Sessions are spaced by the course's own planned interval"},
      {"session_duration_minutes", "30-60",
       "length of the procedure itself, without numbing (MIN-MAX); "
       "MNP-SESSION-DURATION outside it"},
      {"duration_includes_numbing", "false",
       "true if the clinic records duration_minutes including the numbing "
       "contact time: the rule then subtracts numbing.contact_minutes "
       "before comparing with session_duration_minutes"},
      {"isotretinoin_months", "6",
       "isotretinoin must have been stopped at least this many calendar "
       "months before a session (MNP-PREP-ISOTRETINOIN)"},
      {"prep_stop_days", "3",
       "retinoids, exfoliants and acids must have been stopped at least "
       "this many days before a session (MNP-PREP-TOPICALS)"},
      {"lot_expiry_warning_days", "30",
       "a cartridge lot expiring within this many days after a session is "
       "reported (MNP-CARTRIDGE-LOT-EXPIRING; 0 = off). An operational "
       "choice of mnrecords, not a clinical rule"},
      {"screening_valid_days", "90",
       "a contraindication screening older than this many days (1..3650) at "
       "a session is reported (MNP-SCREENING-EXPIRED). An operational "
       "choice of mnrecords, not a clinical rule"},
      {kDepthPrefix, "",
       "needle_depth_mm.<area> = MIN-MAX in mm: the clinic's depth range for "
       "a body area (lower-case BodyArea name); MNP-NEEDLE-DEPTH outside it"},
  };
}

absl::StatusOr<Settings> ParseSettings(const PluginParams& params) {
  Settings s;
  for (const auto& [key, value] : params) {
    absl::Status parsed;
    if (key == "planned_sessions") {
      parsed = ParseRange(key, value, 1, 50, "sessions", &s.planned_sessions);
    } else if (key == "session_interval_days") {
      parsed = ParseRange(key, value, 1, 365, "days", &s.session_interval_days);
    } else if (key == "session_duration_minutes") {
      parsed = ParseRange(key, value, 1, 480, "minutes",
                          &s.session_duration_minutes);
    } else if (key == "duration_includes_numbing") {
      if (value != "true" && value != "false") {
        parsed = absl::InvalidArgumentError(absl::StrCat(
            key, ": must be \"true\" or \"false\", got \"", value, "\""));
      }
      s.duration_includes_numbing = value == "true";
    } else if (key == "isotretinoin_months") {
      parsed = ParseWhole(key, value, 0, 120, "months", &s.isotretinoin_months);
    } else if (key == "prep_stop_days") {
      parsed = ParseWhole(key, value, 0, 365, "days", &s.prep_stop_days);
    } else if (key == "screening_valid_days") {
      parsed = ParseWhole(key, value, 1, 3650, "days", &s.screening_valid_days);
    } else if (key == "lot_expiry_warning_days") {
      parsed =
          ParseWhole(key, value, 0, 365, "days", &s.lot_expiry_warning_days);
    } else if (absl::StartsWith(key, kDepthPrefix)) {
      v1::BodyArea area;
      std::vector<std::string> ends = absl::StrSplit(value, '-');
      DepthRange range;
      if (!ParseArea(absl::string_view(key).substr(sizeof(kDepthPrefix) - 1),
                     &area)) {
        parsed = absl::InvalidArgumentError(absl::StrCat(
            key, ": unknown body area (use e.g. needle_depth_mm.cheek)"));
      } else if (ends.size() != 2 ||
                 !absl::SimpleAtod(ends[0], &range.min_mm) ||
                 !absl::SimpleAtod(ends[1], &range.max_mm) ||
                 range.min_mm <= 0 || range.max_mm < range.min_mm) {
        parsed = absl::InvalidArgumentError(absl::StrCat(
            key, ": must be \"MIN-MAX\" in mm with 0 < MIN <= MAX, got \"",
            value, "\""));
      } else {
        s.depth_ranges[area] = range;
      }
    } else {
      parsed = absl::InvalidArgumentError(absl::StrCat(key, ": unknown param"));
    }
    if (!parsed.ok()) return parsed;
  }
  return s;
}

}  // namespace mnrecords::plugins::microneedling_protocol

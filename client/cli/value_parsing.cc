#include "client/cli/value_parsing.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli/cli_status.h"
#include "client/cli/enum_parsing.h"
#include "google/protobuf/util/time_util.h"

namespace mnrecords {
namespace cli {
namespace {

absl::Status Bad(absl::string_view flag, absl::string_view text,
                 absl::string_view expected) {
  return UsageError(absl::StrCat("--", flag, ": cannot read '", text,
                                 "'; expected ", expected));
}

}  // namespace

absl::StatusOr<google::protobuf::Timestamp> ParseTime(absl::string_view flag,
                                                      absl::string_view text) {
  google::protobuf::Timestamp time;
  if (!google::protobuf::util::TimeUtil::FromString(std::string(text), &time)) {
    return Bad(flag, text, "an RFC 3339 time like 2024-05-01T10:00:00Z");
  }
  return time;
}

absl::StatusOr<std::optional<absl::Time>> ParseDayOrTime(
    absl::string_view flag, absl::string_view text) {
  if (text.empty()) return std::optional<absl::Time>();
  std::string time(text);
  if (time.size() == 10) absl::StrAppend(&time, "T00:00:00Z");
  absl::StatusOr<google::protobuf::Timestamp> ts = ParseTime(flag, time);
  if (!ts.ok()) {
    return Bad(flag, text, "a date like 2026-08-01 or an RFC 3339 time");
  }
  return std::optional<absl::Time>(absl::FromUnixSeconds(ts->seconds()) +
                                   absl::Nanoseconds(ts->nanos()));
}

absl::StatusOr<v1::BodySite> ParseBodySite(absl::string_view flag,
                                           absl::string_view text) {
  // The description may itself contain ':'.
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 2));
  v1::BodySite site;
  auto area = ParseEnum<v1::BodyArea>(flag, parts[0]);
  if (!area.ok()) return area.status();
  site.set_area(*area);
  if (parts.size() > 1 && !parts[1].empty()) {
    auto side = ParseEnum<v1::Laterality>(flag, parts[1]);
    if (!side.ok()) return side.status();
    site.set_laterality(*side);
  }
  if (parts.size() > 2) site.set_description(parts[2]);
  return site;
}

absl::StatusOr<v1::TreatedArea> ParseTreatedArea(absl::string_view flag,
                                                 absl::string_view text) {
  constexpr absl::string_view kForm =
      "AREA:LATERALITY:DEPTH_MM:PASSES[:description], e.g. cheek:left:1.5:3";
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 4));
  if (parts.size() < 4) return Bad(flag, text, kForm);
  v1::TreatedArea area;
  auto site = ParseBodySite(flag, absl::StrCat(parts[0], ":", parts[1]));
  if (!site.ok()) return site.status();
  *area.mutable_site() = *std::move(site);
  if (parts.size() > 4) area.mutable_site()->set_description(parts[4]);
  double depth = 0;
  int passes = 0;
  if (!absl::SimpleAtod(parts[2], &depth)) return Bad(flag, text, kForm);
  if (!absl::SimpleAtoi(parts[3], &passes)) return Bad(flag, text, kForm);
  area.set_needle_depth_mm(depth);
  area.set_passes(passes);
  return area;
}

absl::StatusOr<v1::PatientIdentifier> ParseIdentifier(absl::string_view flag,
                                                      absl::string_view text) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits('|', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return Bad(flag, text, "system|value, e.g. urn:mrn|12345");
  }
  v1::PatientIdentifier id;
  id.set_system(parts[0]);
  id.set_value(parts[1]);
  return id;
}

absl::StatusOr<v1::AdverseEvent> ParseAdverseEvent(absl::string_view flag,
                                                   absl::string_view text) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 1));
  if (parts.size() != 2 || parts[1].empty()) {
    return Bad(flag, text, "SEVERITY:description, e.g. mild:petechiae");
  }
  auto severity = ParseEnum<v1::AdverseEventSeverity>(flag, parts[0]);
  if (!severity.ok()) return severity.status();
  v1::AdverseEvent event;
  event.set_severity(*severity);
  event.set_description(parts[1]);
  return event;
}

}  // namespace cli
}  // namespace mnrecords

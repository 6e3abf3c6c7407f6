// Parsing of flag values into API messages; every error is a usage error
// that names the flag.
#ifndef MNRECORDS_CLIENT_CLI_VALUE_PARSING_H_
#define MNRECORDS_CLIENT_CLI_VALUE_PARSING_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace mnrecords {
namespace cli {

namespace v1 = ::clinic::microneedling::v1;

// ParseTime reads an RFC 3339 time, e.g. "2024-05-01T10:00:00Z".
absl::StatusOr<google::protobuf::Timestamp> ParseTime(absl::string_view flag,
                                                      absl::string_view text);

// ParseDayOrTime reads a date (midnight UTC, e.g. "2026-08-01") or an RFC
// 3339 time; nullopt for "".
absl::StatusOr<std::optional<absl::Time>> ParseDayOrTime(
    absl::string_view flag, absl::string_view text);

// ParseBodySite reads AREA[:LATERALITY[:description]].
absl::StatusOr<v1::BodySite> ParseBodySite(absl::string_view flag,
                                           absl::string_view text);

// ParseTreatedArea reads AREA:LATERALITY:DEPTH_MM:PASSES[:description].
absl::StatusOr<v1::TreatedArea> ParseTreatedArea(absl::string_view flag,
                                                 absl::string_view text);

// ParseIdentifier reads system|value.
absl::StatusOr<v1::PatientIdentifier> ParseIdentifier(absl::string_view flag,
                                                      absl::string_view text);

// ParseAdverseEvent reads SEVERITY:description.
absl::StatusOr<v1::AdverseEvent> ParseAdverseEvent(absl::string_view flag,
                                                   absl::string_view text);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_VALUE_PARSING_H_

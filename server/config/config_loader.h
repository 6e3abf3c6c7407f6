// Loading the server configuration file (protobuf text format).
#ifndef MNRECORDS_SERVER_CONFIG_CONFIG_LOADER_H_
#define MNRECORDS_SERVER_CONFIG_CONFIG_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "mnrecords/config/v1/server_config.pb.h"

namespace mnrecords {

// ParseServerConfig parses config text. INVALID_ARGUMENT naming `source`,
// the line and column and the reason when the text is malformed (unknown
// field, wrong type, bad syntax) or a principal is unusable (see
// CheckPrincipals in server/auth/principal_config.h; the message names the
// principal and the line of the field at fault), or a value is out of its
// range (RequestIdRetention).
absl::StatusOr<mnrecords::config::v1::ServerConfig> ParseServerConfig(
    absl::string_view text, absl::string_view source);

// RequestIdRetention is how long request ids are remembered under `config`:
// request_id_retention_hours, 168 hours (7 days) when 0. INVALID_ARGUMENT
// outside 24 (what the API promises) to 87600 hours.
absl::StatusOr<absl::Duration> RequestIdRetention(
    const mnrecords::config::v1::ServerConfig& config);

// ReadConfigFile returns the text of the file at `path`; NOT_FOUND if it
// cannot be read.
absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// LoadServerConfig reads and parses the file at `path`. NOT_FOUND if it
// cannot be read; otherwise as ParseServerConfig.
absl::StatusOr<mnrecords::config::v1::ServerConfig> LoadServerConfig(
    const std::string& path);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONFIG_CONFIG_LOADER_H_

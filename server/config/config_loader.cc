#include "server/config/config_loader.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "server/auth/principal_config.h"

namespace mnrecords {
namespace {

// Collects the parser's errors as "source:line:column: message".
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorCollector(absl::string_view source) : source_(source) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(
        absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }
  std::string Joined() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

// CheckPrincipalsAt reports CheckPrincipals' problems at the line of the
// field at fault.
absl::Status CheckPrincipalsAt(
    const mnrecords::config::v1::ServerConfig& config,
    const google::protobuf::TextFormat::ParseInfoTree& locations,
    absl::string_view source) {
  std::vector<std::string> messages;
  const auto* descriptor = config.GetDescriptor();
  const auto* principals = descriptor->FindFieldByName("principals");
  for (const ConfigProblem& problem : CheckPrincipals(config)) {
    google::protobuf::TextFormat::ParseLocation at =
        locations.GetLocation(principals, problem.principal);
    const auto* nested =
        locations.GetTreeForNested(principals, problem.principal);
    const auto* field =
        principals->message_type()->FindFieldByName(problem.field);
    if (nested != nullptr && field != nullptr) {
      const auto here =
          nested->GetLocation(field, field->is_repeated() ? 0 : -1);
      if (here.line >= 0) at = here;
    }
    messages.push_back(absl::StrCat(source, ":", at.line + 1, ":",
                                    at.column + 1, ": ", problem.reason));
  }
  if (messages.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("config ", absl::StrJoin(messages, "; ")));
}

}  // namespace

absl::StatusOr<mnrecords::config::v1::ServerConfig> ParseServerConfig(
    absl::string_view text, absl::string_view source) {
  mnrecords::config::v1::ServerConfig config;
  ErrorCollector errors(source);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  google::protobuf::TextFormat::ParseInfoTree locations;
  parser.WriteLocationsTo(&locations);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError(absl::StrCat("config ", errors.Joined()));
  }
  MNR_RETURN_IF_ERROR(CheckPrincipalsAt(config, locations, source));
  if (absl::StatusOr<absl::Duration> retention = RequestIdRetention(config);
      !retention.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", source, ": ", retention.status().message()));
  }
  return config;
}

absl::StatusOr<absl::Duration> RequestIdRetention(
    const mnrecords::config::v1::ServerConfig& config) {
  constexpr uint32_t kDefaultHours = 7 * 24;
  constexpr uint32_t kMinHours = 24;
  constexpr uint32_t kMaxHours = 87600;
  const uint32_t hours = config.request_id_retention_hours();
  if (hours == 0) return absl::Hours(kDefaultHours);
  if (hours < kMinHours || hours > kMaxHours) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request_id_retention_hours: must be between ", kMinHours, " and ",
        kMaxHours, " (at least the day the API promises), got ", hours));
  }
  return absl::Hours(hours);
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("config file ", path, " cannot be read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<mnrecords::config::v1::ServerConfig> LoadServerConfig(
    const std::string& path) {
  MNR_ASSIGN_OR_RETURN(const std::string text, ReadConfigFile(path));
  return ParseServerConfig(text, path);
}

}  // namespace mnrecords

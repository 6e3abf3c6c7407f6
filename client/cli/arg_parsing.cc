#include "client/cli/arg_parsing.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"

namespace mnrecords {
namespace cli {
namespace {

using RepeatedFlag = absl::Flag<std::vector<std::string>>;

std::set<std::string>& Specified() {
  static auto* specified = new std::set<std::string>();
  return *specified;
}

// The repeatable flags, set directly so values keep their commas.
const std::map<std::string, RepeatedFlag*>& RepeatableFlags() {
  static const auto* flags = new std::map<std::string, RepeatedFlag*>{
      {"identifier", &FLAGS_identifier},
      {"indication", &FLAGS_indication},
      {"treatment_area", &FLAGS_treatment_area},
      {"area", &FLAGS_area},
      {"topical", &FLAGS_topical},
      {"adverse_event", &FLAGS_adverse_event},
      {"item", &FLAGS_item},
      {"param", &FLAGS_param},
      {"unset", &FLAGS_unset},
      {"severity", &FLAGS_severity},
      {"answer", &FLAGS_answer},
      {"photo", &FLAGS_photo},
      {"photo_use", &FLAGS_photo_use},
  };
  return *flags;
}

// Our own flags only, not Abseil's --flagfile and friends.
absl::CommandLineFlag* FindMnrecFlag(absl::string_view name) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr || !absl::StrContains(flag->Filename(), "cli/flags_")) {
    return nullptr;
  }
  return flag;
}

void ApplyEnvironmentDefaults() {
  if (const char* server = std::getenv("MNREC_SERVER"); server && *server) {
    absl::SetFlag(&FLAGS_server, std::string(server));
  }
  if (const char* token = std::getenv("MNREC_TOKEN"); token && *token) {
    absl::SetFlag(&FLAGS_token, std::string(token));
  }
  for (auto [env, flag] : {std::pair{"MNREC_CA_CERT", &FLAGS_ca_cert},
                           std::pair{"MNREC_CLIENT_CERT", &FLAGS_client_cert},
                           std::pair{"MNREC_CLIENT_KEY", &FLAGS_client_key}}) {
    if (const char* value = std::getenv(env); value && *value) {
      absl::SetFlag(flag, std::string(value));
    }
  }
}

}  // namespace

bool FlagSpecified(absl::string_view name) {
  return Specified().count(std::string(name)) > 0;
}

absl::StatusOr<ParsedArgs> ParseArgs(int argc, char** argv) {
  ApplyEnvironmentDefaults();
  ParsedArgs parsed;
  std::map<std::string, std::vector<std::string>> repeated;
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help" || arg == "-help") {
      parsed.help = true;
      continue;
    }
    arg.remove_prefix(absl::StartsWith(arg, "--") ? 2 : 1);
    absl::string_view name = arg;
    absl::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    }
    absl::CommandLineFlag* flag = FindMnrecFlag(name);
    if (flag == nullptr && !value.has_value() && absl::StartsWith(name, "no")) {
      absl::CommandLineFlag* negated = FindMnrecFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) {
        flag = negated;
        name = name.substr(2);
        value = "false";
      }
    }
    if (flag == nullptr) {
      return UsageError(
          absl::StrCat("unknown flag --", name, " (see mnrec --help)"));
    }
    if (!value.has_value()) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return UsageError(absl::StrCat("--", name, ": missing value"));
      }
    }
    const std::string key(name);
    Specified().insert(key);
    if (RepeatableFlags().count(key) > 0) {
      repeated[key].push_back(*std::move(value));
      continue;
    }
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      return UsageError(absl::StrCat("--", name, ": ", error));
    }
  }
  for (auto& [name, values] : repeated) {
    absl::SetFlag(RepeatableFlags().at(name), std::move(values));
  }
  return parsed;
}

}  // namespace cli
}  // namespace mnrecords

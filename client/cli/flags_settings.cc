// Flags of the settings commands.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, plugin, "microneedling-protocol",
          "[settings] the plugin whose settings to read or publish");
ABSL_FLAG(std::vector<std::string>, param, {},
          "[settings publish] KEY=VALUE, e.g. prep_stop_days=5; repeatable");
ABSL_FLAG(std::vector<std::string>, unset, {},
          "[settings publish] KEY: drop the clinic's value (the server "
          "config's or the default applies); repeatable");
ABSL_FLAG(std::vector<std::string>, severity, {},
          "[settings publish] CODE=INFO|WARN|BLOCK, e.g. "
          "MNP-SESSION-TOO-EARLY=BLOCK; repeatable");

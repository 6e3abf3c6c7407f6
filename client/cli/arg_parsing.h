// mnrec's command line parser, on top of the Abseil flag registry.
//
// Why not absl::ParseCommandLine: it exits with status 1 on a bad flag
// (mnrec exits 2 on usage errors), it cannot tell which flags were given
// (needed so that flags override --from_json and nothing else does), and a
// repeated std::vector<std::string> flag keeps only its last occurrence and
// splits values at commas ("--item='Avoid sun, use SPF'").
#ifndef MNRECORDS_CLIENT_CLI_ARG_PARSING_H_
#define MNRECORDS_CLIENT_CLI_ARG_PARSING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mnrecords {
namespace cli {

struct ParsedArgs {
  std::vector<std::string> positional;  // without argv[0]
  bool help = false;                    // --help or -h was given
};

// ParseArgs applies the environment defaults (MNREC_SERVER, MNREC_TOKEN),
// then the flags in argv: --name=value, --name value, --bool, --nobool, in
// any position; "--" ends the flags. A repeatable flag (a vector flag such
// as --area) collects every occurrence, commas included, in order. Only
// mnrec's own flags are accepted. Errors are usage errors naming the flag.
absl::StatusOr<ParsedArgs> ParseArgs(int argc, char** argv);

// FlagSpecified reports whether --name appeared on the command line.
bool FlagSpecified(absl::string_view name);

// HelpText returns the usage text: commands, then flags.
std::string HelpText();

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_ARG_PARSING_H_

// ParseCommandLine: mnrec's ParseArgs on a list of strings, for tests.
#ifndef MNRECORDS_TESTS_CLIENT_PARSE_COMMAND_LINE_H_
#define MNRECORDS_TESTS_CLIENT_PARSE_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/arg_parsing.h"

namespace mnrecords {
namespace cli {

// ParseCommandLine runs ParseArgs on `args` (args[0] is the program name).
// Flags are process-wide and FlagSpecified is never reset: a test that
// relies on a flag not being given must not share its binary with one that
// gives it.
inline absl::StatusOr<ParsedArgs> ParseCommandLine(
    std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseArgs(static_cast<int>(argv.size()), argv.data());
}

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_CLIENT_PARSE_COMMAND_LINE_H_

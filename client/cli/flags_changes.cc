// Flags of `mnrec changes list|watch` (the clinic, patient, page and output
// flags are the global ones).
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, since, "",
          "[changes] the changes after this cursor (default: from the "
          "clinic's first change)");
ABSL_FLAG(bool, from_now, false,
          "[changes watch] only changes committed from now on (not with "
          "--since)");
ABSL_FLAG(std::vector<std::string>, kinds, {},
          "[changes] only these record kinds, comma-separated: patient, "
          "course, session, photo, consent, instruction_set");
ABSL_FLAG(bool, names_only, false,
          "[changes] leave each change's revision out (names, types and "
          "cursors only)");

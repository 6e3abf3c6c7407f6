// Flags of the screening commands.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, questionnaire, "",
          "[screening record] the SCREENING questionnaire's id (with "
          "--clinic) or name");
ABSL_FLAG(int64_t, questionnaire_revision, 0,
          "[screening record] the questionnaire revision asked");
ABSL_FLAG(std::vector<std::string>, answer, {},
          "[screening record] QUESTION_CODE=yes|no[:DETAILS]; repeatable");
ABSL_FLAG(std::string, unlisted, "",
          "[screening record] \"no\": answer every question not named by "
          "--answer with no");
ABSL_FLAG(std::string, asked_at, "",
          "[screening record] RFC 3339: when the questions were asked");
ABSL_FLAG(std::string, asked_by, "", "[screening record] who asked them");

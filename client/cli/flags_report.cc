// Flags of `mnrec report consent-history|clinic`.
#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, from, "",
          "[report, course due] start of the period, inclusive: 2026-08-01 or "
          "RFC 3339 (course due: default now)");
ABSL_FLAG(std::string, to, "",
          "[report, course due] end of the period, exclusive: 2026-11-01 or "
          "RFC 3339 (report: default now; course due: default 14 days after "
          "--from)");
ABSL_FLAG(std::string, pdf, "",
          "[report] also print the report to this PDF file with chromium");
ABSL_FLAG(int32_t, expiring_days, 30,
          "[report clinic] list consents expiring within this many days");

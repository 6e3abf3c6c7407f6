// ValidateFhirBundle runs the official FHIR R4 schema validator of
// tests/fhir (validate_bundle.js: the schema, and every reference resolves
// inside the Bundle) on `bundle` and returns its output, or "" when valid.
// The including test target defines MNRECORDS_NODE,
// MNRECORDS_FHIR_VALIDATE_SCRIPT and MNRECORDS_FHIR_VALIDATOR_DIR and
// requires the fhir_validator fixture (tests/integration/CMakeLists.txt).
#ifndef MNRECORDS_TESTS_SUPPORT_FHIR_VALIDATOR_H_
#define MNRECORDS_TESTS_SUPPORT_FHIR_VALIDATOR_H_

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {

inline std::string ValidateFhirBundle(const std::string& bundle) {
  const std::string file = UniqueTempPath("bundle") + ".json";
  std::ofstream(file) << bundle;
  const std::string out = file + ".out";
  const std::string cmd =
      absl::StrCat(MNRECORDS_NODE, " ", MNRECORDS_FHIR_VALIDATE_SCRIPT, " ",
                   MNRECORDS_FHIR_VALIDATOR_DIR, " ", file, " >", out, " 2>&1");
  const int rc = std::system(cmd.c_str());
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (rc == 0 && absl::StartsWith(text, "valid: ")) return "";
  return text.empty() ? "validator printed nothing" : text;
}

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_FHIR_VALIDATOR_H_

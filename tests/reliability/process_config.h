// ProcessConfig: a server config file for tests that run the shipped binary,
// with principals whose bearer tokens are generated at test time (the file
// holds only their SHA-256) and no plugins, so that any valid session can be
// logged without consents.
#ifndef MNRECORDS_TESTS_RELIABILITY_PROCESS_CONFIG_H_
#define MNRECORDS_TESTS_RELIABILITY_PROCESS_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"

namespace mnrecords::testing {

struct ProcessConfig {
  std::string path;           // the config file written
  std::string ehr_token;      // "ehr", ROLE_EHR_SYSTEM, clinic c1
  std::string auditor_token;  // "auditor", ROLE_AUDITOR, clinic c1
  std::string admin_token;    // "admin", ROLE_ADMIN, clinic c1
};

// WriteProcessConfig writes the config to `path`; `extra` is appended to
// the file verbatim (e.g. more settings).
absl::StatusOr<ProcessConfig> WriteProcessConfig(const std::string& path,
                                                 const std::string& extra = "");

// MakeRunDir creates a new directory `name`XXXXXX under $TMPDIR (or /tmp)
// for one run's database, config and logs, and returns its path.
absl::StatusOr<std::string> MakeRunDir(const std::string& name);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_PROCESS_CONFIG_H_

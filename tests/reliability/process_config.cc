#include "tests/reliability/process_config.h"

#include <stdlib.h>

#include <fstream>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"

namespace mnrecords::testing {
namespace {

std::string RandomToken() {
  std::random_device device;
  std::string token;
  for (int i = 0; i < 8; ++i) absl::StrAppendFormat(&token, "%08x", device());
  return token;
}

std::string Principal(const std::string& id, const std::string& role,
                      const std::string& token) {
  return absl::StrCat("principals { id: \"", id, "\" role: ", role,
                      " clinics: \"c1\" token_sha256: \"", Sha256Hex(token),
                      "\" }\n");
}

}  // namespace

absl::StatusOr<ProcessConfig> WriteProcessConfig(const std::string& path,
                                                 const std::string& extra) {
  ProcessConfig config;
  config.path = path;
  config.ehr_token = RandomToken();
  config.auditor_token = RandomToken();
  config.admin_token = RandomToken();
  std::ofstream out(path);
  out << Principal("ehr", "ROLE_EHR_SYSTEM", config.ehr_token)
      << Principal("auditor", "ROLE_AUDITOR", config.auditor_token)
      << Principal("admin", "ROLE_ADMIN", config.admin_token)
      << "plugins { name: \"microneedling-protocol\" enabled: false }\n"
      << extra;
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return config;
}

absl::StatusOr<std::string> MakeRunDir(const std::string& name) {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp ? tmp : "/tmp", "/", name, "XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  return pattern;
}

}  // namespace mnrecords::testing

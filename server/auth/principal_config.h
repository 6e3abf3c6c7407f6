// Semantic checks of the principals in the server config, and their
// conversion into the Principal the rest of the server works with.
#ifndef MNRECORDS_SERVER_AUTH_PRINCIPAL_CONFIG_H_
#define MNRECORDS_SERVER_AUTH_PRINCIPAL_CONFIG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "server/auth/call_context.h"

namespace mnrecords {

// ConfigProblem is one thing wrong with principals[principal]: `field` is
// the field of PrincipalConfig at fault (for the line number), `reason` says
// what is wrong and names the principal.
struct ConfigProblem {
  int principal = 0;
  std::string field;
  std::string reason;
};

// CheckPrincipals returns every problem of config.principals(): an id that
// is empty, malformed or repeated; a missing role; no clinics or a malformed
// or repeated clinic id; a token_sha256 that is not 64 lower-case hex chars
// or is shared with another entry; a client_cert_subject used twice; a
// principal with neither a token nor a certificate subject. Empty when the
// principals are usable.
std::vector<ConfigProblem> CheckPrincipals(
    const mnrecords::config::v1::ServerConfig& config);

// ToPrincipal converts a checked PrincipalConfig.
Principal ToPrincipal(const mnrecords::config::v1::PrincipalConfig& config);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUTH_PRINCIPAL_CONFIG_H_

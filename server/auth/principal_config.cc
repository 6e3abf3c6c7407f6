#include "server/auth/principal_config.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mnrecords {
namespace {

using mnrecords::config::v1::PrincipalConfig;

// IsId: 1-63 of [a-z0-9-], starting with a letter or digit (the API's id
// syntax, so that a clinic here can be named in a resource).
bool IsId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id[0] == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsLowerHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

std::vector<ConfigProblem> CheckPrincipals(
    const mnrecords::config::v1::ServerConfig& config) {
  std::vector<ConfigProblem> problems;
  std::set<std::string> ids, tokens, subjects;
  for (int i = 0; i < config.principals_size(); ++i) {
    const PrincipalConfig& p = config.principals(i);
    const std::string who = absl::StrCat("principal ", i + 1, " (id \"",
                                         absl::CEscape(p.id()), "\")");
    auto problem = [&](absl::string_view field, absl::string_view reason) {
      problems.push_back({i, std::string(field),
                          absl::StrCat(who, ": ", field, ": ", reason)});
    };
    if (!IsId(p.id())) {
      problem("id", "must be 1-63 of [a-z0-9-], not starting with '-'");
    } else if (!ids.insert(p.id()).second) {
      problem("id", "is used by an earlier principal");
    }
    if (p.role() == mnrecords::config::v1::ROLE_UNSPECIFIED) {
      problem("role",
              "is required: ROLE_CLINICIAN, ROLE_EHR_SYSTEM, ROLE_AUDITOR or "
              "ROLE_ADMIN");
    }
    if (p.clinics().empty()) problem("clinics", "at least one clinic id");
    std::set<std::string> clinics;
    for (const std::string& clinic : p.clinics()) {
      if (!IsId(clinic)) {
        problem("clinics",
                absl::StrCat("\"", absl::CEscape(clinic),
                             "\" is not a clinic id (1-63 of [a-z0-9-])"));
      } else if (!clinics.insert(clinic).second) {
        problem("clinics", absl::StrCat("\"", clinic, "\" is listed twice"));
      }
    }
    for (const std::string& hash : p.token_sha256()) {
      if (!IsLowerHex64(hash)) {
        problem("token_sha256",
                "must be the SHA-256 of the token as 64 lower-case hex "
                "characters (printf %s \"$token\" | sha256sum)");
      } else if (!tokens.insert(hash).second) {
        problem("token_sha256",
                "this token hash is already listed: every token must be "
                "unique");
      }
    }
    if (!p.client_cert_subject().empty() &&
        !subjects.insert(p.client_cert_subject()).second) {
      problem("client_cert_subject", "is used by an earlier principal");
    }
    if (p.clinician_id().size() > 200) {
      problem("clinician_id", "at most 200 characters");
    }
    if (p.credential().size() > 100) {
      problem("credential", "at most 100 characters");
    }
    if ((p.may_cosign() || p.cosign_required() || !p.clinician_id().empty()) &&
        p.role() != mnrecords::config::v1::ROLE_CLINICIAN) {
      problem("role",
              "only a clinician signs sessions: clinician_id, may_cosign and "
              "cosign_required need ROLE_CLINICIAN");
    }
    if (p.token_sha256().empty() && p.client_cert_subject().empty()) {
      problem("id",
              "has no way to authenticate: give token_sha256 and/or "
              "client_cert_subject");
    }
  }
  return problems;
}

Principal ToPrincipal(const mnrecords::config::v1::PrincipalConfig& config) {
  Principal principal;
  principal.id = config.id();
  principal.display_name =
      config.display_name().empty() ? config.id() : config.display_name();
  principal.clinician_id =
      config.clinician_id().empty() ? config.id() : config.clinician_id();
  principal.credential = config.credential();
  principal.may_cosign = config.may_cosign();
  principal.cosign_required = config.cosign_required();
  switch (config.role()) {
    case mnrecords::config::v1::ROLE_CLINICIAN:
      principal.role = Role::kClinician;
      break;
    case mnrecords::config::v1::ROLE_EHR_SYSTEM:
      principal.role = Role::kEhrSystem;
      break;
    case mnrecords::config::v1::ROLE_AUDITOR:
      principal.role = Role::kAuditor;
      break;
    case mnrecords::config::v1::ROLE_ADMIN:
      principal.role = Role::kAdmin;
      break;
    default:
      principal.role = Role::kUnspecified;
  }
  principal.clinics.assign(config.clinics().begin(), config.clinics().end());
  return principal;
}

}  // namespace mnrecords

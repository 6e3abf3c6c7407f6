#include "server/auth/authenticator.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "server/auth/principal_config.h"

namespace mnrecords {
namespace {

constexpr absl::string_view kBearer = "Bearer ";

}  // namespace

std::shared_ptr<const Authenticator::Table> Authenticator::BuildTable(
    const mnrecords::config::v1::ServerConfig& config) {
  auto table = std::make_shared<Table>();
  for (const auto& p : config.principals()) {
    const size_t index = table->principals.size();
    table->principals.push_back(ToPrincipal(p));
    Principal& added = table->principals.back();
    for (const std::string& credential : config.cosign_required_credentials()) {
      if (!added.credential.empty() && credential == added.credential) {
        added.cosign_required = true;
      }
    }
    for (const std::string& hex : p.token_sha256()) {
      const std::string bytes = absl::HexStringToBytes(hex);
      if (bytes.size() != 32) continue;  // CheckPrincipals refuses these
      TokenEntry entry;
      std::copy(bytes.begin(), bytes.end(), entry.digest.begin());
      entry.principal = index;
      table->tokens.push_back(entry);
    }
    if (!p.client_cert_subject().empty()) {
      table->by_subject.emplace(p.client_cert_subject(), index);
    }
  }
  return table;
}

Authenticator::Authenticator(const mnrecords::config::v1::ServerConfig& config)
    : table_(BuildTable(config)) {}

void Authenticator::Replace(const mnrecords::config::v1::ServerConfig& config) {
  std::shared_ptr<const Table> next = BuildTable(config);
  absl::MutexLock lock(&mu_);
  table_.swap(next);
}

std::shared_ptr<const Authenticator::Table> Authenticator::table() const {
  absl::MutexLock lock(&mu_);
  return table_;
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    absl::optional<absl::string_view> authorization,
    absl::string_view cert_subject) const {
  const std::shared_ptr<const Table> table = this->table();
  const std::vector<Principal>& principals = table->principals;
  if (authorization.has_value()) {
    // RFC 6750: the scheme is case-insensitive, the token is not.
    if (authorization->size() <= kBearer.size() ||
        !absl::StartsWithIgnoreCase(*authorization, kBearer)) {
      return absl::UnauthenticatedError(
          "the authorization metadata must be 'Bearer <token>'");
    }
    const absl::string_view token = authorization->substr(kBearer.size());
    if (token.size() > kMaxBearerTokenBytes) {
      return absl::UnauthenticatedError("unknown bearer token");
    }
    const Sha256Digest digest = Sha256Of(token);
    // Compare with every entry, so the time taken does not depend on which
    // entry (if any) matches.
    size_t match = principals.size();
    for (const TokenEntry& entry : table->tokens) {
      const bool equal =
          CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
      match = equal ? entry.principal : match;
    }
    if (match == principals.size()) {
      return absl::UnauthenticatedError("unknown bearer token");
    }
    return principals[match];
  }
  if (!cert_subject.empty()) {
    auto it = table->by_subject.find(std::string(cert_subject));
    if (it == table->by_subject.end()) {
      return absl::UnauthenticatedError(
          absl::StrCat("no principal has the client certificate subject \"",
                       absl::CEscape(cert_subject), "\""));
    }
    return principals[it->second];
  }
  return absl::UnauthenticatedError(
      "no credentials: send 'authorization: Bearer <token>' metadata (mnrec: "
      "MNREC_TOKEN) or a client certificate");
}

}  // namespace mnrecords

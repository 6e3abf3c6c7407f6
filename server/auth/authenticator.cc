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

Authenticator::Authenticator(
    const mnrecords::config::v1::ServerConfig& config) {
  for (const auto& p : config.principals()) {
    const size_t index = principals_.size();
    principals_.push_back(ToPrincipal(p));
    for (const std::string& hex : p.token_sha256()) {
      const std::string bytes = absl::HexStringToBytes(hex);
      if (bytes.size() != 32) continue;  // CheckPrincipals refuses these
      TokenEntry entry;
      std::copy(bytes.begin(), bytes.end(), entry.digest.begin());
      entry.principal = index;
      tokens_.push_back(entry);
    }
    if (!p.client_cert_subject().empty()) {
      by_subject_.emplace(p.client_cert_subject(), index);
    }
  }
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    absl::optional<absl::string_view> authorization,
    absl::string_view cert_subject) const {
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
    size_t match = principals_.size();
    for (const TokenEntry& entry : tokens_) {
      const bool equal =
          CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0;
      match = equal ? entry.principal : match;
    }
    if (match == principals_.size()) {
      return absl::UnauthenticatedError("unknown bearer token");
    }
    return principals_[match];
  }
  if (!cert_subject.empty()) {
    auto it = by_subject_.find(std::string(cert_subject));
    if (it == by_subject_.end()) {
      return absl::UnauthenticatedError(
          absl::StrCat("no principal has the client certificate subject \"",
                       absl::CEscape(cert_subject), "\""));
    }
    return principals_[it->second];
  }
  return absl::UnauthenticatedError(
      "no credentials: send 'authorization: Bearer <token>' metadata (mnrec: "
      "MNREC_TOKEN) or a client certificate");
}

}  // namespace mnrecords

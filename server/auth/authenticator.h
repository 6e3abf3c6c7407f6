// Authenticator: turns the credentials of a call (a bearer token and/or the
// subject of a verified mTLS client certificate) into the Principal of the
// server config. Knows nothing of gRPC (server/auth/grpc_auth.h adapts).
//
// Tokens are kept only as SHA-256 digests; a presented token is hashed and
// compared with every stored digest in constant time (CRYPTO_memcmp).
// Nothing here logs or returns a token. Thread-safe; Replace swaps the
// principals while calls are being authenticated (live config reload).
#ifndef MNRECORDS_SERVER_AUTH_AUTHENTICATOR_H_
#define MNRECORDS_SERVER_AUTH_AUTHENTICATOR_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "common/sha256.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "server/auth/call_context.h"

namespace mnrecords {

// Longest bearer token accepted (longer ones are UNAUTHENTICATED unhashed).
inline constexpr size_t kMaxBearerTokenBytes = 512;

class Authenticator {
 public:
  // `config` must have passed CheckPrincipals (the config loader does that).
  explicit Authenticator(const mnrecords::config::v1::ServerConfig& config);

  // Replace switches to the principals of `config` (which must have passed
  // CheckPrincipals): every call authenticated afterwards is judged by them
  // alone (a removed token is refused, a new one accepted); a call admitted
  // before keeps the principal it was admitted as.
  void Replace(const mnrecords::config::v1::ServerConfig& config);

  // Authenticate identifies the caller. `authorization` is the value of the
  // `authorization` metadata if the call sent one (it must be
  // "Bearer <token>"); `cert_subject` the subject of the verified client
  // certificate, empty without mTLS. A bearer header, when present, decides
  // alone: a malformed or unknown one is UNAUTHENTICATED even if a valid
  // certificate came with it. No credentials at all, an unknown token or an
  // unknown certificate subject: UNAUTHENTICATED (the message never contains
  // the token).
  absl::StatusOr<Principal> Authenticate(
      absl::optional<absl::string_view> authorization,
      absl::string_view cert_subject) const;

  // has_principals is false when the config lists nobody (every call is
  // then UNAUTHENTICATED).
  bool has_principals() const { return !table()->principals.empty(); }

 private:
  struct TokenEntry {
    Sha256Digest digest;
    size_t principal;
  };
  // The principals of one config, never changed once built.
  struct Table {
    std::vector<Principal> principals;
    std::vector<TokenEntry> tokens;
    std::map<std::string, size_t> by_subject;
  };

  static std::shared_ptr<const Table> BuildTable(
      const mnrecords::config::v1::ServerConfig& config);
  std::shared_ptr<const Table> table() const;

  mutable absl::Mutex mu_;
  std::shared_ptr<const Table> table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUTH_AUTHENTICATOR_H_

// SHA-256 (OpenSSL): the one implementation every layer uses — content
// hashes, request digests, page-token fingerprints, bearer-token hashes and
// the audit chain.
#ifndef MNRECORDS_COMMON_SHA256_H_
#define MNRECORDS_COMMON_SHA256_H_

#include <array>
#include <string>

#include "absl/strings/string_view.h"

struct evp_md_st;
struct evp_md_ctx_st;

namespace mnrecords {

// Sha256Digest is a raw 32-byte SHA-256 digest.
using Sha256Digest = std::array<unsigned char, 32>;

// Sha256Hasher hashes many inputs with one fetched algorithm and one reused
// digest context (OpenSSL 3's one-shot SHA256() looks the algorithm up on
// every call), so hot paths such as the audit chain allocate nothing per
// hash. Not thread safe: one per thread.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  // Digest returns the digest of `data`.
  Sha256Digest Digest(absl::string_view data);

  // Hex returns the digest of `data` as 64 lower-case hex characters,
  // valid until the next call.
  absl::string_view Hex(absl::string_view data);

 private:
  evp_md_st* md_;       // EVP_MD, fetched once
  evp_md_ctx_st* ctx_;  // EVP_MD_CTX, reused
  char hex_[64];
};

// Sha256 returns the digest of `data` as a 32-byte string.
std::string Sha256(absl::string_view data);

// Sha256Of returns the digest of `data`.
Sha256Digest Sha256Of(absl::string_view data);

// Sha256Hex returns the digest of `data` as 64 lower-case hex characters.
std::string Sha256Hex(absl::string_view data);

// IsSha256Hex reports whether `s` is 64 lower-case hex characters.
bool IsSha256Hex(absl::string_view s);

// ParseSha256Hex sets `digest` from 64 lower-case hex characters; false
// (digest unspecified) if `hex` is not that.
bool ParseSha256Hex(absl::string_view hex, Sha256Digest* digest);

// Sha256HexOf returns `digest` as 64 lower-case hex characters.
std::string Sha256HexOf(const Sha256Digest& digest);

}  // namespace mnrecords

#endif  // MNRECORDS_COMMON_SHA256_H_

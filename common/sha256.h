// SHA-256 digests (OpenSSL) used for content hashes and request digests.
#ifndef MNRECORDS_COMMON_SHA256_H_
#define MNRECORDS_COMMON_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mnrecords {

// Sha256 returns the 32-byte SHA-256 digest of `data`.
std::string Sha256(absl::string_view data);

// Sha256Hex returns the SHA-256 digest of `data` as 64 lower-case hex chars.
std::string Sha256Hex(absl::string_view data);

// IsSha256Hex reports whether `s` is 64 lower-case hex characters.
bool IsSha256Hex(absl::string_view s);

}  // namespace mnrecords

#endif  // MNRECORDS_COMMON_SHA256_H_

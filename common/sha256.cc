#include "common/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace mnrecords {
namespace {

// ThreadHasher is this thread's hasher for the one-shot functions.
Sha256Hasher& ThreadHasher() {
  thread_local Sha256Hasher hasher;
  return hasher;
}

}  // namespace

Sha256Hasher::Sha256Hasher()
    : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

Sha256Digest Sha256Hasher::Digest(absl::string_view data) {
  Sha256Digest digest;
  unsigned int size = 0;
  if (md_ == nullptr || ctx_ == nullptr ||
      EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 ||
      EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx_, digest.data(), &size) != 1 ||
      size != digest.size()) {
    // Without a usable context (out of memory), the one-shot function.
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           digest.data());
  }
  return digest;
}

absl::string_view Sha256Hasher::Hex(absl::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  const Sha256Digest digest = Digest(data);
  for (size_t i = 0; i < digest.size(); ++i) {
    hex_[2 * i] = kHex[digest[i] >> 4];
    hex_[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return absl::string_view(hex_, sizeof(hex_));
}

std::string Sha256(absl::string_view data) {
  const Sha256Digest digest = ThreadHasher().Digest(data);
  return std::string(reinterpret_cast<const char*>(digest.data()),
                     digest.size());
}

Sha256Digest Sha256Of(absl::string_view data) {
  return ThreadHasher().Digest(data);
}

std::string Sha256Hex(absl::string_view data) {
  return std::string(ThreadHasher().Hex(data));
}

bool ParseSha256Hex(absl::string_view hex, Sha256Digest* digest) {
  // Nibble values by character; 0xff for anything but 0-9 and a-f.
  static constexpr auto kNibble = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned char& v : t) v = 0xff;
    for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<unsigned char>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) {
      t[c] = static_cast<unsigned char>(c - 'a' + 10);
    }
    return t;
  }();
  if (hex.size() != 64) return false;
  unsigned char bad = 0;
  for (size_t i = 0; i < digest->size(); ++i) {
    const unsigned char hi = kNibble[static_cast<unsigned char>(hex[2 * i])];
    const unsigned char lo =
        kNibble[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;
    (*digest)[i] = static_cast<unsigned char>(hi << 4 | (lo & 0xf));
  }
  return (bad & 0xf0) == 0;
}

std::string Sha256HexOf(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

bool IsSha256Hex(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace mnrecords

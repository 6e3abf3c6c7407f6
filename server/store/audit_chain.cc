#include "server/store/audit_chain.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace mnrecords {
namespace {

void AppendNetstring(std::string* out, absl::string_view value) {
  char digits[absl::numbers_internal::kFastToBufferSize];
  const char* end =
      absl::numbers_internal::FastIntToBuffer(value.size(), digits);
  out->append(digits, end - digits);
  out->push_back(':');
  out->append(value.data(), value.size());
  out->push_back(',');
}

void AppendNetstring(std::string* out, int64_t value) {
  char digits[absl::numbers_internal::kFastToBufferSize];
  const char* end = absl::numbers_internal::FastIntToBuffer(value, digits);
  AppendNetstring(out, absl::string_view(digits, end - digits));
}

// AppendCanonical appends the canonical bytes of `e`: the one definition.
void AppendCanonical(std::string* out, const AuditEvent& e) {
  AppendNetstring(out, "mnrecords.audit.v1");
  AppendNetstring(out, e.seq);
  AppendNetstring(out, absl::ToUnixMicros(e.time));
  AppendNetstring(out, e.principal);
  AppendNetstring(out, e.role);
  AppendNetstring(out, e.action);
  AppendNetstring(out, e.clinic);
  AppendNetstring(out, e.resource);
  AppendNetstring(out, int64_t{e.outcome});
  AppendNetstring(out, e.peer);
  AppendNetstring(out, e.request_id);
}

}  // namespace

std::string AuditCanonicalBytes(const AuditEvent& e) {
  std::string out;
  AppendCanonical(&out, e);
  return out;
}

AuditHasher::AuditHasher()
    : sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
      ctx_(EVP_MD_CTX_new()) {}

AuditHasher::~AuditHasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(sha256_);
}

absl::string_view AuditHasher::Hash(absl::string_view prev_hash,
                                    const AuditEvent& event) {
  buffer_.assign(prev_hash.data(), prev_hash.size());
  AppendCanonical(&buffer_, event);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // One fetched SHA-256 and one reused context: OpenSSL 3's one-shot
  // SHA256() looks the algorithm up again on every call.
  if (sha256_ == nullptr || ctx_ == nullptr ||
      EVP_DigestInit_ex2(ctx_, sha256_, nullptr) != 1 ||
      EVP_DigestUpdate(ctx_, buffer_.data(), buffer_.size()) != 1 ||
      EVP_DigestFinal_ex(ctx_, digest, &size) != 1 || size != 32) {
    SHA256(reinterpret_cast<const unsigned char*>(buffer_.data()),
           buffer_.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) {
    hex_[2 * i] = kHex[digest[i] >> 4];
    hex_[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return absl::string_view(hex_, sizeof(hex_));
}

std::string AuditEventHash(absl::string_view prev_hash,
                           const AuditEvent& event) {
  AuditHasher hasher;
  return std::string(hasher.Hash(prev_hash, event));
}

}  // namespace mnrecords

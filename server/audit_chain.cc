#include "server/audit_chain.h"

#include <openssl/sha.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace mnrecords {
namespace {

void AppendNetstring(std::string* out, absl::string_view value) {
  absl::StrAppend(out, value.size(), ":", value, ",");
}

void AppendNetstring(std::string* out, int64_t value) {
  const absl::AlphaNum digits(value);
  AppendNetstring(out, digits.Piece());
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

absl::string_view AuditHasher::Hash(absl::string_view prev_hash,
                                    const AuditEvent& event) {
  buffer_.assign(prev_hash.data(), prev_hash.size());
  AppendCanonical(&buffer_, event);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(buffer_.data()), buffer_.size(),
         digest);
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
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

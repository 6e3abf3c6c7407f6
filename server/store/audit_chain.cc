#include "server/store/audit_chain.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/netstring.h"
#include "server/store/revision_hash.h"

namespace mnrecords {
namespace {

// AppendCanonical appends the canonical bytes of `e`: the one definition.
// `accessed_sha256` is the hex SHA-256 of e.accessed when it is not empty.
void AppendCanonical(std::string* out, const AuditEvent& e,
                     absl::string_view accessed_sha256) {
  const bool v3 = !e.accessed.empty();
  AppendNetstring(out, v3                    ? "mnrecords.audit.v3"
                       : e.revisions.empty() ? "mnrecords.audit.v1"
                                             : "mnrecords.audit.v2");
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
  if (v3 || !e.revisions.empty()) {
    AppendNetstring(out, e.revisions);
  }
  if (v3) AppendNetstring(out, accessed_sha256);
}

}  // namespace

std::optional<AuditEvent> BaselineEvents::Add(const std::string& clinic,
                                              RevisionDigest digest) {
  constexpr size_t kMaxRevisions = 1000;
  std::optional<AuditEvent> full;
  if (clinic != clinic_ || chunk_.size() == kMaxRevisions) full = Finish();
  clinic_ = clinic;
  chunk_.push_back(std::move(digest));
  return full;
}

std::optional<AuditEvent> BaselineEvents::Finish() {
  if (chunk_.empty()) return std::nullopt;
  AuditEvent event;
  event.time = time_;
  event.principal = "mnrecords";
  event.role = "system";
  event.action = std::string(kBaselineAuditAction);
  event.clinic = clinic_;
  event.resource = absl::StrCat("clinics/", clinic_);
  event.revisions = EncodeRevisionDigests(chunk_);
  chunk_.clear();
  return event;
}

std::string AuditCanonicalBytes(const AuditEvent& e) {
  std::string out;
  AppendCanonical(&out, e, e.accessed.empty() ? "" : Sha256Hex(e.accessed));
  return out;
}

absl::string_view AuditHasher::Hash(absl::string_view prev_hash,
                                    const AuditEvent& event) {
  if (!event.accessed.empty()) {
    const absl::string_view digest = sha256_.Hex(event.accessed);
    accessed_sha256_.assign(digest.data(), digest.size());
  }
  buffer_.assign(prev_hash.data(), prev_hash.size());
  AppendCanonical(&buffer_, event, accessed_sha256_);
  return sha256_.Hex(buffer_);
}

std::string AuditEventHash(absl::string_view prev_hash,
                           const AuditEvent& event) {
  AuditHasher hasher;
  return std::string(hasher.Hash(prev_hash, event));
}

std::optional<AuditChainLink> AuditChainWalk::Next(const AuditEvent& e) {
  if (e.seq != expected_) {
    return AuditChainLink{
        expected_, true,
        absl::StrCat("event ", expected_, " is missing (next is ", e.seq, ")")};
  }
  if (e.prev_hash != prev_hash_) {
    return AuditChainLink{e.seq, false,
                          absl::StrCat("prev_hash ", e.prev_hash,
                                       " does not match the hash of event ",
                                       e.seq - 1, " (", prev_hash_, ")")};
  }
  const absl::string_view recomputed = hasher_.Hash(e.prev_hash, e);
  if (e.hash != recomputed) {
    return AuditChainLink{
        e.seq, false,
        absl::StrCat("stored hash ", e.hash,
                     " does not match the recomputed hash ", recomputed,
                     ": the event's content was changed")};
  }
  prev_hash_.assign(e.hash);
  ++expected_;
  return std::nullopt;
}

}  // namespace mnrecords

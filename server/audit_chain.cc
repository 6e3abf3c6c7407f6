#include "server/audit_chain.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/hashing.h"

namespace mnrecords {
namespace {

void AppendNetstring(std::string* out, absl::string_view value) {
  absl::StrAppend(out, value.size(), ":", value, ",");
}

}  // namespace

std::string AuditCanonicalBytes(const AuditEvent& e) {
  std::string out;
  AppendNetstring(&out, "mnrecords.audit.v1");
  AppendNetstring(&out, absl::StrCat(e.seq));
  AppendNetstring(&out, absl::StrCat(absl::ToUnixMicros(e.time)));
  AppendNetstring(&out, e.principal);
  AppendNetstring(&out, e.role);
  AppendNetstring(&out, e.action);
  AppendNetstring(&out, e.clinic);
  AppendNetstring(&out, e.resource);
  AppendNetstring(&out, absl::StrCat(e.outcome));
  AppendNetstring(&out, e.peer);
  AppendNetstring(&out, e.request_id);
  return out;
}

std::string AuditEventHash(absl::string_view prev_hash,
                           const AuditEvent& event) {
  return Sha256Hex(absl::StrCat(prev_hash, AuditCanonicalBytes(event)));
}

}  // namespace mnrecords

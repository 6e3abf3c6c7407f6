#include "tools/migrate/audit_chain_check.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace mnrecords::migrate {
namespace {

AuditEvent EventOf(const Row& row) {
  AuditEvent e;
  e.seq = std::get<int64_t>(row[0]);
  e.time = absl::FromUnixMicros(std::get<int64_t>(row[1]));
  e.principal = std::get<std::string>(row[2]);
  e.role = std::get<std::string>(row[3]);
  e.action = std::get<std::string>(row[4]);
  e.clinic = std::get<std::string>(row[5]);
  e.resource = std::get<std::string>(row[6]);
  e.outcome = static_cast<int32_t>(std::get<int64_t>(row[7]));
  e.peer = std::get<std::string>(row[8]);
  e.request_id = std::get<std::string>(row[9]);
  e.prev_hash = std::get<std::string>(row[10]);
  e.hash = std::get<std::string>(row[11]);
  e.revisions = std::get<std::string>(row[12]);
  e.accessed = std::get<std::string>(row[13]);
  return e;
}

}  // namespace

void AuditChainCheck::Add(const Row& row) {
  if (broken_.has_value()) return;
  std::optional<AuditChainLink> link = walk_.Next(EventOf(row));
  if (!link.has_value()) return;
  broken_ = link->missing
                ? std::move(link->problem)
                : absl::StrCat("event ", link->seq, ": ", link->problem);
}

}  // namespace mnrecords::migrate

// AuditChainCheck: walks audit_events rows in seq order from the first
// event and finds the first place where the hash chain does not hold, with
// the check VerifyAuditLog uses (AuditChainWalk, server/store/audit_chain.h):
// each seq follows the one before (1 first), each prev_hash is the previous
// event's stored hash (the genesis hash for event 1), and each hash
// recomputes.
#ifndef MNRECORDS_TOOLS_MIGRATE_AUDIT_CHAIN_CHECK_H_
#define MNRECORDS_TOOLS_MIGRATE_AUDIT_CHAIN_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "server/store/audit_chain.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

class AuditChainCheck {
 public:
  // Add checks the next row (AuditEventsTable's columns). After the first
  // break the rest are ignored.
  void Add(const Row& row);

  // events_checked is how many events held, from event 1, before any break.
  int64_t events_checked() const { return walk_.expected() - 1; }
  // broken describes the first break in words, if there is one.
  const std::optional<std::string>& broken() const { return broken_; }

 private:
  AuditChainWalk walk_{1, kAuditGenesisHash};
  std::optional<std::string> broken_;
};

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_AUDIT_CHAIN_CHECK_H_

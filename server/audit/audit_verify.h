// VerifyAuditRange: the hash-chain check behind VerifyAuditLog, split over
// the machine's cores for long ranges.
#ifndef MNRECORDS_SERVER_AUDIT_AUDIT_VERIFY_H_
#define MNRECORDS_SERVER_AUDIT_AUDIT_VERIFY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords {

// AuditChainBreak is the first event at which the chain does not hold.
struct AuditChainBreak {
  int64_t seq = 0;
  std::string event_name;  // "" when the event is missing
  std::string problem;
};

// AuditRangeCheck is the outcome of checking a range of the log.
struct AuditRangeCheck {
  int64_t events_checked = 0;  // events that held, before any break
  std::optional<AuditChainBreak> broken;
};

// AuditEventName is the API name of an event: clinics/{c|-}/auditEvents/{seq}.
std::string AuditEventName(const AuditEvent& event);

// VerifyAuditRange checks events first..end (1 <= first <= end; `head` is
// the log's last seq when the caller read it, end <= head): each event's seq
// follows the previous one, its prev_hash is the previous event's stored
// hash (for `first`: that of event first - 1, or the genesis hash), and its
// hash recomputes. Ranges of at least 2 * min_chunk events are split into up
// to `parallelism` consecutive chunks, each checked in its own Read on its
// own thread (events up to `head` are committed and never change, so
// separate snapshots see the same events); the result is exactly that of
// one walk from `first`, which stops at the first break. Errors: the
// store's.
absl::StatusOr<AuditRangeCheck> VerifyAuditRange(Store& store, int64_t first,
                                                 int64_t end, int64_t head,
                                                 int parallelism = 2,
                                                 int64_t min_chunk = 50000);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_AUDIT_VERIFY_H_

#include "server/audit/audit_verify.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/audit_chain.h"

namespace mnrecords {
namespace {

// CheckChunk walks [a, b] in one snapshot. `last_chunk`: whether b is the
// end of the whole range (only for the wording of a missing tail event).
absl::StatusOr<AuditRangeCheck> CheckChunk(ReadTxn& txn, int64_t a, int64_t b,
                                           int64_t head, bool last_chunk) {
  AuditRangeCheck out;
  std::string prev(kAuditGenesisHash);
  if (a > 1) {
    MNR_ASSIGN_OR_RETURN(const std::vector<AuditEvent> before,
                         txn.ReadAuditEvents(a - 1, 1));
    if (before.empty() || before[0].seq != a - 1) {
      out.broken = AuditChainBreak{
          a - 1, "", absl::StrCat("event ", a - 1, " is missing")};
      return out;
    }
    prev = before[0].hash;
  }
  // One streaming scan.
  AuditChainWalk walk(a, prev);
  const absl::Status scanned =
      txn.ScanAuditEvents(a, b, [&](const AuditEvent& e) -> absl::Status {
        std::optional<AuditChainLink> link = walk.Next(e);
        if (!link.has_value()) return absl::OkStatus();
        out.broken =
            AuditChainBreak{link->seq, link->missing ? "" : AuditEventName(e),
                            std::move(link->problem)};
        return absl::CancelledError("stop at the first broken event");
      });
  const int64_t expected = walk.expected();
  out.events_checked = expected - a;
  if (out.broken.has_value()) return out;
  MNR_RETURN_IF_ERROR(scanned);
  if (expected <= b) {
    std::string where = absl::StrCat("the log ends at ", head);
    if (!last_chunk) {
      // Say which event comes next, as one walk over the whole range would.
      MNR_ASSIGN_OR_RETURN(const std::vector<AuditEvent> next,
                           txn.ReadAuditEvents(expected, 1));
      if (!next.empty()) where = absl::StrCat("next is ", next[0].seq);
    }
    out.broken = AuditChainBreak{
        expected, "",
        absl::StrCat("event ", expected, " is missing (", where, ")")};
  }
  return out;
}

}  // namespace

std::string AuditEventName(const AuditEvent& event) {
  return absl::StrCat("clinics/", event.clinic.empty() ? "-" : event.clinic,
                      "/auditEvents/", event.seq);
}

absl::StatusOr<AuditRangeCheck> VerifyAuditRange(Store& store, int64_t first,
                                                 int64_t end, int64_t head,
                                                 int parallelism,
                                                 int64_t min_chunk) {
  const int64_t total = end - first + 1;
  const int64_t chunk_floor = std::max<int64_t>(min_chunk, 1);
  const int chunks = static_cast<int>(
      std::clamp<int64_t>(total / chunk_floor, 1, std::max(parallelism, 1)));
  struct Chunk {
    int64_t a = 0;
    int64_t b = 0;
    AuditRangeCheck check;
    absl::Status status;
  };
  std::vector<Chunk> parts(chunks);
  for (int i = 0; i < chunks; ++i) {
    parts[i].a = first + total * i / chunks;
    parts[i].b = first + total * (i + 1) / chunks - 1;
  }
  auto run = [&](Chunk& c, bool last) {
    c.status = store.Read([&](ReadTxn& txn) -> absl::Status {
      MNR_ASSIGN_OR_RETURN(c.check, CheckChunk(txn, c.a, c.b, head, last));
      return absl::OkStatus();
    });
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < chunks; ++i) {
    helpers.emplace_back(run, std::ref(parts[i]), i == chunks - 1);
  }
  run(parts[0], chunks == 1);
  for (std::thread& t : helpers) t.join();

  // The first break in range order decides, as in one walk.
  AuditRangeCheck result;
  for (Chunk& c : parts) {
    MNR_RETURN_IF_ERROR(c.status);
    result.events_checked += c.check.events_checked;
    if (c.check.broken.has_value()) {
      result.broken = std::move(c.check.broken);
      break;
    }
  }
  return result;
}

}  // namespace mnrecords

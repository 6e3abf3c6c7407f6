// CheckDurability: after a write load (write_load.h) against a server that
// was killed or stopped, reads back every patient and session of clinic c1
// and checks that each acknowledged create is there exactly once with the
// content sent, that each acknowledged amendment is there as the revision
// acknowledged and that no session has revisions nobody sent, that nothing
// exists that was never sent, that calls with an unknown outcome are there at
// most once and exactly once after a retry with the same request_id, that each
// create has its audit event, and that the audit chain verifies.
#ifndef MNRECORDS_TESTS_RELIABILITY_DURABILITY_CHECK_H_
#define MNRECORDS_TESTS_RELIABILITY_DURABILITY_CHECK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/client.h"
#include "google/protobuf/message.h"
#include "tests/reliability/write_load.h"

namespace mnrecords::testing {

struct DurabilityReport {
  int64_t calls = 0;
  int64_t amendments = 0;         // of the calls
  int64_t acknowledged = 0;       // OK (possibly after retries)
  int64_t failed = 0;             // a definite error
  int64_t unknown_then_ok = 0;    // an attempt's outcome unknown, then OK
  int64_t unknown_at_end = 0;     // still unknown when the load stopped
  int64_t unknown_present = 0;    // of those: stored before the retry
  int64_t lost = 0;               // acknowledged but absent
  int64_t duplicates = 0;         // a call stored more than once
  int64_t changed = 0;            // stored content differs from what was sent
  int64_t never_sent = 0;         // stored, but no call sent it
  int64_t failed_but_stored = 0;  // definite error, yet stored
  int64_t retry_not_ok = 0;       // a retry of an unknown call not OK
  int64_t missing_audit = 0;      // stored, but no OK audit event for it
  bool audit_chain_ok = false;
  int64_t audit_events = 0;
  std::vector<std::string> problems;  // the first few, in words

  bool ok() const;
  std::string Summary() const;
};

// StoredCreate is a patient or session as read back from the server.
struct StoredCreate {
  std::string name;
  std::unique_ptr<google::protobuf::Message> record;  // current revision
  int64_t revision_id = 1;                            // its revision
};

// ReadStoredCreates lists every patient and session of clinic c1, by tag
// (a patient's first identifier value, the first word of a session's
// notes).
absl::StatusOr<std::map<std::string, std::vector<StoredCreate>>>
ReadStoredCreates(const RecordsClient& ehr);

// MatchesSent is true if `stored` holds exactly what `call` sent, apart from
// the fields the server sets (name, create_time, revision, etag, findings).
bool MatchesSent(const google::protobuf::Message& stored,
                 const SentCreate& call);

// CheckDurability checks `calls` against the server (see above); `ehr` is
// an EHR system and `auditor` an auditor of clinic c1; `setup_tags` are
// identifier values of patients created outside `calls`.
absl::StatusOr<DurabilityReport> CheckDurability(
    std::vector<SentCreate>& calls, const std::set<std::string>& setup_tags,
    const RecordsClient& ehr, const RecordsClient& auditor);

// IntegrityCheck opens `db_path` read-only (the server must be stopped) and
// returns what PRAGMA integrity_check says ("ok" when sound).
absl::StatusOr<std::string> IntegrityCheck(const std::string& db_path);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_DURABILITY_CHECK_H_

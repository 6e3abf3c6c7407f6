// The audit log's hash chain: the canonical bytes of an audit event and the
// hash that links it to the event before it. This is the one definition;
// the store uses it to append and the Audit service to verify. An auditor
// can recompute it without our code:
//
//   canonical = netstrings (`<byte length>:<bytes>,`) of, in order:
//     "mnrecords.audit.v1", seq (decimal), time (decimal Unix microseconds),
//     principal, role, action, clinic, resource, outcome (decimal gRPC
//     status code), peer, request_id
//   An event that wrote revisions is version 2: "mnrecords.audit.v2" in
//   place of "mnrecords.audit.v1", and after request_id one more netstring
//   holding, for each revision written, the netstrings of its name,
//   revision_id (decimal) and content hash (revision_hash.h).
//   An event that lists the records the call disclosed (audit_access.h)
//   is version 3: "mnrecords.audit.v3", the fields of version 2 (the
//   revisions netstring present, empty if it wrote none), then one more
//   netstring holding the lower-case hex SHA-256 of the stored list.
//   hash      = lower-case hex SHA-256 of (prev_hash || canonical), where
//               prev_hash is the previous event's hash as 64 lower-case hex
//               characters (64 "0" for the first event, seq 1).
//
// Example: seq 1, time 1700000000000000, principal "anonymous", role
// "unspecified", action "/clinic.microneedling.v1.TreatmentRecords/GetPatient",
// clinic "c1", resource "clinics/c1/patients/p1", outcome 0, peer
// "ipv4:127.0.0.1:5000", request_id "" has the canonical bytes
//   18:mnrecords.audit.v1,1:1,16:1700000000000000,9:anonymous,11:unspecified,
//   52:/clinic.microneedling.v1.TreatmentRecords/GetPatient,2:c1,
//   22:clinics/c1/patients/p1,1:0,19:ipv4:127.0.0.1:5000,0:,
// (one line, no line breaks) and the hash
//   ab4cafad2031f74f1e3ab6c417f27a1a59c053ea049182e2cd117f5335749560
// (tests/server/audit_chain_test.cc pins both).
#ifndef MNRECORDS_SERVER_STORE_AUDIT_CHAIN_H_
#define MNRECORDS_SERVER_STORE_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/sha256.h"
#include "server/store/store.h"

namespace mnrecords {

// kBaselineAuditAction is the action of the events a schema migration
// appends to commit the chain to the revisions stored before revisions
// were committed at write time (principal "mnrecords", role "system", one
// clinic and up to 1000 revisions each).
inline constexpr absl::string_view kBaselineAuditAction =
    "mnrecords.store/CommitStoredRevisions";

// BaselineEvents groups revisions stored before revisions were committed
// at write time into baseline events (kBaselineAuditAction): consecutive
// revisions of one clinic, up to 1000 per event, each ready to append.
// Both backends' schema migrations use it.
class BaselineEvents {
 public:
  explicit BaselineEvents(absl::Time time) : time_(time) {}

  // Add takes the next revision (of `clinic`) and returns the event the
  // revisions before it complete, if they do.
  std::optional<AuditEvent> Add(const std::string& clinic,
                                RevisionDigest digest);
  // Finish returns the event of the revisions not yet returned, if any.
  std::optional<AuditEvent> Finish();

 private:
  const absl::Time time_;
  std::string clinic_;
  std::vector<RevisionDigest> chunk_;
};

// kAuditGenesisHash is the prev_hash of the first event.
inline constexpr absl::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// AuditCanonicalBytes returns the canonical form of `event` (its prev_hash
// and hash fields are not part of it).
std::string AuditCanonicalBytes(const AuditEvent& event);

// AuditHasher computes AuditEventHash without allocating per event, for
// verifying long logs: same bytes, same hash. Not thread safe; one per
// thread.
class AuditHasher {
 public:
  AuditHasher() = default;
  AuditHasher(const AuditHasher&) = delete;
  AuditHasher& operator=(const AuditHasher&) = delete;

  // Hash returns the hash of `event` chained after `prev_hash` as 64
  // lower-case hex characters, valid until the next call.
  absl::string_view Hash(absl::string_view prev_hash, const AuditEvent& event);

 private:
  Sha256Hasher sha256_;
  std::string buffer_;
  std::string accessed_sha256_;
};

// AuditChainLink is what is wrong with an event that does not link.
struct AuditChainLink {
  int64_t seq = 0;       // the event at fault (the missing one if missing)
  bool missing = false;  // an event is missing before the one given
  std::string problem;   // in words an auditor can act on
};

// AuditChainWalk checks events one after another in seq order, starting at
// event `first` whose predecessor's hash is `prev_hash` (the genesis hash
// for event 1): each event's seq follows the previous one, its prev_hash is
// the previous event's stored hash, and its hash recomputes. The one link
// check of the log's verifiers. Not thread safe; one per walk.
class AuditChainWalk {
 public:
  AuditChainWalk(int64_t first, absl::string_view prev_hash)
      : expected_(first), prev_hash_(prev_hash) {}

  // Next checks `event`: nullopt if it links, else the break. After a
  // break the walk must not go on.
  std::optional<AuditChainLink> Next(const AuditEvent& event);

  // expected is the seq the next event must have.
  int64_t expected() const { return expected_; }

 private:
  int64_t expected_;
  std::string prev_hash_;
  AuditHasher hasher_;
};

// AuditEventHash returns the hash of `event` chained after `prev_hash`.
std::string AuditEventHash(absl::string_view prev_hash,
                           const AuditEvent& event);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_AUDIT_CHAIN_H_

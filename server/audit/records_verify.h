// VerifyStoredRevisions: the check behind VerifyRecords that every stored
// revision is what the audit event of the write that stored it committed
// to (server/store/revision_hash.h), split over the machine's cores.
#ifndef MNRECORDS_SERVER_AUDIT_RECORDS_VERIFY_H_
#define MNRECORDS_SERVER_AUDIT_RECORDS_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords {

// RevisionProblem is one thing wrong with one revision.
struct RevisionProblem {
  enum class Kind {
    kContentChanged,     // does not hash to what its write committed
    kStoredHashChanged,  // content as committed, the stored hash is not
    kMissing,            // committed by an event, no longer stored
    kNotInLog,           // stored, committed by no event
    kDuplicated,         // stored more than once
  };
  std::string record;
  int64_t revision_id = 0;
  Kind kind = Kind::kContentChanged;
  std::string problem;         // in words an auditor can act on
  int64_t audit_sequence = 0;  // the event committing to it; 0 if none
};

// RevisionsCheck is the outcome of VerifyStoredRevisions.
struct RevisionsCheck {
  int64_t revisions_checked = 0;   // stored revisions read and hashed
  int64_t baseline_revisions = 0;  // of those, committed by baseline events
  int64_t problem_count = 0;       // every problem found
  std::vector<RevisionProblem> problems;  // the first max_problems, sorted
  int64_t audit_head = 0;  // events up to here were read (their commitments)
};

// VerifyStoredRevisions reads the commitments of the audit events that
// wrote revisions of `clinic` ("" = every clinic), then reads every stored
// revision of the clinic in `parallelism` parts (each on its own thread
// and snapshot), recomputes its content hash and compares it with the
// committed one and with the hash stored beside it. Revisions written
// while it runs are checked against their events too; it never reports a
// revision as missing that was committed after it started. It trusts the
// events as stored: check the chain (VerifyAuditRange) for that. Problems
// are sorted by record name and revision; at most `max_problems` are kept.
// Errors: the store's.
absl::StatusOr<RevisionsCheck> VerifyStoredRevisions(Store& store,
                                                     const std::string& clinic,
                                                     int max_problems,
                                                     int parallelism = 2);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_RECORDS_VERIFY_H_

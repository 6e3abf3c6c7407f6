// FeedMirror: a consumer's copy of one clinic's records built from its change
// feed (change_feed_service.proto), and the check that the copy is exactly
// what the server holds: every change once, in commit order, each record's
// revisions 1, 2, 3, ... without gaps. Used by the change feed mirror test.
#ifndef MNRECORDS_TESTS_RELIABILITY_FEED_MIRROR_H_
#define MNRECORDS_TESTS_RELIABILITY_FEED_MIRROR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "client/client.h"
#include "clinic/microneedling/v1/change_feed_service.pb.h"

namespace mnrecords::testing {

namespace v1 = ::clinic::microneedling::v1;

// MirrorReport: how the copy compares with the server's list of changes.
struct MirrorReport {
  int64_t applied = 0;       // changes the consumer applied
  int64_t records = 0;       // records in the copy
  int64_t duplicates = 0;    // a (name, revision_id) delivered again
  int64_t gaps = 0;          // a revision_id not one more than the last
  int64_t out_of_order = 0;  // a cursor not after the previous one
  int64_t unparsable = 0;    // a line that is not a Change with a cursor
  int64_t server_changes = 0;
  int64_t server_gaps = 0;  // the server's own list skips a revision
  int64_t missing = 0;      // on the server, not in the copy
  int64_t extra = 0;        // in the copy, not on the server
  int64_t differing = 0;    // same name and revision, different content
  bool same_order = false;  // the copy's cursors are the server's, in order
  std::vector<std::string> problems;  // the first few, in words

  bool ok() const;
  std::string Summary() const;
};

// FeedMirror is thread-safe.
class FeedMirror {
 public:
  // ApplyJsonLine parses one stdout line of `mnrec changes watch --json`
  // and applies it; a line that does not parse counts as unparsable.
  void ApplyJsonLine(const std::string& line) ABSL_LOCKS_EXCLUDED(mu_);
  // Apply adds `change` to its record's revisions, counting a duplicate
  // (that revision is there already: not added again), a gap or a cursor
  // out of order.
  void Apply(const v1::Change& change) ABSL_LOCKS_EXCLUDED(mu_);
  // last_cursor is the cursor of the last change applied ("" before any).
  std::string last_cursor() const ABSL_LOCKS_EXCLUDED(mu_);
  int64_t applied() const ABSL_LOCKS_EXCLUDED(mu_);
  // Has is true if revision `revision_id` of `name` was applied.
  bool Has(const std::string& name, int64_t revision_id) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Compare checks the copy against `server`, every change of the clinic
  // in commit order (ListAllChanges).
  MirrorReport Compare(const std::vector<v1::Change>& server) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Problem(std::string what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, std::vector<v1::Change>> records_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> cursors_ ABSL_GUARDED_BY(mu_);  // applied, in order
  MirrorReport counts_ ABSL_GUARDED_BY(mu_);  // the consumer-side counts
};

// ListAllChanges walks the changes of `parent` (clinics/{clinic}) from the
// first one with ListChanges, oldest first.
absl::StatusOr<std::vector<v1::Change>> ListAllChanges(
    const RecordsClient& client, const std::string& parent);

// HeadCursor is the latest cursor of `parent` ("" while it has no change).
absl::StatusOr<std::string> HeadCursor(const RecordsClient& client,
                                       const std::string& parent);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_RELIABILITY_FEED_MIRROR_H_

// A revision's content hash: the SHA-256 that binds every stored column of
// a revision (store.h RecordRevision), so that a revision changed behind the
// server's back is detected by the read that returns it, and, since the
// audit event of the write that stored it carries the hash (audit_chain.h),
// by a verify against the chain. An auditor can recompute it without our
// code:
//
//   canonical = netstrings (`<byte length>:<bytes>,`) of, in order:
//     "mnrecords.revision.v1", name, revision_id (decimal), kind (decimal,
//     store.h RecordKind), clinic, patient, course, session, actor,
//     event_time_us (decimal), category (decimal), create_time (decimal
//     Unix microseconds), payload (the serialized resource proto's bytes)
//   hash      = lower-case hex SHA-256 of canonical
//
// (tests/server/revision_hash_test.cc pins an example.)
#ifndef MNRECORDS_SERVER_STORE_REVISION_HASH_H_
#define MNRECORDS_SERVER_STORE_REVISION_HASH_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sha256.h"
#include "server/store/store.h"

namespace mnrecords {

// RevisionCanonicalBytes returns the canonical form of `revision`.
std::string RevisionCanonicalBytes(const RecordRevision& revision);

// RevisionHasher computes RevisionContentHash without allocating per
// revision, for reads and verifies: same bytes, same hash. Not thread safe;
// one per thread.
class RevisionHasher {
 public:
  RevisionHasher() = default;
  RevisionHasher(const RevisionHasher&) = delete;
  RevisionHasher& operator=(const RevisionHasher&) = delete;

  // Hash returns the content hash of `revision` as 64 lower-case hex
  // characters, valid until the next call.
  absl::string_view Hash(const RecordRevision& revision);
  // Digest returns the content hash of `revision` as raw bytes.
  Sha256Digest Digest(const RecordRevision& revision);

 private:
  Sha256Hasher sha256_;
  std::string buffer_;
};

// RevisionContentHash returns the content hash of `revision`.
std::string RevisionContentHash(const RecordRevision& revision);

// CheckRevisionContent returns OK if `stored_hash`, the hash stored beside
// `revision`, is its content hash; otherwise DATA_LOSS naming the record
// and revision: the stored revision was changed outside the server and must
// not be served. Uses one RevisionHasher per thread.
absl::Status CheckRevisionContent(const RecordRevision& revision,
                                  absl::string_view stored_hash);

// EncodeRevisionDigests returns the stored and canonical form of a write's
// list of revisions (AuditEvent::revisions): for each, in order, the
// netstrings of name, revision_id (decimal) and content_sha256; "" for none.
std::string EncodeRevisionDigests(const std::vector<RevisionDigest>& digests);

// DecodeRevisionDigests parses EncodeRevisionDigests' form. DATA_LOSS if
// `encoded` is not well formed (a stored event was changed).
absl::StatusOr<std::vector<RevisionDigest>> DecodeRevisionDigests(
    absl::string_view encoded);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_REVISION_HASH_H_

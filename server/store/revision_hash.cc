#include "server/store/revision_hash.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/netstring.h"

namespace mnrecords {
namespace {

// AppendCanonical appends the canonical bytes of `r`: the one definition.
void AppendCanonical(std::string* out, const RecordRevision& r) {
  AppendNetstring(out, "mnrecords.revision.v1");
  AppendNetstring(out, r.name);
  AppendNetstring(out, r.revision_id);
  AppendNetstring(out, static_cast<int64_t>(r.kind));
  AppendNetstring(out, r.clinic);
  AppendNetstring(out, r.patient);
  AppendNetstring(out, r.course);
  AppendNetstring(out, r.session);
  AppendNetstring(out, r.actor);
  AppendNetstring(out, r.event_time_us);
  AppendNetstring(out, int64_t{r.category});
  AppendNetstring(out, absl::ToUnixMicros(r.create_time));
  AppendNetstring(out, r.payload);
}

}  // namespace

std::string RevisionCanonicalBytes(const RecordRevision& revision) {
  std::string out;
  AppendCanonical(&out, revision);
  return out;
}

absl::string_view RevisionHasher::Hash(const RecordRevision& revision) {
  buffer_.clear();
  AppendCanonical(&buffer_, revision);
  return sha256_.Hex(buffer_);
}

Sha256Digest RevisionHasher::Digest(const RecordRevision& revision) {
  buffer_.clear();
  AppendCanonical(&buffer_, revision);
  return sha256_.Digest(buffer_);
}

std::string RevisionContentHash(const RecordRevision& revision) {
  RevisionHasher hasher;
  return std::string(hasher.Hash(revision));
}

absl::Status CheckRevisionContent(const RecordRevision& revision,
                                  absl::string_view stored_hash) {
  thread_local RevisionHasher hasher;
  if (hasher.Hash(revision) == stored_hash) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "revision ", revision.revision_id, " of ", revision.name,
      " does not match its content hash: it was changed outside the server "
      "and is not served (run `mnrec records verify`)"));
}

std::string EncodeRevisionDigests(const std::vector<RevisionDigest>& digests) {
  std::string out;
  for (const RevisionDigest& d : digests) {
    AppendNetstring(&out, d.name);
    AppendNetstring(&out, d.revision_id);
    AppendNetstring(&out, d.content_sha256);
  }
  return out;
}

absl::StatusOr<std::vector<RevisionDigest>> DecodeRevisionDigests(
    absl::string_view encoded) {
  std::vector<RevisionDigest> out;
  while (!encoded.empty()) {
    absl::string_view name, revision, hash;
    RevisionDigest d;
    if (!ConsumeNetstring(&encoded, &name) ||
        !ConsumeNetstring(&encoded, &revision) ||
        !ConsumeNetstring(&encoded, &hash) ||
        !absl::SimpleAtoi(revision, &d.revision_id) || d.revision_id < 1 ||
        !IsSha256Hex(hash)) {
      return absl::DataLossError(
          "an audit event's list of revisions written is malformed");
    }
    d.name = std::string(name);
    d.content_sha256 = std::string(hash);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace mnrecords

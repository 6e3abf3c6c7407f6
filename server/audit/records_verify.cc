#include "server/audit/records_verify.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/audit_chain.h"
#include "server/store/revision_hash.h"

namespace mnrecords {
namespace {

using Kind = RevisionProblem::Kind;

// Commitment is what one audit event committed to for one revision.
struct Commitment {
  std::string name;
  int64_t revision_id = 0;
  std::string content_sha256;
  int64_t seq = 0;
  bool baseline = false;
};

// KeyOf is the lookup key of revision `revision_id` of `name`.
void KeyOf(absl::string_view name, int64_t revision_id, std::string* key) {
  key->assign(name.data(), name.size());
  key->push_back('\n');
  absl::StrAppend(key, revision_id);
}

// Commitments are the revisions committed by audit events, by key.
class Commitments {
 public:
  // Add adds the commitments of `event` (an event that wrote revisions);
  // the first commitment of a revision counts. An event whose list does
  // not parse is skipped: its hash no longer recomputes, which the chain
  // check reports.
  void Add(const AuditEvent& event) {
    absl::StatusOr<std::vector<RevisionDigest>> digests =
        DecodeRevisionDigests(event.revisions);
    if (!digests.ok()) return;
    const bool baseline = event.action == kBaselineAuditAction;
    std::string key;
    for (RevisionDigest& d : *digests) {
      KeyOf(d.name, d.revision_id, &key);
      if (index_.contains(key)) continue;
      index_.emplace(key, static_cast<int>(entries_.size()));
      entries_.push_back({std::move(d.name), d.revision_id,
                          std::move(d.content_sha256), event.seq, baseline});
    }
  }

  // Seal readies Find and Seen after the last Add.
  void Seal() {
    seen_ = std::make_unique<std::atomic<int>[]>(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) seen_[i] = 0;
  }

  // Find returns the index of `key`'s commitment, or -1. Thread safe after
  // Seal.
  int Find(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? -1 : it->second;
  }
  const Commitment& at(int i) const { return entries_[i]; }
  // Seen counts a sighting of commitment `i` and returns the count before.
  int Seen(int i) const { return seen_[i].fetch_add(1); }
  int seen(int i) const { return seen_[i].load(); }
  size_t size() const { return entries_.size(); }

 private:
  absl::flat_hash_map<std::string, int> index_;
  std::vector<Commitment> entries_;
  std::unique_ptr<std::atomic<int>[]> seen_;
};

// Unmatched is a stored revision no commitment read so far names.
struct Unmatched {
  std::string name;
  int64_t revision_id = 0;
  std::string content_sha256;  // recomputed
  std::string stored_sha256;
};

// Check compares a revision hashing to `recomputed`, stored beside
// `stored`, with commitment `c` (sighted `sightings` times before) and
// adds what is wrong to `problems`.
void Check(const Commitment& c, absl::string_view recomputed,
           absl::string_view stored, int sightings,
           std::vector<RevisionProblem>* problems) {
  if (sightings > 0) {
    problems->push_back({c.name, c.revision_id, Kind::kDuplicated,
                         absl::StrCat("revision ", c.revision_id, " of ",
                                      c.name, " is stored more than once"),
                         c.seq});
    return;
  }
  if (recomputed != c.content_sha256) {
    problems->push_back(
        {c.name, c.revision_id, Kind::kContentChanged,
         absl::StrCat("revision ", c.revision_id, " of ", c.name, " hashes to ",
                      recomputed, ", not to ", c.content_sha256,
                      " as audit event ", c.seq,
                      " committed: its stored content was changed"),
         c.seq});
  } else if (stored != recomputed) {
    problems->push_back(
        {c.name, c.revision_id, Kind::kStoredHashChanged,
         absl::StrCat("revision ", c.revision_id, " of ", c.name,
                      " is as audit event ", c.seq,
                      " committed, but the hash stored beside it was changed "
                      "(reads of it fail with DATA_LOSS)"),
         c.seq});
  }
}

// ReadCommitments adds the commitments of the events of `clinic` in
// [from, to] to `out`.
absl::Status ReadCommitments(Store& store, const std::string& clinic,
                             int64_t from, int64_t to, Commitments* out) {
  if (from > to) return absl::OkStatus();
  return store.Read([&](ReadTxn& txn) {
    return txn.ScanAuditWrites(clinic, from, to,
                               [&](const AuditEvent& e) -> absl::Status {
                                 out->Add(e);
                                 return absl::OkStatus();
                               });
  });
}

absl::StatusOr<int64_t> AuditHead(Store& store) {
  int64_t head = 0;
  MNR_RETURN_IF_ERROR(store.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::optional<AuditEvent> last,
                         txn.LastAuditEvent());
    head = last.has_value() ? last->seq : 0;
    return absl::OkStatus();
  }));
  return head;
}

// Part is what one scanning thread found.
struct Part {
  int64_t checked = 0;
  int64_t baseline = 0;
  std::vector<RevisionProblem> problems;
  std::vector<Unmatched> unmatched;
  absl::Status status;
};

}  // namespace

absl::StatusOr<RevisionsCheck> VerifyStoredRevisions(Store& store,
                                                     const std::string& clinic,
                                                     int max_problems,
                                                     int parallelism) {
  // Every revision committed by an event up to head0 is in the snapshots
  // the scans take afterwards.
  MNR_ASSIGN_OR_RETURN(const int64_t head0, AuditHead(store));
  Commitments committed;
  MNR_RETURN_IF_ERROR(ReadCommitments(store, clinic, 1, head0, &committed));
  committed.Seal();

  const int parts = std::max(parallelism, 1);
  std::vector<Part> found(parts);
  auto scan = [&](int p) {
    Part& part = found[p];
    RevisionHasher hasher;
    std::string key;
    part.status = store.Read([&](ReadTxn& txn) {
      return txn.ScanRevisions(
          clinic, p, parts, [&](const StoredRevision& row) -> absl::Status {
            const RecordRevision& r = row.revision;
            const absl::string_view hash = hasher.Hash(r);
            ++part.checked;
            KeyOf(r.name, r.revision_id, &key);
            const int i = committed.Find(key);
            if (i < 0) {
              part.unmatched.push_back({r.name, r.revision_id,
                                        std::string(hash), row.content_sha256});
              return absl::OkStatus();
            }
            const Commitment& c = committed.at(i);
            if (c.baseline) ++part.baseline;
            Check(c, hash, row.content_sha256, committed.Seen(i),
                  &part.problems);
            return absl::OkStatus();
          });
    });
  };
  std::vector<std::thread> helpers;
  for (int p = 1; p < parts; ++p) helpers.emplace_back(scan, p);
  scan(0);
  for (std::thread& t : helpers) t.join();

  RevisionsCheck out;
  std::vector<Unmatched> unmatched;
  for (Part& part : found) {
    MNR_RETURN_IF_ERROR(part.status);
    out.revisions_checked += part.checked;
    out.baseline_revisions += part.baseline;
    for (RevisionProblem& p : part.problems) out.problems.push_back(p);
    for (Unmatched& u : part.unmatched) unmatched.push_back(std::move(u));
  }

  // Revisions written while the scans ran: their events come after head0.
  MNR_ASSIGN_OR_RETURN(out.audit_head, AuditHead(store));
  Commitments later;
  MNR_RETURN_IF_ERROR(
      ReadCommitments(store, clinic, head0 + 1, out.audit_head, &later));
  later.Seal();
  std::string key;
  for (const Unmatched& u : unmatched) {
    KeyOf(u.name, u.revision_id, &key);
    const int i = later.Find(key);
    if (i >= 0) {
      Check(later.at(i), u.content_sha256, u.stored_sha256, later.Seen(i),
            &out.problems);
      continue;
    }
    out.problems.push_back(
        {u.name, u.revision_id, Kind::kNotInLog,
         absl::StrCat("revision ", u.revision_id, " of ", u.name,
                      " is stored but no audit event commits to it: it was "
                      "written outside the server"),
         0});
  }
  for (size_t i = 0; i < committed.size(); ++i) {
    if (committed.seen(static_cast<int>(i)) > 0) continue;
    const Commitment& c = committed.at(static_cast<int>(i));
    out.problems.push_back(
        {c.name, c.revision_id, Kind::kMissing,
         absl::StrCat("audit event ", c.seq, " committed revision ",
                      c.revision_id, " of ", c.name,
                      ", which is no longer stored"),
         c.seq});
  }

  out.problem_count = static_cast<int64_t>(out.problems.size());
  std::sort(out.problems.begin(), out.problems.end(),
            [](const RevisionProblem& a, const RevisionProblem& b) {
              return std::tie(a.record, a.revision_id, a.kind) <
                     std::tie(b.record, b.revision_id, b.kind);
            });
  if (out.problems.size() > static_cast<size_t>(std::max(max_problems, 0))) {
    out.problems.resize(std::max(max_problems, 0));
  }
  return out;
}

}  // namespace mnrecords

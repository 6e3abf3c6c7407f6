#include "server/audit/records_verify.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "server/store/audit_chain.h"
#include "server/store/netstring.h"
#include "server/store/revision_hash.h"

namespace mnrecords {
namespace {

using Kind = RevisionProblem::Kind;

// Commitment is what one audit event committed to for one revision.
struct Commitment {
  Sha256Digest content_sha256;
  int64_t revision_id = 0;
  int64_t seq = 0;
  uint32_t name_at = 0;  // the record's name: Commitments::name
  uint32_t name_size = 0;
  bool baseline = false;
};

// DigestHash hashes a SHA-256 digest by its first bytes (already uniform).
struct DigestHash {
  size_t operator()(const Sha256Digest& d) const {
    size_t h;
    std::memcpy(&h, d.data(), sizeof(h));
    return h;
  }
};

// Commitments are the revisions committed by audit events, found by their
// committed hash (the fast path: a revision as committed) or by name and
// revision. No allocation per commitment but the tables' own.
class Commitments {
 public:
  // Add adds the commitments of `event` (an event that wrote revisions);
  // the first commitment of a revision counts. An event whose list does
  // not parse is skipped from there: its hash no longer recomputes, which
  // the chain check reports.
  void Add(const AuditEvent& event) {
    const bool baseline = event.action == kBaselineAuditAction;
    absl::string_view list = event.revisions;
    while (!list.empty()) {
      absl::string_view name, revision, hex;
      Commitment c;
      if (!ConsumeNetstring(&list, &name) ||
          !ConsumeNetstring(&list, &revision) ||
          !ConsumeNetstring(&list, &hex) ||
          !absl::SimpleAtoi(revision, &c.revision_id) ||
          !ParseSha256Hex(hex, &c.content_sha256)) {
        return;
      }
      c.seq = event.seq;
      c.baseline = baseline;
      c.name_at = static_cast<uint32_t>(names_.size());
      c.name_size = static_cast<uint32_t>(name.size());
      if (!by_digest_.emplace(c.content_sha256, entries_.size()).second) {
        continue;
      }
      names_.append(name.data(), name.size());
      entries_.push_back(c);
    }
  }

  // Reserve makes room for about `n` commitments.
  void Reserve(size_t n) {
    entries_.reserve(n);
    by_digest_.reserve(n);
    names_.reserve(n * 64);
  }

  // Seal readies the lookups and Seen after the last Add.
  void Seal() {
    seen_ = std::make_unique<std::atomic<int>[]>(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) seen_[i] = 0;
  }

  // Find returns the index of the commitment of revision `revision_id` of
  // `name`, or -1; `digest` is the revision's hash as stored now, which
  // finds it at once when unchanged. Thread safe after Seal.
  int64_t Find(const Sha256Digest& digest, absl::string_view name,
               int64_t revision_id) const {
    auto it = by_digest_.find(digest);
    if (it != by_digest_.end()) {
      const Commitment& c = entries_[it->second];
      if (c.revision_id == revision_id && this->name(it->second) == name) {
        return static_cast<int64_t>(it->second);
      }
    }
    // A revision not as committed (or not committed): by name, from a
    // table built on the first such lookup.
    std::call_once(by_name_built_, [this] {
      by_name_.reserve(entries_.size());
      for (size_t i = 0; i < entries_.size(); ++i) {
        by_name_.emplace(std::make_pair(this->name(i), entries_[i].revision_id),
                         i);
      }
    });
    auto named = by_name_.find(std::make_pair(name, revision_id));
    return named == by_name_.end() ? -1 : static_cast<int64_t>(named->second);
  }

  const Commitment& at(int64_t i) const { return entries_[i]; }
  absl::string_view name(size_t i) const {
    return absl::string_view(names_).substr(entries_[i].name_at,
                                            entries_[i].name_size);
  }
  // Seen counts a sighting of commitment `i` and returns the count before.
  int Seen(int64_t i) const { return seen_[i].fetch_add(1); }
  int seen(int64_t i) const { return seen_[i].load(); }
  size_t size() const { return entries_.size(); }

 private:
  std::string names_;  // every name, back to back
  std::vector<Commitment> entries_;
  absl::flat_hash_map<Sha256Digest, size_t, DigestHash> by_digest_;
  mutable std::once_flag by_name_built_;
  mutable absl::flat_hash_map<std::pair<absl::string_view, int64_t>, size_t>
      by_name_;
  std::unique_ptr<std::atomic<int>[]> seen_;
};

// Unmatched is a stored revision no commitment read so far names.
struct Unmatched {
  std::string name;
  int64_t revision_id = 0;
  Sha256Digest content_sha256;  // recomputed
  std::string stored_sha256;
};

// Check compares a revision of `name` hashing to `recomputed`, stored
// beside `stored`, with commitment `c` (sighted `sightings` times before)
// and adds what is wrong to `problems`.
void Check(const Commitment& c, absl::string_view name,
           const Sha256Digest& recomputed, absl::string_view stored,
           int sightings, std::vector<RevisionProblem>* problems) {
  if (sightings > 0) {
    problems->push_back({std::string(name), c.revision_id, Kind::kDuplicated,
                         absl::StrCat("revision ", c.revision_id, " of ", name,
                                      " is stored more than once"),
                         c.seq});
    return;
  }
  if (recomputed != c.content_sha256) {
    problems->push_back(
        {std::string(name), c.revision_id, Kind::kContentChanged,
         absl::StrCat("revision ", c.revision_id, " of ", name, " hashes to ",
                      Sha256HexOf(recomputed), ", not to ",
                      Sha256HexOf(c.content_sha256), " as audit event ", c.seq,
                      " committed: its stored content was changed"),
         c.seq});
    return;
  }
  Sha256Digest beside;
  if (!ParseSha256Hex(stored, &beside) || beside != recomputed) {
    problems->push_back(
        {std::string(name), c.revision_id, Kind::kStoredHashChanged,
         absl::StrCat("revision ", c.revision_id, " of ", name,
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
  // Read before the commitments were ready, matched after.
  std::vector<Unmatched> early;
  std::vector<Unmatched> unmatched;
  absl::Status status;
};

// Match checks one revision against `commitments` into `part`; false if no
// commitment names it.
bool Match(const Commitments& commitments, absl::string_view name,
           int64_t revision_id, const Sha256Digest& digest,
           absl::string_view stored, Part* part) {
  const int64_t i = commitments.Find(digest, name, revision_id);
  if (i < 0) return false;
  const Commitment& c = commitments.at(i);
  if (c.baseline) ++part->baseline;
  Check(c, name, digest, stored, commitments.Seen(i), &part->problems);
  return true;
}

// MatchEarly matches what `part` read before `commitments` were ready.
void MatchEarly(const Commitments& commitments, Part* part) {
  for (Unmatched& u : part->early) {
    if (!Match(commitments, u.name, u.revision_id, u.content_sha256,
               u.stored_sha256, part)) {
      part->unmatched.push_back(std::move(u));
    }
  }
  part->early.clear();
}

}  // namespace

absl::StatusOr<RevisionsCheck> VerifyStoredRevisions(Store& store,
                                                     const std::string& clinic,
                                                     int max_problems,
                                                     int parallelism) {
  // Every revision committed by an event up to head0 is in the snapshots
  // the scans take afterwards.
  MNR_ASSIGN_OR_RETURN(const int64_t head0, AuditHead(store));
  // The commitments are read on their own thread while the scans start;
  // a scan keeps what it reads before they are ready and matches it after.
  Commitments committed;
  absl::Status commitments_read;
  std::atomic<bool> ready{false};
  std::thread reader([&] {
    // For the whole store, one commitment per revision stored: the change
    // feed's last seq (one change per revision) sizes the tables once. (A
    // clinic's last seq says nothing of how many it holds.)
    absl::Status sized = store.Read([&](ReadTxn& txn) -> absl::Status {
      if (!clinic.empty()) return absl::OkStatus();
      MNR_ASSIGN_OR_RETURN(const int64_t changes, txn.LastChangeSeq(""));
      committed.Reserve(static_cast<size_t>(changes));
      return absl::OkStatus();
    });
    commitments_read =
        sized.ok() ? ReadCommitments(store, clinic, 1, head0, &committed)
                   : sized;
    committed.Seal();
    ready.store(true, std::memory_order_release);
  });

  const int parts = std::max(parallelism, 1);
  std::vector<Part> found(parts);
  auto scan = [&](int p) {
    Part& part = found[p];
    RevisionHasher hasher;
    part.status = store.Read([&](ReadTxn& txn) {
      return txn.ScanRevisions(
          clinic, p, parts, [&](const StoredRevision& row) -> absl::Status {
            const RecordRevision& r = row.revision;
            const Sha256Digest digest = hasher.Digest(r);
            ++part.checked;
            if (!ready.load(std::memory_order_acquire)) {
              part.early.push_back(
                  {r.name, r.revision_id, digest, row.content_sha256});
              return absl::OkStatus();
            }
            if (!part.early.empty()) MatchEarly(committed, &part);
            if (!Match(committed, r.name, r.revision_id, digest,
                       row.content_sha256, &part)) {
              part.unmatched.push_back(
                  {r.name, r.revision_id, digest, row.content_sha256});
            }
            return absl::OkStatus();
          });
    });
  };
  std::vector<std::thread> helpers;
  for (int p = 1; p < parts; ++p) helpers.emplace_back(scan, p);
  scan(0);
  for (std::thread& t : helpers) t.join();
  reader.join();
  MNR_RETURN_IF_ERROR(commitments_read);
  for (Part& part : found) MatchEarly(committed, &part);

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
  for (const Unmatched& u : unmatched) {
    const int64_t i = later.Find(u.content_sha256, u.name, u.revision_id);
    if (i >= 0) {
      Check(later.at(i), u.name, u.content_sha256, u.stored_sha256,
            later.Seen(i), &out.problems);
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
    if (committed.seen(i) > 0) continue;
    const Commitment& c = committed.at(i);
    out.problems.push_back(
        {std::string(committed.name(i)), c.revision_id, Kind::kMissing,
         absl::StrCat("audit event ", c.seq, " committed revision ",
                      c.revision_id, " of ", committed.name(i),
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

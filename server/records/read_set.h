// Reading on a snapshot, writing later: a write is planned on the caller's
// thread against a snapshot (SnapshotTxn), and the store's writer only
// checks, inside its transaction, whether anything the plan read has
// changed since (ReadSet::Changed) — if so the plan is made again there.
// What "changed" means comes from record versions (server/store/store.h):
// reading a record notes its version; listing or counting the records
// under a parent notes the parent's version, which grows with every write
// under it. Reads that no version covers (clinic-wide lists, unique keys,
// the audit log) make the read set untracked: it always counts as changed.
#ifndef MNRECORDS_SERVER_RECORDS_READ_SET_H_
#define MNRECORDS_SERVER_RECORDS_READ_SET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords {

// ReadSet is the versions a plan read.
class ReadSet {
 public:
  // Changed reports whether a record the plan read has another version in
  // `txn` now (true for an untracked read set).
  absl::StatusOr<bool> Changed(ReadTxn& txn) const;

  // Note remembers that `name` was read at `version` (the first note of a
  // name wins: it is the snapshot's).
  void Note(const std::string& name, int64_t version);
  // Untracked marks a read no version covers.
  void Untracked() { untracked_ = true; }

  bool untracked() const { return untracked_; }
  const std::vector<std::pair<std::string, int64_t>>& versions() const {
    return versions_;
  }

 private:
  std::vector<std::pair<std::string, int64_t>> versions_;
  bool untracked_ = false;
};

// ParentBoundOf returns the parent that bounds `query` — the parent of the
// queried kind (a course for sessions, a patient for courses and consents,
// a session for photos) when the query names exactly it — or nullopt when
// no one parent's version covers what the query can return.
std::optional<std::string> ParentBoundOf(const RecordQuery& query);

// SnapshotTxn reads through `inner` and notes what it read in a ReadSet.
class SnapshotTxn final : public ReadTxn {
 public:
  explicit SnapshotTxn(ReadTxn& inner) : inner_(inner) {}

  // TakeReadSet returns what was read so far.
  ReadSet TakeReadSet() && { return std::move(read_set_); }

  absl::StatusOr<StoredRecord> GetRecord(const std::string& name,
                                         int64_t revision_id) override;
  absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      const RecordQuery& query) override;
  absl::StatusOr<int64_t> RecordVersion(const std::string& name) override;
  absl::StatusOr<std::vector<CategoryCount>> CountChildren(
      const std::string& parent, RecordKind kind) override;
  absl::StatusOr<std::vector<StoredRecord>> ListRevisions(
      const std::string& name, int64_t after_revision, int limit) override;
  absl::StatusOr<std::optional<std::string>> FindByKey(
      const std::string& clinic, const std::string& key) override;
  absl::StatusOr<std::optional<RequestRecord>> GetRequest(
      const std::string& scope, const std::string& request_id) override;
  absl::StatusOr<std::vector<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) override;
  absl::StatusOr<std::vector<AuditEvent>> ReadAuditEvents(int64_t from_seq,
                                                          int limit) override;
  absl::StatusOr<std::optional<AuditEvent>> LastAuditEvent() override;
  absl::StatusOr<std::vector<StoredChange>> ListChanges(
      const ChangeQuery& query) override;
  absl::StatusOr<int64_t> LastChangeSeq(const std::string& clinic) override;
  absl::Status ScanRevisions(
      const std::string& clinic, int part, int parts,
      absl::FunctionRef<absl::Status(const StoredRevision&)> fn) override {
    return inner_.ScanRevisions(clinic, part, parts, fn);
  }

 private:
  // NoteParent notes the version of `parent` (one lookup).
  absl::Status NoteParent(const std::string& parent);

  ReadTxn& inner_;
  ReadSet read_set_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_READ_SET_H_

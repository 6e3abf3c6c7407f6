// The SQLite store's ReadTxn and WriteTxn: adapters from the Store contract
// to the functions in record_reads.h and record_writes.h over one
// connection that SqliteStore has put inside a transaction.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SQLITE_TXN_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SQLITE_TXN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/revision_hash.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/store.h"

namespace mnrecords {
namespace sqlite {

// RunCached runs `sql` (no rows expected) through db's statement cache.
absl::Status RunCached(Connection& db, absl::string_view sql);

// SqliteReadTxn reads through a connection inside a read transaction.
class SqliteReadTxn final : public ReadTxn {
 public:
  explicit SqliteReadTxn(Connection& db) : db_(db) {}

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
      absl::FunctionRef<absl::Status(const StoredRevision&)> fn) override;
  absl::Status ScanAuditEvents(
      int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) override;
  absl::Status ScanAuditWrites(
      const std::string& clinic, int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) override;

 private:
  Connection& db_;
};

// SqliteWriteTxn writes through the writer connection inside a write
// transaction. Each mutation runs in a savepoint: when it fails, whatever
// it wrote is undone and the transaction stays usable (so a caller may
// handle e.g. ALREADY_EXISTS and go on). A storage failure (I/O, full disk,
// corruption, a transaction SQLite rolled back by itself) instead breaks
// the transaction: every later call fails with that error and Write() rolls
// back even if fn returns OK.
class SqliteWriteTxn final : public WriteTxn {
 public:
  explicit SqliteWriteTxn(Connection& db) : db_(db) {}

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
      absl::FunctionRef<absl::Status(const StoredRevision&)> fn) override;
  absl::Status ScanAuditEvents(
      int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) override;
  absl::Status ScanAuditWrites(
      const std::string& clinic, int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) override;

  absl::Status InsertRecord(const RecordRevision& record,
                            const RecordKeys& keys) override;
  absl::Status AppendRevision(const RecordRevision& record,
                              const RecordKeys& keys) override;
  absl::Status PutRequest(const std::string& scope,
                          const std::string& request_id,
                          const RequestRecord& request) override;
  absl::StatusOr<int64_t> ExpireRequests(absl::Time cutoff,
                                         int64_t limit) override;
  absl::StatusOr<AuditEvent> AppendAuditEvent(const AuditEvent& event) override;

  // broken is OK, or the storage failure that makes this transaction
  // impossible to commit.
  const absl::Status& broken() const { return broken_; }

 private:
  // Usable fails if the transaction is broken or no longer open.
  absl::Status Usable();
  // Track records `status` as breaking the transaction if it is a storage
  // failure, and returns it.
  absl::Status Track(absl::Status status);
  template <typename T>
  absl::StatusOr<T> Track(absl::StatusOr<T> result) {
    if (!result.ok()) Track(result.status()).IgnoreError();
    return result;
  }
  // Mutate runs `op` in a savepoint.
  absl::Status Mutate(absl::FunctionRef<absl::Status()> op);

  Connection& db_;
  absl::Status broken_;
  RevisionHasher hasher_;
};

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SQLITE_TXN_H_

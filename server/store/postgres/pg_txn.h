// The ReadTxn and WriteTxn of the PostgreSQL store: the Store operations
// over one connection that is already inside a transaction (a REPEATABLE
// READ, READ ONLY one for reads; the batch's transaction for writes). The
// same contract and the same refusals as the SQLite backend
// (server/store/sqlite/sqlite_store.h, "Beyond the Store contract").
#ifndef MNRECORDS_SERVER_STORE_POSTGRES_PG_TXN_H_
#define MNRECORDS_SERVER_STORE_POSTGRES_PG_TXN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/revision_hash.h"
#include "server/store/store.h"

namespace mnrecords {
namespace postgres {

// ListAuditEventsSql is the statement ListAuditEvents runs for `query`,
// with its parameters in `params`. INVALID_ARGUMENT for a limit < 1 or a
// non-ASCII resource prefix.
absl::StatusOr<std::string> ListAuditEventsSql(const AuditQuery& query,
                                               std::vector<PgParam>* params);

// DecodeRevision sets `r` from row `i` of `rows`, whose columns from
// `first` on are kRevisionColumns (store_sql.h). The kind is taken as
// stored, known or not.
void DecodeRevision(const PgResult& rows, int i, int first, RecordRevision* r);

class PgReadTxn : public ReadTxn {
 public:
  explicit PgReadTxn(PgConnection& db) : db_(db) {}

  absl::StatusOr<StoredRecord> GetRecord(const std::string& name,
                                         int64_t revision_id) override;
  absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      const RecordQuery& query) override;
  absl::StatusOr<int64_t> RecordVersion(const std::string& name) override;
  absl::StatusOr<std::vector<int64_t>> RecordVersions(
      const std::vector<std::string>& names) override;
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

 protected:
  // RecordHead is the part of a record's index row the write path checks.
  struct RecordHead {
    RecordKind kind = RecordKind::kPatient;
    std::string clinic;
    int64_t revision_id = 0;
    int32_t category = 0;
    std::string parent;
    int64_t seq = 0;
  };
  absl::StatusOr<std::optional<RecordHead>> FindHead(const std::string& name);

  PgConnection& db_;
};

class PgWriteTxn final : public WriteTxn {
 public:
  explicit PgWriteTxn(PgConnection& db) : reads_(db), db_(db) {}

  // The reads of the write transaction see its own writes.
  absl::StatusOr<StoredRecord> GetRecord(const std::string& name,
                                         int64_t revision_id) override {
    return reads_.GetRecord(name, revision_id);
  }
  absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      const RecordQuery& query) override {
    return reads_.ListRecords(query);
  }
  absl::StatusOr<int64_t> RecordVersion(const std::string& name) override {
    return reads_.RecordVersion(name);
  }
  absl::StatusOr<std::vector<int64_t>> RecordVersions(
      const std::vector<std::string>& names) override {
    return reads_.RecordVersions(names);
  }
  absl::StatusOr<std::vector<CategoryCount>> CountChildren(
      const std::string& parent, RecordKind kind) override {
    return reads_.CountChildren(parent, kind);
  }
  absl::StatusOr<std::vector<StoredRecord>> ListRevisions(
      const std::string& name, int64_t after_revision, int limit) override {
    return reads_.ListRevisions(name, after_revision, limit);
  }
  absl::StatusOr<std::optional<std::string>> FindByKey(
      const std::string& clinic, const std::string& key) override {
    return reads_.FindByKey(clinic, key);
  }
  absl::StatusOr<std::optional<RequestRecord>> GetRequest(
      const std::string& scope, const std::string& request_id) override {
    return reads_.GetRequest(scope, request_id);
  }
  absl::StatusOr<std::vector<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) override {
    return reads_.ListAuditEvents(query);
  }
  absl::StatusOr<std::vector<AuditEvent>> ReadAuditEvents(int64_t from_seq,
                                                          int limit) override {
    return reads_.ReadAuditEvents(from_seq, limit);
  }
  absl::StatusOr<std::optional<AuditEvent>> LastAuditEvent() override {
    return reads_.LastAuditEvent();
  }
  absl::StatusOr<std::vector<StoredChange>> ListChanges(
      const ChangeQuery& query) override {
    return reads_.ListChanges(query);
  }
  absl::StatusOr<int64_t> LastChangeSeq(const std::string& clinic) override {
    return reads_.LastChangeSeq(clinic);
  }
  absl::Status ScanRevisions(
      const std::string& clinic, int part, int parts,
      absl::FunctionRef<absl::Status(const StoredRevision&)> fn) override {
    return reads_.ScanRevisions(clinic, part, parts, fn);
  }

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

 private:
  // Heads exposes PgReadTxn::FindHead to the write side.
  class Reads : public PgReadTxn {
   public:
    using PgReadTxn::FindHead;
    using PgReadTxn::PgReadTxn;
    using PgReadTxn::RecordHead;
  };
  absl::Status CheckKeysFree(const RecordRevision& record,
                             const std::vector<std::string>& keys);
  // InsertRevisionRow stores revision `r` with its content hash;
  // InsertChangeRow its change, written by principal().
  absl::Status InsertRevisionRow(const RecordRevision& r,
                                 absl::string_view content_sha256);
  absl::Status InsertChangeRow(const RecordRevision& r);
  absl::Status InsertKeyRows(const RecordRevision& record,
                             const std::vector<std::string>& keys);
  // ReplaceTermRows files record `seq` under exactly `terms`, replacing its
  // previous revision's.
  absl::Status ReplaceTermRows(const RecordRevision& record, int64_t seq,
                               bool had_rows,
                               const std::vector<std::string>& terms);
  absl::Status AddToCount(const std::string& parent, RecordKind kind,
                          int32_t category, int64_t delta);
  absl::Status BumpParent(const std::string& parent);

  Reads reads_;
  PgConnection& db_;
  RevisionHasher hasher_;
};

}  // namespace postgres
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_POSTGRES_PG_TXN_H_

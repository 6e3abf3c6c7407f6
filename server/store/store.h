// The storage contract of mnrecords: start here.
//
// A Store keeps clinical records as append-only revisions. Each record
// (patient, course, session, photo, consent, instruction set) has a resource
// name and revisions 1..n; revision n is "current". A revision is never
// updated or deleted once written. Alongside the revisions the store keeps a
// derived index of each record's current revision (the columns of
// RecordRevision other than the payload) for listing and filtering, unique
// lookup keys (e.g. a patient identifier within a clinic), search terms
// (e.g. a session's cartridge lot), and the request ids of idempotent
// creates.
//
// All access goes through transactions: Read() runs a function against a
// consistent snapshot on the caller's thread. Writes are handed to the
// store's one writer (Submit): it applies them in order, several to one
// atomic write transaction (group commit), and tells each write its outcome
// once that transaction is durable (WriteOp::Done) — no thread waits for
// the writer. Write() is the blocking form for callers that may wait.
//
// Thread safety: a Store is safe to use from many threads at once. Reads run
// concurrently; writes are serialized. A ReadTxn/WriteTxn must not outlive
// the call that handed it out, nor be shared between threads.
//
// Errors: absl::Status, never exceptions. NOT_FOUND names the missing
// record, ALREADY_EXISTS names the name or key that is taken, DATA_LOSS for a
// corrupt database or a revision that does not match its content hash,
// RESOURCE_EXHAUSTED for a full disk, UNAVAILABLE for a database that stays
// busy or a storage I/O error (a failed write, fsync or truncate: the
// transaction was rolled back — after a failed fsync it may still be found
// whole at the next open — so the caller retries with the same request_id),
// INTERNAL for a broken invariant.
#ifndef MNRECORDS_SERVER_STORE_STORE_H_
#define MNRECORDS_SERVER_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords {

// RecordKind is the type of a record; its value is stored, never renumber.
enum class RecordKind : int {
  kPatient = 1,
  kCourse = 2,
  kSession = 3,
  kPhoto = 4,
  kConsent = 5,
  kInstructionSet = 6,
  kPluginSettings = 7,     // a clinic's settings of one plugin
  kScreening = 8,          // a patient's contraindication screening
  kOutcomeAssessment = 9,  // a rating of a course's outcome
  kPhotoRelease = 10,      // a use of a photo beyond the clinical record
  kSessionSignature = 11,  // a signature of a session revision
};

// RecordRevision is one immutable revision of a record plus the index
// columns the service derived from it. Empty strings / 0 mean "not
// applicable" for the kind. The store keeps its content hash
// (revision_hash.h) beside it and every read checks it: a revision whose
// stored columns no longer match is DATA_LOSS, never served.
struct RecordRevision {
  std::string name;  // full resource name, unique
  RecordKind kind = RecordKind::kPatient;
  std::string clinic;         // clinic id (the {clinic} segment)
  std::string patient;        // patient resource name, if under a patient
  std::string course;         // course resource name, if under a course
  std::string session;        // session resource name, if under a session
  std::string actor;          // clinician for filtering (sessions, courses)
  int64_t event_time_us = 0;  // performed_at / signed_at / captured_at
  int32_t category = 0;       // a kind-specific enum to filter on (status, ...)
  int64_t revision_id = 0;    // 1-based
  absl::Time create_time;     // when this revision was written
  std::string payload;        // the serialized resource proto
};

// RecordKeys are what a record's current revision can be found by, derived
// from it by the caller (the service's RecordTraits) and replaced with each
// revision: `unique` keys no other record of the clinic may hold (e.g. a
// patient identifier), and search `terms` that any number of records may
// share (e.g. a session's cartridge lot), found by RecordQuery::terms.
// Duplicates count once; an empty key or term is INVALID_ARGUMENT.
struct RecordKeys {
  std::vector<std::string> unique;
  std::vector<std::string> terms;
};

// RecordTermsFn derives the search terms of a stored revision, as the
// service does when it writes one. A store calls it only while migrating,
// to index the records stored before search terms existed.
using RecordTermsFn =
    std::function<std::vector<std::string>(const RecordRevision&)>;

// The parent of a record is the record it lies directly under, by its name
// columns: the session of a photo, the course of a session, the patient of
// a course or a consent; patients and instruction sets have none.

// StoredRecord is a revision as read back, with the record's insertion
// sequence number (stable ordering and keyset pagination) and its version.
struct StoredRecord {
  int64_t seq = 0;
  // version grows by one with every revision written of the record itself
  // or of a record whose parent it is (a session logged or amended bumps
  // its course's). A write prepared on a snapshot compares versions to tell
  // whether what it read has changed since. 0 before the first change.
  int64_t version = 0;
  RecordRevision revision;
};

// RecordQuery selects current revisions of one kind in one clinic. Every
// set field narrows the result. Results are ordered by seq ascending and
// start after `after_seq`, unless `order` asks for time order.
struct RecordQuery {
  RecordKind kind = RecordKind::kPatient;
  std::string clinic;
  std::string patient;  // "" = any
  std::string course;   // "" = any
  std::string session;  // "" = any
  std::string actor;    // "" = any
  std::optional<int32_t> category;
  std::optional<int64_t> event_time_from_us;  // inclusive
  std::optional<int64_t> event_time_to_us;    // exclusive
  std::optional<int32_t> exclude_category;    // leave out this category
  std::string exclude_name;                   // leave out this record
  // Only records holding every one of these search terms (RecordKeys).
  // With no session, course or patient to narrow by, the first term's
  // index drives the query.
  std::vector<std::string> terms;
  // kSeq: insertion order, paged with after_seq. kEventTimeAscending /
  // kEventTimeDescending: by event_time_us, ties by seq, paged after
  // (after_event_time_us, after_seq) when after_event_time_us is set. Time
  // order needs `course`, or `patient` and `category`: each has an index,
  // so finding the records just before or after a time costs the same
  // however many the parent holds.
  enum class Order { kSeq, kEventTimeAscending, kEventTimeDescending };
  Order order = Order::kSeq;
  std::optional<int64_t> after_event_time_us;
  int64_t after_seq = 0;
  int limit = 50;  // >= 1
};

// CategoryCount is how many current records of one category a parent has.
struct CategoryCount {
  int32_t category = 0;
  int64_t count = 0;
};

// RequestRecord remembers what an idempotent call with a request id did.
struct RequestRecord {
  std::string request_hash;  // digest of the request (without its id)
  std::string name;          // the record it created or amended
  int64_t revision_id = 0;   // the revision it produced
  // When the call first ran (the server's clock); the retention of request
  // ids counts from it (ExpireRequests). Must be finite.
  absl::Time create_time = absl::InfinitePast();
};

// RevisionDigest names one stored revision and its content hash
// (revision_hash.h).
struct RevisionDigest {
  std::string name;
  int64_t revision_id = 0;
  std::string content_sha256;  // 64 lower-case hex characters
};

// StoredRevision is a revision as stored, with the content hash stored
// beside it (which a changed row may no longer match).
struct StoredRevision {
  RecordRevision revision;
  std::string content_sha256;
};

// AuditEvent is one entry of the append-only, hash-chained audit log. The
// caller fills the "who/what" fields; the store assigns seq (1, 2, 3, ...
// with no gaps, one chain for the whole store) and computes prev_hash and
// hash (server/audit_chain.h) inside the write transaction that appends it.
struct AuditEvent {
  int64_t seq = 0;         // assigned by the store
  absl::Time time;         // when the call was handled
  std::string principal;   // principal id
  std::string role;        // principal role, e.g. "clinician"
  std::string action;      // full gRPC method
  std::string clinic;      // clinic of the resource ("" if none)
  std::string resource;    // resource name (or list parent) touched
  int32_t outcome = 0;     // gRPC status code of the call
  std::string peer;        // caller address
  std::string request_id;  // the request's request_id, if it has one
  // The revisions the call wrote, in the order written, as
  // EncodeRevisionDigests bytes (revision_hash.h); "" for a call that wrote
  // nothing. Hashed with the rest, so the chain commits to the content of
  // every revision written (audit_chain.h).
  std::string revisions;
  // What the call's responses disclosed, as EncodeRecordsAccessed bytes
  // (audit_access.h); "" for a call that disclosed no patient's records.
  // Hashed with the rest through its SHA-256 (audit_chain.h).
  std::string accessed;
  std::string prev_hash;  // 64 hex chars; assigned by the store
  std::string hash;       // 64 hex chars; assigned by the store
};

// AuditOutcome narrows audit events by their outcome.
enum class AuditOutcome {
  kAny,
  kExactly,  // outcome == AuditQuery::outcome_code
  kFailed,   // any outcome but OK
};

// AuditQuery selects audit events. Every set field narrows the result.
// Results are ordered by seq, ascending from after `after_seq`, or with
// `newest_first` descending from before `before_seq` (0 = the newest).
struct AuditQuery {
  std::string clinic;           // "" = any
  std::string principal;        // "" = any
  std::string resource_prefix;  // "" = any; ASCII
  std::string action;           // "" = any
  // clinics/{clinic}/patients/{patient}: the events filed under it
  // (AuditEventPatients, audit_access.h); "" = any.
  std::string patient;
  std::optional<int64_t> time_from_us;  // inclusive
  std::optional<int64_t> time_to_us;    // exclusive
  AuditOutcome outcome = AuditOutcome::kAny;
  int32_t outcome_code = 0;  // with AuditOutcome::kExactly
  bool newest_first = false;
  int64_t after_seq = 0;   // ascending order only
  int64_t before_seq = 0;  // newest_first only
  int limit = 50;          // >= 1
};

// StoredChange is one stored revision as the change feed reports it. Every
// revision written is a change; its seq is assigned when it is written and
// grows strictly in commit order across the whole store (writes are
// serialized), with gaps where a write rolled back. A snapshot that holds
// change n holds every change before it.
struct StoredChange {
  int64_t seq = 0;
  // The principal whose call wrote the revision (WriteTxn::set_principal);
  // "" if none was named, e.g. for revisions stored before changes were
  // kept.
  std::string principal;
  RecordRevision revision;
};

// ChangeQuery selects the changes of one clinic after a seq, oldest first.
struct ChangeQuery {
  std::string clinic;             // required
  std::string patient;            // "" = any; a patient's name
  std::vector<RecordKind> kinds;  // empty = any
  int64_t after_seq = 0;          // >= 0
  int limit = 100;                // >= 1
};

// ReadTxn reads one consistent snapshot.
class ReadTxn {
 public:
  virtual ~ReadTxn() = default;

  // GetRecord returns revision `revision_id` of `name`, or the current one
  // when revision_id is 0. NOT_FOUND if the record or revision is absent.
  virtual absl::StatusOr<StoredRecord> GetRecord(const std::string& name,
                                                 int64_t revision_id) = 0;

  // ListRecords returns up to query.limit current revisions matching query.
  virtual absl::StatusOr<std::vector<StoredRecord>> ListRecords(
      const RecordQuery& query) = 0;

  // RecordVersion returns the version (StoredRecord::version) of `name`,
  // or 0 if there is no such record.
  virtual absl::StatusOr<int64_t> RecordVersion(const std::string& name) = 0;

  // RecordVersions returns RecordVersion of each of `names`, in order. A
  // backend whose reads are round trips answers in one; this default asks
  // one name at a time.
  virtual absl::StatusOr<std::vector<int64_t>> RecordVersions(
      const std::vector<std::string>& names) {
    std::vector<int64_t> out;
    out.reserve(names.size());
    for (const std::string& name : names) {
      absl::StatusOr<int64_t> version = RecordVersion(name);
      if (!version.ok()) return version.status();
      out.push_back(*version);
    }
    return out;
  }

  // CountChildren returns, for each category with at least one, how many
  // current records of `kind` have `parent` as their parent, in category
  // order. Its cost does not grow with the number of records.
  virtual absl::StatusOr<std::vector<CategoryCount>> CountChildren(
      const std::string& parent, RecordKind kind) = 0;

  // ListRevisions returns up to `limit` revisions of `name` with
  // revision_id > after_revision, oldest first. NOT_FOUND if no such record.
  virtual absl::StatusOr<std::vector<StoredRecord>> ListRevisions(
      const std::string& name, int64_t after_revision, int limit) = 0;

  // FindByKey returns the name of the record holding unique `key` in
  // `clinic`, or std::nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindByKey(
      const std::string& clinic, const std::string& key) = 0;

  // GetRequest returns what an earlier call with (scope, request_id) did,
  // or std::nullopt if there was none.
  virtual absl::StatusOr<std::optional<RequestRecord>> GetRequest(
      const std::string& scope, const std::string& request_id) = 0;

  // ListAuditEvents returns up to query.limit audit events matching query,
  // exactly as stored (hashes are not checked here).
  virtual absl::StatusOr<std::vector<AuditEvent>> ListAuditEvents(
      const AuditQuery& query) = 0;

  // ReadAuditEvents returns up to `limit` events with seq >= from_seq in
  // seq order, exactly as stored, for verification.
  virtual absl::StatusOr<std::vector<AuditEvent>> ReadAuditEvents(
      int64_t from_seq, int limit) = 0;

  // LastAuditEvent returns the event with the highest seq, or std::nullopt
  // if the log is empty.
  virtual absl::StatusOr<std::optional<AuditEvent>> LastAuditEvent() = 0;

  // ListChanges returns up to query.limit changes matching query with
  // seq > query.after_seq, in seq order, each with its revision.
  // INVALID_ARGUMENT for a query without clinic, an unknown kind, a
  // negative after_seq or a limit < 1.
  virtual absl::StatusOr<std::vector<StoredChange>> ListChanges(
      const ChangeQuery& query) = 0;

  // LastChangeSeq returns the highest change seq of `clinic` ("" = of any
  // clinic), or 0 if there is none.
  virtual absl::StatusOr<int64_t> LastChangeSeq(const std::string& clinic) = 0;

  // ScanRevisions calls `fn` with every stored revision of `clinic` ("" =
  // of every clinic) in part `part` of `parts` (0 <= part < parts), exactly
  // as stored: its content is NOT checked against its hash here (the
  // caller verifies). Each revision falls in exactly one part, so parts
  // may be scanned concurrently, each in its own Read. The revision is
  // valid only during the call; stops at the first error of `fn`.
  // INVALID_ARGUMENT for a bad part.
  virtual absl::Status ScanRevisions(
      const std::string& clinic, int part, int parts,
      absl::FunctionRef<absl::Status(const StoredRevision&)> fn) = 0;

  // ScanAuditEvents calls `fn` with every event with from_seq <= seq <=
  // to_seq, in seq order, exactly as stored; the event is valid only during
  // the call. Stops at the first error of `fn` and returns it. For long
  // ranges (verification): a backend streams the rows instead of building
  // them all; this default reads batches with ReadAuditEvents.
  virtual absl::Status ScanAuditEvents(
      int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
    while (from_seq <= to_seq) {
      const int64_t limit = to_seq - from_seq + 1;
      absl::StatusOr<std::vector<AuditEvent>> events = ReadAuditEvents(
          from_seq, limit < 1000 ? static_cast<int>(limit) : 1000);
      if (!events.ok()) return events.status();
      if (events->empty()) return absl::OkStatus();
      for (const AuditEvent& e : *events) {
        if (e.seq > to_seq) return absl::OkStatus();
        absl::Status status = fn(e);
        if (!status.ok()) return status;
      }
      from_seq = events->back().seq + 1;
    }
    return absl::OkStatus();
  }

  // ScanAuditWrites calls `fn` with every event with from_seq <= seq <=
  // to_seq that wrote revisions (AuditEvent::revisions not empty) and whose
  // clinic is `clinic` ("" = any), in seq order, with at least seq, clinic,
  // action and revisions as stored (a backend may leave the other fields
  // empty: this is for reading what the writes committed to, not for
  // checking the chain); the event is valid only during the call. Stops at
  // the first error of `fn`. This default filters ScanAuditEvents; a
  // backend may use an index.
  virtual absl::Status ScanAuditWrites(
      const std::string& clinic, int64_t from_seq, int64_t to_seq,
      absl::FunctionRef<absl::Status(const AuditEvent&)> fn) {
    return ScanAuditEvents(
        from_seq, to_seq, [&](const AuditEvent& e) -> absl::Status {
          if (e.revisions.empty() || (!clinic.empty() && e.clinic != clinic)) {
            return absl::OkStatus();
          }
          return fn(e);
        });
  }
};

// WriteTxn reads and writes inside one write transaction.
class WriteTxn : public ReadTxn {
 public:
  // InsertRecord writes revision 1 of a new record, claims its unique keys
  // and files it under its search terms. ALREADY_EXISTS if the name or a
  // unique key is taken; INVALID_ARGUMENT if record.revision_id != 1.
  virtual absl::Status InsertRecord(const RecordRevision& record,
                                    const RecordKeys& keys) = 0;

  // AppendRevision writes the next revision of an existing record, makes it
  // current and replaces the record's keys and terms with `keys`. NOT_FOUND
  // if the
  // record does not exist; ABORTED if record.revision_id is not current + 1;
  // ALREADY_EXISTS if a key is held by another record.
  virtual absl::Status AppendRevision(const RecordRevision& record,
                                      const RecordKeys& keys) = 0;

  // PutRequest remembers the outcome of a call with (scope, request_id).
  // ALREADY_EXISTS if that pair is already remembered.
  virtual absl::Status PutRequest(const std::string& scope,
                                  const std::string& request_id,
                                  const RequestRecord& request) = 0;

  // ExpireRequests forgets at most `limit` remembered requests created
  // before `cutoff`, oldest first, and returns how many it forgot. A
  // forgotten request_id is new again: a call with it does the work.
  virtual absl::StatusOr<int64_t> ExpireRequests(absl::Time cutoff,
                                                 int64_t limit) = 0;

  // AppendAuditEvent appends `event` to the audit log in this transaction:
  // assigns seq = last seq + 1, prev_hash = the last event's hash (64 zeros
  // for the first event) and hash = AuditEventHash(...). Returns the event
  // as stored. INVALID_ARGUMENT for an empty action or an infinite time.
  virtual absl::StatusOr<AuditEvent> AppendAuditEvent(
      const AuditEvent& event) = 0;

  // set_principal names the principal whose call the revisions written
  // next belong to (StoredChange::principal), until set again. A write
  // sets it before it writes; a transaction shared by several writes
  // carries each write's own.
  void set_principal(std::string principal) {
    principal_ = std::move(principal);
  }
  const std::string& principal() const { return principal_; }

  // written lists every revision InsertRecord and AppendRevision stored in
  // this transaction, in order, with its content hash (including those of
  // a write whose savepoint was later undone: a caller takes the entries
  // added during its own successful write, e.g. for its audit event).
  const std::vector<RevisionDigest>& written() const { return written_; }

 protected:
  // NoteWritten is called by a backend for each revision it stored.
  void NoteWritten(RevisionDigest digest) {
    written_.push_back(std::move(digest));
  }

 private:
  std::string principal_;
  std::vector<RevisionDigest> written_;
};

// WriteOp is one write handed to the store's writer (Store::Submit).
class WriteOp {
 public:
  virtual ~WriteOp() = default;

  // Apply makes the write in `txn`, a write transaction it may share with
  // other writes (each in its own savepoint). If Apply fails, what it wrote
  // is undone alone and Done gets its error; the other writes go on.
  virtual absl::Status Apply(WriteTxn& txn) = 0;

  // Done is called exactly once with the write's outcome: OK once the
  // transaction holding it has durably committed; Apply's error; or the
  // transaction's failure (then nothing of it was written). It runs on the
  // writer's thread, or inside Submit for a write refused at once, so it
  // must not block or wait for another write; it may Submit.
  virtual void Done(absl::Status status) = 0;
};

// StoreBackup describes a finished backup copy of a store.
struct StoreBackup {
  int64_t size_bytes = 0;
  // The last audit event in the copy: its seq (0 if the log is empty),
  // hash ("" if empty) and time. An auditor keeps these as a checkpoint.
  int64_t last_audit_seq = 0;
  std::string last_audit_hash;
  absl::Time last_audit_time = absl::UnixEpoch();
};

// Store is the storage backend. See the file comment for the contract.
class Store {
 public:
  virtual ~Store() = default;

  // Read runs `fn` against one consistent snapshot and returns its status
  // (or the store's own error if the snapshot could not be had).
  virtual absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) = 0;

  // Submit hands `op` to the writer and returns at once; op->Done reports
  // the outcome (see WriteOp). Writes are applied in the order they were
  // submitted. A write refused at once gets Done inside Submit:
  // UNAVAILABLE when too many writes wait (retry later), FAILED_PRECONDITION
  // once the store is closed, or the refusal of a decorator (e.g.
  // RESOURCE_EXHAUSTED for a full disk).
  virtual void Submit(std::unique_ptr<WriteOp> op) = 0;

  // Write runs `fn` as one write (Submit) and waits for its outcome: OK
  // once fn's writes are committed and durable; otherwise nothing fn wrote
  // is kept and its (or the store's) error is returned. It blocks: never
  // call it from a WriteOp, nor from a thread that must not wait.
  absl::Status Write(absl::FunctionRef<absl::Status(WriteTxn&)> fn);

  // Close refuses new writes, lets the submitted ones finish (each gets its
  // Done) and releases the database. Idempotent; destroying the store
  // closes it too. This default has nothing to close.
  virtual absl::Status Close() { return absl::OkStatus(); }

  // Backup writes one consistent snapshot of the whole store (every
  // clinic, the audit log included) to the new file `out_path`, while
  // reads and writes go on. `out_path` never names a partial copy and is
  // never overwritten: ALREADY_EXISTS if it exists. RESOURCE_EXHAUSTED for
  // a full disk. UNIMPLEMENTED for a backend whose data cannot be copied to
  // one file (its own backup tools apply): this default.
  virtual absl::StatusOr<StoreBackup> Backup(const std::string& out_path) {
    return absl::UnimplementedError(
        "this storage backend has no online backup to a file; use the "
        "database's own backup tools (backup of " +
        out_path + " refused)");
  }
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_STORE_H_

#include "server/store/sqlite/schema.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_access.h"
#include "server/store/audit_chain.h"
#include "server/store/revision_hash.h"
#include "server/store/sqlite/audit_rows.h"
#include "server/store/sqlite/record_reads.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace sqlite {
namespace {

// Schema version 1.
//
// revisions   The clinical record: every revision of every record, with the
//             index columns it had and its payload. Append-only: triggers
//             reject UPDATE and DELETE, and revision n+1 of a name can only
//             be inserted after revision n.
// records     A derived index: one row per record with a copy of its current
//             revision's index columns. seq (the rowid) is the insertion
//             order used for stable listing and keyset pagination. Rows are
//             never deleted; name/kind/clinic/seq never change; revision_id
//             only moves forward by one. The composite foreign key to
//             revisions is deferred because InsertRecord writes the records
//             row before its first revision (which references it).
// record_keys Derived unique lookup keys (e.g. "mrn|123") per clinic,
//             replaced when a record gets a new revision.
// requests    Outcomes of idempotent calls by (scope, request_id); each
//             names an existing revision. The only rows ever deleted: a
//             background job forgets those older than the retention by
//             create_time_us (schema version 6, server/store/request_expiry.h).
//
// Indexes: ListRecords always constrains kind and clinic and orders by seq;
// it picks the most selective equality column available (session, course,
// patient, actor, else clinic) and uses the matching index by name, or the
// event-time index for time-range-only queries (record_reads.cc).
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE records (
  seq           INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
  kind          INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  clinic        TEXT    NOT NULL CHECK (length(clinic) > 0),
  patient       TEXT    NOT NULL,
  course        TEXT    NOT NULL,
  session       TEXT    NOT NULL,
  actor         TEXT    NOT NULL,
  event_time_us INTEGER NOT NULL,
  category      INTEGER NOT NULL,
  revision_id   INTEGER NOT NULL CHECK (revision_id >= 1),
  FOREIGN KEY (name, revision_id) REFERENCES revisions (name, revision_id)
    DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE revisions (
  name           TEXT    NOT NULL REFERENCES records (name),
  revision_id    INTEGER NOT NULL CHECK (revision_id >= 1),
  kind           INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  clinic         TEXT    NOT NULL CHECK (length(clinic) > 0),
  patient        TEXT    NOT NULL,
  course         TEXT    NOT NULL,
  session        TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  event_time_us  INTEGER NOT NULL,
  category       INTEGER NOT NULL,
  create_time_us INTEGER NOT NULL,
  payload        BLOB    NOT NULL,
  PRIMARY KEY (name, revision_id)
) STRICT;

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN
  SELECT RAISE(ABORT, 'revisions are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN
  SELECT RAISE(ABORT, 'revisions are append-only: DELETE is not allowed');
END;

CREATE TRIGGER revisions_contiguous BEFORE INSERT ON revisions
WHEN NEW.revision_id > 1 AND NOT EXISTS (
  SELECT 1 FROM revisions
  WHERE name = NEW.name AND revision_id = NEW.revision_id - 1)
BEGIN
  SELECT RAISE(ABORT, 'revision ids of a record must be contiguous');
END;

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
  SELECT RAISE(ABORT, 'records are never deleted');
END;

CREATE TRIGGER records_identity_fixed
BEFORE UPDATE OF seq, name, kind, clinic ON records
WHEN NEW.seq IS NOT OLD.seq OR NEW.name IS NOT OLD.name
  OR NEW.kind IS NOT OLD.kind OR NEW.clinic IS NOT OLD.clinic
BEGIN
  SELECT RAISE(ABORT, 'seq, name, kind and clinic of a record never change');
END;

CREATE TRIGGER records_revision_forward BEFORE UPDATE OF revision_id ON records
WHEN NEW.revision_id IS NOT OLD.revision_id
  AND NEW.revision_id IS NOT OLD.revision_id + 1
BEGIN
  SELECT RAISE(ABORT, 'the current revision of a record only moves forward by one');
END;

CREATE INDEX records_by_clinic ON records (clinic, kind, seq);
CREATE INDEX records_by_clinic_actor ON records (clinic, kind, actor, seq);
CREATE INDEX records_by_clinic_time ON records (clinic, kind, event_time_us);
CREATE INDEX records_by_patient ON records (patient, kind, seq);
CREATE INDEX records_by_course ON records (course, kind, seq);
CREATE INDEX records_by_session ON records (session, kind, seq);

CREATE TABLE record_keys (
  clinic     TEXT NOT NULL CHECK (length(clinic) > 0),
  lookup_key TEXT NOT NULL CHECK (length(lookup_key) > 0),
  name       TEXT NOT NULL REFERENCES records (name),
  PRIMARY KEY (clinic, lookup_key)
) STRICT, WITHOUT ROWID;

CREATE INDEX record_keys_by_name ON record_keys (name);

CREATE TABLE requests (
  scope          TEXT    NOT NULL CHECK (length(scope) > 0),
  request_id     TEXT    NOT NULL CHECK (length(request_id) > 0),
  request_hash   BLOB    NOT NULL,
  name           TEXT    NOT NULL,
  revision_id    INTEGER NOT NULL CHECK (revision_id >= 1),
  create_time_us INTEGER NOT NULL DEFAULT
    (CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)),
  PRIMARY KEY (scope, request_id),
  FOREIGN KEY (name, revision_id) REFERENCES revisions (name, revision_id)
) STRICT, WITHOUT ROWID;
)sql";

// Schema version 2: the audit log (server/audit_chain.h has the hash).
//
// audit_events  One row per audited call. seq is 1, 2, 3, ... without gaps
//               (a trigger refuses any other next seq); prev_hash/hash form
//               the hash chain. Append-only: triggers reject UPDATE and
//               DELETE. The triggers keep honest code honest; an attacker
//               with the file can drop them, which is what the hash chain
//               and stored checkpoints detect.
//
// Indexes: one per ListAuditEvents filter, each ending in seq for ordering
// and keyset pagination.
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE audit_events (
  seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
  time_us    INTEGER NOT NULL,
  principal  TEXT    NOT NULL,
  role       TEXT    NOT NULL,
  action     TEXT    NOT NULL CHECK (length(action) > 0),
  clinic     TEXT    NOT NULL,
  resource   TEXT    NOT NULL,
  outcome    INTEGER NOT NULL,
  peer       TEXT    NOT NULL,
  request_id TEXT    NOT NULL,
  prev_hash  TEXT    NOT NULL CHECK (length(prev_hash) = 64),
  hash       TEXT    NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed');
END;

CREATE TRIGGER audit_events_contiguous BEFORE INSERT ON audit_events
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_events)
BEGIN
  SELECT RAISE(ABORT, 'audit event sequence numbers must be contiguous');
END;

CREATE INDEX audit_by_clinic ON audit_events (clinic, seq);
CREATE INDEX audit_by_principal ON audit_events (principal, seq);
CREATE INDEX audit_by_resource ON audit_events (resource, seq);
CREATE INDEX audit_by_action ON audit_events (action, seq);
CREATE INDEX audit_by_time ON audit_events (time_us, seq);
)sql";

// Schema version 3: what a write needs to check its context at a cost that
// does not grow with the records.
//
// records.version  Grows by one with every revision of the record or of a
//                  record directly under it (store.h, StoredRecord).
// record_counts    How many current records of each kind and category lie
//                  directly under each parent (a course's sessions by
//                  status), kept in the write transactions; filled here
//                  from the records already stored.
// Indexes: a course's records and a patient's records of one category in
// event-time order (the session before or after a time; the consents of a
// kind signed before a time).
constexpr char kSchemaV3[] = R"sql(
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE INDEX records_by_course_time
  ON records (course, kind, event_time_us, seq);
CREATE INDEX records_by_patient_time
  ON records (patient, kind, category, event_time_us, seq);

CREATE TABLE record_counts (
  parent   TEXT    NOT NULL CHECK (length(parent) > 0),
  kind     INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  category INTEGER NOT NULL,
  count    INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (parent, kind, category)
) STRICT, WITHOUT ROWID;

INSERT INTO record_counts (parent, kind, category, count)
SELECT parent, kind, category, count(*) FROM (
  SELECT CASE
      WHEN session != '' AND session != name THEN session
      WHEN course != '' AND course != name THEN course
      WHEN patient != '' AND patient != name THEN patient
      ELSE '' END AS parent,
    kind, category
  FROM records)
WHERE parent != ''
GROUP BY parent, kind, category;
)sql";

// Schema version 4: the change feed.
//
// changes  One row per revision, appended in the transaction that writes
//          the revision: seq (the rowid alias, max + 1 under the single
//          writer, never reused since rows are never deleted) is the
//          commit order; principal is who wrote it. Append-only like the
//          revisions. The revisions already stored become changes in the
//          order they were inserted (their rowids), with no principal.
// Indexes: a clinic's changes and a patient's changes in seq order.
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE changes (
  seq         INTEGER PRIMARY KEY,
  clinic      TEXT    NOT NULL CHECK (length(clinic) > 0),
  patient     TEXT    NOT NULL,
  kind        INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  name        TEXT    NOT NULL,
  revision_id INTEGER NOT NULL CHECK (revision_id >= 1),
  principal   TEXT    NOT NULL,
  UNIQUE (name, revision_id),
  FOREIGN KEY (name, revision_id) REFERENCES revisions (name, revision_id)
) STRICT;

CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
BEGIN
  SELECT RAISE(ABORT, 'changes are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN
  SELECT RAISE(ABORT, 'changes are append-only: DELETE is not allowed');
END;

CREATE INDEX changes_by_clinic ON changes (clinic, seq);
CREATE INDEX changes_by_patient ON changes (patient, seq);

INSERT INTO changes (clinic, patient, kind, name, revision_id, principal)
SELECT clinic, patient, kind, name, revision_id, '' FROM revisions
ORDER BY rowid;
)sql";

// Schema version 5: record integrity (server/store/revision_hash.h).
//
// revisions.content_sha256  The revision's content hash, written with it;
//                           every read checks it.
// audit_events.revisions    The revisions the call wrote with their hashes
//                           (EncodeRevisionDigests), hashed into the chain.
// Index: the events that wrote revisions, per clinic, which a verify of the
// records reads.
//
// Revisions stored before this version get their hash now, and the chain
// commits to them through "baseline" events appended by the migration
// (BackfillContentHashes): that proves they are unchanged since the
// migration, not since they were written.
constexpr char kSchemaV5[] = R"sql(
ALTER TABLE revisions ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN revisions TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_writes_by_clinic ON audit_events (clinic, seq)
  WHERE revisions <> '';
)sql";

// Schema version 6: request ids are forgotten after their retention, oldest
// first (WriteTxn::ExpireRequests). Rows written before it hold the time the
// database gave them; later ones the server's.
constexpr char kSchemaV6[] = R"sql(
CREATE INDEX requests_by_create_time ON requests (create_time_us);
)sql";

// Schema version 7: every access to a patient's records can be found
// (server/store/audit_access.h).
//
// audit_events.accessed  The patients whose records the call's responses
//                        named, with the record count; hashed into the
//                        chain.
// audit_patients         One row per (patient, event) the event is filed
//                        under (AuditEventPatients), written with the
//                        event; append-only like it. Events stored before
//                        this version are filed under their resource's
//                        patient (BackfillAuditPatients).
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE audit_events ADD COLUMN accessed TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_patients (
  patient TEXT    NOT NULL,
  seq     INTEGER NOT NULL REFERENCES audit_events (seq),
  PRIMARY KEY (patient, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER audit_patients_no_update BEFORE UPDATE ON audit_patients
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER audit_patients_no_delete BEFORE DELETE ON audit_patients
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed');
END;
)sql";

// Schema version 8: records can be found by search terms (store.h
// RecordKeys), e.g. the sessions that used a cartridge lot; and a clinic's
// records of one category (the open courses of the due list) without
// reading the others.
//
// record_terms  One row per (record, term) of the record's current
//               revision, replaced with each revision like record_keys.
//               The primary key answers "the records of this kind in this
//               clinic holding this term" in seq order; the seq index finds
//               a record's rows to replace. Records stored before this
//               version are indexed by BackfillRecordTerms.
// records_by_clinic_category  A clinic's records of one kind and category
//               in seq order.
constexpr char kSchemaV8[] = R"sql(
CREATE INDEX records_by_clinic_category
  ON records (clinic, kind, category, seq);

CREATE TABLE record_terms (
  clinic TEXT    NOT NULL CHECK (length(clinic) > 0),
  kind   INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  term   TEXT    NOT NULL CHECK (length(term) > 0),
  seq    INTEGER NOT NULL REFERENCES records (seq),
  PRIMARY KEY (clinic, kind, term, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX record_terms_by_seq ON record_terms (seq);
)sql";

// BackfillRecordTerms files every record's current revision under the
// search terms context.record_terms derives from it.
absl::Status BackfillRecordTerms(Connection& db,
                                 const MigrationContext& context) {
  MNR_ASSIGN_OR_RETURN(const int64_t records,
                       db.QueryInt64("SELECT count(*) FROM records"));
  if (records == 0) return absl::OkStatus();
  if (context.record_terms == nullptr) {
    return absl::FailedPreconditionError(
        "the database holds records stored before search terms existed; "
        "open it with the server (its store options derive the terms) to "
        "index them");
  }
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement rows,
      db.Prepare(absl::StrCat("SELECT ", kRecordColumns,
                              " FROM records AS r JOIN revisions AS v ON "
                              "v.name = r.name AND v.revision_id = "
                              "r.revision_id ORDER BY r.seq")));
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT OR IGNORE INTO record_terms (clinic, kind, term, "
                 "seq) VALUES (?, ?, ?, ?)"));
  RecordRevision r;
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, rows->Step());
    if (!row) return absl::OkStatus();
    DecodeRevision(*rows, 1, &r);
    for (const std::string& term : context.record_terms(r)) {
      if (term.empty()) continue;
      insert->Reset();
      MNR_RETURN_IF_ERROR(insert->BindText(1, r.clinic));
      MNR_RETURN_IF_ERROR(insert->BindInt64(2, static_cast<int64_t>(r.kind)));
      MNR_RETURN_IF_ERROR(insert->BindText(3, term));
      MNR_RETURN_IF_ERROR(insert->BindInt64(4, rows->ColumnInt64(0)));
      MNR_RETURN_IF_ERROR(insert->Run());
    }
  }
}

// BackfillAuditPatients files the events stored before schema version 7
// under the patient their resource names.
absl::Status BackfillAuditPatients(Connection& db, const MigrationContext&) {
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement events,
      db.Prepare("SELECT seq, resource FROM audit_events WHERE resource LIKE "
                 "'clinics/%/patients/%' ORDER BY seq"));
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO audit_patients (patient, seq) VALUES (?, ?)"));
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, events->Step());
    if (!row) return absl::OkStatus();
    const absl::string_view patient = PatientOfResource(events->ColumnView(1));
    if (patient.empty()) continue;
    insert->Reset();
    MNR_RETURN_IF_ERROR(insert->BindText(1, patient));
    MNR_RETURN_IF_ERROR(insert->BindInt64(2, events->ColumnInt64(0)));
    MNR_RETURN_IF_ERROR(insert->Run());
  }
}

// BackfillContentHashes gives every stored revision its content hash and
// appends the baseline audit events committing to them (BaselineEvents),
// clinic by clinic in insertion order.
absl::Status BackfillContentHashes(Connection& db, const MigrationContext&) {
  std::vector<std::pair<int64_t, std::string>> hashes;
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement rows,
        db.Prepare(absl::StrCat("SELECT rowid, ", kRevisionColumns,
                                " FROM revisions ORDER BY rowid")));
    RevisionHasher hasher;
    RecordRevision r;
    while (true) {
      MNR_ASSIGN_OR_RETURN(const bool row, rows->Step());
      if (!row) break;
      DecodeRevision(*rows, 1, &r);
      hashes.emplace_back(rows->ColumnInt64(0), std::string(hasher.Hash(r)));
    }
  }
  if (hashes.empty()) return absl::OkStatus();
  // The append-only trigger is lifted for this one backfill, in this
  // transaction, and restored exactly as schema version 1 made it.
  MNR_RETURN_IF_ERROR(db.Exec("DROP TRIGGER revisions_no_update"));
  {
    MNR_ASSIGN_OR_RETURN(
        ScopedStatement update,
        db.Prepare("UPDATE revisions SET content_sha256 = ? WHERE rowid = ?"));
    for (const auto& [rowid, hash] : hashes) {
      update->Reset();
      MNR_RETURN_IF_ERROR(update->BindText(1, hash));
      MNR_RETURN_IF_ERROR(update->BindInt64(2, rowid));
      MNR_RETURN_IF_ERROR(update->Run());
    }
  }
  MNR_RETURN_IF_ERROR(db.Exec(R"sql(
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN
  SELECT RAISE(ABORT, 'revisions are append-only: UPDATE is not allowed');
END;
)sql"));
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement digests,
      db.Prepare("SELECT clinic, name, revision_id, content_sha256 FROM "
                 "revisions ORDER BY clinic, rowid"));
  BaselineEvents baseline(absl::Now());
  auto append = [&](const std::optional<AuditEvent>& event) -> absl::Status {
    return event.has_value() ? AppendAuditEvent(db, *event).status()
                             : absl::OkStatus();
  };
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, digests->Step());
    if (!row) break;
    MNR_RETURN_IF_ERROR(
        append(baseline.Add(digests->ColumnText(0),
                            {digests->ColumnText(1), digests->ColumnInt64(2),
                             digests->ColumnText(3)})));
  }
  return append(baseline.Finish());
}

// Schema version 9: record kinds 7 (plugin settings, store.h) and 8
// (patient screenings). The
// tables with a kind column get CHECK (kind BETWEEN 1 AND 8) instead of
// 1..6. SQLite cannot alter a CHECK constraint; a table rebuild would have
// to drop the append-only tables. The documented alternative for loosening
// a constraint (sqlite.org/lang_altertable.html, "otheralter") edits the
// stored CREATE TABLE text with writable_schema and bumps schema_version,
// which is safe because the rows already stored satisfy the wider check
// and the on-disk format does not change. Defensive mode forbids it, so it
// is lifted for this one transaction.
constexpr char kSchemaV9[] = "";

// SetDefensive switches SQLITE_DBCONFIG_DEFENSIVE on or off for `db`.
absl::Status SetDefensive(Connection& db, bool on) {
  int applied = -1;
  const int rc = sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_DEFENSIVE,
                                   on ? 1 : 0, &applied);
  if (rc != SQLITE_OK || applied != (on ? 1 : 0)) {
    return absl::InternalError(absl::StrCat(
        "could not ", on ? "restore" : "lift", " SQLite's defensive mode"));
  }
  return absl::OkStatus();
}

// WidenKindChecks replaces CHECK (kind BETWEEN 1 AND `from`) with `to` in
// the five tables with a kind column (see kSchemaV9 for why this way).
absl::Status WidenKindChecks(Connection& db, int from, int to) {
  MNR_RETURN_IF_ERROR(SetDefensive(db, false));
  absl::Status status = [&]() -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const int64_t schema_version,
                         db.QueryInt64("PRAGMA schema_version"));
    const std::string old_check =
        absl::StrCat("CHECK (kind BETWEEN 1 AND ", from, ")");
    const std::string new_check =
        absl::StrCat("CHECK (kind BETWEEN 1 AND ", to, ")");
    MNR_RETURN_IF_ERROR(db.Exec("PRAGMA writable_schema = ON"));
    MNR_RETURN_IF_ERROR(db.Exec(absl::StrCat(
        "UPDATE sqlite_schema SET sql = replace(sql, '", old_check, "', '",
        new_check,
        "') WHERE type = 'table' AND name IN ('records', 'revisions', "
        "'record_counts', 'changes', 'record_terms') AND instr(sql, '",
        old_check, "') > 0")));
    MNR_ASSIGN_OR_RETURN(const int64_t widened,
                         db.QueryInt64("SELECT changes()"));
    MNR_RETURN_IF_ERROR(
        db.Exec(absl::StrCat("PRAGMA schema_version = ", schema_version + 1)));
    MNR_RETURN_IF_ERROR(db.Exec("PRAGMA writable_schema = OFF"));
    if (widened != 5) {
      return absl::InternalError(
          absl::StrCat("expected 5 tables with a kind check, found ", widened));
    }
    return absl::OkStatus();
  }();
  // Restore defensive mode whatever happened (a failure rolls back the
  // transaction, and with it the edited schema text).
  absl::Status restored = SetDefensive(db, true);
  return status.ok() ? restored : status;
}

absl::Status WidenRecordKinds(Connection& db, const MigrationContext&) {
  return WidenKindChecks(db, 6, 8);
}

// Schema version 10: record kinds 9 (outcome assessments), 10 (photo
// releases) and 11 (kept for session signatures): the kind checks accept
// 1..11, edited the same way as version 9's.
constexpr char kSchemaV10[] = "";

absl::Status WidenRecordKindsTo11(Connection& db, const MigrationContext&) {
  return WidenKindChecks(db, 8, 11);
}

constexpr Migration kMigrations[] = {
    {1, "records, revisions, record_keys, requests", kSchemaV1},
    {2, "audit_events (hash-chained audit log)", kSchemaV2},
    {3, "record versions, child counts, time-ordered indexes", kSchemaV3},
    {4, "changes (the change feed)", kSchemaV4},
    {5, "revision content hashes, revisions in the audit chain", kSchemaV5,
     BackfillContentHashes},
    {6, "requests by create time (request id retention)", kSchemaV6},
    {7, "records each call disclosed, audit events by patient", kSchemaV7,
     BackfillAuditPatients},
    {8,
     "search terms of records (sessions by cartridge lot, model, device), "
     "records by category",
     kSchemaV8, BackfillRecordTerms},
    {9, "record kinds 7 (plugin settings) and 8 (screenings)", kSchemaV9,
     WidenRecordKinds},
    {10,
     "record kinds 9 (outcome assessments), 10 (photo releases) and 11 "
     "(session signatures)",
     kSchemaV10, WidenRecordKindsTo11},
    // Append new migrations here. A migration that rebuilds a table must
    // keep its foreign keys valid: foreign_keys cannot be switched off
    // inside the migration's transaction.
};

absl::Status Annotate(const absl::Status& status, const Migration& m) {
  return absl::Status(status.code(),
                      absl::StrCat("schema migration ", m.version, " (",
                                   m.description, "): ", status.message()));
}

// CheckOwnership refuses databases that are not (or not yet) ours.
absl::Status CheckOwnership(Connection& db, int version) {
  MNR_ASSIGN_OR_RETURN(const int64_t app_id,
                       db.QueryInt64("PRAGMA application_id"));
  if (app_id != 0 && app_id != kApplicationId) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database has application_id ", app_id, ", not mnrecords' ",
        kApplicationId, "; refusing to use it"));
  }
  if (version == 0) {
    MNR_ASSIGN_OR_RETURN(const int64_t objects,
                         db.QueryInt64("SELECT count(*) FROM sqlite_schema"));
    if (objects != 0) {
      return absl::FailedPreconditionError(
          "database is not empty but has no mnrecords schema version "
          "(user_version 0); refusing to use it");
    }
  }
  return absl::OkStatus();
}

// ApplyOne runs migration `m` in its own transaction unless another
// connection applied it first.
absl::Status ApplyOne(Connection& db, const Migration& m,
                      const MigrationContext& context) {
  MNR_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  absl::Status status = [&]() -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const int version, SchemaVersion(db));
    if (version >= m.version) return absl::OkStatus();  // done meanwhile
    if (version != m.version - 1) {
      return absl::InternalError(absl::StrCat(
          "database is at version ", version, ", expected ", m.version - 1));
    }
    if (version == 0) {
      MNR_RETURN_IF_ERROR(
          db.Exec(absl::StrCat("PRAGMA application_id = ", kApplicationId)));
    }
    MNR_RETURN_IF_ERROR(db.Exec(m.sql));
    if (m.then != nullptr) MNR_RETURN_IF_ERROR(m.then(db, context));
    MNR_RETURN_IF_ERROR(
        db.Exec(absl::StrCat("PRAGMA user_version = ", m.version)));
    return db.Exec("COMMIT");
  }();
  if (!status.ok() && db.InTransaction()) {
    // The migration's error is the one to report; a failed rollback leaves
    // the connection unusable, which the caller's next statement reports.
    db.Exec("ROLLBACK").IgnoreError();
  }
  return status.ok() ? status : Annotate(status, m);
}

}  // namespace

absl::Span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return Migrations().back().version; }

absl::StatusOr<int> SchemaVersion(Connection& db) {
  MNR_ASSIGN_OR_RETURN(const int64_t version,
                       db.QueryInt64("PRAGMA user_version"));
  return static_cast<int>(version);
}

absl::Status Migrate(Connection& db, absl::Span<const Migration> migrations,
                     const MigrationContext& context) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(
          absl::StrCat("schema migrations must be numbered 1..n; entry ", i,
                       " has version ", migrations[i].version));
    }
  }
  const int known = static_cast<int>(migrations.size());
  MNR_ASSIGN_OR_RETURN(const int version, SchemaVersion(db));
  if (version > known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", version,
        " is newer than this server knows (", known,
        "); run a server version that supports it, or restore a backup"));
  }
  if (version < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("database has invalid schema version ", version));
  }
  MNR_RETURN_IF_ERROR(CheckOwnership(db, version));
  for (const Migration& m : migrations.subspan(version)) {
    MNR_RETURN_IF_ERROR(ApplyOne(db, m, context));
  }
  return absl::OkStatus();
}

}  // namespace sqlite
}  // namespace mnrecords

#include "server/store/postgres/pg_schema.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_chain.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/revision_hash.h"
#include "server/store/store_sql.h"

namespace mnrecords {
namespace postgres {
namespace {

// Schema version 1: the same tables and promises as the SQLite schema
// (server/store/sqlite/schema.cc, versions 1-3), in PostgreSQL's types.
//
// revisions      Every revision of every record with its index columns and
//                payload. Append-only: triggers refuse UPDATE and DELETE,
//                and revision n+1 of a name only after revision n.
// records        One row per record with its current revision's index
//                columns; seq is the insertion order (listing, keyset
//                pagination; writes are serialized, so it is also commit
//                order), version grows with every revision of the record or
//                of a record directly under it. Never deleted; name, kind,
//                clinic and seq never change; revision_id moves forward by
//                one.
// record_keys    Unique lookup keys per clinic.
// record_counts  Current records per parent, kind and category.
// requests       Outcomes of idempotent calls by (scope, request_id); rows
//                older than the retention are deleted by create_time_us
//                (schema version 4, server/store/request_expiry.h).
// audit_events   The hash-chained audit log (server/store/audit_chain.h):
//                seq 1, 2, 3, ... without gaps; append-only.
// Every list query has an index (tests/storage/pg_explain_test.cc checks
// the plans).
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE records (
  seq           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text    NOT NULL UNIQUE CHECK (length(name) > 0),
  kind          integer NOT NULL CHECK (kind BETWEEN 1 AND 6),
  clinic        text    NOT NULL CHECK (length(clinic) > 0),
  patient       text    NOT NULL,
  course        text    NOT NULL,
  session       text    NOT NULL,
  actor         text    NOT NULL,
  event_time_us bigint  NOT NULL,
  category      integer NOT NULL,
  revision_id   bigint  NOT NULL CHECK (revision_id >= 1),
  version       bigint  NOT NULL DEFAULT 0
);

CREATE TABLE revisions (
  name           text    NOT NULL REFERENCES records (name),
  revision_id    bigint  NOT NULL CHECK (revision_id >= 1),
  kind           integer NOT NULL CHECK (kind BETWEEN 1 AND 6),
  clinic         text    NOT NULL CHECK (length(clinic) > 0),
  patient        text    NOT NULL,
  course         text    NOT NULL,
  session        text    NOT NULL,
  actor          text    NOT NULL,
  event_time_us  bigint  NOT NULL,
  category       integer NOT NULL,
  create_time_us bigint  NOT NULL,
  payload        bytea   NOT NULL,
  PRIMARY KEY (name, revision_id)
);

ALTER TABLE records ADD FOREIGN KEY (name, revision_id)
  REFERENCES revisions (name, revision_id) DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION mnr_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0];
END $$;

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('revisions are append-only: UPDATE is not allowed');
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('revisions are append-only: DELETE is not allowed');
CREATE TRIGGER revisions_no_truncate BEFORE TRUNCATE ON revisions
  FOR EACH STATEMENT EXECUTE FUNCTION
  mnr_refuse('revisions are append-only: TRUNCATE is not allowed');

CREATE FUNCTION mnr_revisions_contiguous() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.revision_id > 1 AND NOT EXISTS (
      SELECT 1 FROM revisions
      WHERE name = NEW.name AND revision_id = NEW.revision_id - 1) THEN
    RAISE EXCEPTION 'revision ids of a record must be contiguous';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER revisions_contiguous BEFORE INSERT ON revisions
  FOR EACH ROW EXECUTE FUNCTION mnr_revisions_contiguous();

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION mnr_refuse('records are never deleted');
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records
  FOR EACH STATEMENT EXECUTE FUNCTION mnr_refuse('records are never deleted');

CREATE FUNCTION mnr_records_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS DISTINCT FROM OLD.seq OR NEW.name IS DISTINCT FROM OLD.name
      OR NEW.kind IS DISTINCT FROM OLD.kind
      OR NEW.clinic IS DISTINCT FROM OLD.clinic THEN
    RAISE EXCEPTION 'seq, name, kind and clinic of a record never change';
  END IF;
  IF NEW.revision_id IS DISTINCT FROM OLD.revision_id
      AND NEW.revision_id IS DISTINCT FROM OLD.revision_id + 1 THEN
    RAISE EXCEPTION
      'the current revision of a record only moves forward by one';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER records_update BEFORE UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION mnr_records_update();

CREATE INDEX records_by_clinic ON records (clinic, kind, seq);
CREATE INDEX records_by_clinic_actor ON records (clinic, kind, actor, seq);
CREATE INDEX records_by_clinic_time ON records (clinic, kind, event_time_us);
CREATE INDEX records_by_patient ON records (patient, kind, seq);
CREATE INDEX records_by_course ON records (course, kind, seq);
CREATE INDEX records_by_session ON records (session, kind, seq);
CREATE INDEX records_by_course_time
  ON records (course, kind, event_time_us, seq);
CREATE INDEX records_by_patient_time
  ON records (patient, kind, category, event_time_us, seq);

CREATE TABLE record_keys (
  clinic     text NOT NULL CHECK (length(clinic) > 0),
  lookup_key text NOT NULL CHECK (length(lookup_key) > 0),
  name       text NOT NULL REFERENCES records (name),
  PRIMARY KEY (clinic, lookup_key)
);
CREATE INDEX record_keys_by_name ON record_keys (name);

CREATE TABLE record_counts (
  parent   text    NOT NULL CHECK (length(parent) > 0),
  kind     integer NOT NULL CHECK (kind BETWEEN 1 AND 6),
  category integer NOT NULL,
  count    bigint  NOT NULL CHECK (count >= 0),
  PRIMARY KEY (parent, kind, category)
);

CREATE TABLE requests (
  scope          text   NOT NULL CHECK (length(scope) > 0),
  request_id     text   NOT NULL CHECK (length(request_id) > 0),
  request_hash   bytea  NOT NULL,
  name           text   NOT NULL,
  revision_id    bigint NOT NULL CHECK (revision_id >= 1),
  create_time_us bigint NOT NULL DEFAULT
    (extract(epoch FROM clock_timestamp()) * 1000000)::bigint,
  PRIMARY KEY (scope, request_id),
  FOREIGN KEY (name, revision_id) REFERENCES revisions (name, revision_id)
);

CREATE TABLE audit_events (
  seq        bigint  PRIMARY KEY CHECK (seq >= 1),
  time_us    bigint  NOT NULL,
  principal  text    NOT NULL,
  role       text    NOT NULL,
  action     text    NOT NULL CHECK (length(action) > 0),
  clinic     text    NOT NULL,
  resource   text    COLLATE "C" NOT NULL,
  outcome    integer NOT NULL,
  peer       text    NOT NULL,
  request_id text    NOT NULL,
  prev_hash  text    NOT NULL CHECK (length(prev_hash) = 64),
  hash       text    NOT NULL CHECK (length(hash) = 64)
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: UPDATE is not allowed');
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: DELETE is not allowed');
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: TRUNCATE is not allowed');

CREATE FUNCTION mnr_audit_contiguous() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS DISTINCT FROM
      (SELECT coalesce(max(seq), 0) + 1 FROM audit_events) THEN
    RAISE EXCEPTION 'audit event sequence numbers must be contiguous';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_events_contiguous BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION mnr_audit_contiguous();

CREATE INDEX audit_by_clinic ON audit_events (clinic, seq);
CREATE INDEX audit_by_principal ON audit_events (principal, seq);
CREATE INDEX audit_by_resource ON audit_events (resource, seq);
CREATE INDEX audit_by_action ON audit_events (action, seq);
CREATE INDEX audit_by_time ON audit_events (time_us, seq);
)sql";

// Schema version 2: the change feed (the SQLite schema's version 4).
//
// changes  One row per revision, appended in the transaction that writes
//          it. seq comes from an identity sequence while the transaction
//          holds the store's write lock (postgres_store.h), which it keeps
//          until its commit is visible: seq order is commit order, with
//          gaps where a transaction rolled back. Append-only. Revisions
//          already stored become changes in the order they were written
//          (create_time_us, then name and revision), with no principal.
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE changes (
  seq         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  clinic      text    NOT NULL CHECK (length(clinic) > 0),
  patient     text    NOT NULL,
  kind        integer NOT NULL CHECK (kind BETWEEN 1 AND 6),
  name        text    NOT NULL,
  revision_id bigint  NOT NULL CHECK (revision_id >= 1),
  principal   text    NOT NULL,
  UNIQUE (name, revision_id),
  FOREIGN KEY (name, revision_id) REFERENCES revisions (name, revision_id)
);

CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('changes are append-only: UPDATE is not allowed');
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('changes are append-only: DELETE is not allowed');
CREATE TRIGGER changes_no_truncate BEFORE TRUNCATE ON changes
  FOR EACH STATEMENT EXECUTE FUNCTION
  mnr_refuse('changes are append-only: TRUNCATE is not allowed');

CREATE INDEX changes_by_clinic ON changes (clinic, seq);
CREATE INDEX changes_by_patient ON changes (patient, seq);

INSERT INTO changes (clinic, patient, kind, name, revision_id, principal)
SELECT clinic, patient, kind, name, revision_id, '' FROM revisions
ORDER BY create_time_us, name, revision_id;
)sql";

// Schema version 3: record integrity (the SQLite schema's version 5;
// server/store/revision_hash.h). Revisions stored before it get their hash
// and baseline audit events (BackfillContentHashes).
constexpr char kSchemaV3[] = R"sql(
ALTER TABLE revisions ADD COLUMN content_sha256 text NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN revisions text NOT NULL DEFAULT '';
CREATE INDEX audit_writes_by_clinic ON audit_events (clinic, seq)
  WHERE revisions <> '';
)sql";

// Schema version 4 (the SQLite schema's version 6): request ids are
// forgotten after their retention, oldest first.
constexpr char kSchemaV4[] = R"sql(
CREATE INDEX requests_by_create_time ON requests (create_time_us);
)sql";

// Schema version 5 (the SQLite schema's version 7): every access to a
// patient's records can be found (server/store/audit_access.h).
// audit_events.accessed holds what the call's responses disclosed (hashed
// into the chain); audit_patients files each event under its patients
// (AuditEventPatients), append-only like the log. Events stored before it
// are filed under the patient their resource names.
constexpr char kSchemaV5[] = R"sql(
ALTER TABLE audit_events ADD COLUMN accessed text NOT NULL DEFAULT '';
CREATE TABLE audit_patients (
  patient text   COLLATE "C" NOT NULL,
  seq     bigint NOT NULL REFERENCES audit_events (seq),
  PRIMARY KEY (patient, seq)
);
CREATE TRIGGER audit_patients_no_update BEFORE UPDATE ON audit_patients
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: UPDATE is not allowed');
CREATE TRIGGER audit_patients_no_delete BEFORE DELETE ON audit_patients
  FOR EACH ROW EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: DELETE is not allowed');
CREATE TRIGGER audit_patients_no_truncate BEFORE TRUNCATE ON audit_patients
  FOR EACH STATEMENT EXECUTE FUNCTION
  mnr_refuse('the audit log is append-only: TRUNCATE is not allowed');

INSERT INTO audit_patients (patient, seq)
SELECT concat_ws('/', 'clinics', split_part(resource, '/', 2), 'patients',
                 split_part(resource, '/', 4)), seq
FROM audit_events
WHERE split_part(resource, '/', 1) = 'clinics'
  AND split_part(resource, '/', 2) NOT IN ('', '-')
  AND split_part(resource, '/', 3) = 'patients'
  AND split_part(resource, '/', 4) NOT IN ('', '-');
)sql";

// Schema version 6: records can be found by search terms (store.h
// RecordKeys), e.g. the sessions that used a cartridge lot: one row per
// (record, term) of the current revision, replaced with each revision like
// record_keys. Records stored before it are indexed by BackfillRecordTerms.
// And a clinic's records of one category (the open courses of the due
// list) in seq order.
constexpr char kSchemaV6[] = R"sql(
CREATE INDEX records_by_clinic_category
  ON records (clinic, kind, category, seq);

CREATE TABLE record_terms (
  clinic text   NOT NULL CHECK (length(clinic) > 0),
  kind   bigint NOT NULL CHECK (kind BETWEEN 1 AND 6),
  term   text   NOT NULL CHECK (length(term) > 0),
  seq    bigint NOT NULL REFERENCES records (seq),
  PRIMARY KEY (clinic, kind, term, seq)
);
CREATE INDEX record_terms_by_seq ON record_terms (seq);
)sql";

// BackfillRecordTerms files every record's current revision under the
// search terms context.record_terms derives from it.
absl::Status BackfillRecordTerms(PgConnection& db,
                                 const MigrationContext& context) {
  MNR_ASSIGN_OR_RETURN(PgResult count,
                       db.Query("SELECT count(*) FROM records"));
  if (count.Int64(0, 0) == 0) return absl::OkStatus();
  if (context.record_terms == nullptr) {
    return absl::FailedPreconditionError(
        "the database holds records stored before search terms existed; "
        "open it with the server (its store options derive the terms) to "
        "index them");
  }
  // In pages of seq, so a large database is not read into memory at once.
  int64_t after = 0;
  RecordRevision r;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(
        PgResult rows,
        db.Query(absl::StrCat("SELECT ", kRecordColumns,
                              " FROM records AS r JOIN revisions AS v ON "
                              "v.name = r.name AND v.revision_id = "
                              "r.revision_id WHERE r.seq > $1 ORDER BY r.seq "
                              "LIMIT 1000"),
                 {after}));
    if (rows.rows() == 0) return absl::OkStatus();
    for (int i = 0; i < rows.rows(); ++i) {
      DecodeRevision(rows, i, 1, &r);
      const int64_t seq = rows.Int64(i, 0);
      for (const std::string& term : context.record_terms(r)) {
        if (term.empty()) continue;
        MNR_RETURN_IF_ERROR(
            db.Query("INSERT INTO record_terms (clinic, kind, term, seq) "
                     "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                     {r.clinic, static_cast<int64_t>(r.kind), term, seq})
                .status());
      }
      after = seq;
    }
  }
}

// BackfillContentHashes gives every stored revision its content hash and
// appends the baseline audit events committing to them (BaselineEvents),
// clinic by clinic in write order.
absl::Status BackfillContentHashes(PgConnection& db, const MigrationContext&) {
  MNR_ASSIGN_OR_RETURN(
      PgResult rows,
      db.Query(absl::StrCat("SELECT ", kRevisionColumns,
                            " FROM revisions ORDER BY clinic, create_time_us, "
                            "name, revision_id")));
  if (rows.rows() == 0) return absl::OkStatus();
  // The append-only trigger is lifted for this one backfill, inside the
  // migration's transaction.
  MNR_RETURN_IF_ERROR(
      db.Exec("ALTER TABLE revisions DISABLE TRIGGER revisions_no_update"));
  RevisionHasher hasher;
  PgWriteTxn txn(db);
  BaselineEvents baseline(absl::Now());
  auto append = [&](const std::optional<AuditEvent>& event) -> absl::Status {
    return event.has_value() ? txn.AppendAuditEvent(*event).status()
                             : absl::OkStatus();
  };
  RecordRevision r;
  for (int i = 0; i < rows.rows(); ++i) {
    DecodeRevision(rows, i, 0, &r);
    std::string hash(hasher.Hash(r));
    MNR_RETURN_IF_ERROR(
        db.Query("UPDATE revisions SET content_sha256 = $1 WHERE name = $2 "
                 "AND revision_id = $3",
                 {hash, r.name, r.revision_id})
            .status());
    MNR_RETURN_IF_ERROR(append(
        baseline.Add(r.clinic, {r.name, r.revision_id, std::move(hash)})));
  }
  MNR_RETURN_IF_ERROR(append(baseline.Finish()));
  return db.Exec("ALTER TABLE revisions ENABLE TRIGGER revisions_no_update");
}

// Schema version 7: record kinds 7 (plugin settings, store.h) and 8
// (patient screenings). Every table with a kind column accepts 1..8; the rows
// already stored satisfy the wider check, which PostgreSQL verifies as it
// adds it.
constexpr char kSchemaV7[] = R"sql(
ALTER TABLE records DROP CONSTRAINT records_kind_check,
  ADD CONSTRAINT records_kind_check CHECK (kind BETWEEN 1 AND 8);
ALTER TABLE revisions DROP CONSTRAINT revisions_kind_check,
  ADD CONSTRAINT revisions_kind_check CHECK (kind BETWEEN 1 AND 8);
ALTER TABLE record_counts DROP CONSTRAINT record_counts_kind_check,
  ADD CONSTRAINT record_counts_kind_check CHECK (kind BETWEEN 1 AND 8);
ALTER TABLE changes DROP CONSTRAINT changes_kind_check,
  ADD CONSTRAINT changes_kind_check CHECK (kind BETWEEN 1 AND 8);
ALTER TABLE record_terms DROP CONSTRAINT record_terms_kind_check,
  ADD CONSTRAINT record_terms_kind_check CHECK (kind BETWEEN 1 AND 8);
)sql";

// Schema version 8: record kinds 9 (outcome assessments), 10 (photo
// releases) and 11 (kept for session signatures), like version 7.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE records DROP CONSTRAINT records_kind_check,
  ADD CONSTRAINT records_kind_check CHECK (kind BETWEEN 1 AND 11);
ALTER TABLE revisions DROP CONSTRAINT revisions_kind_check,
  ADD CONSTRAINT revisions_kind_check CHECK (kind BETWEEN 1 AND 11);
ALTER TABLE record_counts DROP CONSTRAINT record_counts_kind_check,
  ADD CONSTRAINT record_counts_kind_check CHECK (kind BETWEEN 1 AND 11);
ALTER TABLE changes DROP CONSTRAINT changes_kind_check,
  ADD CONSTRAINT changes_kind_check CHECK (kind BETWEEN 1 AND 11);
ALTER TABLE record_terms DROP CONSTRAINT record_terms_kind_check,
  ADD CONSTRAINT record_terms_kind_check CHECK (kind BETWEEN 1 AND 11);
)sql";

struct Migration {
  int version;
  const char* description;
  const char* sql;
  // Runs after `sql`, in the same transaction; nullptr for none.
  absl::Status (*then)(PgConnection& db,
                       const MigrationContext& context) = nullptr;
};

constexpr Migration kMigrations[] = {
    {1, "records, revisions, keys, counts, requests, audit log", kSchemaV1},
    {2, "changes (the change feed)", kSchemaV2},
    {3, "revision content hashes, revisions in the audit chain", kSchemaV3,
     BackfillContentHashes},
    {4, "requests by create time (request id retention)", kSchemaV4},
    {5, "records each call disclosed, audit events by patient", kSchemaV5},
    {6,
     "search terms of records (sessions by cartridge lot, model, device), "
     "records by category",
     kSchemaV6, BackfillRecordTerms},
    {7, "record kinds 7 (plugin settings) and 8 (screenings)", kSchemaV7},
    {8,
     "record kinds 9 (outcome assessments), 10 (photo releases) and 11 "
     "(session signatures)",
     kSchemaV8},
    // Append new migrations here.
};

// CheckOwnership refuses a database that holds tables but no mnrecords
// schema (version 0).
absl::Status CheckOwnership(PgConnection& db) {
  MNR_ASSIGN_OR_RETURN(PgResult tables,
                       db.Query("SELECT count(*) FROM pg_catalog.pg_tables "
                                "WHERE schemaname = current_schema()"));
  if (tables.Int64(0, 0) != 0) {
    return absl::FailedPreconditionError(
        "database is not empty but has no mnrecords schema "
        "(no mnrecords_schema table); refusing to use it");
  }
  return absl::OkStatus();
}

absl::Status ApplyOne(PgConnection& db, const Migration& m,
                      const MigrationContext& context) {
  absl::Status status = [&]() -> absl::Status {
    MNR_RETURN_IF_ERROR(db.Exec("BEGIN"));
    if (m.version == 1) {
      MNR_RETURN_IF_ERROR(
          db.Exec("CREATE TABLE mnrecords_schema (only_row boolean PRIMARY KEY "
                  "DEFAULT true CHECK (only_row), version integer NOT NULL)"));
      MNR_RETURN_IF_ERROR(
          db.Exec("INSERT INTO mnrecords_schema (version) VALUES (0)"));
    }
    MNR_RETURN_IF_ERROR(db.Exec(m.sql));
    if (m.then != nullptr) MNR_RETURN_IF_ERROR(m.then(db, context));
    MNR_RETURN_IF_ERROR(db.Exec(
        absl::StrCat("UPDATE mnrecords_schema SET version = ", m.version)));
    return db.Exec("COMMIT");
  }();
  if (!status.ok()) {
    if (db.InTransaction()) db.Exec("ROLLBACK").IgnoreError();
    return absl::Status(status.code(),
                        absl::StrCat("schema migration ", m.version, " (",
                                     m.description, "): ", status.message()));
  }
  return status;
}

absl::Status MigrateLocked(PgConnection& db, const MigrationContext& context) {
  MNR_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  const int known = LatestSchemaVersion();
  if (version > known) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", version,
                     " is newer than this server knows (", known,
                     "); run a server version that supports it"));
  }
  if (version == 0) MNR_RETURN_IF_ERROR(CheckOwnership(db));
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    MNR_RETURN_IF_ERROR(ApplyOne(db, m, context));
    version = m.version;
  }
  return absl::OkStatus();
}

}  // namespace

int LatestSchemaVersion() {
  return kMigrations[sizeof(kMigrations) / sizeof(kMigrations[0]) - 1].version;
}

absl::StatusOr<int> SchemaVersion(PgConnection& db) {
  MNR_ASSIGN_OR_RETURN(
      PgResult exists,
      db.Query("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
               "current_schema() AND tablename = 'mnrecords_schema'"));
  if (exists.Int64(0, 0) == 0) return 0;
  MNR_ASSIGN_OR_RETURN(PgResult version,
                       db.Query("SELECT version FROM mnrecords_schema"));
  if (version.rows() != 1) {
    return absl::FailedPreconditionError(
        "mnrecords_schema must hold exactly one row");
  }
  return static_cast<int>(version.Int64(0, 0));
}

absl::Status Migrate(PgConnection& db, const MigrationContext& context) {
  MNR_RETURN_IF_ERROR(db.Exec(
      absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")")));
  absl::Status status = MigrateLocked(db, context);
  absl::Status unlock = db.Exec(
      absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"));
  return status.ok() ? unlock : status;
}

}  // namespace postgres
}  // namespace mnrecords

// Record integrity end to end: every write's audit event commits to the
// content hash of each revision it stored; a revision changed behind the
// server's back (as an attacker with the SQLite file would: server
// stopped, triggers dropped) is refused by every read with DATA_LOSS, and
// VerifyRecords names it against the chain. SQLite only: the tampering
// edits the file (the PostgreSQL sweep is in tests/reliability).
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/store/revision_hash.h"
#include "tests/support/fixtures.h"
#include "tests/support/sqlite_tamper.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class RecordIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestBackendIsPostgres()) GTEST_SKIP() << "edits the SQLite file";
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = patient->name();
    auto course = client().CreateCourse(CourseRequest(patient_));
    ASSERT_TRUE(course.ok()) << course.status();
    auto session =
        client().LogSession(SessionRequest(course->name(), TestNow()));
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = session->name();
    v1::AmendSessionRequest amend;
    amend.mutable_session()->set_name(session_);
    amend.mutable_session()->set_duration_minutes(55);
    amend.mutable_update_mask()->add_paths("duration_minutes");
    amend.set_etag(session->etag());
    amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
    amend.mutable_amendment()->set_reason("Timer misread; 55 minutes.");
    amend.mutable_amendment()->set_author("dr-lee");
    amend.set_request_id(NewRequestId());
    ASSERT_TRUE(client().AmendSession(amend).ok());
    // Stored: the patient, the course, the session at revisions 1 and 2.
  }
  RecordsClient& client() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  // Tamper changes the stopped server's file and starts it again.
  void Tamper(const std::string& sql, const std::string& blob = "") {
    server_.Stop();
    const absl::Status tampered = TamperSql(server_.db_path(), sql, blob);
    ASSERT_TRUE(tampered.ok()) << tampered;
    server_.Start();
  }

  v1::VerifyRecordsResponse Verify(RecordsClient& who,
                                   const std::string& parent) {
    v1::VerifyRecordsRequest request;
    request.set_parent(parent);
    auto verified = who.VerifyRecords(request);
    EXPECT_TRUE(verified.ok()) << verified.status();
    return verified.ok() ? *verified : v1::VerifyRecordsResponse();
  }

  // EventOf returns the audit events of `action` on `resource`.
  std::vector<v1::AuditEvent> EventsOf(const std::string& action,
                                       const std::string& resource) {
    v1::ListAuditEventsRequest list;
    list.set_parent("clinics/c1");
    list.set_action(
        absl::StrCat("/clinic.microneedling.v1.TreatmentRecords/", action));
    list.set_resource_prefix(resource);
    auto events = auditor().ListAuditEvents(list);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return {};
    return {events->audit_events().begin(), events->audit_events().end()};
  }

  v1::GetSessionRequest GetSession() {
    v1::GetSessionRequest get;
    get.set_name(session_);
    return get;
  }

  TestServer server_;
  std::string patient_;
  std::string session_;
};

TEST_F(RecordIntegrityTest, EveryWriteCommitsToTheContentOfWhatItStored) {
  const std::vector<v1::AuditEvent> amends = EventsOf("AmendSession", session_);
  ASSERT_EQ(amends.size(), 1u);
  ASSERT_EQ(amends[0].revisions_written_size(), 1);
  const v1::RevisionWritten& written = amends[0].revisions_written(0);
  EXPECT_EQ(written.name(), session_);
  EXPECT_EQ(written.revision_id(), 2);

  const std::vector<v1::AuditEvent> creates =
      EventsOf("CreatePatient", patient_);
  ASSERT_EQ(creates.size(), 1u);
  ASSERT_EQ(creates[0].revisions_written_size(), 1);
  EXPECT_EQ(creates[0].revisions_written(0).name(), patient_);
  EXPECT_EQ(creates[0].revisions_written(0).revision_id(), 1);

  // A read writes nothing and commits to nothing.
  ASSERT_TRUE(client().GetSession(GetSession()).ok());
  const std::vector<v1::AuditEvent> reads = EventsOf("GetSession", session_);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].revisions_written_size(), 0);

  // The committed hash is the documented hash of the stored revision.
  server_.Stop();
  auto stored = ReadStoredRevision(server_.db_path(), session_, 2);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(written.content_sha256(), RevisionContentHash(stored->revision));
  EXPECT_EQ(stored->content_sha256, written.content_sha256());
}

TEST_F(RecordIntegrityTest, AnUntouchedDatabaseVerifies) {
  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.chain().ok()) << r.chain().problem();
  EXPECT_EQ(r.revisions_checked(), 4);
  EXPECT_EQ(r.baseline_revisions(), 0);
  EXPECT_EQ(r.problem_count(), 0);
  EXPECT_EQ(r.problems_size(), 0);
}

TEST_F(RecordIntegrityTest, AFlippedPayloadByteIsRefusedByReadsAndAudited) {
  server_.Stop();
  auto stored = ReadStoredRevision(server_.db_path(), session_, 2);
  ASSERT_TRUE(stored.ok()) << stored.status();
  std::string payload = stored->revision.payload;
  payload[payload.size() / 2] ^= 0x01;
  server_.Start();
  Tamper(absl::StrCat("UPDATE revisions SET payload = ?1 WHERE name = '",
                      session_, "' AND revision_id = 2"),
         payload);

  auto read = client().GetSession(GetSession());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(
      read.status().message().find(absl::StrCat("revision 2 of ", session_)),
      std::string::npos)
      << read.status();
  // The refused read is itself in the audit log, with its outcome.
  const std::vector<v1::AuditEvent> reads = EventsOf("GetSession", session_);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].outcome_name(), "DATA_LOSS");
  // Lists that would return it refuse too; the untouched revision 1 is
  // still served.
  v1::ListSessionsRequest list;
  list.set_parent(session_.substr(0, session_.find("/sessions/")));
  EXPECT_EQ(client().ListSessions(list).status().code(),
            absl::StatusCode::kDataLoss);

  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.chain().ok()) << "the audit log itself is untouched";
  ASSERT_EQ(r.problem_count(), 1);
  EXPECT_EQ(r.problems(0).record(), session_);
  EXPECT_EQ(r.problems(0).revision_id(), 2);
  EXPECT_EQ(r.problems(0).kind(), v1::RecordProblem::CONTENT_CHANGED);
  const std::vector<v1::AuditEvent> amends = EventsOf("AmendSession", session_);
  ASSERT_EQ(amends.size(), 1u);
  EXPECT_EQ(r.problems(0).audit_sequence(), amends[0].sequence());
}

TEST_F(RecordIntegrityTest, AChangeCoveredWithARecomputedHashFailsVerify) {
  // The attacker also writes the new content's hash beside it: the reads
  // can no longer tell, the chain still can.
  Tamper(
      absl::StrCat("UPDATE revisions SET actor = 'dr-someone-else' WHERE "
                   "name = '",
                   session_, "' AND revision_id = 1"));
  server_.Stop();
  ASSERT_TRUE(RehashStoredRevision(server_.db_path(), session_, 1).ok());
  server_.Start();
  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problem_count(), 1);
  EXPECT_EQ(r.problems(0).record(), session_);
  EXPECT_EQ(r.problems(0).revision_id(), 1);
  EXPECT_EQ(r.problems(0).kind(), v1::RecordProblem::CONTENT_CHANGED);
  EXPECT_NE(r.problems(0).problem().find("was changed"), std::string::npos)
      << r.problems(0).problem();
}

TEST_F(RecordIntegrityTest, AChangedStoredHashIsReported) {
  Tamper(absl::StrCat("UPDATE revisions SET content_sha256 = '",
                      std::string(64, 'a'), "' WHERE name = '", patient_, "'"));
  v1::GetPatientRequest get;
  get.set_name(patient_);
  EXPECT_EQ(client().GetPatient(get).status().code(),
            absl::StatusCode::kDataLoss);
  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  ASSERT_EQ(r.problem_count(), 1);
  EXPECT_EQ(r.problems(0).record(), patient_);
  EXPECT_EQ(r.problems(0).kind(), v1::RecordProblem::STORED_HASH_CHANGED);
}

TEST_F(RecordIntegrityTest, ADeletedRevisionIsMissing) {
  Tamper(absl::StrCat("DELETE FROM revisions WHERE name = '", session_,
                      "' AND revision_id = 1"));
  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problem_count(), 1);
  EXPECT_EQ(r.problems(0).record(), session_);
  EXPECT_EQ(r.problems(0).revision_id(), 1);
  EXPECT_EQ(r.problems(0).kind(), v1::RecordProblem::REVISION_MISSING);
  EXPECT_EQ(r.revisions_checked(), 3);
}

TEST_F(RecordIntegrityTest, AnInsertedRevisionIsNotInTheLog) {
  // A forged revision 3 of the session, with a correct content hash.
  server_.Stop();
  auto stored = ReadStoredRevision(server_.db_path(), session_, 2);
  ASSERT_TRUE(stored.ok()) << stored.status();
  RecordRevision forged = stored->revision;
  forged.revision_id = 3;
  ASSERT_TRUE(TamperSql(server_.db_path(),
                        absl::StrCat(
                            "INSERT INTO revisions (name, revision_id, kind, "
                            "clinic, patient, course, session, actor, "
                            "event_time_us, category, create_time_us, payload, "
                            "content_sha256) SELECT name, 3, kind, clinic, "
                            "patient, course, session, actor, event_time_us, "
                            "category, create_time_us, payload, '",
                            RevisionContentHash(forged),
                            "' FROM revisions WHERE name = '", session_,
                            "' AND revision_id = 2"))
                  .ok());
  server_.Start();
  const v1::VerifyRecordsResponse r = Verify(auditor(), "clinics/c1");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problem_count(), 1);
  EXPECT_EQ(r.problems(0).record(), session_);
  EXPECT_EQ(r.problems(0).revision_id(), 3);
  EXPECT_EQ(r.problems(0).kind(), v1::RecordProblem::NOT_IN_LOG);
  EXPECT_EQ(r.problems(0).audit_sequence(), 0);
}

TEST_F(RecordIntegrityTest, EveryClinicIsForAdminsAndArgumentsAreChecked) {
  v1::VerifyRecordsRequest all;
  all.set_parent("clinics/-");
  auto by_auditor = auditor().VerifyRecords(all);
  EXPECT_EQ(by_auditor.status().code(), absl::StatusCode::kPermissionDenied);
  auto by_admin = server_.admin_client().VerifyRecords(all);
  ASSERT_TRUE(by_admin.ok()) << by_admin.status();
  EXPECT_TRUE(by_admin->ok());
  EXPECT_EQ(by_admin->revisions_checked(), 4);

  v1::VerifyRecordsRequest bad;
  bad.set_parent("clinics/c1");
  bad.set_max_problems(5000);
  auto refused = auditor().VerifyRecords(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("max_problems"), std::string::npos);
  // Clinicians and EHR systems do not verify.
  EXPECT_EQ(client().VerifyRecords(bad).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace mnrecords::testing

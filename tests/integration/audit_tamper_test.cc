// Tampering with the SQLite file behind the server's back — as an attacker
// with file access would: stop the server, drop the append-only triggers in
// the attacker's own transaction, change rows, start the server again —
// and showing that VerifyAuditLog and VerifyConsent report exactly where.
// (A changed revision is also refused by every read and reported by
// VerifyRecords: record_integrity_test.cc. Here the attacker covers the
// change with a recomputed content hash, so the reads serve it and the
// consent's own check must catch it.)
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/sqlite_tamper.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// Tamper runs `sql` on the stopped server's database file, with the
// append-only triggers dropped inside the same transaction.
void Tamper(const std::string& path, const std::string& sql,
            const std::string& blob = "") {
  const absl::Status tampered = TamperSql(path, sql, blob);
  ASSERT_TRUE(tampered.ok()) << tampered;
}

// ReadPayload returns one revision's payload from the stopped server's file.
std::string ReadPayload(const std::string& path, const std::string& name,
                        int64_t revision) {
  absl::StatusOr<StoredRevision> row = ReadStoredRevision(path, name, revision);
  EXPECT_TRUE(row.ok()) << row.status();
  return row.ok() ? row->revision.payload : "";
}

class AuditTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = server_.admin_client().PublishInstructionSet(
        InstructionsRequest("c1", "procedure", v1::INSTRUCTION_KIND_PROCEDURE));
    ASSERT_TRUE(set.ok()) << set.status();
    set_ = *set;
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto consent = client().RecordConsent(
        ConsentRequest(patient->name(), set_, TestNow()));
    ASSERT_TRUE(consent.ok()) << consent.status();
    consent_ = *consent;
    for (int i = 0; i < 5; ++i) {
      v1::GetPatientRequest get;
      get.set_name(patient->name());
      ASSERT_TRUE(client().GetPatient(get).ok());
    }
    // Events 1..8 so far: publish, create, record, 5 gets.
  }
  RecordsClient& client() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  v1::VerifyAuditLogResponse Verify(const v1::VerifyAuditLogRequest& r = {}) {
    auto verified = auditor().VerifyAuditLog(r);
    EXPECT_TRUE(verified.ok()) << verified.status();
    return verified.ok() ? *verified : v1::VerifyAuditLogResponse();
  }

  TestServer server_;
  v1::InstructionSet set_;
  v1::Consent consent_;
};

TEST_F(AuditTamperTest, AnUntouchedLogVerifies) {
  const v1::VerifyAuditLogResponse r = Verify();
  EXPECT_TRUE(r.ok()) << r.problem();
  EXPECT_EQ(r.events_checked(), 8);
  EXPECT_EQ(r.head().sequence(), 8);
}

TEST_F(AuditTamperTest, AnUpdatedEventIsReportedExactly) {
  server_.Stop();
  Tamper(server_.db_path(),
         "UPDATE audit_events SET principal = 'somebody-else' WHERE seq = 5");
  server_.Start();
  const v1::VerifyAuditLogResponse r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.broken_sequence(), 5);
  EXPECT_EQ(r.broken_event(), "clinics/c1/auditEvents/5");
  EXPECT_NE(r.problem().find("content was changed"), std::string::npos)
      << r.problem();
  EXPECT_EQ(r.events_checked(), 4);
}

TEST_F(AuditTamperTest, AnEventRewrittenWithItsOwnHashBreaksTheNextLink) {
  // A smarter attacker recomputes the changed event's hash; the next event
  // still names the old hash as its prev_hash.
  server_.Stop();
  Tamper(server_.db_path(),
         "UPDATE audit_events SET hash = "
         "'1111111111111111111111111111111111111111111111111111111111111111' "
         "WHERE seq = 3");
  server_.Start();
  v1::VerifyAuditLogRequest from4;
  from4.set_start_sequence(4);
  const v1::VerifyAuditLogResponse r = Verify(from4);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.broken_sequence(), 4);
  EXPECT_NE(r.problem().find("prev_hash"), std::string::npos) << r.problem();
}

TEST_F(AuditTamperTest, ADeletedEventIsReportedExactly) {
  server_.Stop();
  Tamper(server_.db_path(), "DELETE FROM audit_events WHERE seq = 6");
  server_.Start();
  const v1::VerifyAuditLogResponse r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.broken_sequence(), 6);
  EXPECT_NE(r.problem().find("missing"), std::string::npos) << r.problem();
}

TEST_F(AuditTamperTest, ATruncatedTailIsCaughtByAStoredCheckpoint) {
  auto checkpoint = auditor().GetAuditCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  ASSERT_EQ(checkpoint->sequence(), 8);
  server_.Stop();
  // Drop the last 3 events (6, 7, 8) and the checkpoint call's event (9).
  Tamper(server_.db_path(), "DELETE FROM audit_events WHERE seq > 5");
  server_.Start();
  // The shortened chain is still a valid chain on its own...
  const v1::VerifyAuditLogResponse alone = Verify();
  EXPECT_TRUE(alone.ok()) << alone.problem();
  EXPECT_EQ(alone.head().sequence(), 5);
  // ...but not against the checkpoint the auditor kept. (The previous
  // Verify call appended event 6 meanwhile, a different event.)
  v1::VerifyAuditLogRequest against;
  *against.mutable_checkpoint() = *checkpoint;
  const v1::VerifyAuditLogResponse r = Verify(against);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.broken_sequence(), 8);
  EXPECT_NE(r.problem().find("before the checkpoint"), std::string::npos)
      << r.problem();
}

TEST_F(AuditTamperTest, ARewrittenTailIsCaughtByAStoredCheckpoint) {
  auto checkpoint = auditor().GetAuditCheckpoint();
  ASSERT_TRUE(checkpoint.ok());
  server_.Stop();
  Tamper(server_.db_path(), "DELETE FROM audit_events WHERE seq > 7");
  server_.Start();
  for (int i = 0; i < 3; ++i) {  // new events take sequence 8, 9, ...
    ASSERT_TRUE(auditor().GetAuditCheckpoint().ok());
  }
  v1::VerifyAuditLogRequest against;
  *against.mutable_checkpoint() = *checkpoint;
  const v1::VerifyAuditLogResponse r = Verify(against);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.broken_sequence(), 8);
  EXPECT_EQ(r.broken_event(), "clinics/-/auditEvents/8");
  EXPECT_NE(r.problem().find("rewritten"), std::string::npos) << r.problem();
}

TEST_F(AuditTamperTest, AnUpdatedConsentRowFailsVerifyConsent) {
  v1::VerifyConsentRequest request;
  request.set_name(consent_.name());
  auto before = auditor().VerifyConsent(request);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(before->ok()) << before->problem();
  EXPECT_EQ(before->signed_sha256(), set_.content_sha256());
  EXPECT_EQ(before->recomputed_sha256(), set_.content_sha256());

  server_.Stop();
  // Point the consent at a different text hash, as if the patient had
  // signed something else.
  v1::Consent forged;
  ASSERT_TRUE(forged.ParseFromString(
      ReadPayload(server_.db_path(), consent_.name(), 1)));
  forged.mutable_instructions()->set_content_sha256(std::string(64, 'a'));
  Tamper(server_.db_path(),
         absl::StrCat("UPDATE revisions SET payload = ?1 WHERE name = '",
                      consent_.name(), "' AND revision_id = 1"),
         forged.SerializeAsString());
  ASSERT_TRUE(RehashStoredRevision(server_.db_path(), consent_.name(), 1).ok());
  server_.Start();
  auto after = auditor().VerifyConsent(request);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(after->ok());
  EXPECT_EQ(after->consent(), consent_.name());
  EXPECT_EQ(after->revision_id(), 1);
  EXPECT_EQ(after->signed_sha256(), std::string(64, 'a'));
  EXPECT_EQ(after->recomputed_sha256(), set_.content_sha256());
  EXPECT_NE(after->problem().find(set_.name()), std::string::npos)
      << after->problem();
}

TEST_F(AuditTamperTest, AnEditedInstructionTextFailsVerifyConsent) {
  server_.Stop();
  v1::InstructionSet edited;
  ASSERT_TRUE(
      edited.ParseFromString(ReadPayload(server_.db_path(), set_.name(), 1)));
  edited.mutable_items(0)->set_text("Sun exposure is fine.");
  Tamper(server_.db_path(),
         absl::StrCat("UPDATE revisions SET payload = ?1 WHERE name = '",
                      set_.name(), "' AND revision_id = 1"),
         edited.SerializeAsString());
  ASSERT_TRUE(RehashStoredRevision(server_.db_path(), set_.name(), 1).ok());
  server_.Start();
  v1::VerifyConsentRequest request;
  request.set_name(consent_.name());
  auto after = auditor().VerifyConsent(request);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(after->ok());
  EXPECT_EQ(after->signed_sha256(), set_.content_sha256());
  EXPECT_NE(after->recomputed_sha256(), set_.content_sha256());
  EXPECT_NE(after->problem().find("now hashes to"), std::string::npos)
      << after->problem();
}

}  // namespace
}  // namespace mnrecords::testing

// The audit log's canonical form and hash are exactly what docs/api.md and
// server/store/audit_chain.h document (the expected hash was computed with
// Python's hashlib from the documented description, not with our code).
#include "server/store/audit_chain.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/store/audit_access.h"

namespace mnrecords {
namespace {

AuditEvent DocumentedExample() {
  AuditEvent e;
  e.seq = 1;
  e.time = absl::FromUnixMicros(1700000000000000);
  e.principal = "anonymous";
  e.role = "unspecified";
  e.action = "/clinic.microneedling.v1.TreatmentRecords/GetPatient";
  e.clinic = "c1";
  e.resource = "clinics/c1/patients/p1";
  e.outcome = 0;
  e.peer = "ipv4:127.0.0.1:5000";
  e.request_id = "";
  return e;
}

TEST(AuditChainTest, CanonicalBytesAreTheDocumentedNetstrings) {
  EXPECT_EQ(AuditCanonicalBytes(DocumentedExample()),
            "18:mnrecords.audit.v1,1:1,16:1700000000000000,9:anonymous,"
            "11:unspecified,52:/clinic.microneedling.v1.TreatmentRecords/"
            "GetPatient,2:c1,22:clinics/c1/patients/p1,1:0,"
            "19:ipv4:127.0.0.1:5000,0:,");
}

TEST(AuditChainTest, HashChainsThePreviousHashAndTheCanonicalBytes) {
  EXPECT_EQ(AuditEventHash(kAuditGenesisHash, DocumentedExample()),
            "ab4cafad2031f74f1e3ab6c417f27a1a59c053ea049182e2cd117f5335749560");
}

TEST(AuditChainTest, EveryFieldIsCovered) {
  const std::string base =
      AuditEventHash(kAuditGenesisHash, DocumentedExample());
  auto changed = [&](auto mutate) {
    AuditEvent e = DocumentedExample();
    mutate(e);
    return AuditEventHash(kAuditGenesisHash, e) != base;
  };
  EXPECT_TRUE(changed([](AuditEvent& e) { e.seq = 2; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.time += absl::Microseconds(1); }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.principal = "x"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.role = "admin"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.action = "/x"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.clinic = "c2"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.resource = "clinics/c1"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.outcome = 5; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.peer = "ipv6:[::1]:1"; }));
  EXPECT_TRUE(changed([](AuditEvent& e) { e.request_id = "r"; }));
  // Netstrings keep field boundaries: moving a character between adjacent
  // fields changes the hash.
  EXPECT_TRUE(changed([](AuditEvent& e) {
    e.clinic = "c1c";
    e.resource = "linics/c1/patients/p1";
  }));
  EXPECT_NE(AuditEventHash(std::string(64, '1'), DocumentedExample()), base);
}

// The same read, listing the one record it disclosed (version 3).
AuditEvent DocumentedReadExample() {
  AuditEvent e = DocumentedExample();
  e.accessed = EncodeRecordsAccessed({1, {"clinics/c1/patients/p1"}});
  return e;
}

TEST(AuditChainTest, AReadsDisclosedRecordsAreHashedThroughTheirDigest) {
  EXPECT_EQ(DocumentedReadExample().accessed, "1:1,22:clinics/c1/patients/p1,");
  EXPECT_EQ(
      AuditCanonicalBytes(DocumentedReadExample()),
      "18:mnrecords.audit.v3,1:1,16:1700000000000000,9:anonymous,"
      "11:unspecified,52:/clinic.microneedling.v1.TreatmentRecords/"
      "GetPatient,2:c1,22:clinics/c1/patients/p1,1:0,"
      "19:ipv4:127.0.0.1:5000,0:,0:,"
      "64:18656ab127def8d1a4431fb373bae6475c1b196c06f7053b3d374b57b97491ab,");
  EXPECT_EQ(AuditEventHash(kAuditGenesisHash, DocumentedReadExample()),
            "50dd396bcb8e870b2b920a71bd0bba64046484de5f43bda5740366391c71b92f");
  // The long-log hasher agrees, and one more disclosed record changes it.
  AuditHasher hasher;
  EXPECT_EQ(hasher.Hash(kAuditGenesisHash, DocumentedReadExample()),
            "50dd396bcb8e870b2b920a71bd0bba64046484de5f43bda5740366391c71b92f");
  AuditEvent more = DocumentedReadExample();
  more.accessed = EncodeRecordsAccessed({2, {"clinics/c1/patients/p1"}});
  EXPECT_NE(hasher.Hash(kAuditGenesisHash, more),
            "50dd396bcb8e870b2b920a71bd0bba64046484de5f43bda5740366391c71b92f");
}

TEST(AuditAccessTest, PatientOfResource) {
  EXPECT_EQ(PatientOfResource("clinics/c1/patients/p1"),
            "clinics/c1/patients/p1");
  EXPECT_EQ(PatientOfResource("clinics/c1/patients/p1/courses/k/sessions/s"),
            "clinics/c1/patients/p1");
  EXPECT_EQ(PatientOfResource("clinics/c1/patients/-/courses/-"), "");
  EXPECT_EQ(PatientOfResource("clinics/-/patients/p1"), "");
  EXPECT_EQ(PatientOfResource("clinics/c1/patients/"), "");
  EXPECT_EQ(PatientOfResource("clinics/c1/instructionSets/prep"), "");
  EXPECT_EQ(PatientOfResource("clinics/c1"), "");
  EXPECT_EQ(PatientOfResource("patients/p1"), "");
}

TEST(AuditAccessTest, TheStoredListRoundTripsAndRefusesAnythingElse) {
  const RecordsAccessed in{12,
                           {"clinics/c1/patients/a", "clinics/c1/patients/b"}};
  absl::StatusOr<RecordsAccessed> out =
      DecodeRecordsAccessed(EncodeRecordsAccessed(in));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->record_count, 12);
  EXPECT_EQ(out->patients, in.patients);
  EXPECT_EQ(EncodeRecordsAccessed({3, {}}), "");
  for (const char* bad :
       {"x", "1:1,", "1:1,21:clinics/c1/patients/b,21:clinics/c1/patients/a,",
        "1:1,8:clinics,", "2:-1,22:clinics/c1/patients/p1,"}) {
    EXPECT_EQ(DecodeRecordsAccessed(bad).status().code(),
              absl::StatusCode::kDataLoss)
        << bad;
  }
}

}  // namespace
}  // namespace mnrecords

#include "server/store/revision_hash.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/store/audit_chain.h"
#include "server/store/netstring.h"

namespace mnrecords {
namespace {

RecordRevision Example() {
  RecordRevision r;
  r.name = "clinics/c1/patients/p1";
  r.revision_id = 1;
  r.kind = RecordKind::kPatient;
  r.clinic = "c1";
  r.patient = "clinics/c1/patients/p1";
  r.create_time = absl::FromUnixMicros(1700000000000000);
  r.payload = std::string("\x0a\x02p1", 4);
  return r;
}

// The documented example (docs/api.md "Record integrity"), computed
// independently of this code.
constexpr char kExampleHash[] =
    "dfda301b4b38d7ee15f9f7d5c16fbaa102c1877d0d7b3f2f61b09da1af289056";

TEST(RevisionHashTest, MatchesTheDocumentedCanonicalForm) {
  EXPECT_EQ(RevisionCanonicalBytes(Example()),
            std::string("21:mnrecords.revision.v1,22:clinics/c1/patients/p1,"
                        "1:1,1:1,2:c1,22:clinics/c1/patients/p1,0:,0:,0:,1:0,"
                        "1:0,16:1700000000000000,4:\x0a\x02p1,"));
  EXPECT_EQ(RevisionContentHash(Example()), kExampleHash);
  RevisionHasher hasher;
  EXPECT_EQ(hasher.Hash(Example()), kExampleHash);
}

TEST(RevisionHashTest, EveryStoredColumnIsHashed) {
  const std::string base = RevisionContentHash(Example());
  auto changed = [&](auto change) {
    RecordRevision r = Example();
    change(r);
    return RevisionContentHash(r);
  };
  EXPECT_NE(changed([](RecordRevision& r) { r.name += "x"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.revision_id = 2; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.kind = RecordKind::kCourse; }),
            base);
  EXPECT_NE(changed([](RecordRevision& r) { r.clinic = "c2"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.patient += "x"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.course = "x"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.session = "x"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.actor = "x"; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.event_time_us = 1; }), base);
  EXPECT_NE(changed([](RecordRevision& r) { r.category = 1; }), base);
  EXPECT_NE(changed([](RecordRevision& r) {
              r.create_time += absl::Microseconds(1);
            }),
            base);
  EXPECT_NE(changed([](RecordRevision& r) { r.payload[3] ^= 1; }), base);
  // Netstrings keep field boundaries: moving a byte between fields shows.
  EXPECT_NE(changed([](RecordRevision& r) {
              r.course = "a";
              r.session = "";
            }),
            changed([](RecordRevision& r) {
              r.course = "";
              r.session = "a";
            }));
}

TEST(RevisionHashTest, ACheckRefusesAMismatchNamingTheRevision) {
  RecordRevision r = Example();
  EXPECT_TRUE(CheckRevisionContent(r, kExampleHash).ok());
  r.payload[2] = 'q';
  const absl::Status refused = CheckRevisionContent(r, kExampleHash);
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(refused.message().find("revision 1 of clinics/c1/patients/p1"),
            std::string::npos)
      << refused;
  EXPECT_EQ(CheckRevisionContent(Example(), "").code(),
            absl::StatusCode::kDataLoss);
}

TEST(RevisionHashTest, DigestListsRoundTripAndRefuseMalformedBytes) {
  const std::vector<RevisionDigest> digests = {
      {"clinics/c1/patients/p1", 1, kExampleHash},
      {"clinics/c1/patients/p1/courses/k1", 3, std::string(64, 'a')}};
  const std::string encoded = EncodeRevisionDigests(digests);
  EXPECT_EQ(
      encoded.substr(0, 98),
      "22:clinics/c1/patients/p1,1:1,64:"
      "dfda301b4b38d7ee15f9f7d5c16fbaa102c1877d0d7b3f2f61b09da1af289056,");
  auto decoded = DecodeRevisionDigests(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[1].name, digests[1].name);
  EXPECT_EQ((*decoded)[1].revision_id, 3);
  EXPECT_EQ((*decoded)[1].content_sha256, digests[1].content_sha256);
  EXPECT_TRUE(DecodeRevisionDigests("")->empty());
  for (const std::string& bad :
       {encoded.substr(0, encoded.size() - 1), encoded + "0:,",
        std::string("22:clinics/c1/patients/p1,1:0,64:") + kExampleHash + ",",
        std::string("2:c1,1:1,3:abc,"), std::string("x:,"),
        std::string("01:a,1:1,64:") + kExampleHash + ","}) {
    EXPECT_EQ(DecodeRevisionDigests(bad).status().code(),
              absl::StatusCode::kDataLoss)
        << bad;
  }
}

TEST(RevisionHashTest, AnEventThatWroteRevisionsIsVersionTwo) {
  AuditEvent e;
  e.seq = 1;
  e.time = absl::FromUnixMicros(1700000000000000);
  e.action = "a";
  const std::string v1 = AuditCanonicalBytes(e);
  EXPECT_EQ(v1.substr(0, 22), "18:mnrecords.audit.v1,");
  e.revisions =
      EncodeRevisionDigests({{"clinics/c1/patients/p1", 1, kExampleHash}});
  std::string v2 = "18:mnrecords.audit.v2,";
  v2 += v1.substr(22);
  AppendNetstring(&v2, e.revisions);
  EXPECT_EQ(AuditCanonicalBytes(e), v2);
}

}  // namespace
}  // namespace mnrecords

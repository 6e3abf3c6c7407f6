#include "server/consent/consent_status.h"

#include "common/time_util.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

const absl::Time kSigned = absl::FromUnixSeconds(1'700'000'000);

v1::Consent Granted(v1::InstructionKind kind, absl::Time signed_at) {
  v1::Consent c;
  c.set_name("clinics/c/patients/p/consents/x");
  c.set_kind(kind);
  c.set_decision(v1::CONSENT_DECISION_GRANTED);
  c.set_state(v1::CONSENT_STATE_ACTIVE);
  *c.mutable_signed_at() = ToProtoTime(signed_at);
  return c;
}

TEST(ConsentStatusTest, InForceFromSigningUntilExpiry) {
  v1::Consent c = Granted(v1::INSTRUCTION_KIND_PROCEDURE, kSigned);
  *c.mutable_expire_time() = ToProtoTime(kSigned + absl::Hours(10));
  EXPECT_FALSE(ConsentInForceAt(c, kSigned - absl::Seconds(1)));
  EXPECT_TRUE(ConsentInForceAt(c, kSigned));
  EXPECT_TRUE(
      ConsentInForceAt(c, kSigned + absl::Hours(10) - absl::Seconds(1)));
  EXPECT_FALSE(ConsentInForceAt(c, kSigned + absl::Hours(10)));
  v1::Consent read = c;
  ApplyDerivedState(kSigned + absl::Hours(9), &read);
  EXPECT_EQ(read.state(), v1::CONSENT_STATE_ACTIVE);
  ApplyDerivedState(kSigned + absl::Hours(10), &read);
  EXPECT_EQ(read.state(), v1::CONSENT_STATE_EXPIRED);
}

TEST(ConsentStatusTest, RevocationEndsForceAtItsTime) {
  v1::Consent c = Granted(v1::INSTRUCTION_KIND_PROCEDURE, kSigned);
  c.set_state(v1::CONSENT_STATE_REVOKED);
  v1::ConsentStateChange* change = c.add_state_history();
  change->set_state(v1::CONSENT_STATE_REVOKED);
  *change->mutable_change_time() = ToProtoTime(kSigned + absl::Hours(5));
  EXPECT_TRUE(ConsentInForceAt(c, kSigned + absl::Hours(5) - absl::Seconds(1)));
  EXPECT_FALSE(ConsentInForceAt(c, kSigned + absl::Hours(5)));
}

TEST(ConsentStatusTest, LatestSignedInForceDecidesPerKind) {
  std::vector<v1::Consent> consents = {
      Granted(v1::INSTRUCTION_KIND_AFTERCARE, kSigned),
      Granted(v1::INSTRUCTION_KIND_AFTERCARE, kSigned + absl::Hours(1)),
  };
  consents[1].set_decision(v1::CONSENT_DECISION_REFUSED);
  consents[1].set_name("clinics/c/patients/p/consents/refusal");
  auto before = ConsentStatusForKind(v1::INSTRUCTION_KIND_AFTERCARE, consents,
                                     kSigned + absl::Minutes(30));
  EXPECT_EQ(before.coverage(), v1::CONSENT_COVERAGE_GRANTED);
  auto after = ConsentStatusForKind(v1::INSTRUCTION_KIND_AFTERCARE, consents,
                                    kSigned + absl::Hours(2));
  EXPECT_EQ(after.coverage(), v1::CONSENT_COVERAGE_REFUSED);
  EXPECT_EQ(after.consent(), "clinics/c/patients/p/consents/refusal");
  auto other = ConsentStatusForKind(v1::INSTRUCTION_KIND_PROCEDURE, consents,
                                    kSigned + absl::Hours(2));
  EXPECT_EQ(other.coverage(), v1::CONSENT_COVERAGE_MISSING);
  consents[1].set_state(v1::CONSENT_STATE_ENTERED_IN_ERROR);
  EXPECT_EQ(ConsentStatusForKind(v1::INSTRUCTION_KIND_AFTERCARE, consents,
                                 kSigned + absl::Hours(2))
                .coverage(),
            v1::CONSENT_COVERAGE_GRANTED);
}

}  // namespace
}  // namespace mnrecords

// The microneedling-protocol rules on their own, at and around each
// boundary. The through-the-server tests are in plugins_server_test.cc.
#include "plugins/microneedling_protocol/protocol_rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/time_util.h"

namespace mnrecords::plugins::microneedling_protocol {
namespace {

const absl::Time kAt = absl::FromCivil(absl::CivilSecond(2026, 9, 30, 10, 0, 0),
                                       absl::UTCTimeZone());

v1::Consent Granted(v1::InstructionKind kind, absl::Time signed_at) {
  v1::Consent c;
  c.set_name("clinics/c1/patients/p1/consents/" +
             v1::InstructionKind_Name(kind));
  c.set_kind(kind);
  c.set_decision(v1::CONSENT_DECISION_GRANTED);
  *c.mutable_signed_at() = ToProtoTime(signed_at);
  c.set_state(v1::CONSENT_STATE_ACTIVE);
  return c;
}

std::vector<v1::Consent> AllConsents() {
  std::vector<v1::Consent> out;
  for (auto kind :
       {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
        v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    out.push_back(Granted(kind, kAt - absl::Hours(24 * 60)));
  }
  return out;
}

// A session that breaks no rule.
v1::TreatmentSession CleanSession(absl::Time at = kAt) {
  v1::TreatmentSession s;
  s.set_status(v1::SESSION_STATUS_COMPLETED);
  *s.mutable_performed_at() = ToProtoTime(at);
  s.set_duration_minutes(45);
  v1::TreatedArea* a = s.add_treated_areas();
  a->mutable_site()->set_area(v1::BODY_AREA_CHEEK);
  a->set_needle_depth_mm(1.0);
  s.mutable_prep_check_in()->set_sun_exposure_last_48h(
      v1::PrepCheckIn::ANSWER_NO);
  s.mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_YES);
  s.mutable_aftercare_instructions()->set_instruction_set(
      "clinics/c1/instructionSets/aftercare");
  s.mutable_aftercare_instructions()->set_revision_id(1);
  return s;
}

v1::TreatmentCourse Course(int planned) {
  v1::TreatmentCourse c;
  c.set_planned_session_count(planned);
  return c;
}

struct Fixture {
  v1::TreatmentSession session = CleanSession();
  v1::TreatmentCourse course = Course(6);
  std::vector<v1::TreatmentSession> others;
  std::vector<v1::Consent> consents = AllConsents();
  Settings settings;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const PluginFinding& f :
         CheckSession({"c1", session, course, others, consents}, settings)) {
      codes.push_back(f.code);
    }
    return codes;
  }
  bool Has(const std::string& code) const {
    const auto codes = Codes();
    return std::count(codes.begin(), codes.end(), code) > 0;
  }
};

TEST(ProtocolRulesTest, CleanSessionHasNoFindings) {
  EXPECT_TRUE(Fixture().Codes().empty());
}

TEST(ProtocolRulesTest, CourseLengthOutside3To6) {
  for (int planned : {1, 2, 7, 10}) {
    const v1::TreatmentCourse c = Course(planned);
    auto f = CheckCourse({"c1", c});
    ASSERT_EQ(f.size(), 1u) << planned;
    EXPECT_EQ(f[0].code, kCourseLength);
  }
  for (int planned : {3, 4, 6}) {
    const v1::TreatmentCourse c = Course(planned);
    EXPECT_TRUE(CheckCourse({"c1", c}).empty()) << planned;
  }
}

TEST(ProtocolRulesTest, IntervalTooEarlyBelowExactlyFourWeeks) {
  Fixture f;
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 28)));
  EXPECT_TRUE(f.Codes().empty()) << "exactly 4 weeks is on time";
  f.others[0] = CleanSession(kAt - absl::Hours(24 * 28) + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionTooEarly});
}

TEST(ProtocolRulesTest, IntervalOverdueAboveExactlySixWeeks) {
  Fixture f;
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 42)));
  EXPECT_TRUE(f.Codes().empty()) << "exactly 6 weeks is on time";
  f.others[0] = CleanSession(kAt - absl::Hours(24 * 42) - absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionOverdue});
}

TEST(ProtocolRulesTest, IntervalIsToTheLatestEarlierSession) {
  Fixture f;
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 70)));
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 35)));
  // A later session (logged out of order) is not "the previous one".
  f.others.push_back(CleanSession(kAt + absl::Hours(24 * 2)));
  EXPECT_TRUE(f.Codes().empty());
}

TEST(ProtocolRulesTest, BeyondPlannedCount) {
  Fixture f;
  f.course = Course(3);
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 90)));
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 60)));
  f.others.push_back(CleanSession(kAt - absl::Hours(24 * 30)));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionBeyondPlan});
  f.others.pop_back();
  f.others.back() = CleanSession(kAt - absl::Hours(24 * 30));
  EXPECT_TRUE(f.Codes().empty()) << "the third of three is planned";
}

TEST(ProtocolRulesTest, DurationOutside30To60Minutes) {
  Fixture f;
  for (int minutes : {30, 60, 0}) {  // 0: not recorded (in progress)
    f.session.set_duration_minutes(minutes);
    EXPECT_TRUE(f.Codes().empty()) << minutes;
  }
  for (int minutes : {29, 61}) {
    f.session.set_duration_minutes(minutes);
    EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionDuration}) << minutes;
  }
}

TEST(ProtocolRulesTest, SunExposureInLast48Hours) {
  Fixture f;
  f.session.mutable_prep_check_in()->set_sun_exposure_last_48h(
      v1::PrepCheckIn::ANSWER_YES);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepSun});
  f.session.mutable_prep_check_in()->set_sun_exposure_last_48h(
      v1::PrepCheckIn::ANSWER_UNSPECIFIED);
  EXPECT_TRUE(f.Codes().empty());
}

TEST(ProtocolRulesTest, TopicalsFewerThanNDaysBefore) {
  for (int n : {3, 5}) {
    Fixture f;
    f.settings.prep_stop_days = n;
    auto* prep = f.session.mutable_prep_check_in();
    *prep->mutable_last_retinoid_use_time() =
        ToProtoTime(kAt - absl::Hours(24 * n));
    EXPECT_TRUE(f.Codes().empty()) << "exactly N=" << n << " days is enough";
    *prep->mutable_last_retinoid_use_time() =
        ToProtoTime(kAt - absl::Hours(24 * n) + absl::Seconds(1));
    EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepTopicals}) << n;
    prep->clear_last_retinoid_use_time();
    *prep->mutable_last_exfoliant_use_time() =
        ToProtoTime(kAt - absl::Hours(24));
    *prep->mutable_last_acid_use_time() = ToProtoTime(kAt - absl::Hours(1));
    EXPECT_EQ(f.Codes(),
              (std::vector<std::string>{kPrepTopicals, kPrepTopicals}));
  }
}

TEST(ProtocolRulesTest, IsotretinoinWithinSixMonths) {
  Fixture f;
  const absl::Time six_months_before = absl::FromCivil(
      absl::CivilSecond(2026, 3, 30, 10, 0, 0), absl::UTCTimeZone());
  auto* prep = f.session.mutable_prep_check_in();
  *prep->mutable_last_isotretinoin_use_time() = ToProtoTime(six_months_before);
  EXPECT_TRUE(f.Codes().empty()) << "exactly 6 months ago is outside";
  *prep->mutable_last_isotretinoin_use_time() =
      ToProtoTime(six_months_before + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepIsotretinoin});
}

TEST(ProtocolRulesTest, SkinNotClean) {
  Fixture f;
  f.session.mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_NO);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepSkinNotClean});
}

TEST(ProtocolRulesTest, EachMissingConsentKindIsAFinding) {
  Fixture f;
  f.consents = {Granted(v1::INSTRUCTION_KIND_PROCEDURE, kAt)};  // at T: ok
  EXPECT_EQ(f.Codes(),
            (std::vector<std::string>{kConsentMissing, kConsentMissing}));
  f.consents = AllConsents();
  f.consents[0] =
      Granted(v1::INSTRUCTION_KIND_PROCEDURE, kAt + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kConsentMissing})
      << "signed after performed_at";
  f.consents = AllConsents();
  f.consents[1].set_decision(v1::CONSENT_DECISION_REFUSED);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kConsentMissing})
      << "a refusal is no consent";
  f.consents = AllConsents();
  *f.consents[2].mutable_expire_time() = ToProtoTime(kAt);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kConsentMissing})
      << "expired at performed_at";
}

TEST(ProtocolRulesTest, AftercareNotHandedOut) {
  Fixture f;
  f.session.clear_aftercare_instructions();
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kAftercareNotHandedOut});
}

TEST(ProtocolRulesTest, NeedleDepthOutsideTheClinicsRange) {
  Fixture f;
  f.settings.depth_ranges[v1::BODY_AREA_CHEEK] = {0.5, 1.5};
  for (double depth : {0.5, 1.0, 1.5}) {
    f.session.mutable_treated_areas(0)->set_needle_depth_mm(depth);
    EXPECT_TRUE(f.Codes().empty()) << depth;
  }
  for (double depth : {0.49, 1.51}) {
    f.session.mutable_treated_areas(0)->set_needle_depth_mm(depth);
    EXPECT_EQ(f.Codes(), std::vector<std::string>{kNeedleDepth}) << depth;
  }
  f.session.mutable_treated_areas(0)->mutable_site()->set_area(
      v1::BODY_AREA_FOREHEAD);
  EXPECT_TRUE(f.Codes().empty()) << "no range configured for the forehead";
}

TEST(ProtocolRulesTest, CartridgeLotExpiredOnTheSessionDate) {
  Fixture f;
  f.session.mutable_cartridge()->set_lot("L1");
  *f.session.mutable_cartridge()->mutable_lot_expiry_time() =
      ToProtoTime(kAt + absl::Seconds(1));
  EXPECT_TRUE(f.Codes().empty());
  *f.session.mutable_cartridge()->mutable_lot_expiry_time() = ToProtoTime(kAt);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpired});
}

TEST(ProtocolRulesTest, PhotoNeedsPhotographyConsentAtCapture) {
  v1::OutcomePhoto photo;
  *photo.mutable_captured_at() = ToProtoTime(kAt);
  const v1::TreatmentSession session = CleanSession();
  std::vector<v1::Consent> consents = AllConsents();
  EXPECT_TRUE(CheckPhoto({"c1", photo, session, consents}).empty());
  consents.pop_back();  // the PHOTOGRAPHY one
  auto f = CheckPhoto({"c1", photo, session, consents});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, kPhotoConsentMissing);
}

TEST(ProtocolRulesTest, EveryCodeIsDeclaredWithTheIssuesDefaults) {
  std::map<std::string, Severity> declared;
  for (const FindingCode& c : ProtocolCodes())
    declared[c.code] = c.default_severity;
  EXPECT_EQ(declared.size(), 14u);
  EXPECT_EQ(declared[kSessionOverdue], Severity::kInfo);
  EXPECT_EQ(declared[kSessionDuration], Severity::kInfo);
  EXPECT_EQ(declared[kConsentMissing], Severity::kBlock);
  EXPECT_EQ(declared[kPhotoConsentMissing], Severity::kBlock);
  EXPECT_EQ(declared[kSessionTooEarly], Severity::kWarn);
  EXPECT_EQ(declared[kPrepTopicals], Severity::kWarn);
}

}  // namespace
}  // namespace mnrecords::plugins::microneedling_protocol

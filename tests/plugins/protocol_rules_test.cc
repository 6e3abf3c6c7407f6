// The microneedling-protocol rules on their own, at and around each
// boundary. The through-the-server tests are in plugins_server_test.cc.
#include "plugins/microneedling_protocol/protocol_rules.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/time_util.h"
#include "gtest/gtest.h"

namespace mnrecords::plugins::microneedling_protocol {
namespace {

const absl::Time kAt = absl::FromCivil(absl::CivilSecond(2026, 9, 30, 10, 0, 0),
                                       absl::UTCTimeZone());

v1::KindConsentStatus Status(v1::InstructionKind kind,
                             v1::ConsentCoverage coverage) {
  v1::KindConsentStatus k;
  k.set_kind(kind);
  k.set_coverage(coverage);
  if (coverage != v1::CONSENT_COVERAGE_MISSING) {
    k.set_consent("clinics/c1/patients/p1/consents/" +
                  v1::InstructionKind_Name(kind));
  }
  return k;
}

// AllGranted: a granted consent of every kind in force.
ConsentsInForce AllGranted() {
  ConsentsInForce out;
  for (auto kind :
       {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
        v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
    out.kinds.push_back(Status(kind, v1::CONSENT_COVERAGE_GRANTED));
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
  *s.mutable_aftercare_delivery()->mutable_delivered_at() = ToProtoTime(at);
  s.mutable_aftercare_delivery()->set_method(
      v1::AFTERCARE_DELIVERY_METHOD_PRINTED);
  s.mutable_aftercare_delivery()->set_delivered_by("nurse-1");
  return s;
}

// Questionnaire: one absolute and one relative question.
v1::InstructionSet Questionnaire() {
  v1::InstructionSet q;
  q.set_name("clinics/c1/instructionSets/screening");
  q.set_kind(v1::INSTRUCTION_KIND_SCREENING);
  v1::InstructionItem* pregnancy = q.add_items();
  pregnancy->set_question_code("pregnancy-or-breastfeeding");
  pregnancy->set_contraindication(v1::CONTRAINDICATION_ABSOLUTE);
  pregnancy->set_text("Are you pregnant or breastfeeding?");
  v1::InstructionItem* keloid = q.add_items();
  keloid->set_question_code("keloid-scarring");
  keloid->set_contraindication(v1::CONTRAINDICATION_RELATIVE);
  keloid->set_text("Have you ever formed keloid or raised scars?");
  return q;
}

// NoToAll: a screening asked `before` kAt, every answer "no".
v1::Screening NoToAll(absl::Duration before = absl::Hours(24 * 10)) {
  v1::Screening s;
  *s.mutable_asked_at() = ToProtoTime(kAt - before);
  s.set_asked_by("nurse-kim");
  const v1::InstructionSet questionnaire = Questionnaire();
  for (const auto& q : questionnaire.items()) {
    v1::ScreeningAnswer* a = s.add_answers();
    a->set_question_code(q.question_code());
    a->set_answer(v1::ScreeningAnswer::ANSWER_NO);
  }
  return s;
}

// Course: `planned` sessions at the protocol's 28-42 days apart.
v1::TreatmentCourse Course(int planned) {
  v1::TreatmentCourse c;
  c.set_planned_session_count(planned);
  c.set_planned_interval_min_days(28);
  c.set_planned_interval_max_days(42);
  return c;
}

struct Fixture {
  v1::TreatmentSession session = CleanSession();
  v1::TreatmentCourse course = Course(6);
  // The course's other sessions: how many, and the one before this one.
  int other_count = 0;
  std::optional<v1::TreatmentSession> previous;
  std::optional<v1::TreatmentSession> next;
  ConsentsInForce consents = AllGranted();
  v1::InstructionSet questionnaire = Questionnaire();
  std::optional<v1::Screening> screening = NoToAll();
  Settings settings;

  // Previous makes a session `before` this one the previous of one more.
  void Previous(absl::Duration before) {
    previous = CleanSession(kAt - before);
    ++other_count;
  }
  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const PluginFinding& f : Findings()) codes.push_back(f.code);
    return codes;
  }
  std::vector<PluginFinding> Findings() const {
    CourseSessions others;
    others.other_count = other_count;
    others.previous = previous ? &*previous : nullptr;
    others.next = next ? &*next : nullptr;
    ScreeningInForce in_force;
    if (screening) in_force = {&*screening, &questionnaire};
    SessionView view{"c1", session, course, others, consents};
    view.screening = &in_force;
    return CheckSession(view, settings);
  }
  // Answer sets the screening's answer to `code`.
  void Answer(const std::string& code, v1::ScreeningAnswer::Answer answer) {
    for (auto& a : *screening->mutable_answers()) {
      if (a.question_code() == code) a.set_answer(answer);
    }
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
    auto f = CheckCourse({"c1", c}, Settings());
    ASSERT_EQ(f.size(), 1u) << planned;
    EXPECT_EQ(f[0].code, kCourseLength);
  }
  for (int planned : {3, 4, 6}) {
    const v1::TreatmentCourse c = Course(planned);
    EXPECT_TRUE(CheckCourse({"c1", c}, Settings()).empty()) << planned;
  }
}

TEST(ProtocolRulesTest, CourseRangesAreTheClinics) {
  Settings clinic;
  clinic.planned_sessions = {2, 8};
  clinic.session_interval_days = {21, 35};
  v1::TreatmentCourse c = Course(8);
  c.set_planned_interval_min_days(21);
  c.set_planned_interval_max_days(35);
  EXPECT_TRUE(CheckCourse({"c1", c}, clinic).empty());
  c.set_planned_session_count(9);
  c.set_planned_interval_min_days(20);
  auto f = CheckCourse({"c1", c}, clinic);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].code, kCourseLength);
  EXPECT_EQ(f[0].message,
            "course plans 9 sessions; the clinic's protocol plans 2 to 8");
  EXPECT_EQ(f[1].code, kCourseInterval);
  EXPECT_EQ(f[1].message,
            "course plans 20-35 days between sessions; the clinic's protocol "
            "plans 21-35 days");
  c.set_planned_interval_min_days(21);
  c.set_planned_interval_max_days(36);
  EXPECT_EQ(CheckCourse({"c1", c}, clinic).size(), 2u)
      << "a maximum past the clinic's is outside too";
}

TEST(ProtocolRulesTest, IntervalTooEarlyBelowExactlyFourWeeks) {
  Fixture f;
  f.Previous(absl::Hours(24 * 28));
  EXPECT_TRUE(f.Codes().empty()) << "exactly 4 weeks is on time";
  f.previous = CleanSession(kAt - absl::Hours(24 * 28) + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionTooEarly});
}

TEST(ProtocolRulesTest, IntervalOverdueAboveExactlySixWeeks) {
  Fixture f;
  f.Previous(absl::Hours(24 * 42));
  EXPECT_TRUE(f.Codes().empty()) << "exactly 6 weeks is on time";
  f.previous = CleanSession(kAt - absl::Hours(24 * 42) - absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionOverdue});
}

TEST(ProtocolRulesTest, TooEarlyBeforeTheNextSessionToo) {
  // A session logged out of order, or at the same moment as a later one:
  // the gap to the session after it must be 4 weeks too.
  Fixture f;
  f.next = CleanSession(kAt + absl::Hours(24 * 28));
  f.other_count = 1;
  EXPECT_TRUE(f.Codes().empty()) << "exactly 4 weeks before is on time";
  f.next = CleanSession(kAt + absl::Hours(24 * 28) - absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionTooEarly});
  f.next = CleanSession(kAt + absl::Hours(24 * 90));
  EXPECT_TRUE(f.Codes().empty()) << "a long gap is the next one's matter";
}

TEST(ProtocolRulesTest, IntervalIsTheOneTheCoursePlanned) {
  // A clinician planned 14-21 days for this patient: the rule measures
  // against that plan, as the course summary's next window does.
  Fixture f;
  f.course.set_planned_interval_min_days(14);
  f.course.set_planned_interval_max_days(21);
  f.Previous(absl::Hours(24 * 14));
  EXPECT_TRUE(f.Codes().empty()) << "exactly the planned minimum is on time";
  f.previous = CleanSession(kAt - absl::Hours(24 * 14) + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionTooEarly});
  f.previous = CleanSession(kAt - absl::Hours(24 * 21));
  EXPECT_TRUE(f.Codes().empty()) << "exactly the planned maximum is on time";
  f.previous = CleanSession(kAt - absl::Hours(24 * 28));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionOverdue})
      << "4 weeks is late for a 14-21 day plan";
  f.next = CleanSession(kAt + absl::Hours(24 * 14) - absl::Seconds(1));
  f.previous.reset();
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionTooEarly});

  f.previous = CleanSession(kAt - absl::Hours(24 * 10));
  f.next.reset();
  f.other_count = 1;
  const auto findings = f.Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "session on 2026-09-30 is 10.0 days after the previous one "
            "(2026-09-20); the course plans at least 14 days between sessions");
}

TEST(ProtocolRulesTest, BeyondPlannedCount) {
  Fixture f;
  f.course = Course(3);
  f.Previous(absl::Hours(24 * 30));
  f.other_count = 3;
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionBeyondPlan});
  f.other_count = 2;
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

TEST(ProtocolRulesTest, DurationIsTheProcedureWithoutNumbingWhenIncluded) {
  Fixture f;
  f.settings.session_duration_minutes = {20, 40};
  f.session.set_duration_minutes(60);
  f.session.mutable_numbing()->set_contact_minutes(30);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionDuration})
      << "without the setting, 60 minutes is the procedure";
  f.settings.duration_includes_numbing = true;
  EXPECT_TRUE(f.Codes().empty()) << "60 - 30 minutes of numbing = 30";
  f.session.set_duration_minutes(75);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kSessionDuration});
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

TEST(ProtocolRulesTest, IsotretinoinMonthsAreTheClinics) {
  Fixture f;
  f.settings.isotretinoin_months = 12;
  *f.session.mutable_prep_check_in()->mutable_last_isotretinoin_use_time() =
      ToProtoTime(kAt - absl::Hours(24 * 300));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepIsotretinoin});
  f.settings.isotretinoin_months = 6;
  EXPECT_TRUE(f.Codes().empty());
}

TEST(ProtocolSettingsTest, TheDeclaredDefaultsAreTheProtocols) {
  PluginParams defaults;
  for (const ParamInfo& p : ProtocolParams()) {
    EXPECT_FALSE(p.description.empty()) << p.key;
    if (p.key.back() != '.') defaults[p.key] = p.default_value;
  }
  auto parsed = ParseSettings(defaults);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Settings built_in;
  EXPECT_EQ(parsed->planned_sessions.min, 3);
  EXPECT_EQ(parsed->planned_sessions.max, 6);
  EXPECT_EQ(parsed->session_interval_days.min, 28);
  EXPECT_EQ(parsed->session_interval_days.max, 42);
  EXPECT_EQ(parsed->session_duration_minutes.min, 30);
  EXPECT_EQ(parsed->session_duration_minutes.max, 60);
  EXPECT_FALSE(parsed->duration_includes_numbing);
  EXPECT_EQ(parsed->isotretinoin_months, built_in.isotretinoin_months);
  EXPECT_EQ(parsed->prep_stop_days, built_in.prep_stop_days);
  EXPECT_EQ(parsed->lot_expiry_warning_days, built_in.lot_expiry_warning_days);
  EXPECT_TRUE(parsed->depth_ranges.empty());
}

TEST(ProtocolSettingsTest, BadValuesNameTheKey) {
  const struct {
    const char* key;
    const char* value;
    const char* message;
  } cases[] = {
      {"session_interval_days", "42-28",
       "session_interval_days: must be \"MIN-MAX\" in days with 1 <= MIN <= "
       "MAX <= 365, got \"42-28\""},
      {"session_duration_minutes", "30", ""},
      {"duration_includes_numbing", "yes",
       "duration_includes_numbing: must be \"true\" or \"false\", got "
       "\"yes\""},
      {"isotretinoin_months", "121",
       "isotretinoin_months: must be a whole number of months 0..120, got "
       "\"121\""},
      {"colour", "red", "colour: unknown param"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseSettings({{c.key, c.value}});
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << c.key;
    if (*c.message != '\0') {
      EXPECT_EQ(parsed.status().message(), c.message);
    }
  }
}

TEST(ProtocolRulesTest, AMissingScreeningIsReported) {
  Fixture f;
  f.screening.reset();
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kScreeningMissing});
  EXPECT_EQ(f.Findings()[0].message,
            "no contraindication screening of the patient at or before "
            "2026-09-30T10:00:00+00:00; ask the clinic's screening questions "
            "before treating");
}

TEST(ProtocolRulesTest, AScreeningOlderThanTheClinicsValidityIsReported) {
  Fixture f;
  f.settings.screening_valid_days = 30;
  f.screening = NoToAll(absl::Hours(24 * 30));
  EXPECT_TRUE(f.Codes().empty()) << "exactly 30 days is still valid";
  f.screening = NoToAll(absl::Hours(24 * 30) + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kScreeningExpired});
  EXPECT_EQ(f.Findings()[0].message,
            "the latest screening was asked 2026-08-31 by nurse-kim, 30.0 "
            "days before the session; the clinic asks again after 30 days");
}

TEST(ProtocolRulesTest, AYesIsReportedAsTheQuestionnaireClassesIt) {
  Fixture f;
  f.Answer("keloid-scarring", v1::ScreeningAnswer::ANSWER_YES);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kContraindicationRelative});
  EXPECT_EQ(f.Findings()[0].message,
            "the patient answered yes to \"Have you ever formed keloid or "
            "raised scars?\" in the screening of 2026-09-20: a relative "
            "contraindication; weigh it before treating");
  f.Answer("pregnancy-or-breastfeeding", v1::ScreeningAnswer::ANSWER_YES);
  EXPECT_EQ(f.Codes(), (std::vector<std::string>{kContraindicationAbsolute,
                                                 kContraindicationRelative}));
  EXPECT_EQ(f.Findings()[0].message,
            "the patient answered yes to \"Are you pregnant or "
            "breastfeeding?\" in the screening of 2026-09-20: an absolute "
            "contraindication to microneedling; do not treat");
  // The clinic reclassifies the question: the same answer is relative.
  f.questionnaire.mutable_items(0)->set_contraindication(
      v1::CONTRAINDICATION_RELATIVE);
  EXPECT_EQ(f.Codes(), (std::vector<std::string>{kContraindicationRelative,
                                                 kContraindicationRelative}));
}

TEST(ProtocolRulesTest, SkinNotClean) {
  Fixture f;
  f.session.mutable_prep_check_in()->set_skin_clean(v1::PrepCheckIn::ANSWER_NO);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kPrepSkinNotClean});
}

TEST(ProtocolRulesTest, EachKindWithoutAGrantedConsentIsAFinding) {
  Fixture f;
  f.consents.kinds = {
      Status(v1::INSTRUCTION_KIND_PROCEDURE, v1::CONSENT_COVERAGE_GRANTED)};
  EXPECT_EQ(f.Codes(),
            (std::vector<std::string>{kConsentMissing, kConsentMissing}))
      << "PREPARATION and AFTERCARE are not listed: missing";
  f.consents = AllGranted();
  f.consents.kinds[1] =
      Status(v1::INSTRUCTION_KIND_PREPARATION, v1::CONSENT_COVERAGE_REFUSED);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kConsentMissing})
      << "a refusal is no consent";
  f.consents = AllGranted();
  f.consents.kinds[2] =
      Status(v1::INSTRUCTION_KIND_AFTERCARE, v1::CONSENT_COVERAGE_MISSING);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kConsentMissing});
  f.consents = AllGranted();
  f.consents.kinds[3] =
      Status(v1::INSTRUCTION_KIND_PHOTOGRAPHY, v1::CONSENT_COVERAGE_MISSING);
  EXPECT_TRUE(f.Codes().empty()) << "a session needs no PHOTOGRAPHY consent";
}

TEST(ProtocolRulesTest, AftercareNotHandedOut) {
  Fixture f;
  f.session.clear_aftercare_instructions();
  f.session.clear_aftercare_delivery();
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kAftercareNotHandedOut})
      << "no text handed out is reported once, not also as undelivered";
}

TEST(ProtocolRulesTest, AftercareNeverDeliveredIsReportedForACompletedSession) {
  Fixture f;
  f.session.clear_aftercare_delivery();
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kAftercareNotDelivered});
  f.session.set_status(v1::SESSION_STATUS_STOPPED);
  EXPECT_TRUE(f.Codes().empty()) << "a stopped session may end before it";
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

TEST(ProtocolRulesTest, CartridgeLotExpiredOrExpiringSoon) {
  Fixture f;
  f.session.mutable_cartridge()->set_lot("L1");
  auto expires = [&](absl::Time t) {
    *f.session.mutable_cartridge()->mutable_lot_expiry_time() = ToProtoTime(t);
  };
  // The default warning window is 30 days.
  expires(kAt + absl::Hours(24 * 30) + absl::Seconds(1));
  EXPECT_TRUE(f.Codes().empty());
  expires(kAt + absl::Hours(24 * 30));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpiring});
  expires(kAt + absl::Seconds(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpiring});
  expires(kAt);
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpired});
  // A clinic with a 7-day window; 0 turns the warning off.
  f.settings.lot_expiry_warning_days = 7;
  expires(kAt + absl::Hours(24 * 8));
  EXPECT_TRUE(f.Codes().empty());
  expires(kAt + absl::Hours(24 * 7));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpiring});
  f.settings.lot_expiry_warning_days = 0;
  expires(kAt + absl::Hours(1));
  EXPECT_TRUE(f.Codes().empty());
  expires(kAt - absl::Hours(1));
  EXPECT_EQ(f.Codes(), std::vector<std::string>{kCartridgeLotExpired});
}

TEST(ProtocolRulesTest, PhotoNeedsPhotographyConsentAtCapture) {
  v1::OutcomePhoto photo;
  *photo.mutable_captured_at() = ToProtoTime(kAt);
  const v1::TreatmentSession session = CleanSession();
  ConsentsInForce consents = AllGranted();
  EXPECT_TRUE(CheckPhoto({"c1", photo, session, consents}).empty());
  consents.kinds.pop_back();  // the PHOTOGRAPHY one
  auto f = CheckPhoto({"c1", photo, session, consents});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, kPhotoConsentMissing);
}

TEST(ProtocolRulesTest, EveryCodeIsDeclaredWithTheIssuesDefaults) {
  std::map<std::string, Severity> declared;
  for (const FindingCode& c : ProtocolCodes())
    declared[c.code] = c.default_severity;
  EXPECT_EQ(declared.size(), 21u);
  EXPECT_EQ(declared[kAftercareNotDelivered], Severity::kWarn);
  EXPECT_EQ(declared[kScreeningMissing], Severity::kWarn);
  EXPECT_EQ(declared[kScreeningExpired], Severity::kWarn);
  EXPECT_EQ(declared[kContraindicationAbsolute], Severity::kBlock);
  EXPECT_EQ(declared[kContraindicationRelative], Severity::kWarn);
  EXPECT_EQ(declared[kCourseInterval], Severity::kWarn);
  EXPECT_EQ(declared[kCartridgeLotExpired], Severity::kBlock);
  EXPECT_EQ(declared[kCartridgeLotExpiring], Severity::kWarn);
  EXPECT_EQ(declared[kSessionOverdue], Severity::kInfo);
  EXPECT_EQ(declared[kSessionDuration], Severity::kInfo);
  EXPECT_EQ(declared[kConsentMissing], Severity::kBlock);
  EXPECT_EQ(declared[kPhotoConsentMissing], Severity::kBlock);
  EXPECT_EQ(declared[kSessionTooEarly], Severity::kWarn);
  EXPECT_EQ(declared[kPrepTopicals], Severity::kWarn);
}

}  // namespace
}  // namespace mnrecords::plugins::microneedling_protocol

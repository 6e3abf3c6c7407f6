// What a session chart lacks, item by item.
#include "server/charts/chart_completeness.h"

#include "common/time_util.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

const absl::Time kAt = absl::FromUnixSeconds(1790000000);
const char kSession[] = "clinics/c1/patients/p1/courses/k1/sessions/s1";

v1::Consent Granted(v1::InstructionKind kind) {
  v1::Consent c;
  c.set_kind(kind);
  c.set_decision(v1::CONSENT_DECISION_GRANTED);
  c.set_state(v1::CONSENT_STATE_ACTIVE);
  *c.mutable_signed_at() = ToProtoTime(kAt - absl::Hours(1));
  return c;
}

v1::OutcomePhoto Baseline(const std::string& session) {
  v1::OutcomePhoto p;
  p.set_name(session + "/photos/b1");
  p.set_phase(v1::PHOTO_PHASE_BASELINE);
  return p;
}

TEST(ChartCompletenessTest, EmptySessionLacksEverything) {
  v1::TreatmentSession s;
  s.set_name(kSession);
  *s.mutable_performed_at() = ToProtoTime(kAt);
  EXPECT_EQ(
      SessionMissing(s, {}, {}),
      (std::vector<v1::ChartItem>{
          v1::CHART_ITEM_PROCEDURE_CONSENT, v1::CHART_ITEM_PREPARATION_CONSENT,
          v1::CHART_ITEM_AFTERCARE_CONSENT, v1::CHART_ITEM_AFTERCARE_HANDED_OUT,
          v1::CHART_ITEM_CARTRIDGE_LOT, v1::CHART_ITEM_BASELINE_PHOTOS,
          v1::CHART_ITEM_ADVERSE_EVENTS, v1::CHART_ITEM_NOTES,
          v1::CHART_ITEM_AFTERCARE_DELIVERED}));
}

TEST(ChartCompletenessTest, CompleteSessionLacksNothing) {
  v1::TreatmentSession s;
  s.set_name(kSession);
  *s.mutable_performed_at() = ToProtoTime(kAt);
  s.mutable_aftercare_instructions()->set_instruction_set(
      "clinics/c1/instructionSets/a");
  s.mutable_cartridge()->set_lot("L1");
  s.set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_NONE);
  s.set_notes("ok");
  s.mutable_aftercare_delivery()->set_method(
      v1::AFTERCARE_DELIVERY_METHOD_EMAIL);
  const std::vector<v1::Consent> consents = {
      Granted(v1::INSTRUCTION_KIND_PROCEDURE),
      Granted(v1::INSTRUCTION_KIND_PREPARATION),
      Granted(v1::INSTRUCTION_KIND_AFTERCARE)};
  EXPECT_TRUE(SessionMissing(s, {Baseline(kSession)}, consents).empty());
  // A baseline photo of another session does not count.
  EXPECT_EQ(
      SessionMissing(s, {Baseline(std::string(kSession) + "0")}, consents),
      std::vector<v1::ChartItem>{v1::CHART_ITEM_BASELINE_PHOTOS});
}

}  // namespace
}  // namespace mnrecords

// Contraindication screening through the running server: a session is
// judged against the patient's latest screening asked at or before its
// performed_at — missing, expired, a "yes" to an absolute question
// (refused, with a message a clinician understands) or to a relative one
// (warned) — under the clinic's settings revision, which a medical
// director may change.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/plugins/protocol_chart.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class ScreeningServerTest : public ::testing::Test {
 protected:
  // Records a screening of the chart's patient asked at `at`, answering yes
  // to `yes` and no to the rest.
  v1::Screening Screen(const Chart& chart, absl::Time at,
                       const std::string& yes = "") {
    v1::RecordScreeningRequest r =
        ScreeningRequest(chart.patient, chart.questionnaire, at);
    for (auto& a : *r.mutable_screening()->mutable_answers()) {
      if (a.question_code() == yes) {
        a.set_answer(v1::ScreeningAnswer::ANSWER_YES);
      }
    }
    auto screening = server_.client().RecordScreening(r);
    EXPECT_TRUE(screening.ok()) << screening.status();
    return screening.ok() ? *screening : v1::Screening();
  }
  absl::StatusOr<v1::PluginSettings> Publish(
      const std::string& key, const std::string& value,
      const std::string& code = "",
      v1::FindingSeverity severity = v1::FINDING_SEVERITY_UNSPECIFIED) {
    v1::PublishPluginSettingsRequest r;
    r.set_name("clinics/c1/pluginSettings/microneedling-protocol");
    if (!key.empty()) {
      v1::PluginParam* p = r.mutable_settings()->add_params();
      p->set_key(key);
      p->set_value(value);
    }
    if (!code.empty()) {
      v1::SeverityOverride* o = r.mutable_settings()->add_severities();
      o->set_code(code);
      o->set_severity(severity);
    }
    r.mutable_settings()->set_published_by("dr-director");
    r.mutable_settings()->set_reason("Screening policy.");
    r.set_request_id(NewRequestId());
    return server_.admin_client().PublishPluginSettings(r);
  }

  TestServer server_{Shipped()};
  const absl::Time at_ = TestNow() - 10 * kDay;
};

TEST_F(ScreeningServerTest, ASessionWithoutAScreeningIsWarned) {
  const Chart chart = NewChart(server_, "c1", AllKinds(), /*screened=*/false);
  auto session = server_.client().LogSession(Session(chart, at_));
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_EQ(Codes(session->findings()),
            std::vector<std::string>{"MNP-SCREENING-MISSING"});
  EXPECT_EQ(session->findings(0).severity(), v1::FINDING_SEVERITY_WARN);

  // A screening asked after the session does not cover it.
  Screen(chart, at_ + kDay);
  session = server_.client().LogSession(Session(chart, at_ - 30 * kDay));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(Codes(session->findings()),
            std::vector<std::string>{"MNP-SCREENING-MISSING"});
}

TEST_F(ScreeningServerTest, AnExpiredScreeningIsWarnedUnderTheClinicsValidity) {
  const Chart chart = NewChart(server_, "c1", AllKinds());  // asked -60 days
  auto fresh = server_.client().LogSession(Session(chart, at_ - 30 * kDay));
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->findings_size(), 0) << "within the default 90 days";
  ASSERT_TRUE(Publish("screening_valid_days", "30").ok());
  auto stale = server_.client().LogSession(Session(chart, at_));
  ASSERT_TRUE(stale.ok()) << stale.status();
  ASSERT_EQ(Codes(stale->findings()),
            std::vector<std::string>{"MNP-SCREENING-EXPIRED"});
  EXPECT_EQ(stale->findings(0).settings_revision(), 1);
  EXPECT_TRUE(absl::StrContains(stale->findings(0).message(),
                                "50.0 days before the session; the clinic "
                                "asks again after 30 days"))
      << stale->findings(0).message();
}

TEST_F(ScreeningServerTest,
       PregnantYesRefusesTheSessionInWordsAClinicianReads) {
  const Chart chart = NewChart(server_, "c1", AllKinds(), /*screened=*/false);
  Screen(chart, at_ - kDay, "pregnancy-or-breastfeeding");
  auto refused = server_.client().LogSession(Session(chart, at_));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            absl::StrCat(
                "MNP-CONTRAINDICATION-ABSOLUTE (microneedling-"
                "protocol): the patient answered yes to \"Are you "
                "pregnant or breastfeeding?\" in the screening of ",
                absl::FormatTime("%Y-%m-%d", at_ - kDay, absl::UTCTimeZone()),
                ": an absolute contraindication to microneedling; do "
                "not treat"));
  EXPECT_EQ(SessionCount(server_, chart.course), 0);

  // A new screening where the answer is no (no longer pregnant) lets the
  // next session through; the earlier screening stays on record.
  Screen(chart, at_ + kDay);
  auto later = server_.client().LogSession(Session(chart, at_ + 2 * kDay));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->findings_size(), 0);
  v1::ListScreeningsRequest list;
  list.set_parent(chart.patient);
  auto all = server_.client().ListAllScreenings(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(ScreeningServerTest, ARelativeYesWarnsAndALoweredSeverityIsRevisioned) {
  const Chart chart = NewChart(server_, "c1", AllKinds(), /*screened=*/false);
  Screen(chart, at_ - 45 * kDay, "keloid-scarring");
  auto warned = server_.client().LogSession(Session(chart, at_ - 40 * kDay));
  ASSERT_TRUE(warned.ok()) << warned.status();
  ASSERT_EQ(Codes(warned->findings()),
            std::vector<std::string>{"MNP-CONTRAINDICATION-RELATIVE"});
  EXPECT_EQ(warned->findings(0).settings_revision(), 0);

  // The medical director lowers the absolute class to WARN for this clinic.
  Screen(chart, at_ - 6 * kDay, "pregnancy-or-breastfeeding");
  ASSERT_TRUE(Publish("", "", "MNP-CONTRAINDICATION-ABSOLUTE",
                      v1::FINDING_SEVERITY_WARN)
                  .ok());
  auto stored = server_.client().LogSession(Session(chart, at_ - 5 * kDay));
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(Codes(stored->findings()),
            std::vector<std::string>{"MNP-CONTRAINDICATION-ABSOLUTE"});
  EXPECT_EQ(stored->findings(0).severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_EQ(stored->findings(0).settings_revision(), 1);
  // The earlier session keeps the revision it was judged under.
  v1::GetSessionRequest get;
  get.set_name(warned->name());
  auto earlier = server_.client().GetSession(get);
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  EXPECT_EQ(earlier->findings(0).settings_revision(), 0);
}

TEST_F(ScreeningServerTest, AScreeningEnteredInErrorNoLongerCounts) {
  const Chart chart = NewChart(server_, "c1", AllKinds(), /*screened=*/false);
  const v1::Screening wrong =
      Screen(chart, at_ - kDay, "pregnancy-or-breastfeeding");
  v1::AmendScreeningRequest amend;
  amend.mutable_screening()->set_name(wrong.name());
  amend.mutable_screening()->set_status(v1::SCREENING_STATUS_ENTERED_IN_ERROR);
  amend.mutable_update_mask()->add_paths("status");
  amend.set_etag(wrong.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
  amend.mutable_amendment()->set_reason("Answers of another patient.");
  amend.mutable_amendment()->set_author("nurse-kim");
  amend.set_request_id(NewRequestId());
  auto amended = server_.client().AmendScreening(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->status(), v1::SCREENING_STATUS_ENTERED_IN_ERROR);
  auto session = server_.client().LogSession(Session(chart, at_));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(Codes(session->findings()),
            std::vector<std::string>{"MNP-SCREENING-MISSING"});
}

}  // namespace
}  // namespace mnrecords::testing

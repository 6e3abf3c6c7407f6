// The whole clinical journey through the client library against the real
// server: register patient -> publish PREPARATION/AFTERCARE/PROCEDURE texts
// -> consents -> course -> three sessions -> photo metadata -> summary.
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

TEST(JourneyTest, PatientToCourseSummary) {
  TestServer server;
  RecordsClient& client = server.client();
  const absl::Time now = TestNow();

  auto patient = client.CreatePatient(PatientRequest("c1", "MRN-1001"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->name().rfind("clinics/c1/patients/", 0), 0u);
  EXPECT_EQ(patient->revision().revision_id(), 1);
  EXPECT_FALSE(patient->etag().empty());

  v1::InstructionSet sets[3];
  const v1::InstructionKind kinds[3] = {v1::INSTRUCTION_KIND_PREPARATION,
                                        v1::INSTRUCTION_KIND_AFTERCARE,
                                        v1::INSTRUCTION_KIND_PROCEDURE};
  for (int i = 0; i < 3; ++i) {
    auto set = server.admin_client().PublishInstructionSet(
        InstructionsRequest("c1", absl::StrCat("set-", i), kinds[i]));
    ASSERT_TRUE(set.ok()) << set.status();
    EXPECT_EQ(set->revision_id(), 1);
    EXPECT_EQ(set->content_sha256().size(), 64u);
    sets[i] = *set;
    auto consent = client.RecordConsent(
        ConsentRequest(patient->name(), *set, now - absl::Hours(24 * 7)));
    ASSERT_TRUE(consent.ok()) << consent.status();
    EXPECT_EQ(consent->kind(), kinds[i]);
    EXPECT_EQ(consent->state(), v1::CONSENT_STATE_ACTIVE);
    EXPECT_EQ(consent->instructions().content_sha256(), set->content_sha256());
  }

  auto course = client.CreateCourse(CourseRequest(patient->name()));
  ASSERT_TRUE(course.ok()) << course.status();
  EXPECT_EQ(course->status(), v1::COURSE_STATUS_PLANNED);
  ASSERT_EQ(course->status_history_size(), 1);

  const absl::Time first = now - absl::Hours(24 * 70);
  std::string last_session;
  for (int i = 0; i < 3; ++i) {
    v1::LogSessionRequest request =
        SessionRequest(course->name(), first + absl::Hours(24 * 30) * i);
    request.mutable_session()
        ->mutable_aftercare_instructions()
        ->set_instruction_set(sets[1].name());
    request.mutable_session()
        ->mutable_aftercare_instructions()
        ->set_revision_id(1);
    auto session = client.LogSession(request);
    ASSERT_TRUE(session.ok()) << session.status();
    EXPECT_EQ(session->aftercare_instructions().content_sha256(),
              sets[1].content_sha256());
    EXPECT_EQ(session->treated_areas_size(), 2);
    last_session = session->name();
  }

  auto photo = client.CreatePhoto(
      PhotoRequest(last_session, v1::PHOTO_PHASE_FOLLOW_UP, now));
  ASSERT_TRUE(photo.ok()) << photo.status();
  EXPECT_EQ(photo->image_sha256(), std::string(64, 'a'));

  v1::GetCourseSummaryRequest summary_request;
  summary_request.set_name(course->name());
  auto summary = client.GetCourseSummary(summary_request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->planned_session_count(), 3);
  EXPECT_EQ(summary->completed_session_count(), 3);
  EXPECT_EQ(summary->recorded_session_count(), 3);
  EXPECT_EQ(FromProtoTime(summary->last_session_time()),
            first + absl::Hours(24 * 60));
  // All planned sessions are done: no next window.
  EXPECT_FALSE(summary->has_next_session_earliest_time());
  ASSERT_EQ(summary->consents_size(), 4);
  for (const v1::KindConsentStatus& k : summary->consents()) {
    EXPECT_EQ(k.coverage(), k.kind() == v1::INSTRUCTION_KIND_PHOTOGRAPHY
                                ? v1::CONSENT_COVERAGE_MISSING
                                : v1::CONSENT_COVERAGE_GRANTED)
        << v1::InstructionKind_Name(k.kind());
  }

  v1::ListSessionsRequest list;
  list.set_parent(course->name());
  auto sessions = client.ListAllSessions(list);
  ASSERT_TRUE(sessions.ok()) << sessions.status();
  EXPECT_EQ(sessions->size(), 3u);
}

TEST(JourneyTest, SummaryGivesNextWindowFromPlannedInterval) {
  TestServer server;
  RecordsClient& client = server.client();
  auto patient = client.CreatePatient(PatientRequest("c1", "MRN-2"));
  ASSERT_TRUE(patient.ok());
  auto course = client.CreateCourse(CourseRequest(patient->name()));
  ASSERT_TRUE(course.ok());
  const absl::Time performed = TestNow() - absl::Hours(24);
  ASSERT_TRUE(
      client.LogSession(SessionRequest(course->name(), performed)).ok());
  v1::GetCourseSummaryRequest request;
  request.set_name(course->name());
  auto summary = client.GetCourseSummary(request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(FromProtoTime(summary->next_session_earliest_time()),
            performed + absl::Hours(24 * 28));
  EXPECT_EQ(FromProtoTime(summary->next_session_latest_time()),
            performed + absl::Hours(24 * 42));
  for (const v1::KindConsentStatus& k : summary->consents()) {
    EXPECT_EQ(k.coverage(), v1::CONSENT_COVERAGE_MISSING);
  }
}

}  // namespace
}  // namespace mnrecords::testing

// A clinic's protocol settings through the running server: publishing a
// threshold or a severity makes an immutable revision (who, when, why),
// records are judged under the revision in force when they are stored and
// name it in every finding, earlier findings keep theirs, and bad settings
// are refused naming the field.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/plugins/protocol_chart.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr char kSettings[] = "clinics/c1/pluginSettings/microneedling-protocol";

v1::PublishPluginSettingsRequest Publish(
    std::vector<std::pair<std::string, std::string>> params,
    std::vector<std::pair<std::string, v1::FindingSeverity>> severities = {},
    const std::string& name = kSettings) {
  v1::PublishPluginSettingsRequest r;
  r.set_name(name);
  for (const auto& [key, value] : params) {
    v1::PluginParam* p = r.mutable_settings()->add_params();
    p->set_key(key);
    p->set_value(value);
  }
  for (const auto& [code, severity] : severities) {
    v1::SeverityOverride* o = r.mutable_settings()->add_severities();
    o->set_code(code);
    o->set_severity(severity);
  }
  r.mutable_settings()->set_published_by("dr-director");
  r.mutable_settings()->set_reason("Protocol review 2026-12.");
  r.set_request_id(NewRequestId());
  return r;
}

std::string ValueOf(const v1::PluginSettings& s, const std::string& key,
                    std::string* source = nullptr) {
  for (const v1::EffectiveParam& p : s.effective_params()) {
    if (p.key() != key) continue;
    if (source != nullptr) *source = p.source();
    return p.value();
  }
  return "<none>";
}

class PluginSettingsServerTest : public ::testing::Test {
 protected:
  absl::StatusOr<v1::PluginSettings> Get(int64_t revision = 0,
                                         const std::string& name = kSettings) {
    v1::GetPluginSettingsRequest r;
    r.set_name(name);
    r.set_revision_id(revision);
    return server_.auditor_client().GetPluginSettings(r);
  }
  std::vector<v1::PluginSettings> Revisions() {
    v1::ListPluginSettingsRevisionsRequest r;
    r.set_name(kSettings);
    auto all = server_.client().ListAllPluginSettingsRevisions(r);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<v1::PluginSettings>();
  }

  TestServer server_{Shipped()};
};

TEST_F(PluginSettingsServerTest, RevisionZeroIsTheProtocolsDefaults) {
  auto settings = Get();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->revision_id(), 0);
  EXPECT_EQ(settings->name(), kSettings);
  std::string source;
  EXPECT_EQ(ValueOf(*settings, "planned_sessions", &source), "3-6");
  EXPECT_EQ(source, "default");
  EXPECT_EQ(ValueOf(*settings, "session_interval_days"), "28-42");
  EXPECT_EQ(ValueOf(*settings, "session_duration_minutes"), "30-60");
  EXPECT_EQ(ValueOf(*settings, "duration_includes_numbing"), "false");
  EXPECT_EQ(ValueOf(*settings, "isotretinoin_months"), "6");
  EXPECT_EQ(ValueOf(*settings, "prep_stop_days"), "3");
  EXPECT_EQ(ValueOf(*settings, "lot_expiry_warning_days"), "30");
  for (const auto& p : settings->effective_params()) {
    EXPECT_FALSE(p.description().empty()) << p.key();
  }
  EXPECT_TRUE(Revisions().empty());
}

TEST_F(PluginSettingsServerTest, FindingsNameTheRevisionTheyWereJudgedUnder) {
  std::string course;
  // Under the defaults (3 days), retinoids 2 days before are reported.
  auto before = LogWithRetinoids(server_, "c1", 2 * kDay, &course);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(Codes(before->findings()),
            std::vector<std::string>{"MNP-PREP-TOPICALS"});
  EXPECT_EQ(before->findings(0).settings_revision(), 0);
  auto quiet = LogWithRetinoids(server_, "c1", 4 * kDay, &course);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_EQ(quiet->findings_size(), 0);

  auto published = server_.admin_client().PublishPluginSettings(
      Publish({{"prep_stop_days", "5"}}));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->revision_id(), 1);
  EXPECT_EQ(published->published_by(), "dr-director");
  EXPECT_EQ(published->reason(), "Protocol review 2026-12.");
  EXPECT_TRUE(published->has_publish_time());
  std::string source;
  EXPECT_EQ(ValueOf(*published, "prep_stop_days", &source), "5");
  EXPECT_EQ(source, "published");
  EXPECT_EQ(ValueOf(*published, "planned_sessions", &source), "3-6");
  EXPECT_EQ(source, "default");

  // Now 4 days is too close, and the finding names revision 1.
  auto after = LogWithRetinoids(server_, "c1", 4 * kDay, &course);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(Codes(after->findings()),
            std::vector<std::string>{"MNP-PREP-TOPICALS"});
  EXPECT_EQ(after->findings(0).settings_revision(), 1);
  EXPECT_TRUE(absl::StrContains(after->findings(0).message(),
                                "the clinic asks for 5 days"))
      << after->findings(0).message();

  // The session stored earlier keeps the finding and revision it had.
  v1::GetSessionRequest get;
  get.set_name(before->name());
  auto stored = server_.client().GetSession(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->findings_size(), 1);
  EXPECT_EQ(stored->findings(0).settings_revision(), 0);

  // Another clinic is untouched.
  auto other = LogWithRetinoids(server_, "c2", 4 * kDay, &course);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->findings_size(), 0);
}

TEST_F(PluginSettingsServerTest, ASeverityChangeTakesEffectAndIsRevisioned) {
  auto blocking = server_.admin_client().PublishPluginSettings(
      Publish({}, {{"MNP-PREP-TOPICALS", v1::FINDING_SEVERITY_BLOCK}}));
  ASSERT_TRUE(blocking.ok()) << blocking.status();
  std::string course;
  auto refused = LogWithRetinoids(server_, "c1", 2 * kDay, &course);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(),
                               "MNP-PREP-TOPICALS (microneedling-protocol)"))
      << refused.status();
  EXPECT_EQ(SessionCount(server_, course), 0);

  // The medical director lowers it to INFO: the session is stored, its
  // finding at INFO under revision 2.
  auto lowered = server_.admin_client().PublishPluginSettings(
      Publish({}, {{"MNP-PREP-TOPICALS", v1::FINDING_SEVERITY_INFO}}));
  ASSERT_TRUE(lowered.ok()) << lowered.status();
  EXPECT_EQ(lowered->revision_id(), 2);
  auto stored = LogWithRetinoids(server_, "c1", 2 * kDay, &course);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->findings_size(), 1);
  EXPECT_EQ(stored->findings(0).severity(), v1::FINDING_SEVERITY_INFO);
  EXPECT_EQ(stored->findings(0).settings_revision(), 2);

  // Every revision stays readable, oldest first, with who and why.
  const std::vector<v1::PluginSettings> revisions = Revisions();
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].severities(0).severity(), v1::FINDING_SEVERITY_BLOCK);
  EXPECT_EQ(revisions[1].severities(0).severity(), v1::FINDING_SEVERITY_INFO);
  auto first = Get(1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->severities(0).severity(), v1::FINDING_SEVERITY_BLOCK);
}

TEST_F(PluginSettingsServerTest, PublishingTheSettingsInForceAddsNothing) {
  auto first = server_.admin_client().PublishPluginSettings(
      Publish({{"planned_sessions", "2-8"}}));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = server_.admin_client().PublishPluginSettings(
      Publish({{"planned_sessions", "2-8"}}));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision_id(), 1);
  EXPECT_EQ(Revisions().size(), 1u);

  // The wider range now applies to courses: 8 sessions is within it.
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN-8"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::CreateCourseRequest request = CourseRequest(patient->name());
  request.mutable_course()->set_planned_session_count(8);
  auto course = server_.client().CreateCourse(request);
  ASSERT_TRUE(course.ok()) << course.status();
  EXPECT_EQ(course->findings_size(), 0) << course->DebugString();
  request = CourseRequest(patient->name());
  request.mutable_course()->set_planned_session_count(9);
  course = server_.client().CreateCourse(request);
  ASSERT_TRUE(course.ok()) << course.status();
  ASSERT_EQ(Codes(course->findings()),
            std::vector<std::string>{"MNP-COURSE-LENGTH"});
  EXPECT_EQ(course->findings(0).message(),
            "course plans 9 sessions; the clinic's protocol plans 2 to 8");
  EXPECT_EQ(course->findings(0).settings_revision(), 1);
}

TEST_F(PluginSettingsServerTest, DurationIsTheProcedureWithoutNumbing) {
  const Chart chart = NewChart(server_, "c1", AllKinds());
  // 70 minutes recorded, 30 of them numbing (the fixture's contact time).
  v1::LogSessionRequest log = Session(chart, TestNow() - 50 * kDay);
  log.mutable_session()->set_duration_minutes(70);
  auto counted = server_.client().LogSession(log);
  ASSERT_TRUE(counted.ok()) << counted.status();
  ASSERT_EQ(Codes(counted->findings()),
            std::vector<std::string>{"MNP-SESSION-DURATION"});
  EXPECT_EQ(counted->findings(0).message(),
            "procedure lasted 70 minutes; the clinic's protocol plans 30-60");

  ASSERT_TRUE(server_.admin_client()
                  .PublishPluginSettings(
                      Publish({{"duration_includes_numbing", "true"}}))
                  .ok());
  log = Session(chart, TestNow() - 10 * kDay);
  log.mutable_session()->set_duration_minutes(70);
  auto procedure = server_.client().LogSession(log);
  ASSERT_TRUE(procedure.ok()) << procedure.status();
  EXPECT_EQ(procedure->findings_size(), 0) << procedure->DebugString();
}

TEST_F(PluginSettingsServerTest, TheCourseIntervalIsCheckedAgainstTheClinics) {
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN-7"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::CreateCourseRequest request = CourseRequest(patient->name());
  request.mutable_course()->set_planned_interval_min_days(14);
  request.mutable_course()->set_planned_interval_max_days(21);
  auto course = server_.client().CreateCourse(request);
  ASSERT_TRUE(course.ok()) << course.status();
  ASSERT_EQ(Codes(course->findings()),
            std::vector<std::string>{"MNP-COURSE-INTERVAL"});
  EXPECT_EQ(course->findings(0).message(),
            "course plans 14-21 days between sessions; the clinic's protocol "
            "plans 28-42 days");

  ASSERT_TRUE(
      server_.admin_client()
          .PublishPluginSettings(Publish({{"session_interval_days", "14-42"}}))
          .ok());
  request.set_request_id(NewRequestId());
  course = server_.client().CreateCourse(request);
  ASSERT_TRUE(course.ok()) << course.status();
  EXPECT_EQ(course->findings_size(), 0) << course->DebugString();
}

TEST_F(PluginSettingsServerTest, BadSettingsAreRefusedNamingTheField) {
  struct Case {
    v1::PublishPluginSettingsRequest request;
    absl::StatusCode code;
    std::string message;
  };
  v1::PublishPluginSettingsRequest no_reason = Publish({});
  no_reason.mutable_settings()->clear_reason();
  const Case cases[] = {
      {Publish({{"prep_stop_days", "soon"}}),
       absl::StatusCode::kInvalidArgument,
       "settings.params[0].value: prep_stop_days: must be a whole number of "
       "days 0..365, got \"soon\""},
      {Publish({{"planned_sessions", "6-3"}}),
       absl::StatusCode::kInvalidArgument,
       "settings.params[0].value: planned_sessions: must be \"MIN-MAX\" in "
       "sessions with 1 <= MIN <= MAX <= 50, got \"6-3\""},
      {Publish({{"needle_depth_mm.elbow", "0.5-1"}}),
       absl::StatusCode::kInvalidArgument,
       "settings.params[0].value: needle_depth_mm.elbow: unknown body area "
       "(use e.g. needle_depth_mm.cheek)"},
      {Publish({{"sun_hours", "48"}}), absl::StatusCode::kInvalidArgument,
       "settings.params[0].key: microneedling-protocol has no setting "
       "\"sun_hours\" (known: planned_sessions, session_interval_days, "
       "session_duration_minutes, duration_includes_numbing, "
       "isotretinoin_months, prep_stop_days, lot_expiry_warning_days, "
       "screening_valid_days, needle_depth_mm.<...>)"},
      {Publish({{"prep_stop_days", "4"}, {"prep_stop_days", "5"}}),
       absl::StatusCode::kInvalidArgument,
       "settings.params[1].key: prep_stop_days is listed twice"},
      {Publish({}, {{"MNP-X", v1::FINDING_SEVERITY_WARN}}),
       absl::StatusCode::kInvalidArgument, ""},
      {Publish({}, {{"MNP-PREP-TOPICALS", v1::FINDING_SEVERITY_UNSPECIFIED}}),
       absl::StatusCode::kInvalidArgument,
       "settings.severities[0].severity: required (must not be "
       "UNSPECIFIED)"},
      {no_reason, absl::StatusCode::kInvalidArgument,
       "settings.reason: required"},
      {Publish({}, {}, "clinics/c1/pluginSettings/no-such-plugin"),
       absl::StatusCode::kNotFound, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.request.DebugString());
    auto published = server_.admin_client().PublishPluginSettings(c.request);
    EXPECT_EQ(published.status().code(), c.code) << published.status();
    if (!c.message.empty()) {
      EXPECT_EQ(published.status().message(), c.message);
    }
  }
  EXPECT_TRUE(absl::StartsWith(
      server_.admin_client()
          .PublishPluginSettings(
              Publish({}, {{"MNP-X", v1::FINDING_SEVERITY_WARN}}))
          .status()
          .message(),
      "settings.severities[0].code: microneedling-protocol has no finding "
      "code \"MNP-X\" (known: "));
  // Only admins publish; the clinician's call is refused.
  EXPECT_EQ(server_.client()
                .PublishPluginSettings(Publish({{"prep_stop_days", "5"}}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Revisions().empty());
}

TEST_F(PluginSettingsServerTest, PublishedSettingsSurviveARestart) {
  ASSERT_TRUE(server_.admin_client()
                  .PublishPluginSettings(Publish({{"prep_stop_days", "5"}}))
                  .ok());
  server_.Restart();
  // The revision is a change of the clinic, like any stored revision.
  v1::ListChangesRequest changes;
  changes.set_parent("clinics/c1");
  changes.mutable_filter()->add_kinds(v1::RECORD_KIND_PLUGIN_SETTINGS);
  auto feed = server_.client().ListChanges(changes);
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->changes_size(), 1);
  EXPECT_EQ(feed->changes(0).name(), kSettings);
  EXPECT_EQ(feed->changes(0).type(), v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(feed->changes(0).plugin_settings().reason(),
            "Protocol review 2026-12.");
  auto settings = Get();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->revision_id(), 1);
  EXPECT_EQ(ValueOf(*settings, "prep_stop_days"), "5");
  std::string course;
  auto session = LogWithRetinoids(server_, "c1", 4 * kDay, &course);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_EQ(session->findings_size(), 1);
  EXPECT_EQ(session->findings(0).settings_revision(), 1);
}

}  // namespace
}  // namespace mnrecords::testing

// Plugins through the running server (real SQLite file, gRPC on loopback,
// the client library): protocol findings in responses and the course
// summary, severity configured per clinic, BLOCK storing nothing, photo
// pairing, and a plugin added without editing the server.
#include <atomic>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/error_details.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "plugins/builtin_plugins.h"
#include "tests/plugins/protocol_chart.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

TEST(ProtocolPluginServerTest, TooEarlySessionWarnsAndTheSummaryShowsIt) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  const absl::Time first = TestNow() - 40 * kDay;
  auto s1 = server.client().LogSession(Session(chart, first));
  ASSERT_TRUE(s1.ok()) << s1.status();
  EXPECT_EQ(s1->findings_size(), 0);

  auto s2 = server.client().LogSession(Session(chart, first + 27 * kDay));
  ASSERT_TRUE(s2.ok()) << s2.status();
  ASSERT_EQ(Codes(s2->findings()),
            std::vector<std::string>{"MNP-SESSION-TOO-EARLY"});
  EXPECT_EQ(s2->findings(0).severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_EQ(s2->findings(0).plugin(), "microneedling-protocol");
  EXPECT_TRUE(absl::StrContains(s2->findings(0).message(), "27.0 days"))
      << s2->findings(0).message();

  v1::GetSessionRequest get;
  get.set_name(s2->name());
  auto stored = server.client().GetSession(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(Codes(stored->findings()), Codes(s2->findings()));

  v1::GetCourseSummaryRequest request;
  request.set_name(chart.course);
  auto summary = server.client().GetCourseSummary(request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->open_findings_size(), 1);
  EXPECT_EQ(summary->open_findings(0).record(), s2->name());
  EXPECT_EQ(summary->open_findings(0).finding().code(),
            "MNP-SESSION-TOO-EARLY");
  EXPECT_EQ(FromProtoTime(summary->next_session_earliest_time()),
            first + 27 * kDay + 28 * kDay);
  EXPECT_EQ(FromProtoTime(summary->next_session_latest_time()),
            first + 27 * kDay + 42 * kDay);
  // Both sessions lack only a baseline photo.
  ASSERT_EQ(summary->session_completeness_size(), 2);
  for (const auto& c : summary->session_completeness()) {
    ASSERT_EQ(c.missing_size(), 1) << c.session();
    EXPECT_EQ(c.missing(0), v1::CHART_ITEM_BASELINE_PHOTOS);
  }
}

TEST(ProtocolPluginServerTest, AmendingASessionRechecksIt) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  v1::LogSessionRequest log = Session(chart, TestNow() - kDay);
  log.mutable_session()->set_duration_minutes(75);
  auto s = server.client().LogSession(log);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(Codes(s->findings()),
            std::vector<std::string>{"MNP-SESSION-DURATION"});
  EXPECT_EQ(s->findings(0).severity(), v1::FINDING_SEVERITY_INFO);

  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(s->name());
  amend.mutable_session()->set_duration_minutes(55);
  amend.mutable_update_mask()->add_paths("duration_minutes");
  amend.set_etag(s->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Timer misread.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto amended = server.client().AmendSession(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->findings_size(), 0);
}

TEST(ProtocolPluginServerTest, MissingConsentBlocksAndStoresNothing) {
  TestServer server(Shipped());
  const Chart chart = NewChart(
      server, "c1",
      {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_AFTERCARE});
  auto s = server.client().LogSession(Session(chart, TestNow() - kDay));
  ASSERT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(
      s.status().message(),
      "MNP-CONSENT-MISSING (microneedling-protocol): no granted PREPARATION "
      "consent in force at "))
      << s.status();
  EXPECT_EQ(SessionCount(server, chart.course), 0);
}

TEST(ProtocolPluginServerTest, IntervalIsToTheLatestEarlierSession) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  // Consents were signed 60 days ago.
  const absl::Time t0 = TestNow() - 59 * kDay;
  ASSERT_TRUE(server.client().LogSession(Session(chart, t0)).ok());
  auto late = server.client().LogSession(Session(chart, t0 + 58 * kDay));
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(Codes(late->findings()),
            std::vector<std::string>{"MNP-SESSION-OVERDUE"});
  // Logged last but performed between the two: its previous session is
  // the first one (29 days before: on time), not the last one logged.
  auto between = server.client().LogSession(Session(chart, t0 + 29 * kDay));
  ASSERT_TRUE(between.ok()) << between.status();
  EXPECT_EQ(between->findings_size(), 0) << between->DebugString();
}

TEST(ProtocolPluginServerTest, RuleAndSummaryAgreeOnThePlannedInterval) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  v1::GetCourseRequest get;
  get.set_name(chart.course);
  auto course = server.client().GetCourse(get);
  ASSERT_TRUE(course.ok()) << course.status();
  v1::AmendCourseRequest amend;
  amend.mutable_course()->set_name(chart.course);
  amend.mutable_course()->set_planned_interval_min_days(14);
  amend.mutable_course()->set_planned_interval_max_days(21);
  amend.mutable_update_mask()->add_paths("planned_interval_min_days");
  amend.mutable_update_mask()->add_paths("planned_interval_max_days");
  amend.set_etag(course->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Faster schedule for this patient.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  ASSERT_TRUE(server.client().AmendCourse(amend).ok());

  const absl::Time t0 = TestNow() - 50 * kDay;
  ASSERT_TRUE(server.client().LogSession(Session(chart, t0)).ok());
  // 16 days: too early for the protocol's 4 weeks, on time for this plan.
  auto second = server.client().LogSession(Session(chart, t0 + 16 * kDay));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->findings_size(), 0) << second->DebugString();

  v1::GetCourseSummaryRequest summarize;
  summarize.set_name(chart.course);
  auto summary = server.client().GetCourseSummary(summarize);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(FromProtoTime(summary->next_session_earliest_time()),
            t0 + 30 * kDay);
  EXPECT_EQ(FromProtoTime(summary->next_session_latest_time()), t0 + 37 * kDay);
  // Just past the summary's latest: the rule calls it overdue too.
  auto third = server.client().LogSession(
      Session(chart, t0 + 37 * kDay + absl::Minutes(1)));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(Codes(third->findings()),
            std::vector<std::string>{"MNP-SESSION-OVERDUE"});
}

TEST(ProtocolPluginServerTest, AnExpiredLotIsRefusedAndAnExpiringOneWarned) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  const absl::Time at = TestNow() - kDay;
  v1::LogSessionRequest expired = Session(chart, at);
  *expired.mutable_session()->mutable_cartridge()->mutable_lot_expiry_time() =
      ToProtoTime(at - absl::Hours(2));
  auto refused = server.client().LogSession(expired);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(),
                               "MNP-CARTRIDGE-LOT-EXPIRED "
                               "(microneedling-protocol): cartridge lot "
                               "LOT-2026-11 expired "))
      << refused.status();
  EXPECT_EQ(SessionCount(server, chart.course), 0);

  v1::LogSessionRequest expiring = Session(chart, at);
  *expiring.mutable_session()->mutable_cartridge()->mutable_lot_expiry_time() =
      ToProtoTime(at + 10 * kDay);
  auto warned = server.client().LogSession(expiring);
  ASSERT_TRUE(warned.ok()) << warned.status();
  ASSERT_EQ(Codes(warned->findings()),
            std::vector<std::string>{"MNP-CARTRIDGE-LOT-EXPIRING"});
  EXPECT_EQ(warned->findings(0).severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_TRUE(absl::StrContains(warned->findings(0).message(),
                                "10.0 days after the session; the clinic "
                                "warns 30 days ahead"))
      << warned->findings(0).message();
}

TEST(ProtocolPluginServerTest, ConsentMustBeInForceAtPerformedAt) {
  TestServer server(Shipped());
  const Chart chart = NewChart(
      server, "c1",
      {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_AFTERCARE});
  v1::ListInstructionSetsRequest list;
  list.set_parent("clinics/c1");
  list.set_kind(v1::INSTRUCTION_KIND_PREPARATION);
  auto sets = server.client().ListInstructionSets(list);
  ASSERT_TRUE(sets.ok() && sets->instruction_sets_size() == 1) << sets.status();
  const absl::Time at = TestNow() - 10 * kDay;
  // Signed a second after performed_at: not in force then.
  ASSERT_TRUE(
      server.client()
          .RecordConsent(ConsentRequest(
              chart.patient, sets->instruction_sets(0), at + absl::Seconds(1)))
          .ok());
  auto s = server.client().LogSession(Session(chart, at));
  ASSERT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
  EXPECT_TRUE(absl::StrContains(s.status().message(), "PREPARATION"))
      << s.status();
  // One that expired at performed_at is not in force either.
  v1::RecordConsentRequest expired =
      ConsentRequest(chart.patient, sets->instruction_sets(0), at - 20 * kDay);
  *expired.mutable_consent()->mutable_expire_time() = ToProtoTime(at);
  ASSERT_TRUE(server.client().RecordConsent(expired).ok());
  s = server.client().LogSession(Session(chart, at));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition)
      << s.status();
  // Performed a second before it expired: covered.
  s = server.client().LogSession(Session(chart, at - absl::Seconds(1)));
  EXPECT_TRUE(s.ok()) << s.status();
}

TestServerOptions PerClinicOptions() {
  TestServerOptions options;
  options.plugins.push_back(PluginFromText(R"(
    name: "microneedling-protocol"
    clinic {
      clinic: "c2"
      severity { code: "MNP-PREP-TOPICALS" severity: BLOCK }
    }
    clinic {
      clinic: "c3"
      param { key: "prep_stop_days" value: "5" }
    })"));
  return options;
}

TEST(ProtocolPluginServerTest, SameSessionWarnsInOneClinicIsBlockedInAnother) {
  TestServer server(PerClinicOptions());
  std::string course;
  auto warned = LogWithRetinoids(server, "c1", 2 * kDay, &course);
  ASSERT_TRUE(warned.ok()) << warned.status();
  EXPECT_EQ(Codes(warned->findings()),
            std::vector<std::string>{"MNP-PREP-TOPICALS"});
  EXPECT_EQ(warned->findings(0).severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_EQ(SessionCount(server, course), 1);

  auto blocked = LogWithRetinoids(server, "c2", 2 * kDay, &course);
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(blocked.status().message(),
                               "MNP-PREP-TOPICALS (microneedling-protocol): "
                               "retinoids last used "))
      << blocked.status();
  // The same, machine-readable: the reason and each blocking rule's code.
  const ErrorDetails details = GetErrorDetails(blocked.status());
  EXPECT_EQ(details.reason, "PROTOCOL_RULE_BLOCKED");
  EXPECT_EQ(details.domain, "mnrecords.clinic");
  ASSERT_EQ(details.precondition_violations.size(), 1u);
  EXPECT_EQ(details.precondition_violations[0].type, "MNP-PREP-TOPICALS");
  EXPECT_EQ(details.precondition_violations[0].subject,
            "microneedling-protocol");
  EXPECT_TRUE(absl::StartsWith(details.precondition_violations[0].description,
                               "retinoids last used "));
  EXPECT_TRUE(details.field_violations.empty());
  EXPECT_EQ(SessionCount(server, course), 0);
}

TEST(ProtocolPluginServerTest, PrepStopDaysIsPerClinic) {
  TestServer server(PerClinicOptions());
  std::string course;
  auto c1 = LogWithRetinoids(server, "c1", 4 * kDay, &course);  // N = 3
  ASSERT_TRUE(c1.ok()) << c1.status();
  EXPECT_EQ(c1->findings_size(), 0);
  auto c3 = LogWithRetinoids(server, "c3", 4 * kDay, &course);  // N = 5
  ASSERT_TRUE(c3.ok()) << c3.status();
  EXPECT_EQ(Codes(c3->findings()),
            std::vector<std::string>{"MNP-PREP-TOPICALS"});
  auto c3_on_time = LogWithRetinoids(server, "c3", 5 * kDay, &course);
  ASSERT_TRUE(c3_on_time.ok()) << c3_on_time.status();
  EXPECT_EQ(c3_on_time->findings_size(), 0);
}

TEST(ProtocolPluginServerTest, PhotoNeedsPhotographyConsent) {
  TestServer server(Shipped());
  const Chart without = NewChart(
      server, "c1",
      {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
       v1::INSTRUCTION_KIND_AFTERCARE});
  auto s = server.client().LogSession(Session(without, TestNow() - kDay));
  ASSERT_TRUE(s.ok()) << s.status();
  auto photo = server.client().CreatePhoto(
      PhotoRequest(s->name(), v1::PHOTO_PHASE_BASELINE, TestNow() - kDay));
  EXPECT_EQ(photo.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      absl::StartsWith(photo.status().message(), "MNP-PHOTO-CONSENT-MISSING"))
      << photo.status();
}

TEST(ProtocolPluginServerTest, CourseLengthWarnsOnTheCourse) {
  TestServer server(Shipped());
  auto patient = server.client().CreatePatient(PatientRequest("c1", "MRN-9"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::CreateCourseRequest request = CourseRequest(patient->name());
  request.mutable_course()->set_planned_session_count(8);
  auto course = server.client().CreateCourse(request);
  ASSERT_TRUE(course.ok()) << course.status();
  EXPECT_EQ(Codes(course->findings()),
            std::vector<std::string>{"MNP-COURSE-LENGTH"});
}

v1::CreatePhotoRequest Photo(const std::string& session, v1::PhotoPhase phase,
                             v1::PhotoView view, v1::Laterality side,
                             absl::Time at) {
  v1::CreatePhotoRequest r = PhotoRequest(session, phase, at);
  r.mutable_photo()->set_view(view);
  r.mutable_photo()->mutable_body_site()->set_area(v1::BODY_AREA_CHEEK);
  r.mutable_photo()->mutable_body_site()->set_laterality(side);
  return r;
}

TEST(PhotoPairingServerTest, PairsByViewAndSiteAndListsMissingViews) {
  TestServer server(Shipped());
  const Chart chart = NewChart(server, "c1", AllKinds());
  const absl::Time t1 = TestNow() - 30 * kDay;
  auto s1 = server.client().LogSession(Session(chart, t1));
  auto s2 = server.client().LogSession(Session(chart, t1 + 29 * kDay));
  ASSERT_TRUE(s1.ok() && s2.ok());
  const struct {
    const std::string& session;
    v1::PhotoPhase phase;
    v1::PhotoView view;
    v1::Laterality side;
    absl::Time at;
  } photos[] = {
      {s1->name(), v1::PHOTO_PHASE_BASELINE, v1::PHOTO_VIEW_LEFT_45,
       v1::LATERALITY_LEFT, t1},
      {s2->name(), v1::PHOTO_PHASE_BASELINE, v1::PHOTO_VIEW_LEFT_45,
       v1::LATERALITY_LEFT, t1 + 29 * kDay},  // later baseline: not paired
      {s2->name(), v1::PHOTO_PHASE_FOLLOW_UP, v1::PHOTO_VIEW_LEFT_45,
       v1::LATERALITY_LEFT, t1 + 29 * kDay},
      {s1->name(), v1::PHOTO_PHASE_BASELINE, v1::PHOTO_VIEW_FRONTAL,
       v1::LATERALITY_BILATERAL, t1},  // baseline only
      {s2->name(), v1::PHOTO_PHASE_FOLLOW_UP, v1::PHOTO_VIEW_RIGHT_45,
       v1::LATERALITY_RIGHT, t1 + 29 * kDay},  // follow-up only
      {s2->name(), v1::PHOTO_PHASE_IMMEDIATE_POST, v1::PHOTO_VIEW_RIGHT_90,
       v1::LATERALITY_RIGHT, t1 + 29 * kDay},  // not a phase that pairs
  };
  std::vector<std::string> names;
  for (const auto& p : photos) {
    auto created = server.client().CreatePhoto(
        Photo(p.session, p.phase, p.view, p.side, p.at));
    ASSERT_TRUE(created.ok()) << created.status();
    names.push_back(created->name());
  }
  v1::PairCoursePhotosRequest request;
  request.set_name(chart.course);
  auto pairs = server.client().PairCoursePhotos(request);
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  ASSERT_EQ(pairs->pairs_size(), 1);
  EXPECT_EQ(pairs->pairs(0).view(), v1::PHOTO_VIEW_LEFT_45);
  EXPECT_EQ(pairs->pairs(0).body_site().laterality(), v1::LATERALITY_LEFT);
  EXPECT_EQ(pairs->pairs(0).baseline().name(), names[0]);
  EXPECT_EQ(pairs->pairs(0).follow_up().name(), names[2]);
  ASSERT_EQ(pairs->baseline_only_size(), 1);
  EXPECT_EQ(pairs->baseline_only(0).baseline().name(), names[3]);
  EXPECT_FALSE(pairs->baseline_only(0).has_follow_up());
  ASSERT_EQ(pairs->follow_up_only_size(), 1);
  EXPECT_EQ(pairs->follow_up_only(0).follow_up().name(), names[4]);
  EXPECT_FALSE(pairs->follow_up_only(0).has_baseline());

  request.set_name(chart.course + "x");
  EXPECT_EQ(server.client().PairCoursePhotos(request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_name("clinics/c1");
  EXPECT_EQ(server.client().PairCoursePhotos(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- A plugin added without editing the server ----

// "example-notes": a session without notes gets EX-NO-NOTES (WARN); it
// counts the sessions it was told about.
class NotesPlugin : public plugins::Plugin {
 public:
  explicit NotesPlugin(std::atomic<int>* stored) : stored_(stored) {}
  std::vector<plugins::FindingCode> codes() const override {
    return {{"EX-NO-NOTES", plugins::Severity::kWarn, "session without notes"}};
  }
  std::vector<plugins::PluginFinding> CheckSession(
      const plugins::SessionView& v) const override {
    if (!v.session.notes().empty()) return {};
    return {{"EX-NO-NOTES", "write what was done"}};
  }
  void OnSessionStored(const v1::TreatmentSession&) const override {
    stored_->fetch_add(1);
  }

 private:
  std::atomic<int>* stored_;
};

TEST(ExamplePluginServerTest, ATestRegistryAddsAPlugin) {
  std::atomic<int> stored{0};
  plugins::PluginRegistry registry;
  ASSERT_TRUE(plugins::RegisterBuiltinPlugins(registry).ok());
  ASSERT_TRUE(
      registry
          .Register("example-notes",
                    [&](const config::v1::PluginConfig&)
                        -> absl::StatusOr<std::unique_ptr<plugins::Plugin>> {
                      return std::make_unique<NotesPlugin>(&stored);
                    })
          .ok());
  TestServerOptions options;
  options.registry = &registry;
  options.plugins.push_back(PluginFromText(R"(name: "example-notes")"));
  options.plugins.push_back(
      PluginFromText(R"(name: "microneedling-protocol")"));
  TestServer server(options);
  const Chart chart = NewChart(server, "c1", AllKinds());
  v1::LogSessionRequest log = Session(chart, TestNow() - kDay);
  log.mutable_session()->clear_notes();
  log.mutable_session()->set_duration_minutes(20);
  auto s = server.client().LogSession(log);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->findings_size(), 2);
  EXPECT_EQ(s->findings(0).code(), "EX-NO-NOTES");
  EXPECT_EQ(s->findings(0).plugin(), "example-notes");
  EXPECT_EQ(s->findings(1).code(), "MNP-SESSION-DURATION");
  EXPECT_EQ(stored.load(), 1);
}

TEST(ExamplePluginServerTest, BadPluginConfigRefusesToStart) {
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.db_path = UniqueTempPath("unused.db");
  *config.file.add_plugins() = PluginFromText(R"(
    name: "microneedling-protocol"
    severity { code: "MNP-NO-SUCH-RULE" severity: WARN })");
  auto app = ServerApp::Start(config);
  EXPECT_EQ(app.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(app.status().message(),
                                "unknown finding code \"MNP-NO-SUCH-RULE\""))
      << app.status();
}

}  // namespace
}  // namespace mnrecords::testing

// The recall list (ListDueSessions) through the real server: which open
// courses are listed for a period, in due-date order, with the state of
// their window; the window agrees with the course summary; pages continue
// where they stopped; bad periods name their field; the call is filed
// under every patient it listed.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

class DueSessionsTest : public ::testing::Test {
 protected:
  // A patient of c1 with a course planned for `planned` sessions, 28-42
  // days apart, by `clinician`, and a completed session at each of
  // `sessions`. Returns the course.
  v1::TreatmentCourse Course(const std::string& mrn,
                             const std::vector<absl::Time>& sessions,
                             int planned = 3,
                             const std::string& clinician = "dr-lee") {
    auto patient = client().CreatePatient(PatientRequest("c1", mrn));
    EXPECT_TRUE(patient.ok()) << patient.status();
    v1::CreateCourseRequest create = CourseRequest(patient->name());
    create.mutable_course()->set_planned_session_count(planned);
    create.mutable_course()->set_responsible_clinician(clinician);
    auto course = client().CreateCourse(create);
    EXPECT_TRUE(course.ok()) << course.status();
    for (absl::Time at : sessions) {
      auto session = client().LogSession(SessionRequest(course->name(), at));
      EXPECT_TRUE(session.ok()) << session.status();
      last_session_[course->name()] = session->name();
    }
    return *course;
  }

  v1::ListDueSessionsRequest Period(absl::Time start, absl::Time end) {
    v1::ListDueSessionsRequest r;
    r.set_parent("clinics/c1");
    *r.mutable_start_time() = ToProtoTime(start);
    *r.mutable_end_time() = ToProtoTime(end);
    return r;
  }

  std::vector<std::string> Courses(const v1::ListDueSessionsRequest& r) {
    auto all = client().ListAllDueSessions(r);
    EXPECT_TRUE(all.ok()) << all.status();
    std::vector<std::string> courses;
    if (all.ok()) {
      for (const v1::DueSession& d : *all) courses.push_back(d.course());
    }
    return courses;
  }

  RecordsClient& client() { return server_.client(); }

  TestServer server_;
  const absl::Time now_ = TestNow();
  std::map<std::string, std::string> last_session_;
};

TEST_F(DueSessionsTest, ListsOpenCoursesWhoseWindowOverlapsByDueDate) {
  // Window [now-7d, now+7d]: open now.
  const auto open = Course("MRN-OPEN", {now_ - 35 * kDay});
  // Window [now+18d, now+32d]: upcoming.
  const auto upcoming = Course("MRN-UPCOMING", {now_ - 10 * kDay});
  // Window [now-32d, now-18d]: missed.
  const auto missed = Course("MRN-MISSED", {now_ - 60 * kDay});
  // All planned sessions done, or none yet: not due.
  Course("MRN-DONE", {now_ - 90 * kDay, now_ - 60 * kDay, now_ - 30 * kDay});
  Course("MRN-NEW", {});

  auto page =
      client().ListDueSessions(Period(now_ - 30 * kDay, now_ + 30 * kDay));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(FromProtoTime(page->evaluate_time()), now_);
  ASSERT_EQ(page->due_sessions_size(), 3) << page->DebugString();
  const v1::DueSession& first = page->due_sessions(0);
  EXPECT_EQ(first.course(), missed.name());
  EXPECT_EQ(first.state(), v1::DUE_STATE_MISSED);
  EXPECT_EQ(page->due_sessions(1).course(), open.name());
  EXPECT_EQ(page->due_sessions(1).state(), v1::DUE_STATE_OPEN);
  EXPECT_EQ(page->due_sessions(2).course(), upcoming.name());
  EXPECT_EQ(page->due_sessions(2).state(), v1::DUE_STATE_UPCOMING);

  const v1::DueSession& due = page->due_sessions(1);
  EXPECT_EQ(due.patient(),
            open.name().substr(0, open.name().find("/courses/")));
  EXPECT_EQ(due.responsible_clinician(), "dr-lee");
  EXPECT_EQ(due.course_status(), v1::COURSE_STATUS_PLANNED);
  EXPECT_EQ(due.planned_session_count(), 3);
  EXPECT_EQ(due.completed_session_count(), 1);
  EXPECT_EQ(due.last_session(), last_session_[open.name()]);
  EXPECT_EQ(FromProtoTime(due.last_session_time()), now_ - 35 * kDay);
  EXPECT_EQ(FromProtoTime(due.window_start_time()), now_ - 7 * kDay);
  EXPECT_EQ(FromProtoTime(due.window_end_time()), now_ + 7 * kDay);

  // The summary shows the same window.
  v1::GetCourseSummaryRequest summarize;
  summarize.set_name(open.name());
  auto summary = client().GetCourseSummary(summarize);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(FromProtoTime(summary->next_session_earliest_time()),
            FromProtoTime(due.window_start_time()));
  EXPECT_EQ(FromProtoTime(summary->next_session_latest_time()),
            FromProtoTime(due.window_end_time()));

  // From now on, the window missed 18 days ago is out of the period.
  EXPECT_EQ(Courses(Period(now_, now_ + 30 * kDay)),
            (std::vector<std::string>{open.name(), upcoming.name()}));
  // A window that closes exactly at the start is still in; one that opens
  // exactly at the end is not.
  EXPECT_EQ(Courses(Period(now_ + 7 * kDay, now_ + 18 * kDay)),
            (std::vector<std::string>{open.name()}));
}

TEST_F(DueSessionsTest, LatestSessionLeavesOutEnteredInError) {
  const auto course = Course("MRN-EIE", {now_ - 36 * kDay, now_ - 5 * kDay});
  v1::GetSessionRequest get;
  get.set_name(last_session_[course.name()]);
  auto wrong = client().GetSession(get);
  ASSERT_TRUE(wrong.ok()) << wrong.status();
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(wrong->name());
  amend.mutable_session()->set_status(v1::SESSION_STATUS_ENTERED_IN_ERROR);
  amend.mutable_update_mask()->add_paths("status");
  amend.set_etag(wrong->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
  amend.mutable_amendment()->set_reason("Logged on the wrong patient.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  ASSERT_TRUE(client().AmendSession(amend).ok());

  auto all = client().ListAllDueSessions(Period(now_, now_ + 30 * kDay));
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].completed_session_count(), 1);
  EXPECT_EQ(FromProtoTime((*all)[0].last_session_time()), now_ - 36 * kDay);
  EXPECT_EQ(FromProtoTime((*all)[0].window_start_time()), now_ - 8 * kDay);
  EXPECT_EQ((*all)[0].state(), v1::DUE_STATE_OPEN);
}

TEST_F(DueSessionsTest, FiltersByResponsibleClinician) {
  const auto lee = Course("MRN-LEE", {now_ - 30 * kDay});
  const auto kim = Course("MRN-KIM", {now_ - 31 * kDay}, 3, "dr-kim");
  v1::ListDueSessionsRequest r = Period(now_, now_ + 14 * kDay);
  EXPECT_EQ(Courses(r), (std::vector<std::string>{kim.name(), lee.name()}));
  r.set_responsible_clinician("dr-kim");
  EXPECT_EQ(Courses(r), (std::vector<std::string>{kim.name()}));
}

TEST_F(DueSessionsTest, PagesFollowTheDueDateOrderAcrossTies) {
  // Five courses whose windows open at the same moment, and one earlier.
  std::vector<std::string> expected;
  const auto early = Course("MRN-EARLY", {now_ - 40 * kDay});
  expected.push_back(early.name());
  for (int i = 0; i < 5; ++i) {
    expected.push_back(
        Course(absl::StrCat("MRN-TIE-", i), {now_ - 30 * kDay}).name());
  }
  v1::ListDueSessionsRequest r = Period(now_ - 30 * kDay, now_ + 30 * kDay);
  r.set_page_size(2);
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = client().ListDueSessions(r);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    for (const auto& d : page->due_sessions()) seen.push_back(d.course());
    if (page->next_page_token().empty()) break;
    r.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, expected);  // ties in creation order, none repeated

  // A token belongs to its period.
  v1::ListDueSessionsRequest first = Period(now_ - 30 * kDay, now_ + 30 * kDay);
  first.set_page_size(2);
  auto page = client().ListDueSessions(first);
  ASSERT_TRUE(page.ok()) << page.status();
  v1::ListDueSessionsRequest other = Period(now_, now_ + 30 * kDay);
  other.set_page_token(page->next_page_token());
  auto refused = client().ListDueSessions(other);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "page_token:"))
      << refused.status();
}

TEST_F(DueSessionsTest, BadPeriodsNameTheirField) {
  struct Case {
    v1::ListDueSessionsRequest request;
    std::string prefix;
  };
  std::vector<Case> cases;
  cases.push_back({Period(now_, now_ + kDay), ""});
  cases.back().request.clear_start_time();
  cases.back().prefix = "start_time:";
  cases.push_back({Period(now_, now_ + kDay), "end_time:"});
  cases.back().request.clear_end_time();
  cases.push_back({Period(now_, now_), "end_time: must be after start_time"});
  cases.push_back({Period(now_, now_ + 367 * kDay),
                   "end_time: at most 366 days after start_time"});
  cases.push_back({Period(now_, now_ + kDay), "parent:"});
  cases.back().request.set_parent("clinics/c1/patients/p1");
  cases.push_back({Period(now_, now_ + kDay), "page_size:"});
  cases.back().request.set_page_size(-1);
  for (const Case& c : cases) {
    auto response = client().ListDueSessions(c.request);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument)
        << c.prefix;
    EXPECT_TRUE(absl::StartsWith(response.status().message(), c.prefix))
        << response.status();
  }
}

TEST_F(DueSessionsTest, TheCallIsFiledUnderEveryPatientListed) {
  const auto listed = Course("MRN-LISTED", {now_ - 30 * kDay});
  const auto not_due = Course("MRN-NOT-DUE", {});
  ASSERT_TRUE(client().ListDueSessions(Period(now_, now_ + 14 * kDay)).ok());
  const std::string action =
      "/clinic.microneedling.v1.TreatmentRecords/ListDueSessions";
  auto found = [&](const std::string& course) {
    v1::ListAuditEventsRequest r;
    r.set_parent("clinics/c1");
    r.set_patient(course.substr(0, course.find("/courses/")));
    auto events = server_.auditor_client().ListAllAuditEvents(r);
    EXPECT_TRUE(events.ok()) << events.status();
    for (const auto& e : *events) {
      if (e.action() == action) return true;
    }
    return false;
  };
  EXPECT_TRUE(found(listed.name()));
  EXPECT_FALSE(found(not_due.name()));
}

}  // namespace
}  // namespace mnrecords::testing

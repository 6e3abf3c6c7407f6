// Durability and record-keeping promises: records survive a restart,
// retries are idempotent, amendments keep every revision, pagination is
// complete and stable.
#include <set>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/course_fixture.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using RecordsLifecycleTest = CourseFixture;

TEST_F(RecordsLifecycleTest, RecordsSurviveServerRestart) {
  auto session = client().LogSession(SessionRequest(course_.name(), TestNow()));
  ASSERT_TRUE(session.ok()) << session.status();
  server_.Restart();
  v1::GetSessionRequest get;
  get.set_name(session->name());
  auto again = client().GetSession(get);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), session->SerializeAsString());
}

TEST_F(RecordsLifecycleTest, RetryWithSameRequestIdReturnsFirstResult) {
  const v1::LogSessionRequest request =
      SessionRequest(course_.name(), TestNow());
  auto first = client().LogSession(request);
  ASSERT_TRUE(first.ok()) << first.status();
  server_.clock().Advance(absl::Minutes(3));
  auto retry = client().LogSession(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  server_.Restart();
  auto after_restart = client().LogSession(request);
  ASSERT_TRUE(after_restart.ok()) << after_restart.status();
  EXPECT_EQ(after_restart->name(), first->name());

  v1::ListSessionsRequest list;
  list.set_parent(course_.name());
  auto sessions = client().ListAllSessions(list);
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), 1u);
}

TEST_F(RecordsLifecycleTest, SameRequestIdWithDifferentBodyIsRejected) {
  v1::LogSessionRequest request = SessionRequest(course_.name(), TestNow());
  ASSERT_TRUE(client().LogSession(request).ok());
  request.mutable_session()->set_duration_minutes(50);
  auto second = client().LogSession(request);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(second.status().message().find("request_id"), std::string::npos);
  v1::ListSessionsRequest list;
  list.set_parent(course_.name());
  auto sessions = client().ListAllSessions(list);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].duration_minutes(), 45);
}

TEST_F(RecordsLifecycleTest, AmendmentKeepsEveryRevision) {
  auto session = client().LogSession(SessionRequest(course_.name(), TestNow()));
  ASSERT_TRUE(session.ok());
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(session->name());
  amend.mutable_session()->set_duration_minutes(55);
  amend.mutable_update_mask()->add_paths("duration_minutes");
  amend.set_etag(session->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Timer misread; 55 minutes.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  server_.clock().Advance(absl::Hours(2));
  auto amended = client().AmendSession(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->duration_minutes(), 55);
  EXPECT_EQ(amended->revision().revision_id(), 2);
  EXPECT_EQ(amended->revision().amendment().author(), "dr-lee");
  EXPECT_NE(amended->etag(), session->etag());
  // Fields outside the mask are untouched.
  EXPECT_EQ(amended->notes(), session->notes());
  EXPECT_EQ(amended->treated_areas_size(), 2);

  // The retried amendment returns the same revision instead of ABORTED.
  auto retried = client().AmendSession(amend);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->revision().revision_id(), 2);

  v1::GetSessionRequest get;
  get.set_name(session->name());
  get.set_revision_id(1);
  auto original = client().GetSession(get);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->duration_minutes(), 45);
  EXPECT_EQ(original->SerializeAsString(), session->SerializeAsString());

  v1::ListRevisionsRequest revisions;
  revisions.set_name(session->name());
  auto all = client().ListAllRevisions(revisions);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].amendment().reason(), "Timer misread; 55 minutes.");
  EXPECT_EQ(FromProtoTime((*all)[1].create_time()), TestNow() + absl::Hours(2));

  // A stale etag is ABORTED and changes nothing.
  amend.set_request_id(NewRequestId());
  amend.mutable_session()->set_duration_minutes(40);
  auto stale = client().AmendSession(amend);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  get.set_revision_id(0);
  auto current = client().GetSession(get);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->duration_minutes(), 55);
  EXPECT_EQ(current->revision().revision_id(), 2);
}

TEST_F(RecordsLifecycleTest, StarMaskReplacesEveryAmendableField) {
  auto session = client().LogSession(SessionRequest(course_.name(), TestNow()));
  ASSERT_TRUE(session.ok());
  v1::AmendSessionRequest amend;
  *amend.mutable_session() = *session;
  amend.mutable_session()->clear_device();  // unset in the patch: cleared
  amend.mutable_session()->clear_notes();
  amend.mutable_session()->set_duration_minutes(50);
  amend.mutable_session()->set_etag("ignored");  // output only
  amend.mutable_session()->mutable_revision()->set_revision_id(77);
  amend.mutable_update_mask()->add_paths("*");
  amend.set_etag(session->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Re-entered from the paper chart.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto amended = client().AmendSession(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_FALSE(amended->has_device());
  EXPECT_EQ(amended->notes(), "");
  EXPECT_EQ(amended->duration_minutes(), 50);
  EXPECT_EQ(amended->treated_areas_size(), 2);
  EXPECT_EQ(amended->name(), session->name());
  EXPECT_EQ(amended->revision().revision_id(), 2);
  EXPECT_EQ(amended->etag(), "r2");
  EXPECT_EQ(amended->create_time().seconds(), session->create_time().seconds());
}

TEST_F(RecordsLifecycleTest, EnteredInErrorIsFinalAndExcludedFromSummary) {
  auto session = client().LogSession(SessionRequest(course_.name(), TestNow()));
  ASSERT_TRUE(session.ok());
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(session->name());
  amend.set_etag(session->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
  amend.mutable_amendment()->set_reason("Logged on the wrong patient.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto voided = client().AmendSession(amend);
  ASSERT_TRUE(voided.ok()) << voided.status();
  EXPECT_EQ(voided->status(), v1::SESSION_STATUS_ENTERED_IN_ERROR);

  amend.set_etag(voided->etag());
  amend.set_request_id(NewRequestId());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_update_mask()->add_paths("notes");
  EXPECT_EQ(client().AmendSession(amend).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::CreatePhotoRequest photo =
      PhotoRequest(session->name(), v1::PHOTO_PHASE_BASELINE, TestNow());
  EXPECT_EQ(client().CreatePhoto(photo).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::GetCourseSummaryRequest summary;
  summary.set_name(course_.name());
  auto s = client().GetCourseSummary(summary);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->recorded_session_count(), 0);
}

TEST_F(RecordsLifecycleTest, CourseStatusHistoryGrowsWithEachChange) {
  v1::AmendCourseRequest amend;
  amend.mutable_course()->set_name(course_.name());
  amend.mutable_course()->set_status(v1::COURSE_STATUS_ACTIVE);
  amend.mutable_update_mask()->add_paths("status");
  amend.set_etag(course_.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
  amend.mutable_amendment()->set_reason("First session booked.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto active = client().AmendCourse(amend);
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_EQ(active->status_history_size(), 2);
  EXPECT_EQ(active->status_history(0).status(), v1::COURSE_STATUS_PLANNED);
  EXPECT_EQ(active->status_history(1).status(), v1::COURSE_STATUS_ACTIVE);
  EXPECT_EQ(active->status_history(1).revision_id(), 2);
}

TEST_F(RecordsLifecycleTest, PaginationOverThousandSessionsIsComplete) {
  constexpr int kSessions = 1000;
  const absl::Time start = TestNow() - absl::Hours(24 * 365);
  for (int i = 0; i < kSessions; ++i) {
    ASSERT_TRUE(client()
                    .LogSession(SessionRequest(course_.name(),
                                               start + absl::Minutes(i)))
                    .ok());
  }
  v1::ListSessionsRequest request;
  request.set_parent(course_.name());
  request.set_page_size(137);
  std::set<std::string> names;
  int pages = 0;
  for (;;) {
    auto page = client().ListSessions(request);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    EXPECT_LE(page->sessions_size(), 137);
    for (const auto& s : page->sessions()) {
      EXPECT_TRUE(names.insert(s.name()).second) << "duplicate " << s.name();
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kSessions));
  EXPECT_EQ(pages, (kSessions + 136) / 137);

  // Whole-clinic wildcard listing with a time filter.
  v1::ListSessionsRequest window;
  window.set_parent("clinics/c1/patients/-/courses/-");
  *window.mutable_performed_after() = ToProtoTime(start + absl::Minutes(100));
  *window.mutable_performed_before() = ToProtoTime(start + absl::Minutes(200));
  auto in_window = client().ListAllSessions(window);
  ASSERT_TRUE(in_window.ok()) << in_window.status();
  EXPECT_EQ(in_window->size(), 100u);

  // A token used with other filters is refused.
  request.set_page_token("");
  auto first = client().ListSessions(request);
  ASSERT_TRUE(first.ok());
  window.set_page_token(first->next_page_token());
  EXPECT_EQ(client().ListSessions(window).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RecordsLifecycleTest,
       PublishingSameTextKeepsRevisionChangedTextAddsOne) {
  auto first = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE));
  ASSERT_TRUE(first.ok()) << first.status();
  auto same = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->revision_id(), 1);
  v1::PublishInstructionSetRequest changed =
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE);
  changed.mutable_instruction_set()->add_items()->set_text(
      "Wear SPF 30+ daily.");
  auto second = server_.admin_client().PublishInstructionSet(changed);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->revision_id(), 2);
  EXPECT_NE(second->content_sha256(), first->content_sha256());

  v1::GetInstructionSetRequest get;
  get.set_name(first->name());
  get.set_revision_id(1);
  auto old = client().GetInstructionSet(get);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->items_size(), 2);
  EXPECT_EQ(old->content_sha256(), first->content_sha256());
}

TEST_F(RecordsLifecycleTest, RevokedConsentKeepsHistory) {
  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "procedure", v1::INSTRUCTION_KIND_PROCEDURE));
  ASSERT_TRUE(set.ok());
  auto consent = client().RecordConsent(
      ConsentRequest(patient_.name(), *set, TestNow() - absl::Hours(1)));
  ASSERT_TRUE(consent.ok()) << consent.status();
  v1::RevokeConsentRequest revoke;
  revoke.set_name(consent->name());
  revoke.set_reason("Patient withdrew consent by phone.");
  revoke.set_author("nurse-kim");
  revoke.set_request_id(NewRequestId());
  auto revoked = client().RevokeConsent(revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->state(), v1::CONSENT_STATE_REVOKED);
  ASSERT_EQ(revoked->state_history_size(), 2);
  EXPECT_EQ(revoked->state_history(1).reason(),
            "Patient withdrew consent by phone.");
  // Retrying the same revoke returns the same result.
  auto again = client().RevokeConsent(revoke);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision().revision_id(), 2);
  // A new revoke of a revoked consent is refused.
  revoke.set_request_id(NewRequestId());
  EXPECT_EQ(client().RevokeConsent(revoke).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::GetConsentRequest get;
  get.set_name(consent->name());
  get.set_revision_id(1);
  auto original = client().GetConsent(get);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->state(), v1::CONSENT_STATE_ACTIVE);
}

TEST_F(RecordsLifecycleTest, ANewerConsentOfTheSameKindSupersedesTheOlder) {
  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION));
  ASSERT_TRUE(set.ok());
  const absl::Time t1 = TestNow() - absl::Hours(48);
  const absl::Time t2 = TestNow() - absl::Hours(24);
  auto first =
      client().RecordConsent(ConsentRequest(patient_.name(), *set, t1));
  ASSERT_TRUE(first.ok()) << first.status();
  // A consent of another kind is not affected.
  auto photo_set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "photo", v1::INSTRUCTION_KIND_PHOTOGRAPHY));
  ASSERT_TRUE(photo_set.ok());
  auto photo =
      client().RecordConsent(ConsentRequest(patient_.name(), *photo_set, t1));
  ASSERT_TRUE(photo.ok());
  // The patient later refuses: the refusal replaces the earlier grant.
  v1::RecordConsentRequest refusal = ConsentRequest(patient_.name(), *set, t2);
  refusal.mutable_consent()->set_decision(v1::CONSENT_DECISION_REFUSED);
  auto second = client().RecordConsent(refusal);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state(), v1::CONSENT_STATE_ACTIVE);

  v1::GetConsentRequest get;
  get.set_name(first->name());
  auto old = client().GetConsent(get);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->state(), v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_EQ(old->revision().revision_id(), 2);
  ASSERT_EQ(old->state_history_size(), 2);
  EXPECT_EQ(old->state_history(1).state(), v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_EQ(FromProtoTime(old->state_history(1).change_time()), t2);
  // Revision 1 still reads as it was signed.
  get.set_revision_id(1);
  auto original = client().GetConsent(get);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->state(), v1::CONSENT_STATE_ACTIVE);
  // A superseded consent is not active: it cannot be revoked.
  v1::RevokeConsentRequest revoke;
  revoke.set_name(first->name());
  revoke.set_reason("late");
  revoke.set_author("nurse-kim");
  EXPECT_EQ(client().RevokeConsent(revoke).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // In force before the refusal was signed, not after.
  v1::GetConsentStateAtRequest at;
  at.set_parent(patient_.name());
  *at.mutable_time() = ToProtoTime(t2 - absl::Seconds(1));
  auto before = server_.auditor_client().GetConsentStateAt(at);
  ASSERT_TRUE(before.ok()) << before.status();
  std::set<std::string> in_force;
  for (const auto& c : before->consents()) in_force.insert(c.consent().name());
  EXPECT_EQ(in_force, (std::set<std::string>{first->name(), photo->name()}));
  *at.mutable_time() = ToProtoTime(t2);
  auto after = server_.auditor_client().GetConsentStateAt(at);
  ASSERT_TRUE(after.ok());
  in_force.clear();
  for (const auto& c : after->consents()) in_force.insert(c.consent().name());
  EXPECT_EQ(in_force, (std::set<std::string>{second->name(), photo->name()}));
  // The photography consent kept its single revision.
  v1::GetConsentRequest get_photo;
  get_photo.set_name(photo->name());
  auto photo_now = client().GetConsent(get_photo);
  ASSERT_TRUE(photo_now.ok());
  EXPECT_EQ(photo_now->revision().revision_id(), 1);
}

TEST_F(RecordsLifecycleTest, ConsentPastExpiryReadsAsExpired) {
  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "photo", v1::INSTRUCTION_KIND_PHOTOGRAPHY));
  ASSERT_TRUE(set.ok());
  v1::RecordConsentRequest request =
      ConsentRequest(patient_.name(), *set, TestNow() - absl::Hours(1));
  *request.mutable_consent()->mutable_expire_time() =
      ToProtoTime(TestNow() + absl::Hours(1));
  auto consent = client().RecordConsent(request);
  ASSERT_TRUE(consent.ok());
  EXPECT_EQ(consent->state(), v1::CONSENT_STATE_ACTIVE);
  server_.clock().Advance(absl::Hours(1));
  v1::GetConsentRequest get;
  get.set_name(consent->name());
  auto expired = client().GetConsent(get);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->state(), v1::CONSENT_STATE_EXPIRED);
}

}  // namespace
}  // namespace mnrecords::testing

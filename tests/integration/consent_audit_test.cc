// Consent lifecycle and the auditor's consent queries through the real
// server: illegal transitions, point-in-time answers at revocation and
// expiry boundaries, history, coverage of sessions, re-consent.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using ::absl::StatusCode;

constexpr v1::InstructionKind kSessionKinds[] = {
    v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
    v1::INSTRUCTION_KIND_AFTERCARE};

class ConsentAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (v1::InstructionKind kind : kSessionKinds) Publish(kind);
    patient_ = NewPatient("MRN-1");
  }
  RecordsClient& client() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  void Publish(v1::InstructionKind kind) {
    auto set = server_.admin_client().PublishInstructionSet(InstructionsRequest(
        "c1", absl::AsciiStrToLower(v1::InstructionKind_Name(kind).substr(17)),
        kind));
    ASSERT_TRUE(set.ok()) << set.status();
    sets_[kind] = *set;
  }
  v1::Patient NewPatient(const std::string& mrn) {
    auto patient = client().CreatePatient(PatientRequest("c1", mrn));
    EXPECT_TRUE(patient.ok()) << patient.status();
    return patient.ok() ? *patient : v1::Patient();
  }
  v1::Consent Consent(const v1::Patient& p, v1::InstructionKind kind,
                      absl::Time signed_at) {
    auto consent = client().RecordConsent(
        ConsentRequest(p.name(), sets_[kind], signed_at));
    EXPECT_TRUE(consent.ok()) << consent.status();
    return consent.ok() ? *consent : v1::Consent();
  }
  absl::StatusOr<v1::Consent> Revoke(const v1::Consent& c, absl::Time at) {
    v1::RevokeConsentRequest r;
    r.set_name(c.name());
    r.set_reason("patient withdrew");
    r.set_author("nurse-kim");
    *r.mutable_revoke_time() = ToProtoTime(at);
    return client().RevokeConsent(r);
  }
  // Names of the consents in force at `t`.
  std::vector<std::string> InForce(const v1::Patient& p, absl::Time t) {
    v1::GetConsentStateAtRequest r;
    r.set_parent(p.name());
    *r.mutable_time() = ToProtoTime(t);
    auto state = auditor().GetConsentStateAt(r);
    EXPECT_TRUE(state.ok()) << state.status();
    std::vector<std::string> out;
    if (!state.ok()) return out;
    for (const auto& c : state->consents()) {
      EXPECT_EQ(c.instructions().content_sha256(),
                c.consent().instructions().content_sha256());
      out.push_back(c.consent().name());
    }
    return out;
  }

  TestServer server_;
  std::map<v1::InstructionKind, v1::InstructionSet> sets_;
  v1::Patient patient_;
};

TEST_F(ConsentAuditTest, IllegalTransitionsAreFailedPrecondition) {
  const absl::Time t0 = TestNow() - absl::Hours(2);
  v1::Consent c = Consent(patient_, v1::INSTRUCTION_KIND_PROCEDURE, t0);
  v1::RevokeConsentRequest revoke;
  revoke.set_name(c.name());
  revoke.set_reason("patient withdrew");
  revoke.set_author("nurse-kim");
  revoke.set_request_id(NewRequestId());
  auto revoked = client().RevokeConsent(revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->state(), v1::CONSENT_STATE_REVOKED);
  // The same request again changes nothing and returns the first result.
  auto again = client().RevokeConsent(revoke);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision().revision_id(), 2);
  // A new request to revoke a revoked consent is illegal.
  revoke.set_request_id(NewRequestId());
  EXPECT_EQ(client().RevokeConsent(revoke).status().code(),
            StatusCode::kFailedPrecondition);

  v1::MarkConsentEnteredInErrorRequest eie;
  eie.set_name(c.name());
  eie.set_reason("recorded for the wrong patient");
  eie.set_author("nurse-kim");
  auto marked = client().MarkConsentEnteredInError(eie);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->state(), v1::CONSENT_STATE_ENTERED_IN_ERROR);
  EXPECT_EQ(marked->revision().revision_id(), 3);
  EXPECT_EQ(client().MarkConsentEnteredInError(eie).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(InForce(patient_, t0 + absl::Minutes(1)).empty());

  // Consenting to a revision that was never published.
  v1::RecordConsentRequest unpublished = ConsentRequest(
      patient_.name(), sets_[v1::INSTRUCTION_KIND_PROCEDURE], t0);
  unpublished.mutable_consent()->mutable_instructions()->set_revision_id(7);
  unpublished.mutable_consent()->mutable_instructions()->clear_content_sha256();
  EXPECT_EQ(client().RecordConsent(unpublished).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ConsentAuditTest, StateAtTimeAroundRevocationAndExpiry) {
  const absl::Time signed_at = TestNow() - absl::Hours(10);
  const absl::Time revoked_at = TestNow() - absl::Hours(5);
  v1::Consent revocable =
      Consent(patient_, v1::INSTRUCTION_KIND_PROCEDURE, signed_at);
  ASSERT_TRUE(Revoke(revocable, revoked_at).ok());

  v1::RecordConsentRequest expiring = ConsentRequest(
      patient_.name(), sets_[v1::INSTRUCTION_KIND_AFTERCARE], signed_at);
  const absl::Time expires = TestNow() - absl::Hours(3);
  *expiring.mutable_consent()->mutable_expire_time() = ToProtoTime(expires);
  auto expiring_consent = client().RecordConsent(expiring);
  ASSERT_TRUE(expiring_consent.ok()) << expiring_consent.status();
  const std::string e = expiring_consent->name();
  const std::string r = revocable.name();
  const absl::Duration us = absl::Microseconds(1);

  EXPECT_TRUE(InForce(patient_, signed_at - us).empty());
  EXPECT_EQ(InForce(patient_, signed_at), (std::vector<std::string>{r, e}));
  EXPECT_EQ(InForce(patient_, revoked_at - us),
            (std::vector<std::string>{r, e}));
  EXPECT_EQ(InForce(patient_, revoked_at), (std::vector<std::string>{e}));
  EXPECT_EQ(InForce(patient_, expires - us), (std::vector<std::string>{e}));
  EXPECT_TRUE(InForce(patient_, expires).empty());

  v1::GetConsentStateAtRequest no_time;
  no_time.set_parent(patient_.name());
  EXPECT_EQ(auditor().GetConsentStateAt(no_time).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ConsentAuditTest, HistoryListsEveryRevisionInOrderAndPages) {
  v1::Consent a = Consent(patient_, v1::INSTRUCTION_KIND_PROCEDURE,
                          TestNow() - absl::Hours(1));
  server_.clock().Advance(absl::Minutes(1));
  v1::Consent b = Consent(patient_, v1::INSTRUCTION_KIND_AFTERCARE,
                          TestNow() - absl::Hours(1));
  server_.clock().Advance(absl::Minutes(1));
  ASSERT_TRUE(Revoke(a, server_.clock().Now()).ok());

  v1::ListConsentHistoryRequest request;
  request.set_parent(patient_.name());
  request.set_page_size(2);
  auto page1 = auditor().ListConsentHistory(request);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->revisions_size(), 2);
  ASSERT_FALSE(page1->next_page_token().empty());
  auto all = auditor().ListAllConsentHistory(request);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name(), a.name());
  EXPECT_EQ((*all)[0].revision().revision_id(), 1);
  EXPECT_EQ((*all)[0].state(), v1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ((*all)[1].name(), b.name());
  EXPECT_EQ((*all)[2].name(), a.name());
  EXPECT_EQ((*all)[2].revision().revision_id(), 2);
  EXPECT_EQ((*all)[2].state(), v1::CONSENT_STATE_REVOKED);
  EXPECT_EQ((*all)[2].state_history(1).author(), "nurse-kim");

  request.set_kind(v1::INSTRUCTION_KIND_AFTERCARE);
  auto aftercare = auditor().ListAllConsentHistory(request);
  ASSERT_TRUE(aftercare.ok());
  ASSERT_EQ(aftercare->size(), 1u);
  EXPECT_EQ((*aftercare)[0].name(), b.name());

  request.clear_kind();
  *request.mutable_start_time() = ToProtoTime(server_.clock().Now());
  auto recent = auditor().ListAllConsentHistory(request);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].revision().revision_id(), 2);
}

TEST_F(ConsentAuditTest, CoverageListsUncoveredSessionsFirst) {
  const absl::Time signed_at = TestNow() - absl::Hours(48);
  for (v1::InstructionKind kind : kSessionKinds) {
    Consent(patient_, kind, signed_at);
  }
  v1::Patient partial = NewPatient("MRN-2");
  Consent(partial, v1::INSTRUCTION_KIND_PROCEDURE, signed_at);
  Consent(partial, v1::INSTRUCTION_KIND_PREPARATION, signed_at);
  // No AFTERCARE consent for `partial`.

  auto course1 = client().CreateCourse(CourseRequest(patient_.name()));
  auto course2 = client().CreateCourse(CourseRequest(partial.name()));
  ASSERT_TRUE(course1.ok() && course2.ok());
  auto covered = client().LogSession(
      SessionRequest(course1->name(), TestNow() - absl::Hours(2)));
  auto uncovered = client().LogSession(
      SessionRequest(course2->name(), TestNow() - absl::Hours(1)));
  // Before any consent was signed: nothing covers it.
  auto early = client().LogSession(
      SessionRequest(course1->name(), TestNow() - absl::Hours(72)));
  ASSERT_TRUE(covered.ok() && uncovered.ok() && early.ok());

  v1::GetConsentCoverageRequest request;
  request.set_parent("clinics/c1");
  *request.mutable_start_time() = ToProtoTime(TestNow() - absl::Hours(24));
  *request.mutable_end_time() = ToProtoTime(TestNow());
  auto report = auditor().GetConsentCoverage(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->sessions_total(), 2);
  EXPECT_EQ(report->sessions_uncovered(), 1);
  ASSERT_EQ(report->sessions_size(), 2);
  const v1::SessionCoverage& first = report->sessions(0);
  EXPECT_EQ(first.session(), uncovered->name());
  EXPECT_FALSE(first.covered());
  ASSERT_EQ(first.kinds_size(), 3);
  EXPECT_TRUE(first.kinds(0).covered());
  EXPECT_TRUE(first.kinds(1).covered());
  EXPECT_FALSE(first.kinds(2).covered());
  EXPECT_EQ(first.kinds(2).kind(), v1::INSTRUCTION_KIND_AFTERCARE);
  EXPECT_NE(first.kinds(2).problem().find("AFTERCARE"), std::string::npos);
  const v1::SessionCoverage& second = report->sessions(1);
  EXPECT_EQ(second.session(), covered->name());
  EXPECT_TRUE(second.covered());
  EXPECT_FALSE(second.kinds(0).consent().empty());

  *request.mutable_start_time() = ToProtoTime(TestNow() - absl::Hours(100));
  auto wide = auditor().GetConsentCoverage(request);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->sessions_uncovered(), 2);
  EXPECT_EQ(wide->sessions(wide->sessions_size() - 1).session(),
            covered->name());

  request.clear_end_time();
  EXPECT_EQ(auditor().GetConsentCoverage(request).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ConsentAuditTest, ARevisionRequiringReconsentEndsOldConsents) {
  const absl::Time signed_at = TestNow() - absl::Hours(48);
  v1::Consent old_text =
      Consent(patient_, v1::INSTRUCTION_KIND_AFTERCARE, signed_at);
  v1::Patient other = NewPatient("MRN-3");
  v1::Consent other_old =
      Consent(other, v1::INSTRUCTION_KIND_AFTERCARE, signed_at);

  // A new revision that does not require re-consent leaves them valid.
  v1::PublishInstructionSetRequest v2 =
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE);
  v2.mutable_instruction_set()->add_items()->set_text("Wear SPF 30+.");
  ASSERT_TRUE(server_.admin_client().PublishInstructionSet(v2).ok());
  v1::GetConsentRequest get;
  get.set_name(old_text.name());
  auto still = client().GetConsent(get);
  ASSERT_TRUE(still.ok());
  EXPECT_FALSE(still->needs_reconsent());

  v1::PublishInstructionSetRequest v3 =
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE);
  v3.mutable_instruction_set()->add_items()->set_text("Wear SPF 50.");
  v3.mutable_instruction_set()->set_requires_reconsent(true);
  const absl::Time effective = TestNow() - absl::Hours(1);
  *v3.mutable_instruction_set()->mutable_effective_time() =
      ToProtoTime(effective);
  auto published = server_.admin_client().PublishInstructionSet(v3);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(published->requires_reconsent());

  v1::ListConsentsRequest list;
  list.set_parent("clinics/c1/patients/-");
  auto consents = auditor().ListAllConsents(list);
  ASSERT_TRUE(consents.ok()) << consents.status();
  ASSERT_EQ(consents->size(), 2u);
  for (const v1::Consent& c : *consents) EXPECT_TRUE(c.needs_reconsent());
  EXPECT_EQ(InForce(patient_, effective - absl::Microseconds(1)),
            (std::vector<std::string>{old_text.name()}));
  EXPECT_TRUE(InForce(patient_, effective).empty());
  EXPECT_TRUE(InForce(other, effective).empty());
  (void)other_old;
}

}  // namespace
}  // namespace mnrecords::testing

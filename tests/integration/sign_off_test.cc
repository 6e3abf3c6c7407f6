// Sign-off through the real server: a session is signed in the caller's own
// name (its clinician as author, a supervising physician as co-signer), an
// amendment needs a new signature while the old one stays on record,
// clinicians whose sessions need a co-signature get one, nobody signs as
// someone else, and the unsigned list reports what is past the window.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr absl::Duration kHour = absl::Hours(1);

// dr-lee and nurse-kim treat; nurse-kim's sessions need a co-signature
// (her credential); dr-osei may co-sign.
std::vector<TestPrincipal> Staff() {
  return {{"dr-lee", Role::kClinician, {"c1"}},
          {"nurse-kim", Role::kClinician, {"c1"}},
          {"dr-osei", Role::kClinician, {"c1"}}};
}

TestServerOptions SignOffConfig() {
  TestServerOptions options;
  options.configure = [](ServerConfig& config, TestingOptions&) {
    config.file.add_cosign_required_credentials("nurse");
    config.file.set_signature_window_hours(48);
    for (auto& p : *config.file.mutable_principals()) {
      if (p.id() == "dr-lee") p.set_credential("physician");
      if (p.id() == "nurse-kim") p.set_credential("nurse");
      if (p.id() == "dr-osei") {
        p.set_credential("physician");
        p.set_may_cosign(true);
      }
    }
  };
  return options;
}

class SignOffTest : public ::testing::Test {
 protected:
  SignOffTest() : server_(SignOffConfig(), Staff()) {}
  void SetUp() override {
    auto patient = server_.client().CreatePatient(PatientRequest("c1", "M1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = server_.client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
    v1::PublishInstructionSetRequest attestation = InstructionsRequest(
        "c1", "attestation", v1::INSTRUCTION_KIND_ATTESTATION);
    auto published = server_.admin_client().PublishInstructionSet(attestation);
    ASSERT_TRUE(published.ok()) << published.status();
    attestation_ = *published;
  }
  RecordsClient As(const std::string& principal) {
    return server_.NewClient(server_.token(principal));
  }
  v1::TreatmentSession Log(const std::string& clinician, absl::Time at) {
    v1::LogSessionRequest r = SessionRequest(course_, at);
    r.mutable_session()->set_clinician(clinician);
    auto s = server_.client().LogSession(r);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : v1::TreatmentSession();
  }
  absl::StatusOr<v1::SessionSignature> Sign(const std::string& principal,
                                            const std::string& session,
                                            v1::SignatureKind kind) {
    v1::SignSessionRequest r;
    r.set_name(session);
    r.mutable_signature()->set_kind(kind);
    r.mutable_signature()->mutable_attestation()->set_instruction_set(
        attestation_.name());
    r.mutable_signature()->mutable_attestation()->set_revision_id(1);
    r.set_request_id(NewRequestId());
    return As(principal).SignSession(r);
  }
  std::vector<v1::SessionSignOff> Unsigned() {
    v1::GetCourseSummaryRequest get;
    get.set_name(course_);
    auto summary = server_.client().GetCourseSummary(get);
    EXPECT_TRUE(summary.ok()) << summary.status();
    if (!summary.ok()) return {};
    return {summary->unsigned_sessions().begin(),
            summary->unsigned_sessions().end()};
  }

  TestServer server_;
  std::string course_;
  v1::InstructionSet attestation_;
};

TEST_F(SignOffTest, SignAmendAndSignAgain) {
  const v1::TreatmentSession session = Log("dr-lee", TestNow() - 2 * kHour);
  ASSERT_EQ(Unsigned().size(), 1u);
  EXPECT_EQ(Unsigned()[0].state(), v1::SIGN_OFF_STATE_UNSIGNED);

  auto signed1 = Sign("dr-lee", session.name(), v1::SIGNATURE_KIND_AUTHOR);
  ASSERT_TRUE(signed1.ok()) << signed1.status();
  EXPECT_EQ(signed1->signer(), "dr-lee");
  EXPECT_EQ(signed1->signer_credential(), "physician");
  EXPECT_EQ(signed1->session_revision_id(), 1);
  EXPECT_EQ(signed1->attestation().content_sha256(),
            attestation_.content_sha256());
  EXPECT_EQ(FromProtoTime(signed1->signed_at()), TestNow());
  EXPECT_FALSE(signed1->cosign_required());
  EXPECT_TRUE(Unsigned().empty()) << "signed";
  EXPECT_EQ(
      Sign("dr-lee", session.name(), v1::SIGNATURE_KIND_AUTHOR).status().code(),
      absl::StatusCode::kAlreadyExists);

  // An amendment is a new revision: it needs its own signature.
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(session.name());
  amend.mutable_session()->set_notes("Redness settled within the hour.");
  amend.mutable_update_mask()->add_paths("notes");
  amend.set_etag(session.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
  amend.mutable_amendment()->set_reason("Follow-up call.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto amended = server_.client().AmendSession(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  std::vector<v1::SessionSignOff> waiting = Unsigned();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].state(), v1::SIGN_OFF_STATE_UNSIGNED);
  EXPECT_EQ(waiting[0].session_revision_id(), 2);
  EXPECT_TRUE(waiting[0].amended_since_signed());

  // Signing what was read before the amendment is refused.
  v1::SignSessionRequest stale;
  stale.set_name(session.name());
  stale.set_etag(session.etag());
  stale.mutable_signature()->set_kind(v1::SIGNATURE_KIND_AUTHOR);
  *stale.mutable_signature()->mutable_attestation()->mutable_instruction_set() =
      attestation_.name();
  stale.mutable_signature()->mutable_attestation()->set_revision_id(1);
  stale.set_request_id(NewRequestId());
  EXPECT_EQ(As("dr-lee").SignSession(stale).status().code(),
            absl::StatusCode::kAborted);

  auto signed2 = Sign("dr-lee", session.name(), v1::SIGNATURE_KIND_AUTHOR);
  ASSERT_TRUE(signed2.ok()) << signed2.status();
  EXPECT_EQ(signed2->session_revision_id(), 2);
  EXPECT_TRUE(Unsigned().empty());
  // The first signature stays, as the signature of revision 1.
  v1::ListSessionSignaturesRequest list;
  list.set_parent(session.name());
  auto all = server_.client().ListSessionSignatures(list);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->signatures_size(), 2);
  EXPECT_EQ(all->signatures(0).name(), signed1->name());
  EXPECT_EQ(all->signatures(0).session_revision_id(), 1);
}

TEST_F(SignOffTest, NobodySignsInAnothersNameOrRole) {
  const v1::TreatmentSession session = Log("dr-lee", TestNow() - 2 * kHour);
  // Another clinician as the author, whatever the request says.
  v1::SignSessionRequest forged;
  forged.set_name(session.name());
  forged.mutable_signature()->set_kind(v1::SIGNATURE_KIND_AUTHOR);
  forged.mutable_signature()->set_signer("dr-lee");
  forged.mutable_signature()->set_signer_clinician_id("dr-lee");
  forged.mutable_signature()->mutable_attestation()->set_instruction_set(
      attestation_.name());
  forged.mutable_signature()->mutable_attestation()->set_revision_id(1);
  forged.set_request_id(NewRequestId());
  auto by_nurse = As("nurse-kim").SignSession(forged);
  EXPECT_EQ(by_nurse.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(by_nurse.status().message(),
                                "only the session's clinician"))
      << by_nurse.status();
  // Other roles may not sign at all, not even an EHR system.
  for (RecordsClient* client : {&server_.client(), &server_.auditor_client(),
                                &server_.admin_client()}) {
    forged.set_request_id(NewRequestId());
    EXPECT_EQ(client->SignSession(forged).status().code(),
              absl::StatusCode::kPermissionDenied);
  }
  // Co-signing needs may_cosign, and never one's own session.
  EXPECT_EQ(Sign("nurse-kim", session.name(), v1::SIGNATURE_KIND_COSIGN)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListSessionSignaturesRequest list;
  list.set_parent(session.name());
  auto all = server_.client().ListSessionSignatures(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->signatures_size(), 0) << "nothing was stored";
}

TEST_F(SignOffTest, ACoSignatureIsRequiredAndGiven) {
  const v1::TreatmentSession session = Log("nurse-kim", TestNow() - 2 * kHour);
  EXPECT_EQ(Sign("dr-osei", session.name(), v1::SIGNATURE_KIND_COSIGN)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition)
      << "the author signs first";
  auto author = Sign("nurse-kim", session.name(), v1::SIGNATURE_KIND_AUTHOR);
  ASSERT_TRUE(author.ok()) << author.status();
  EXPECT_TRUE(author->cosign_required()) << "nurses' sessions are co-signed";
  std::vector<v1::SessionSignOff> waiting = Unsigned();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].state(), v1::SIGN_OFF_STATE_AWAITING_COSIGN);
  EXPECT_EQ(waiting[0].author_signature(), author->name());

  EXPECT_EQ(
      Sign("dr-lee", session.name(), v1::SIGNATURE_KIND_COSIGN).status().code(),
      absl::StatusCode::kPermissionDenied)
      << "dr-lee may not co-sign";
  auto cosign = Sign("dr-osei", session.name(), v1::SIGNATURE_KIND_COSIGN);
  ASSERT_TRUE(cosign.ok()) << cosign.status();
  EXPECT_EQ(cosign->signer(), "dr-osei");
  EXPECT_EQ(cosign->signer_credential(), "physician");
  EXPECT_TRUE(Unsigned().empty());
}

TEST_F(SignOffTest, TheUnsignedListHoldsWhatIsPastTheWindow) {
  const v1::TreatmentSession old_unsigned =
      Log("dr-lee", TestNow() - 72 * kHour);
  const v1::TreatmentSession old_signed = Log("dr-lee", TestNow() - 70 * kHour);
  ASSERT_TRUE(
      Sign("dr-lee", old_signed.name(), v1::SIGNATURE_KIND_AUTHOR).ok());
  const v1::TreatmentSession old_nurse =
      Log("nurse-kim", TestNow() - 60 * kHour);
  ASSERT_TRUE(
      Sign("nurse-kim", old_nurse.name(), v1::SIGNATURE_KIND_AUTHOR).ok());
  Log("dr-lee", TestNow() - 24 * kHour);  // within the 48 h window

  v1::ListUnsignedSessionsRequest r;
  r.set_parent("clinics/c1");
  auto all = server_.client().ListUnsignedSessions(r);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->sessions_size(), 2);
  EXPECT_EQ(all->sessions(0).session(), old_unsigned.name());
  EXPECT_EQ(all->sessions(0).state(), v1::SIGN_OFF_STATE_UNSIGNED);
  EXPECT_TRUE(all->sessions(0).overdue());
  EXPECT_EQ(all->sessions(1).session(), old_nurse.name());
  EXPECT_EQ(all->sessions(1).state(), v1::SIGN_OFF_STATE_AWAITING_COSIGN);
  EXPECT_EQ(FromProtoTime(all->window_end_time()), TestNow() - 48 * kHour);

  r.set_clinician("dr-lee");
  auto lee = server_.client().ListUnsignedSessions(r);
  ASSERT_TRUE(lee.ok()) << lee.status();
  ASSERT_EQ(lee->sessions_size(), 1);
  EXPECT_EQ(lee->sessions(0).session(), old_unsigned.name());

  // "Which charts wait for my co-signature?"
  r.clear_clinician();
  r.set_awaiting_my_cosign(true);
  auto mine = As("dr-osei").ListUnsignedSessions(r);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->sessions_size(), 1);
  EXPECT_EQ(mine->sessions(0).session(), old_nurse.name());
  EXPECT_EQ(As("dr-lee").ListUnsignedSessions(r).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(SignOffTest, TheAttestationMustBeAnAttestationText) {
  const v1::TreatmentSession session = Log("dr-lee", TestNow() - 2 * kHour);
  auto prep = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION));
  ASSERT_TRUE(prep.ok()) << prep.status();
  v1::SignSessionRequest r;
  r.set_name(session.name());
  r.mutable_signature()->set_kind(v1::SIGNATURE_KIND_AUTHOR);
  r.mutable_signature()->mutable_attestation()->set_instruction_set(
      prep->name());
  r.mutable_signature()->mutable_attestation()->set_revision_id(1);
  r.set_request_id(NewRequestId());
  EXPECT_EQ(As("dr-lee").SignSession(r).status().code(),
            absl::StatusCode::kFailedPrecondition);
  r.mutable_signature()->clear_attestation();
  auto missing = As("dr-lee").SignSession(r);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(missing.status().message(),
                               "signature.attestation: required"));
  // Patients do not consent to it.
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "M2"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(server_.client()
                .RecordConsent(
                    ConsentRequest(patient->name(), attestation_, TestNow()))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace mnrecords::testing

// Contraindication screenings as records, through the real server: a
// screening answers one exact revision of the clinic's SCREENING
// questionnaire (hash filled in, every question answered once), is read,
// listed, amended and marked entered in error like every record, and the
// questionnaire itself is checked when published. Judging sessions against
// screenings is tests/plugins/screening_server_test.cc.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class ScreeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = patient->name();
    auto questionnaire = server_.admin_client().PublishInstructionSet(
        QuestionnaireRequest("c1"));
    ASSERT_TRUE(questionnaire.ok()) << questionnaire.status();
    questionnaire_ = *questionnaire;
  }
  RecordsClient& client() { return server_.client(); }
  v1::RecordScreeningRequest Request() {
    return ScreeningRequest(patient_, questionnaire_,
                            TestNow() - absl::Hours(1));
  }

  TestServer server_;
  std::string patient_;
  v1::InstructionSet questionnaire_;
};

TEST_F(ScreeningTest, RecordsReadsListsAndAmendsAScreening) {
  v1::RecordScreeningRequest r = Request();
  r.mutable_screening()->mutable_answers(1)->set_answer(
      v1::ScreeningAnswer::ANSWER_YES);
  r.mutable_screening()->mutable_answers(1)->set_details("after a C-section");
  auto stored = client().RecordScreening(r);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(absl::StartsWith(stored->name(), patient_ + "/screenings/"));
  EXPECT_EQ(stored->status(), v1::SCREENING_STATUS_COMPLETED);
  EXPECT_EQ(stored->questionnaire().content_sha256(),
            questionnaire_.content_sha256());
  EXPECT_EQ(stored->revision().revision_id(), 1);

  // A retry with the same request_id returns the first result.
  auto again = client().RecordScreening(r);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), stored->name());

  v1::AmendScreeningRequest amend;
  *amend.mutable_screening() = *stored;
  amend.mutable_screening()->mutable_answers(1)->set_answer(
      v1::ScreeningAnswer::ANSWER_NO);
  amend.mutable_screening()->mutable_answers(1)->clear_details();
  amend.mutable_update_mask()->add_paths("answers");
  amend.set_etag(stored->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Misheard the answer.");
  amend.mutable_amendment()->set_author("nurse-kim");
  amend.set_request_id(NewRequestId());
  auto amended = client().AmendScreening(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->revision().revision_id(), 2);

  // The first revision stays readable as it was.
  v1::GetScreeningRequest get;
  get.set_name(stored->name());
  get.set_revision_id(1);
  auto first = client().GetScreening(get);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->answers(1).answer(), v1::ScreeningAnswer::ANSWER_YES);
  EXPECT_EQ(first->answers(1).details(), "after a C-section");

  v1::ListScreeningsRequest list;
  list.set_parent("clinics/c1/patients/-");
  auto all = client().ListAllScreenings(list);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].answers(1).answer(), v1::ScreeningAnswer::ANSWER_NO);
}

TEST_F(ScreeningTest, AnswersMustMatchTheQuestionnaire) {
  struct Case {
    const char* why;
    v1::RecordScreeningRequest request;
    absl::StatusCode code;
    std::string message;
  };
  std::vector<Case> cases;
  {
    Case c{"a question the questionnaire does not ask", Request(),
           absl::StatusCode::kInvalidArgument,
           "screening.answers[0].question_code: \"smoker\" is not a question "
           "of revision 1 of clinics/c1/instructionSets/screening"};
    c.request.mutable_screening()->mutable_answers(0)->set_question_code(
        "smoker");
    cases.push_back(c);
  }
  {
    Case c{"a question left unanswered", Request(),
           absl::StatusCode::kInvalidArgument,
           "screening.answers: every question must be answered; missing: "
           "keloid-scarring (\"Have you ever formed keloid or raised "
           "scars?\")"};
    c.request.mutable_screening()->mutable_answers()->RemoveLast();
    cases.push_back(c);
  }
  {
    Case c{"a question answered twice", Request(),
           absl::StatusCode::kInvalidArgument,
           "screening.answers[2].question_code: \"keloid-scarring\" is "
           "answered twice"};
    *c.request.mutable_screening()->add_answers() =
        c.request.screening().answers(1);
    cases.push_back(c);
  }
  {
    Case c{"an answer that is neither yes nor no", Request(),
           absl::StatusCode::kInvalidArgument,
           "screening.answers[0].answer: required (must not be UNSPECIFIED)"};
    c.request.mutable_screening()->mutable_answers(0)->clear_answer();
    cases.push_back(c);
  }
  {
    Case c{"asked in the future", Request(), absl::StatusCode::kInvalidArgument,
           ""};
    *c.request.mutable_screening()->mutable_asked_at() =
        ToProtoTime(absl::Now() + absl::Hours(24));
    cases.push_back(c);
  }
  {
    Case c{"a questionnaire text that was never published", Request(),
           absl::StatusCode::kFailedPrecondition, ""};
    c.request.mutable_screening()->mutable_questionnaire()->set_revision_id(7);
    cases.push_back(c);
  }
  {
    Case c{"the text shown differs from the published one", Request(),
           absl::StatusCode::kFailedPrecondition, ""};
    c.request.mutable_screening()->mutable_questionnaire()->set_content_sha256(
        std::string(64, 'a'));
    cases.push_back(c);
  }
  for (Case& c : cases) {
    SCOPED_TRACE(c.why);
    auto stored = client().RecordScreening(c.request);
    EXPECT_EQ(stored.status().code(), c.code) << stored.status();
    if (!c.message.empty()) {
      EXPECT_EQ(stored.status().message(), c.message);
    }
  }
  // A questionnaire of another kind is not a questionnaire.
  auto prep = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION));
  ASSERT_TRUE(prep.ok()) << prep.status();
  v1::RecordScreeningRequest wrong_kind = Request();
  wrong_kind.mutable_screening()->mutable_questionnaire()->set_instruction_set(
      prep->name());
  auto refused = client().RecordScreening(wrong_kind);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(),
                                "is INSTRUCTION_KIND_PREPARATION, not "
                                "INSTRUCTION_KIND_SCREENING"))
      << refused.status();
  v1::ListScreeningsRequest list;
  list.set_parent(patient_);
  auto all = client().ListAllScreenings(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->empty()) << "nothing refused was stored";
}

TEST_F(ScreeningTest, AQuestionnaireIsAnsweredNotConsentedTo) {
  auto consent = client().RecordConsent(
      ConsentRequest(patient_, questionnaire_, TestNow()));
  EXPECT_EQ(consent.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(consent.status().message(),
            "consent.instructions: clinics/c1/instructionSets/screening is a "
            "SCREENING questionnaire: record the patient's answers with "
            "RecordScreening; it is not consented to");
}

TEST_F(ScreeningTest, PublishingAQuestionnaireChecksItsQuestions) {
  struct Case {
    const char* why;
    v1::PublishInstructionSetRequest request;
    std::string message;
  };
  std::vector<Case> cases;
  {
    Case c{"a question without its code", QuestionnaireRequest("c1"),
           "instruction_set.items[0].question_code: empty id"};
    c.request.mutable_instruction_set()
        ->mutable_items(0)
        ->clear_question_code();
    cases.push_back(c);
  }
  {
    Case c{"two questions with one code", QuestionnaireRequest("c1"),
           "instruction_set.items[1].question_code: "
           "\"pregnancy-or-breastfeeding\" is used by an earlier question"};
    c.request.mutable_instruction_set()->mutable_items(1)->set_question_code(
        "pregnancy-or-breastfeeding");
    cases.push_back(c);
  }
  {
    Case c{"a question without its class", QuestionnaireRequest("c1"),
           "instruction_set.items[1].contraindication: required (must not be "
           "UNSPECIFIED)"};
    c.request.mutable_instruction_set()
        ->mutable_items(1)
        ->clear_contraindication();
    cases.push_back(c);
  }
  {
    Case c{"questions outside a questionnaire",
           InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION),
           "instruction_set.items[0]: question_code and contraindication "
           "belong to SCREENING questionnaires only"};
    c.request.mutable_instruction_set()->mutable_items(0)->set_question_code(
        "x");
    cases.push_back(c);
  }
  for (Case& c : cases) {
    SCOPED_TRACE(c.why);
    c.request.set_instruction_set_id("other");
    auto published = server_.admin_client().PublishInstructionSet(c.request);
    EXPECT_EQ(published.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(published.status().message(), c.message);
  }
}

}  // namespace
}  // namespace mnrecords::testing

// Outcome assessments through the real server: ratings round-trip with
// their scale's published label, wrong values are refused naming the field,
// what an assessment refers to must exist, it is amended like every record,
// and the course summary shows the baseline and the latest of each scale.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class OutcomesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
    auto session =
        client().LogSession(SessionRequest(course_, TestNow() - kDay * 30));
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = session->name();
    auto photo = client().CreatePhoto(PhotoRequest(
        session_, v1::PHOTO_PHASE_FOLLOW_UP, TestNow() - kDay * 30));
    ASSERT_TRUE(photo.ok()) << photo.status();
    photo_ = photo->name();
  }
  RecordsClient& client() { return server_.client(); }
  v1::RecordOutcomeAssessmentRequest Rating(v1::OutcomeScale scale,
                                            v1::OutcomeRater rater, int score,
                                            v1::OutcomeTimepoint timepoint,
                                            absl::Time at) {
    v1::RecordOutcomeAssessmentRequest r = AssessmentRequest(course_, at);
    r.mutable_assessment()->set_scale(scale);
    r.mutable_assessment()->set_rater(rater);
    r.mutable_assessment()->set_score(score);
    r.mutable_assessment()->set_timepoint(timepoint);
    return r;
  }

  static constexpr absl::Duration kDay = absl::Hours(24);
  TestServer server_;
  std::string course_, session_, photo_;
};

TEST_F(OutcomesTest, RatingsRoundTripWithTheirScalesPublishedLabels) {
  struct Case {
    v1::OutcomeScale scale;
    v1::OutcomeRater rater;
    int score;
    v1::OutcomeTimepoint timepoint;
    const char* label;
  } cases[] = {
      {v1::OUTCOME_SCALE_GAIS, v1::OUTCOME_RATER_CLINICIAN, 1,
       v1::OUTCOME_TIMEPOINT_FOLLOW_UP, "Very much improved"},
      {v1::OUTCOME_SCALE_GAIS, v1::OUTCOME_RATER_PATIENT, 5,
       v1::OUTCOME_TIMEPOINT_DURING_COURSE, "Worse"},
      {v1::OUTCOME_SCALE_PATIENT_SATISFACTION, v1::OUTCOME_RATER_PATIENT, 2,
       v1::OUTCOME_TIMEPOINT_FOLLOW_UP, "Satisfied"},
      {v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE, v1::OUTCOME_RATER_CLINICIAN,
       3, v1::OUTCOME_TIMEPOINT_BASELINE, "Moderate disease"},
  };
  for (const Case& c : cases) {
    v1::RecordOutcomeAssessmentRequest r =
        Rating(c.scale, c.rater, c.score, c.timepoint, TestNow() - kDay);
    r.mutable_assessment()->set_session(session_);
    r.mutable_assessment()->add_photos(photo_);
    auto stored = client().RecordOutcomeAssessment(r);
    ASSERT_TRUE(stored.ok()) << c.label << ": " << stored.status();
    EXPECT_TRUE(absl::StartsWith(stored->name(), course_ + "/assessments/"));
    EXPECT_EQ(stored->score_label(), c.label);
    EXPECT_EQ(stored->status(), v1::OUTCOME_ASSESSMENT_STATUS_FINAL);
    v1::GetOutcomeAssessmentRequest get;
    get.set_name(stored->name());
    auto read = client().GetOutcomeAssessment(get);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->scale(), c.scale);
    EXPECT_EQ(read->rater(), c.rater);
    EXPECT_EQ(read->score(), c.score);
    EXPECT_EQ(read->session(), session_);
    ASSERT_EQ(read->photos_size(), 1);
    EXPECT_EQ(read->photos(0), photo_);
    EXPECT_EQ(read->assessed_by(), "dr-lee");
  }
  v1::ListOutcomeAssessmentsRequest list;
  list.set_parent(course_);
  auto listed = client().ListOutcomeAssessments(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->assessments_size(), 4);
}

TEST_F(OutcomesTest, WrongValuesAreRefusedNamingTheField) {
  struct Case {
    const char* what;
    v1::RecordOutcomeAssessmentRequest request;
    absl::StatusCode code;
    const char* message;
  };
  const absl::Time at = TestNow() - kDay;
  std::vector<Case> cases;
  auto gais = [&] {
    return Rating(v1::OUTCOME_SCALE_GAIS, v1::OUTCOME_RATER_CLINICIAN, 2,
                  v1::OUTCOME_TIMEPOINT_FOLLOW_UP, at);
  };
  {
    Case c{"GAIS 6", gais(), absl::StatusCode::kInvalidArgument,
           "assessment.score: must be 1..5 on the GAIS scale, got 6"};
    c.request.mutable_assessment()->set_score(6);
    cases.push_back(c);
  }
  {
    Case c{"Goodman and Baron 5",
           Rating(v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE,
                  v1::OUTCOME_RATER_CLINICIAN, 5,
                  v1::OUTCOME_TIMEPOINT_FOLLOW_UP, at),
           absl::StatusCode::kInvalidArgument,
           "assessment.score: must be 1..4 on the Goodman and Baron scarring "
           "grade scale, got 5"};
    cases.push_back(c);
  }
  {
    Case c{"no score", gais(), absl::StatusCode::kInvalidArgument,
           "assessment.score: must be 1..5 on the GAIS scale, got 0"};
    c.request.mutable_assessment()->clear_score();
    cases.push_back(c);
  }
  {
    Case c{"no scale", gais(), absl::StatusCode::kInvalidArgument,
           "assessment.scale: required"};
    c.request.mutable_assessment()->clear_scale();
    cases.push_back(c);
  }
  {
    Case c{"satisfaction rated by the clinician",
           Rating(v1::OUTCOME_SCALE_PATIENT_SATISFACTION,
                  v1::OUTCOME_RATER_CLINICIAN, 1,
                  v1::OUTCOME_TIMEPOINT_FOLLOW_UP, at),
           absl::StatusCode::kInvalidArgument,
           "assessment.rater: the patient's satisfaction is rated by the "
           "patient (OUTCOME_RATER_PATIENT)"};
    cases.push_back(c);
  }
  {
    Case c{"GAIS at baseline", gais(), absl::StatusCode::kInvalidArgument,
           "assessment.timepoint: the GAIS rates the result against the "
           "start, so it has no BASELINE; use DURING_COURSE or FOLLOW_UP"};
    c.request.mutable_assessment()->set_timepoint(
        v1::OUTCOME_TIMEPOINT_BASELINE);
    cases.push_back(c);
  }
  {
    Case c{"in the future", gais(), absl::StatusCode::kInvalidArgument, ""};
    *c.request.mutable_assessment()->mutable_assessed_at() =
        ToProtoTime(absl::Now() + kDay);
    cases.push_back(c);
  }
  {
    Case c{"a photo of another course", gais(),
           absl::StatusCode::kInvalidArgument, ""};
    c.request.mutable_assessment()->add_photos(
        "clinics/c1/patients/x/courses/y/sessions/z/photos/w");
    cases.push_back(c);
  }
  {
    Case c{"a photo that does not exist", gais(),
           absl::StatusCode::kFailedPrecondition, ""};
    c.request.mutable_assessment()->add_photos(session_ + "/photos/nope");
    cases.push_back(c);
  }
  for (Case& c : cases) {
    auto stored = client().RecordOutcomeAssessment(c.request);
    ASSERT_FALSE(stored.ok()) << c.what;
    EXPECT_EQ(stored.status().code(), c.code) << c.what << stored.status();
    // The message starts with the field and, where given, says exactly
    // this.
    const std::string expected = *c.message != '\0' ? c.message : "assessment.";
    EXPECT_TRUE(absl::StartsWith(stored.status().message(), expected))
        << c.what << ": " << stored.status();
  }
  v1::ListOutcomeAssessmentsRequest list;
  list.set_parent(course_);
  auto listed = client().ListOutcomeAssessments(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->assessments_size(), 0) << "nothing was stored";
}

TEST_F(OutcomesTest, GoodmanBaronNeedsAnAcneScarCourse) {
  auto patient = client().CreatePatient(PatientRequest("c1", "MRN-2"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::CreateCourseRequest course_request = CourseRequest(patient->name());
  course_request.mutable_course()->set_indications(
      0, v1::INDICATION_FINE_LINES_WRINKLES);
  auto course = client().CreateCourse(course_request);
  ASSERT_TRUE(course.ok()) << course.status();
  v1::RecordOutcomeAssessmentRequest r =
      AssessmentRequest(course->name(), TestNow() - kDay);
  r.mutable_assessment()->set_scale(
      v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE);
  auto stored = client().RecordOutcomeAssessment(r);
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(stored.status().message(),
                                "does not treat INDICATION_ACNE_SCARS"))
      << stored.status();
}

TEST_F(OutcomesTest, TheSummaryShowsTheBaselineAndTheLatestOfEachScale) {
  const auto record = [&](v1::RecordOutcomeAssessmentRequest r) {
    auto stored = client().RecordOutcomeAssessment(r);
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.ok() ? *stored : v1::OutcomeAssessment();
  };
  const v1::OutcomeAssessment baseline = record(Rating(
      v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE, v1::OUTCOME_RATER_CLINICIAN,
      4, v1::OUTCOME_TIMEPOINT_BASELINE, TestNow() - kDay * 60));
  record(Rating(v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE,
                v1::OUTCOME_RATER_CLINICIAN, 3,
                v1::OUTCOME_TIMEPOINT_DURING_COURSE, TestNow() - kDay * 30));
  const v1::OutcomeAssessment latest = record(Rating(
      v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE, v1::OUTCOME_RATER_CLINICIAN,
      2, v1::OUTCOME_TIMEPOINT_FOLLOW_UP, TestNow() - kDay * 2));
  // Recorded after, but rated earlier: not the latest.
  record(Rating(v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE,
                v1::OUTCOME_RATER_CLINICIAN, 3,
                v1::OUTCOME_TIMEPOINT_DURING_COURSE, TestNow() - kDay * 10));
  const v1::OutcomeAssessment patient_gais =
      record(Rating(v1::OUTCOME_SCALE_GAIS, v1::OUTCOME_RATER_PATIENT, 2,
                    v1::OUTCOME_TIMEPOINT_FOLLOW_UP, TestNow() - kDay * 2));
  const v1::OutcomeAssessment wrong =
      record(Rating(v1::OUTCOME_SCALE_GAIS, v1::OUTCOME_RATER_PATIENT, 5,
                    v1::OUTCOME_TIMEPOINT_FOLLOW_UP, TestNow() - kDay));

  // The last patient rating was entered in error: it no longer counts.
  v1::AmendOutcomeAssessmentRequest amend;
  amend.mutable_assessment()->set_name(wrong.name());
  amend.set_etag(wrong.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
  amend.mutable_amendment()->set_reason("Rating of another patient.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto amended = client().AmendOutcomeAssessment(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->status(), v1::OUTCOME_ASSESSMENT_STATUS_ENTERED_IN_ERROR);

  v1::GetCourseSummaryRequest get;
  get.set_name(course_);
  auto summary = client().GetCourseSummary(get);
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->outcomes_size(), 2);
  const v1::OutcomeSummary& gais = summary->outcomes(0);
  EXPECT_EQ(gais.scale(), v1::OUTCOME_SCALE_GAIS);
  EXPECT_EQ(gais.rater(), v1::OUTCOME_RATER_PATIENT);
  EXPECT_FALSE(gais.has_baseline());
  EXPECT_EQ(gais.latest().name(), patient_gais.name());
  EXPECT_EQ(gais.assessment_count(), 1);
  const v1::OutcomeSummary& scars = summary->outcomes(1);
  EXPECT_EQ(scars.scale(), v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE);
  EXPECT_EQ(scars.baseline().name(), baseline.name());
  EXPECT_EQ(scars.baseline().score_label(), "Severe disease");
  EXPECT_EQ(scars.latest().name(), latest.name());
  EXPECT_EQ(scars.latest().score_label(), "Mild disease");
  EXPECT_EQ(scars.assessment_count(), 4);
}

TEST_F(OutcomesTest, ACorrectionKeepsTheFirstRatingAndUpdatesTheLabel) {
  auto stored = client().RecordOutcomeAssessment(
      AssessmentRequest(course_, TestNow() - kDay));
  ASSERT_TRUE(stored.ok()) << stored.status();
  v1::AmendOutcomeAssessmentRequest amend;
  amend.mutable_assessment()->set_name(stored->name());
  amend.mutable_assessment()->set_score(3);
  amend.mutable_update_mask()->add_paths("score");
  amend.set_etag(stored->etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Typed the wrong score.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  auto amended = client().AmendOutcomeAssessment(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->score_label(), "Improved");
  EXPECT_EQ(amended->revision().revision_id(), 2);
  // An amendment out of range is refused like a new rating.
  amend.mutable_assessment()->set_score(9);
  amend.set_etag(amended->etag());
  amend.set_request_id(NewRequestId());
  EXPECT_EQ(client().AmendOutcomeAssessment(amend).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetOutcomeAssessmentRequest get;
  get.set_name(stored->name());
  get.set_revision_id(1);
  auto first = client().GetOutcomeAssessment(get);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->score(), 2);
  EXPECT_EQ(first->score_label(), "Much improved");
}

}  // namespace
}  // namespace mnrecords::testing

#include "server/validation/validation.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"

namespace mnrecords {
namespace {

using ::mnrecords::testing::SessionRequest;
using ::mnrecords::testing::TestNow;

absl::Status WithDepth(double depth) {
  v1::TreatmentSession s = SessionRequest("x", TestNow()).session();
  s.mutable_treated_areas(0)->set_needle_depth_mm(depth);
  return ValidateSession("session", s, TestNow());
}

TEST(ValidationTest, NeedleDepthBoundariesAreInclusive) {
  EXPECT_TRUE(WithDepth(0.1).ok());
  EXPECT_TRUE(WithDepth(3.0).ok());
  EXPECT_EQ(WithDepth(0.09).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WithDepth(3.01).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WithDepth(-1).message(),
            "session.treated_areas[0].needle_depth_mm: must be between 0.1 "
            "and 3, got -1");
}

TEST(ValidationTest, InProgressSessionMayLackDurationAndAreas) {
  v1::TreatmentSession s = SessionRequest("x", TestNow()).session();
  s.set_status(v1::SESSION_STATUS_IN_PROGRESS);
  s.clear_duration_minutes();
  s.clear_treated_areas();
  EXPECT_TRUE(ValidateSession("session", s, TestNow()).ok());
  s.set_status(v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(ValidateSession("session", s, TestNow()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidationTest, ClockSkewAllowanceForPerformedAt) {
  v1::TreatmentSession s =
      SessionRequest("x", TestNow() + absl::Minutes(4)).session();
  EXPECT_TRUE(ValidateSession("session", s, TestNow()).ok());
  s = SessionRequest("x", TestNow() + absl::Minutes(6)).session();
  EXPECT_EQ(ValidateSession("session", s, TestNow()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidationTest, PageSizeAndRequestId) {
  EXPECT_EQ(*EffectivePageSize("page_size", 0), kDefaultPageSize);
  EXPECT_EQ(*EffectivePageSize("page_size", kMaxPageSize), kMaxPageSize);
  EXPECT_FALSE(EffectivePageSize("page_size", kMaxPageSize + 1).ok());
  EXPECT_TRUE(ValidateRequestId("request_id", std::string(64, 'a')).ok());
  EXPECT_FALSE(ValidateRequestId("request_id", std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateRequestId("request_id", "").ok());
}

TEST(ValidationTest, UpdateMaskPaths) {
  google::protobuf::FieldMask mask;
  EXPECT_FALSE(ValidateUpdateMask("update_mask", mask, {"a"}, false).ok());
  EXPECT_TRUE(ValidateUpdateMask("update_mask", mask, {"a"}, true).ok());
  mask.add_paths("*");
  EXPECT_TRUE(ValidateUpdateMask("update_mask", mask, {"a"}, false).ok());
  mask.set_paths(0, "b");
  const absl::Status bad =
      ValidateUpdateMask("update_mask", mask, {"a"}, false);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("update_mask.paths[0]"), std::string::npos);
}

TEST(ValidationTest, PhotoFields) {
  v1::OutcomePhoto p =
      testing::PhotoRequest("x", v1::PHOTO_PHASE_BASELINE, TestNow()).photo();
  EXPECT_TRUE(ValidatePhoto("photo", p, TestNow()).ok());
  v1::OutcomePhoto bad = p;
  bad.set_image_sha256(std::string(64, 'A'));
  EXPECT_NE(ValidatePhoto("photo", bad, TestNow())
                .message()
                .find("photo.image_sha256"),
            std::string::npos);
  bad = p;
  bad.set_media_type("application/pdf");
  EXPECT_NE(
      ValidatePhoto("photo", bad, TestNow()).message().find("photo.media_type"),
      std::string::npos);
  bad = p;
  bad.set_storage_uri("no scheme here");
  EXPECT_NE(ValidatePhoto("photo", bad, TestNow())
                .message()
                .find("photo.storage_uri"),
            std::string::npos);
}

}  // namespace
TEST(ValidationTest, RequiredPersonFieldsMadeOfBlanksAreRefused) {
  v1::TreatmentSession s = SessionRequest("x", TestNow()).session();
  s.set_clinician(" \t ");
  EXPECT_EQ(ValidateSession("session", s, TestNow()).message(),
            "session.clinician: required (holds only blanks)");
  s.set_clinician(" dr-lee ");  // blanks around a name are the caller's
  EXPECT_TRUE(ValidateSession("session", s, TestNow()).ok());
  // An optional text may be blank.
  s.set_notes("   ");
  EXPECT_TRUE(ValidateSession("session", s, TestNow()).ok());
}

TEST(ValidationTest, RecordTimesBeforeNineteenSeventyAreRefused) {
  v1::TreatmentSession s = SessionRequest("x", TestNow()).session();
  // 1901-03-04, a date picker's placeholder.
  s.mutable_prep_check_in()->mutable_last_retinoid_use_time()->set_seconds(
      absl::ToUnixSeconds(
          absl::FromCivil(absl::CivilDay(1901, 3, 4), absl::UTCTimeZone())));
  const absl::Status refused = ValidateSession("session", s, TestNow());
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message().rfind(
                "session.prep_check_in.last_retinoid_use_time: lies before "
                "1970-01-01",
                0),
            0u)
      << refused.message();
  // The bound itself is a time a record may hold.
  s.mutable_prep_check_in()->mutable_last_retinoid_use_time()->set_seconds(0);
  EXPECT_TRUE(ValidateSession("session", s, TestNow()).ok());
  s.mutable_prep_check_in()->mutable_last_retinoid_use_time()->set_seconds(-1);
  EXPECT_FALSE(ValidateSession("session", s, TestNow()).ok());
}

}  // namespace mnrecords

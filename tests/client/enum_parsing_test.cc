#include "client/cli/enum_parsing.h"

#include "client/cli/cli_status.h"
#include "clinic/microneedling/v1/common.pb.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace cli {
namespace {

namespace v1 = ::clinic::microneedling::v1;

TEST(EnumParsingTest, ShortNamesInAnyCase) {
  EXPECT_EQ(*ParseEnum<v1::FitzpatrickSkinType>("fitzpatrick", "III"),
            v1::FITZPATRICK_SKIN_TYPE_III);
  EXPECT_EQ(*ParseEnum<v1::FitzpatrickSkinType>("fitzpatrick", "iii"),
            v1::FITZPATRICK_SKIN_TYPE_III);
  EXPECT_EQ(*ParseEnum<v1::SessionStatus>("status", "completed"),
            v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(*ParseEnum<v1::PhotoView>("view", "frontal"),
            v1::PHOTO_VIEW_FRONTAL);
  EXPECT_EQ(*ParseEnum<v1::InstructionKind>("kind", "preparation"),
            v1::INSTRUCTION_KIND_PREPARATION);
  EXPECT_EQ(*ParseEnum<v1::CourseStatus>("status", "On_Hold"),
            v1::COURSE_STATUS_ON_HOLD);
}

TEST(EnumParsingTest, DashesReadAsUnderscores) {
  EXPECT_EQ(*ParseEnum<v1::PhotoView>("view", "left-45"),
            v1::PHOTO_VIEW_LEFT_45);
  EXPECT_EQ(*ParseEnum<v1::PhotoPhase>("phase", "immediate-post"),
            v1::PHOTO_PHASE_IMMEDIATE_POST);
}

TEST(EnumParsingTest, FullNamesInAnyCase) {
  EXPECT_EQ(*ParseEnum<v1::FitzpatrickSkinType>("fitzpatrick",
                                                "FITZPATRICK_SKIN_TYPE_VI"),
            v1::FITZPATRICK_SKIN_TYPE_VI);
  EXPECT_EQ(*ParseEnum<v1::AmendmentKind>("amendment_kind",
                                          "amendment_kind_entered_in_error"),
            v1::AMENDMENT_KIND_ENTERED_IN_ERROR);
}

TEST(EnumParsingTest, NestedEnums) {
  EXPECT_EQ(*ParseEnum<v1::Signer::Relationship>("signer", "representative"),
            v1::Signer::RELATIONSHIP_REPRESENTATIVE);
  EXPECT_EQ(*ParseEnum<v1::PrepCheckIn::Answer>("sun_exposure_48h", "No"),
            v1::PrepCheckIn::ANSWER_NO);
}

TEST(EnumParsingTest, UnknownValueNamesTheFlagAndTheChoices) {
  auto value = ParseEnum<v1::FitzpatrickSkinType>("fitzpatrick", "VII");
  ASSERT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsUsageError(value.status()));
  EXPECT_EQ(value.status().message(),
            "--fitzpatrick: unknown value 'VII'; expected one of I, II, III, "
            "IV, V, VI");
}

TEST(EnumParsingTest, UnspecifiedEmptyAndNumbersAreRefused) {
  EXPECT_EQ(
      ParseEnum<v1::SessionStatus>("status", "unspecified").status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseEnum<v1::SessionStatus>("status", "SESSION_STATUS_UNSPECIFIED")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseEnum<v1::SessionStatus>("status", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseEnum<v1::FitzpatrickSkinType>("fitzpatrick", "3").status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(EnumParsingTest, ShortNameAndPrefix) {
  EXPECT_EQ(EnumValuePrefix(*v1::FitzpatrickSkinType_descriptor()),
            "FITZPATRICK_SKIN_TYPE_");
  EXPECT_EQ(EnumShortName(*v1::PhotoView_descriptor()->FindValueByNumber(
                v1::PHOTO_VIEW_RIGHT_90)),
            "RIGHT_90");
}

// Every value of every API enum round-trips through its short name.
TEST(EnumParsingTest, EveryShortNameRoundTrips) {
  const google::protobuf::FileDescriptor* files[] = {
      v1::BodyArea_descriptor()->file(),
      v1::FitzpatrickSkinType_descriptor()->file(),
      v1::ConsentDecision_descriptor()->file()};
  std::vector<const google::protobuf::EnumDescriptor*> enums;
  for (const auto* file : files) {
    for (int i = 0; i < file->enum_type_count(); ++i) {
      enums.push_back(file->enum_type(i));
    }
    for (int m = 0; m < file->message_type_count(); ++m) {
      for (int i = 0; i < file->message_type(m)->enum_type_count(); ++i) {
        enums.push_back(file->message_type(m)->enum_type(i));
      }
    }
  }
  ASSERT_GT(enums.size(), 15u);
  for (const auto* type : enums) {
    for (int i = 0; i < type->value_count(); ++i) {
      const auto* value = type->value(i);
      if (value->number() == 0) continue;
      auto parsed = ParseEnumValue(*type, "flag", EnumShortName(*value));
      ASSERT_TRUE(parsed.ok()) << value->full_name() << ": " << parsed.status();
      EXPECT_EQ(*parsed, value->number()) << value->full_name();
      EXPECT_NE(EnumShortName(*value), value->name()) << value->full_name();
    }
  }
}

}  // namespace
}  // namespace cli
}  // namespace mnrecords

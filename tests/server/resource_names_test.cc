#include "server/validation/resource_names.h"

#include "gtest/gtest.h"

namespace mnrecords {
namespace {

TEST(ResourceNamesTest, ParsesEveryKind) {
  auto photo = ParseName(
      "name", "clinics/c1/patients/p-1/courses/k2/sessions/s3/photos/f4",
      NameKind::kPhoto);
  ASSERT_TRUE(photo.ok()) << photo.status();
  EXPECT_EQ(photo->clinic, "c1");
  EXPECT_EQ(photo->patient, "p-1");
  EXPECT_EQ(photo->course, "k2");
  EXPECT_EQ(photo->session, "s3");
  EXPECT_EQ(photo->photo, "f4");
  EXPECT_EQ(photo->SessionName(),
            "clinics/c1/patients/p-1/courses/k2/sessions/s3");
  EXPECT_EQ(photo->FullName(),
            "clinics/c1/patients/p-1/courses/k2/sessions/s3/photos/f4");
  auto consent =
      ParseName("name", "clinics/c1/patients/p/consents/x", NameKind::kConsent);
  ASSERT_TRUE(consent.ok());
  EXPECT_EQ(consent->consent, "x");
  auto set = ParseName("name", "clinics/c1/instructionSets/after",
                       NameKind::kInstructionSet);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->instruction_set, "after");
}

TEST(ResourceNamesTest, RejectsMalformedNamesNamingTheField) {
  for (const char* bad :
       {"", "clinics/c1", "clinics/c1/patients", "clinics/c1/patient/p",
        "clinics/C1/patients/p", "clinics/c1/patients/-p",
        "clinics/c1/patients/p/", "clinics//patients/p",
        "clinics/c1/patients/p q", "clinics/c1/patients/p/courses/c"}) {
    auto parsed = ParseName("parent", bad, NameKind::kPatient);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_EQ(parsed.status().message().rfind("parent: ", 0), 0u) << bad;
  }
  EXPECT_FALSE(
      ParseName("n", "clinics/" + std::string(64, 'a'), NameKind::kClinic)
          .ok());
  EXPECT_TRUE(
      ParseName("n", "clinics/" + std::string(63, 'a'), NameKind::kClinic)
          .ok());
}

TEST(ResourceNamesTest, WildcardsOnlyWhereAllowedAndTrailing) {
  EXPECT_TRUE(ParseName("parent", "clinics/c1/patients/-/courses/-",
                        NameKind::kCourse, true)
                  .ok());
  auto partial = ParseName("parent", "clinics/c1/patients/p/courses/-",
                           NameKind::kCourse, true);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->PatientName(), "clinics/c1/patients/p");
  EXPECT_EQ(partial->CourseName(), "");
  EXPECT_FALSE(ParseName("parent", "clinics/c1/patients/-/courses/c",
                         NameKind::kCourse, true)
                   .ok());
  EXPECT_FALSE(
      ParseName("parent", "clinics/-/patients/-", NameKind::kPatient, true)
          .ok());
  EXPECT_FALSE(
      ParseName("name", "clinics/c1/patients/-", NameKind::kPatient).ok());
}

TEST(ResourceNamesTest, AnyRecordNameAndChildren) {
  auto any = ParseAnyRecordName("name", "clinics/c/patients/p/courses/k");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->kind, NameKind::kCourse);
  EXPECT_FALSE(ParseAnyRecordName("name", "clinics/c").ok());
  ResourceName child = ChildName(*any, NameKind::kSession, "s1");
  EXPECT_EQ(child.FullName(), "clinics/c/patients/p/courses/k/sessions/s1");
  const std::string id = NewResourceId();
  EXPECT_TRUE(ValidateId("id", id).ok()) << id;
  EXPECT_NE(id, NewResourceId());
}

}  // namespace
}  // namespace mnrecords

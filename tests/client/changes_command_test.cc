// `mnrec changes list|watch`: flags to request and options, and the line
// printed per change (no server needed). Flags are process-wide: each test
// sets the flags it reads and Reset() puts them back.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/change_requests.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"
#include "client/cli/output.h"
#include "gtest/gtest.h"
#include "tests/client/parse_command_line.h"

namespace mnrecords {
namespace cli {
namespace {

class ChangesCommandTest : public ::testing::Test {
 protected:
  void TearDown() override {
    absl::SetFlag(&FLAGS_clinic, "");
    absl::SetFlag(&FLAGS_patient, "");
    absl::SetFlag(&FLAGS_since, "");
    absl::SetFlag(&FLAGS_from_now, false);
    absl::SetFlag(&FLAGS_kinds, {});
    absl::SetFlag(&FLAGS_names_only, false);
    absl::SetFlag(&FLAGS_page_size, 0);
  }
};

TEST_F(ChangesCommandTest, ListRequestFromEveryFlag) {
  ASSERT_TRUE(ParseCommandLine({"mnrec", "changes", "list", "--clinic=c1",
                                "--since=c42", "--patient=p1",
                                "--kinds=session,CONSENT,instruction-set",
                                "--names_only", "--page_size=50"})
                  .ok());
  auto request = ListChangesRequestFromFlags();
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "clinics/c1");
  EXPECT_EQ(request->after_cursor(), "c42");
  EXPECT_EQ(request->page_size(), 50);
  EXPECT_EQ(request->filter().patient(), "clinics/c1/patients/p1");
  ASSERT_EQ(request->filter().kinds_size(), 3);
  EXPECT_EQ(request->filter().kinds(0), v1::RECORD_KIND_SESSION);
  EXPECT_EQ(request->filter().kinds(1), v1::RECORD_KIND_CONSENT);
  EXPECT_EQ(request->filter().kinds(2), v1::RECORD_KIND_INSTRUCTION_SET);
  EXPECT_TRUE(request->filter().names_only());
}

TEST_F(ChangesCommandTest, ListDefaultsAreTheWholeClinicFromTheStart) {
  ASSERT_TRUE(
      ParseCommandLine({"mnrec", "changes", "list", "--clinic=clinics/c2"})
          .ok());
  auto request = ListChangesRequestFromFlags();
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->parent(), "clinics/c2");
  EXPECT_EQ(request->after_cursor(), "");
  EXPECT_EQ(request->filter().SerializeAsString(), "");
}

TEST_F(ChangesCommandTest, ClinicIsRequiredAndKindsAreChecked) {
  auto no_clinic = ListChangesRequestFromFlags();
  EXPECT_TRUE(IsUsageError(no_clinic.status()));
  EXPECT_EQ(no_clinic.status().message(), "--clinic is required");

  ASSERT_TRUE(
      ParseCommandLine({"mnrec", "--clinic=c1", "--kinds=session,visit"}).ok());
  auto bad_kind = ChangeFeedOptionsFromFlags();
  EXPECT_TRUE(IsUsageError(bad_kind.status()));
  EXPECT_EQ(bad_kind.status().message().substr(0, 31),
            "--kinds: unknown value 'visit';");
}

TEST_F(ChangesCommandTest, WatchFromACursorOrFromNowButNotBoth) {
  ASSERT_TRUE(
      ParseCommandLine({"mnrec", "changes", "watch", "--clinic=c1",
                        "--since=c7", "--patient=clinics/c1/patients/p2"})
          .ok());
  auto since = ChangeFeedOptionsFromFlags();
  ASSERT_TRUE(since.ok()) << since.status();
  EXPECT_EQ(since->parent, "clinics/c1");
  EXPECT_EQ(since->start_cursor, "c7");
  EXPECT_FALSE(since->start_at_head);
  EXPECT_EQ(since->filter.patient(), "clinics/c1/patients/p2");

  ASSERT_TRUE(ParseCommandLine({"mnrec", "--from_now"}).ok());
  auto both = ChangeFeedOptionsFromFlags();
  EXPECT_TRUE(IsUsageError(both.status()));

  ASSERT_TRUE(ParseCommandLine({"mnrec", "--since=", "--patient=-"}).ok());
  auto now = ChangeFeedOptionsFromFlags();
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_TRUE(now->start_at_head);
  EXPECT_EQ(now->start_cursor, "");
  EXPECT_EQ(now->filter.patient(), "");  // '-': every patient
}

TEST(ChangeLineTest, PlainLine) {
  v1::Change change;
  change.set_cursor("c000042");
  change.set_type(v1::CHANGE_TYPE_AMENDED);
  change.set_name("clinics/c1/patients/p1/courses/k1/sessions/s1");
  change.set_revision_id(2);
  change.set_principal("dr-1");
  change.mutable_commit_time()->set_seconds(1714557600);
  change.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  EXPECT_EQ(FormatChangeLine(change),
            "c000042 AMENDED clinics/c1/patients/p1/courses/k1/sessions/s1 "
            "rev=2 principal=dr-1 time=2024-05-01T10:00:00Z "
            "amendment=CORRECTION");

  v1::Change consent;
  consent.set_cursor("c000043");
  consent.set_type(v1::CHANGE_TYPE_CONSENT_STATE_CHANGED);
  consent.set_name("clinics/c1/patients/p1/consents/x");
  consent.set_revision_id(3);
  consent.set_consent_state(v1::CONSENT_STATE_REVOKED);
  EXPECT_EQ(FormatChangeLine(consent),
            "c000043 CONSENT_STATE_CHANGED clinics/c1/patients/p1/consents/x "
            "rev=3 principal=- time=1970-01-01T00:00:00Z state=REVOKED");
}

TEST(ChangeLineTest, HelpListsTheCommandsAndFlags) {
  const std::string help = HelpText();
  for (const char* text : {"changes list", "changes watch", "--since",
                           "--from_now", "--kinds", "--names_only"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace cli
}  // namespace mnrecords

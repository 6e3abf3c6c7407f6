// The CLI's value and argv parsing (no server needed).
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"
#include "client/cli/value_parsing.h"
#include "gtest/gtest.h"
#include "tests/client/parse_command_line.h"

namespace mnrecords {
namespace cli {
namespace {

TEST(ValueParsingTest, TreatedArea) {
  auto area = ParseTreatedArea("area", "cheek:left:1.5:3");
  ASSERT_TRUE(area.ok()) << area.status();
  EXPECT_EQ(area->site().area(), v1::BODY_AREA_CHEEK);
  EXPECT_EQ(area->site().laterality(), v1::LATERALITY_LEFT);
  EXPECT_DOUBLE_EQ(area->needle_depth_mm(), 1.5);
  EXPECT_EQ(area->passes(), 3);

  auto other = ParseTreatedArea("area", "OTHER:midline:0.5:2:scar: upper lip");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->site().description(), "scar: upper lip");
}

TEST(ValueParsingTest, BadTreatedAreaNamesTheFlag) {
  for (const char* text : {"cheek:left:deep:3", "cheek:left", "ear:left:1:1"}) {
    auto area = ParseTreatedArea("area", text);
    EXPECT_EQ(area.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_TRUE(IsUsageError(area.status()));
    EXPECT_EQ(area.status().message().substr(0, 7), "--area:") << text;
  }
}

TEST(ValueParsingTest, Identifier) {
  auto id = ParseIdentifier("identifier", "urn:mrn|12345");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->system(), "urn:mrn");
  EXPECT_EQ(id->value(), "12345");
  EXPECT_EQ(ParseIdentifier("identifier", "12345").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValueParsingTest, Time) {
  auto t = ParseTime("performed_at", "2024-05-01T10:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->seconds(), 1714557600);
  EXPECT_EQ(ParseTime("performed_at", "yesterday").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValueParsingTest, AdverseEvent) {
  auto event = ParseAdverseEvent("adverse_event", "mild:petechiae, left cheek");
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->severity(), v1::ADVERSE_EVENT_SEVERITY_MILD);
  EXPECT_EQ(event->description(), "petechiae, left cheek");
}

TEST(ArgParsingTest, RepeatedFlagsKeepEveryValueWithCommas) {
  auto parsed = ParseCommandLine({"mnrec", "instructions", "publish",
                                  "--item=Avoid sun, use SPF 30", "--item",
                                  "No makeup", "--json", "--", "--not-a-flag"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(
      parsed->positional,
      (std::vector<std::string>{"instructions", "publish", "--not-a-flag"}));
  EXPECT_EQ(absl::GetFlag(FLAGS_item),
            (std::vector<std::string>{"Avoid sun, use SPF 30", "No makeup"}));
  EXPECT_TRUE(absl::GetFlag(FLAGS_json));
  EXPECT_TRUE(FlagSpecified("item"));
  EXPECT_FALSE(FlagSpecified("title"));
  absl::SetFlag(&FLAGS_json, false);
}

TEST(ArgParsingTest, UnknownFlagAndBadValuesAreUsageErrors) {
  auto unknown = ParseCommandLine({"mnrec", "--colour=red"});
  EXPECT_TRUE(IsUsageError(unknown.status()));
  EXPECT_EQ(unknown.status().message(),
            "unknown flag --colour (see mnrec --help)");

  auto bad_int = ParseCommandLine({"mnrec", "--page_size=many"});
  EXPECT_TRUE(IsUsageError(bad_int.status()));
  EXPECT_EQ(bad_int.status().message().substr(0, 12), "--page_size:");

  auto missing = ParseCommandLine({"mnrec", "--clinic"});
  EXPECT_TRUE(IsUsageError(missing.status()));

  // Abseil's own flags are not part of mnrec's command line.
  EXPECT_TRUE(IsUsageError(
      ParseCommandLine({"mnrec", "--flagfile=/etc/passwd"}).status()));
}

TEST(ArgParsingTest, NegatedBoolAndHelp) {
  auto parsed = ParseCommandLine({"mnrec", "--nojson", "-h"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->help);
  EXPECT_FALSE(absl::GetFlag(FLAGS_json));
  EXPECT_NE(HelpText().find("--update_mask"), std::string::npos);
}

}  // namespace
}  // namespace cli
}  // namespace mnrecords

// The shared flag-to-request helpers (client/cli/request_flags.h). Flags
// are process-wide and FlagSpecified is never reset, so each flag these
// tests give is given by no other test of the binary.
#include "client/cli/request_flags.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/cli_status.h"
#include "clinic/microneedling/v1/consents_service.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "gtest/gtest.h"
#include "tests/client/parse_command_line.h"

namespace mnrecords {
namespace cli {
namespace {

absl::StatusOr<std::string> NotCalled() {
  return absl::InternalError("the name should not have been read");
}

absl::StatusOr<std::string> FlagName() { return std::string("from/flags"); }

TEST(RequestFlagsTest, ParentFromJsonStaysUnlessTheFlagIsGiven) {
  v1::CreatePhotoRequest request;
  request.set_parent("from/json");
  ASSERT_FALSE(FlagSpecified("session"));
  EXPECT_TRUE(ApplyParentFlag(request, "session", &NotCalled).ok());
  EXPECT_EQ(request.parent(), "from/json");

  ASSERT_TRUE(ParseCommandLine({"mnrec", "--session=s1"}).ok());
  EXPECT_TRUE(ApplyParentFlag(request, "session", &FlagName).ok());
  EXPECT_EQ(request.parent(), "from/flags");
}

TEST(RequestFlagsTest, EmptyParentIsReadFromTheFlags) {
  v1::CreatePhotoRequest request;
  EXPECT_TRUE(ApplyParentFlag(request, "never_given", &FlagName).ok());
  EXPECT_EQ(request.parent(), "from/flags");
  EXPECT_EQ(SetParent(request, &NotCalled).code(), absl::StatusCode::kInternal);
}

TEST(RequestFlagsTest, NameArgWinsOverTheNameFromJson) {
  v1::Patient patient;
  patient.set_name("from/json");
  EXPECT_TRUE(ApplyNameArg({}, &NotCalled, patient).ok());
  EXPECT_EQ(patient.name(), "from/json");
  EXPECT_TRUE(ApplyNameArg({"from/arg"}, &NotCalled, patient).ok());
  EXPECT_EQ(patient.name(), "from/arg");

  v1::Patient unnamed;
  EXPECT_TRUE(ApplyNameArg({}, &FlagName, unnamed).ok());
  EXPECT_EQ(unnamed.name(), "from/flags");
}

TEST(RequestFlagsTest, TimeRangeSetsOnlyTheGivenBounds) {
  ASSERT_TRUE(
      ParseCommandLine({"mnrec", "--start_time=2024-05-01T10:00:00Z"}).ok());
  v1::ListConsentHistoryRequest request;
  ASSERT_TRUE(ApplyTimeRangeFlags(request).ok());
  EXPECT_EQ(request.start_time().seconds(), 1714557600);
  EXPECT_FALSE(request.has_end_time());

  ASSERT_TRUE(ParseCommandLine({"mnrec", "--start_time=yesterday"}).ok());
  absl::Status bad = ApplyTimeRangeFlags(request);
  EXPECT_TRUE(IsUsageError(bad));
  EXPECT_EQ(bad.message().substr(0, 13), "--start_time:");
}

}  // namespace
}  // namespace cli
}  // namespace mnrecords

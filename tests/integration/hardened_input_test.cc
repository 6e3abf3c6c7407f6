// Oversized, malformed and late requests against the real server: refused
// with a clear status, nothing stored, the server keeps serving.
#include <iostream>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class HardenedInputTest : public ::testing::Test {
 protected:
  int PatientCount() {
    v1::ListPatientsRequest list;
    list.set_parent("clinics/c1");
    auto listed = server_.client().ListPatients(list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->patients_size() : -1;
  }

  TestServer server_;
};

TEST_F(HardenedInputTest, RequestsOverFourMebibytesAreResourceExhausted) {
  v1::CreatePatientRequest big = PatientRequest("c1", "MRN-BIG");
  big.mutable_patient()->mutable_identifiers(0)->set_value(
      std::string(5 << 20, 'x'));
  EXPECT_EQ(server_.client().CreatePatient(big).status().code(),
            absl::StatusCode::kResourceExhausted);
  // Under the limit it reaches validation, which bounds every string.
  big.mutable_patient()->mutable_identifiers(0)->set_value(
      std::string(3 << 20, 'x'));
  auto refused = server_.client().CreatePatient(big);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("patient.identifiers[0].value", 0),
            0u)
      << refused.status().message();
  EXPECT_EQ(PatientCount(), 0);
}

TEST_F(HardenedInputTest, UnknownFieldsAreRefusedNotStored) {
  v1::CreatePatientRequest request = PatientRequest("c1", "MRN-NEW");
  request.mutable_patient()
      ->GetReflection()
      ->MutableUnknownFields(request.mutable_patient())
      ->AddVarint(999, 1);
  auto refused = server_.client().CreatePatient(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("patient: field number 999", 0),
            0u)
      << refused.status().message();
  EXPECT_EQ(PatientCount(), 0);
}

TEST_F(HardenedInputTest, PageSizeAndTokenLengthAreBounded) {
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  list.set_page_size(1001);
  auto too_big = server_.client().ListPatients(list);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_big.status().message().rfind("page_size", 0), 0u);
  list.set_page_size(1000);
  EXPECT_TRUE(server_.client().ListPatients(list).ok());
  // A huge bearer token is refused before it is hashed.
  RecordsClient huge = server_.NewClient(std::string(4000, 'a'));
  EXPECT_EQ(huge.ListPatients(list).status().code(),
            absl::StatusCode::kUnauthenticated);
}

// A deadline can pass while the server commits: the client cannot know, so
// it retries with the same request_id and gets the first result, never a
// second record.
TEST_F(HardenedInputTest, DeadlinesAreHonouredAndRetriesCreateNoDuplicate) {
  const v1::CreatePatientRequest request = PatientRequest("c1", "MRN-LATE");
  ASSERT_FALSE(request.request_id().empty());
  CallOptions hurry;
  int exceeded = 0;
  for (int i = 0; i < 20; ++i) {
    hurry.timeout = absl::Microseconds(1 + 50 * i);
    const absl::StatusCode code =
        server_.client().CreatePatient(request, hurry).status().code();
    EXPECT_TRUE(code == absl::StatusCode::kDeadlineExceeded ||
                code == absl::StatusCode::kOk)
        << code;
    exceeded += code == absl::StatusCode::kDeadlineExceeded;
  }
  auto patient = server_.client().CreatePatient(request);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(PatientCount(), 1);
  std::cout << "deadline-exceeded calls: " << exceeded << " of 20\n";
}

}  // namespace
}  // namespace mnrecords::testing

// mnrec's list tables: the columns chosen per item type.
#include "absl/strings/match.h"
#include "client/cli/output.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "gtest/gtest.h"

namespace mnrecords::cli {
namespace {

namespace v1 = ::clinic::microneedling::v1;

TEST(ListOutputTest, TheDueListShowsEachCoursesWindowAndState) {
  v1::ListDueSessionsResponse response;
  v1::DueSession* due = response.add_due_sessions();
  due->set_course("clinics/demo/patients/p1/courses/k1");
  due->mutable_window_start_time()->set_seconds(1764547200);  // 2025-12-01
  due->mutable_window_end_time()->set_seconds(1765756800);    // 2025-12-15
  due->set_state(v1::DUE_STATE_OPEN);
  due->set_completed_session_count(1);
  due->set_planned_session_count(3);
  due->set_responsible_clinician("dr-lee");
  const std::string table = FormatList(response);
  EXPECT_TRUE(absl::StartsWith(table, "DUE_FROM")) << table;
  for (const char* cell : {"2025-12-01T00:00:00Z", "2025-12-15T00:00:00Z",
                           "clinics/demo/patients/p1/courses/k1", "dr-lee"}) {
    EXPECT_TRUE(absl::StrContains(table, cell)) << cell << "\n" << table;
  }
  EXPECT_TRUE(absl::StrContains(table, "OPEN")) << table;
}

}  // namespace
}  // namespace mnrecords::cli

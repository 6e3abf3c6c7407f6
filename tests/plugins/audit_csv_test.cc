// The csv audit export on its own: RFC 4180 quoting, the guard against
// spreadsheet formulas, the documented header and one row per event.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "plugins/audit_csv/audit_csv_exporter.h"

namespace mnrecords::audit_csv {
namespace {

TEST(AuditCsvTest, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(CsvField("clinics/c1/patients/p1"), "clinics/c1/patients/p1");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\r\nlines"), "\"two\r\nlines\"");
}

TEST(AuditCsvTest, CellsASpreadsheetWouldRunAreDefused) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
}

TEST(AuditCsvTest, APageIsTheHeaderAndOneRowPerEvent) {
  plugins::AuditExportPage page;
  page.clinic = "c1";
  plugins::v1::AuditEvent read;
  read.set_sequence(7);
  read.mutable_event_time()->set_seconds(1700000000);
  read.set_principal("ehr-1");
  read.set_role("ehr_system");
  read.set_action("/clinic.microneedling.v1.TreatmentRecords/ListSessions");
  read.set_clinic("c1");
  read.set_resource("clinics/c1/patients/-/courses/-");
  read.set_outcome_name("OK");
  read.set_peer("ipv4:127.0.0.1:5000");
  read.mutable_records_accessed()->set_record_count(4);
  read.mutable_records_accessed()->add_patients("clinics/c1/patients/a");
  read.mutable_records_accessed()->add_patients("clinics/c1/patients/b");
  read.set_hash(std::string(64, 'a'));
  read.set_prev_hash(std::string(64, '0'));
  page.events.push_back(read);
  plugins::v1::AuditEvent refused = read;
  refused.set_sequence(8);
  refused.set_resource("clinics/c1/patients/a/courses/k");
  refused.set_patient("clinics/c1/patients/a");
  refused.set_outcome(7);
  refused.set_outcome_name("PERMISSION_DENIED");
  refused.clear_records_accessed();
  page.events.push_back(refused);

  absl::StatusOr<std::string> csv = AuditCsvExporter().Export(page);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const std::vector<std::string> lines = absl::StrSplit(*csv, "\r\n");
  ASSERT_EQ(lines.size(), 4u);  // header, two rows, "" after the last CRLF
  EXPECT_EQ(lines[0], kAuditCsvColumns);
  EXPECT_EQ(lines[1],
            "7,2023-11-14T22:13:20Z,ehr-1,ehr_system,"
            "/clinic.microneedling.v1.TreatmentRecords/ListSessions,c1,"
            "clinics/c1/patients/-/courses/-,0,OK,ipv4:127.0.0.1:5000,,"
            "clinics/c1/patients/a clinics/c1/patients/b,4," +
                std::string(64, 'a') + "," + std::string(64, '0'));
  // A refused call lists no disclosed records, but the patient it named.
  const std::vector<std::string> cells = absl::StrSplit(lines[2], ',');
  ASSERT_EQ(cells.size(), 15u);
  EXPECT_EQ(cells[7], "7");
  EXPECT_EQ(cells[8], "PERMISSION_DENIED");
  EXPECT_EQ(cells[11], "clinics/c1/patients/a");
  EXPECT_EQ(cells[12], "");
  EXPECT_EQ(lines[3], "");
}

}  // namespace
}  // namespace mnrecords::audit_csv

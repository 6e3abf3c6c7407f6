// Accounting of access through the real server: every call that disclosed
// any of a patient's records — single reads, bulk lists over all patients,
// consent coverage, the change feed (listed and watched) and exports — is
// found by ListAuditEvents' patient filter, with the records it disclosed
// in its chained event; calls that disclosed only other patients are not.
#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr char kRecords[] = "/clinic.microneedling.v1.TreatmentRecords/";

class AccessAccountingTest : public ::testing::Test {
 protected:
  // Two patients of c1, each with a course and a session.
  void SetUp() override {
    for (const char* mrn : {"MRN-1", "MRN-2"}) {
      auto patient = ehr().CreatePatient(PatientRequest("c1", mrn));
      ASSERT_TRUE(patient.ok()) << patient.status();
      auto course = ehr().CreateCourse(CourseRequest(patient->name()));
      ASSERT_TRUE(course.ok()) << course.status();
      auto session = ehr().LogSession(
          SessionRequest(course->name(), TestNow() - absl::Hours(2)));
      ASSERT_TRUE(session.ok()) << session.status();
      patients_.push_back(patient->name());
      sessions_.push_back(session->name());
    }
    both_ = patients_;
    std::sort(both_.begin(), both_.end());  // as events list them
  }

  RecordsClient& ehr() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  // The events the auditor finds for `patient`, optionally narrowed.
  std::vector<v1::AuditEvent> EventsOf(const std::string& patient,
                                       const std::string& outcome = "",
                                       const std::string& order_by = "") {
    v1::ListAuditEventsRequest request;
    request.set_parent("clinics/c1");
    request.set_patient(patient);
    request.set_outcome(outcome);
    request.set_order_by(order_by);
    auto events = auditor().ListAllAuditEvents(request);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::AuditEvent>{};
  }

  // The last event of `action` among `events`; fails the test if none.
  static v1::AuditEvent Last(const std::vector<v1::AuditEvent>& events,
                             const std::string& action) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->action() == action) return *it;
    }
    ADD_FAILURE() << "no event of " << action;
    return {};
  }

  static std::vector<std::string> Patients(const v1::AuditEvent& e) {
    return {e.records_accessed().patients().begin(),
            e.records_accessed().patients().end()};
  }

  TestServer server_;
  std::vector<std::string> patients_;
  std::vector<std::string> sessions_;
  std::vector<std::string> both_;  // patients_, sorted
};

TEST_F(AccessAccountingTest, ABulkListIsFoundUnderEveryPatientItDisclosed) {
  v1::ListSessionsRequest all;
  all.set_parent("clinics/c1/patients/-/courses/-");
  all.set_page_size(50);
  auto listed = ehr().ListSessions(all);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->sessions_size(), 2);

  const std::string list_action = absl::StrCat(kRecords, "ListSessions");
  for (const std::string& patient : patients_) {
    SCOPED_TRACE(patient);
    const v1::AuditEvent e = Last(EventsOf(patient), list_action);
    EXPECT_EQ(e.resource(), "clinics/c1/patients/-/courses/-");
    EXPECT_EQ(e.patient(), "");  // a list parent names no patient
    EXPECT_EQ(e.principal(), "ehr");
    EXPECT_EQ(Patients(e), both_);
    EXPECT_EQ(e.records_accessed().patient_count(), 2);
    // Each session names itself and its course; the course and patient
    // names are prefixes of it, not records of their own in the response.
    EXPECT_GE(e.records_accessed().record_count(), 2);
    EXPECT_FALSE(e.records_accessed().patients_truncated());
  }
}

TEST_F(AccessAccountingTest, ASingleReadIsFoundOnlyUnderItsPatient) {
  v1::GetSessionRequest get;
  get.set_name(sessions_[0]);
  ASSERT_TRUE(ehr().GetSession(get).ok());
  const std::string get_action = absl::StrCat(kRecords, "GetSession");
  const v1::AuditEvent e = Last(EventsOf(patients_[0]), get_action);
  EXPECT_EQ(e.resource(), sessions_[0]);
  EXPECT_EQ(e.patient(), patients_[0]);  // the patient the resource names
  EXPECT_EQ(Patients(e), std::vector<std::string>{patients_[0]});
  for (const v1::AuditEvent& other : EventsOf(patients_[1])) {
    EXPECT_NE(other.action(), get_action) << other.name();
  }
}

TEST_F(AccessAccountingTest, CoverageChangesAndExportsAreAccessesToo) {
  v1::GetConsentCoverageRequest coverage;
  coverage.set_parent("clinics/c1");
  *coverage.mutable_start_time() = ToProtoTime(TestNow() - absl::Hours(24));
  *coverage.mutable_end_time() = ToProtoTime(TestNow());
  auto covered = auditor().GetConsentCoverage(coverage);
  ASSERT_TRUE(covered.ok()) << covered.status();
  ASSERT_EQ(covered->sessions_total(), 2);

  v1::ListChangesRequest changes;
  changes.set_parent("clinics/c1");
  changes.set_page_size(100);
  auto listed = ehr().ListChanges(changes);
  ASSERT_TRUE(listed.ok()) << listed.status();

  v1::ExportPatientRecordRequest export_request;
  export_request.set_name(patients_[1]);
  export_request.set_format("fhir-r4");
  ASSERT_TRUE(ehr().ExportPatientRecord(export_request).ok());

  const std::vector<v1::AuditEvent> first = EventsOf(patients_[0]);
  const std::vector<v1::AuditEvent> second = EventsOf(patients_[1]);
  for (const char* action :
       {"/clinic.microneedling.v1.Consents/GetConsentCoverage",
        "/clinic.microneedling.v1.ChangeFeed/ListChanges"}) {
    SCOPED_TRACE(action);
    EXPECT_EQ(Patients(Last(first, action)), both_);
    EXPECT_EQ(Patients(Last(second, action)), both_);
  }
  const v1::AuditEvent exported =
      Last(second, absl::StrCat(kRecords, "ExportPatientRecord"));
  EXPECT_EQ(Patients(exported), std::vector<std::string>{patients_[1]});
  for (const v1::AuditEvent& e : first) {
    EXPECT_NE(e.action(), exported.action()) << e.name();
  }
}

TEST_F(AccessAccountingTest, AWatchListsWhatItSentInItsEndEvent) {
  auto stub = v1::ChangeFeed::NewStub(grpc::CreateChannel(
      server_.target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + server_.token("ehr"));
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  auto stream = stub->WatchChanges(&context, request);
  v1::WatchChangesResponse response;
  std::set<std::string> seen;
  while (seen.size() < 2 && stream->Read(&response)) {
    for (const v1::Change& c : response.changes()) seen.insert(c.patient());
  }
  ASSERT_EQ(seen.size(), 2u);
  context.TryCancel();
  while (stream->Read(&response)) {
  }
  stream->Finish().error_code();
  // The end event is stored once the server has seen the cancellation.
  const std::string watch = "/clinic.microneedling.v1.ChangeFeed/WatchChanges";
  v1::AuditEvent end;
  for (int i = 0; i < 200 && !end.has_records_accessed(); ++i) {
    for (const v1::AuditEvent& e : EventsOf(patients_[0])) {
      if (e.action() == watch) end = e;
    }
    if (!end.has_records_accessed()) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(end.has_records_accessed());
  EXPECT_EQ(Patients(end), both_);
  EXPECT_NE(end.outcome(), 0);  // cancelled, and the data still counted
  EXPECT_EQ(Patients(Last(EventsOf(patients_[1]), watch)), both_);
}

TEST_F(AccessAccountingTest, RefusedCallsAreFoundAndFilteredByOutcome) {
  v1::GetSessionRequest get;
  get.set_name(sessions_[0]);
  // The auditor may not read sessions: refused, and still on record.
  EXPECT_EQ(auditor().GetSession(get).status().code(),
            absl::StatusCode::kPermissionDenied);
  const std::vector<v1::AuditEvent> denied =
      EventsOf(patients_[0], "PERMISSION_DENIED");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].principal(), "auditor");
  EXPECT_FALSE(denied[0].has_records_accessed());  // nothing was returned
  const std::vector<v1::AuditEvent> errors = EventsOf(patients_[0], "ERROR");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].sequence(), denied[0].sequence());

  // Newest first is the same events backwards.
  std::vector<v1::AuditEvent> forward = EventsOf(patients_[0]);
  const std::vector<v1::AuditEvent> backward =
      EventsOf(patients_[0], "", "time desc");
  ASSERT_EQ(forward.size(), backward.size());
  ASSERT_GE(forward.size(), 4u);  // 3 writes and the refusal at least
  for (size_t i = 0; i < forward.size(); ++i) {
    EXPECT_EQ(forward[i].sequence(),
              backward[backward.size() - 1 - i].sequence());
  }
}

TEST_F(AccessAccountingTest, BadFiltersAreRefusedNamingTheField) {
  v1::ListAuditEventsRequest request;
  request.set_parent("clinics/c1");
  request.set_patient("clinics/c2/patients/x");
  auto other_clinic = auditor().ListAuditEvents(request);
  EXPECT_EQ(other_clinic.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(other_clinic.status().message().find("patient:"),
            std::string::npos);
  request.set_patient("clinics/c1/patients/-");
  EXPECT_EQ(auditor().ListAuditEvents(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.clear_patient();
  request.set_outcome("BROKEN");
  auto outcome = auditor().ListAuditEvents(request);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(outcome.status().message().find("outcome:"), std::string::npos);
  request.clear_outcome();
  request.set_order_by("name");
  auto order = auditor().ListAuditEvents(request);
  EXPECT_EQ(order.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(order.status().message().find("order_by:"), std::string::npos);
}

TEST_F(AccessAccountingTest, TheDisclosedListIsWhatTheChainCommitsTo) {
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  ASSERT_TRUE(ehr().ListPatients(list).ok());
  const v1::AuditEvent e =
      Last(EventsOf(patients_[0]), absl::StrCat(kRecords, "ListPatients"));
  std::string stored =
      absl::StrCat(absl::StrCat(e.records_accessed().record_count()).size(),
                   ":", e.records_accessed().record_count(), ",");
  for (const std::string& p : e.records_accessed().patients()) {
    absl::StrAppend(&stored, p.size(), ":", p, ",");
  }
  EXPECT_EQ(e.records_accessed().record_count(), 2);  // the two patients
  EXPECT_EQ(e.records_accessed().sha256(), Sha256Hex(stored));
  auto verified = auditor().VerifyAuditLog(v1::VerifyAuditLogRequest());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
}

}  // namespace
}  // namespace mnrecords::testing

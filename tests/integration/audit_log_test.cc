// The audit log through the real server: every read and write appends an
// event with the caller, action, resource and outcome; failed calls too;
// listing filters; the chain verifies; the documented canonical form is
// what the server hashes; a read whose event cannot be stored fails.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using ::absl::StatusCode;

constexpr char kRecords[] = "/clinic.microneedling.v1.TreatmentRecords/";

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = *patient;
  }
  RecordsClient& client() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  // Events whose resource starts with `prefix`, read as the auditor.
  std::vector<v1::AuditEvent> Events(const std::string& prefix) {
    v1::ListAuditEventsRequest request;
    request.set_parent("clinics/c1");
    request.set_resource_prefix(prefix);
    auto events = auditor().ListAllAuditEvents(request);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::AuditEvent>{};
  }

  TestServer server_;
  v1::Patient patient_;
};

TEST_F(AuditLogTest, AWriteIsAuditedWithItsRequestId) {
  const std::vector<v1::AuditEvent> events = Events(patient_.name());
  ASSERT_EQ(events.size(), 1u);
  const v1::AuditEvent& e = events[0];
  EXPECT_EQ(e.action(), absl::StrCat(kRecords, "CreatePatient"));
  EXPECT_EQ(e.resource(), patient_.name());
  EXPECT_EQ(e.clinic(), "c1");
  EXPECT_EQ(e.principal(), "ehr");  // the authenticated caller
  EXPECT_EQ(e.outcome(), 0);
  EXPECT_EQ(e.outcome_name(), "OK");
  EXPECT_FALSE(e.request_id().empty());
  EXPECT_NE(e.peer().find("127.0.0.1"), std::string::npos) << e.peer();
  EXPECT_EQ(e.name(), absl::StrCat("clinics/c1/auditEvents/", e.sequence()));
  EXPECT_EQ(FromProtoTime(e.event_time()), TestNow());
}

TEST_F(AuditLogTest, ReadsAndFailedCallsAreAuditedWithTheirOutcome) {
  v1::GetPatientRequest get;
  get.set_name(patient_.name());
  ASSERT_TRUE(client().GetPatient(get).ok());
  v1::GetPatientRequest missing;
  missing.set_name("clinics/c1/patients/nobody");
  EXPECT_EQ(client().GetPatient(missing).status().code(),
            StatusCode::kNotFound);
  v1::ListPatientsRequest bad;
  bad.set_parent("clinics/c1");
  bad.set_page_size(-1);
  EXPECT_EQ(client().ListPatients(bad).status().code(),
            StatusCode::kInvalidArgument);

  v1::ListAuditEventsRequest by_action;
  by_action.set_parent("clinics/c1");
  by_action.set_action(absl::StrCat(kRecords, "GetPatient"));
  auto gets = auditor().ListAllAuditEvents(by_action);
  ASSERT_TRUE(gets.ok()) << gets.status();
  ASSERT_EQ(gets->size(), 2u);
  EXPECT_EQ((*gets)[0].resource(), patient_.name());
  EXPECT_EQ((*gets)[0].outcome(), 0);
  EXPECT_EQ((*gets)[1].resource(), "clinics/c1/patients/nobody");
  EXPECT_EQ((*gets)[1].outcome(), static_cast<int>(StatusCode::kNotFound));
  EXPECT_EQ((*gets)[1].outcome_name(), "NOT_FOUND");

  by_action.set_action(absl::StrCat(kRecords, "ListPatients"));
  auto lists = auditor().ListAllAuditEvents(by_action);
  ASSERT_TRUE(lists.ok()) << lists.status();
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].outcome(),
            static_cast<int>(StatusCode::kInvalidArgument));
  EXPECT_EQ((*lists)[0].resource(), "clinics/c1");
}

TEST_F(AuditLogTest, ARetriedWriteIsAuditedAgainAndStoresNothingNew) {
  v1::CreateCourseRequest request = CourseRequest(patient_.name());
  auto first = client().CreateCourse(request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = client().CreateCourse(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  const std::vector<v1::AuditEvent> events = Events(first->name());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].request_id(), request.request_id());
  EXPECT_EQ(events[1].request_id(), request.request_id());
  EXPECT_EQ(events[1].action(), absl::StrCat(kRecords, "CreateCourse"));
}

TEST_F(AuditLogTest, ARejectedWriteIsAuditedButStoresNothing) {
  v1::CreateCourseRequest request = CourseRequest(patient_.name());
  request.mutable_course()->set_planned_session_count(99);
  EXPECT_EQ(client().CreateCourse(request).status().code(),
            StatusCode::kInvalidArgument);
  v1::ListCoursesRequest list;
  list.set_parent(patient_.name());
  auto courses = client().ListAllCourses(list);
  ASSERT_TRUE(courses.ok());
  EXPECT_TRUE(courses->empty());
  v1::ListAuditEventsRequest by_request;
  by_request.set_parent("clinics/c1");
  by_request.set_action(absl::StrCat(kRecords, "CreateCourse"));
  auto events = auditor().ListAllAuditEvents(by_request);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].outcome(),
            static_cast<int>(StatusCode::kInvalidArgument));
  EXPECT_EQ((*events)[0].request_id(), request.request_id());
}

TEST_F(AuditLogTest, ListFiltersByPrincipalTimeAndPages) {
  server_.clock().Advance(absl::Hours(1));
  const absl::Time later = server_.clock().Now();
  for (int i = 0; i < 3; ++i) {
    v1::GetPatientRequest get;
    get.set_name(patient_.name());
    ASSERT_TRUE(client().GetPatient(get).ok());
  }
  v1::ListAuditEventsRequest request;
  request.set_parent("clinics/c1");
  request.set_principal("ehr");
  // (The List calls below are audited too; the action filter leaves them out.)
  request.set_action(absl::StrCat(kRecords, "GetPatient"));
  *request.mutable_start_time() = ToProtoTime(later);
  request.set_page_size(2);
  auto page1 = auditor().ListAuditEvents(request);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->audit_events_size(), 2);
  ASSERT_FALSE(page1->next_page_token().empty());
  request.set_page_token(page1->next_page_token());
  auto page2 = auditor().ListAuditEvents(request);
  ASSERT_TRUE(page2.ok()) << page2.status();
  ASSERT_EQ(page2->audit_events_size(), 1);
  EXPECT_TRUE(page2->next_page_token().empty());
  for (const auto& e : page1->audit_events()) {
    EXPECT_EQ(e.action(), absl::StrCat(kRecords, "GetPatient"));
  }
  request.set_principal("someone-else");
  EXPECT_EQ(auditor().ListAuditEvents(request).status().code(),
            StatusCode::kInvalidArgument);  // token of another query
  request.clear_page_token();
  auto none = auditor().ListAuditEvents(request);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->audit_events_size(), 0);
  v1::ListAuditEventsRequest bad_parent;
  bad_parent.set_parent("clinic/c1");
  EXPECT_EQ(auditor().ListAuditEvents(bad_parent).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, TheChainVerifiesAndMatchesTheDocumentedCanonicalForm) {
  v1::GetPatientRequest get;
  get.set_name(patient_.name());
  ASSERT_TRUE(client().GetPatient(get).ok());
  v1::ListAuditEventsRequest request;
  request.set_parent("clinics/c1");
  auto events = auditor().ListAllAuditEvents(request);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_GE(events->size(), 1u);
  // Recompute every event's hash from the documented description
  // (docs/api.md "Audit log"): writes (version 2, with the revisions they
  // wrote), reads that disclosed records (version 3) and other calls
  // (version 1) alike.
  auto net = [](const std::string& v) {
    return absl::StrCat(v.size(), ":", v, ",");
  };
  int writes = 0;
  int reads_with_access = 0;
  int64_t prev_sequence = 0;
  std::string prev_hash(64, '0');
  for (const v1::AuditEvent& e : *events) {
    std::string written;
    for (const v1::RevisionWritten& w : e.revisions_written()) {
      absl::StrAppend(&written, net(w.name()),
                      net(absl::StrCat(w.revision_id())),
                      net(w.content_sha256()));
    }
    writes += e.revisions_written_size() > 0;
    // The records a read disclosed: the stored list rebuilds from the
    // event and its SHA-256 is what the chain commits to.
    const bool v3 = e.has_records_accessed();
    if (v3) {
      const v1::RecordsAccessed& a = e.records_accessed();
      ASSERT_FALSE(a.patients_truncated());
      std::string stored = net(absl::StrCat(a.record_count()));
      for (const std::string& patient : a.patients()) {
        absl::StrAppend(&stored, net(patient));
      }
      EXPECT_EQ(a.patient_count(), a.patients_size());
      EXPECT_EQ(a.sha256(), Sha256Hex(stored)) << e.name();
      ++reads_with_access;
    }
    const std::string canonical = absl::StrCat(
        net(v3                ? "mnrecords.audit.v3"
            : written.empty() ? "mnrecords.audit.v1"
                              : "mnrecords.audit.v2"),
        net(absl::StrCat(e.sequence())),
        net(absl::StrCat(absl::ToUnixMicros(FromProtoTime(e.event_time())))),
        net(e.principal()), net(e.role()), net(e.action()), net(e.clinic()),
        net(e.resource()), net(absl::StrCat(e.outcome())), net(e.peer()),
        net(e.request_id()), v3 || !written.empty() ? net(written) : "",
        v3 ? net(e.records_accessed().sha256()) : "");
    if (e.sequence() == prev_sequence + 1) {
      EXPECT_EQ(e.prev_hash(), prev_hash) << e.name();
    }
    EXPECT_EQ(e.hash(), Sha256Hex(absl::StrCat(e.prev_hash(), canonical)))
        << e.name();
    prev_hash = e.hash();
    prev_sequence = e.sequence();
  }
  EXPECT_EQ(events->front().sequence(), 1);
  EXPECT_GE(writes, 1);
  EXPECT_GE(reads_with_access, 1);  // the GetPatient
  EXPECT_LT(writes, static_cast<int>(events->size()));

  auto verified = auditor().VerifyAuditLog(v1::VerifyAuditLogRequest());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
  EXPECT_EQ(verified->events_checked(), verified->head().sequence());
  EXPECT_GE(verified->events_checked(), 2);  // + the ListAuditEvents calls

  auto checkpoint = auditor().GetAuditCheckpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  v1::VerifyAuditLogRequest against;
  *against.mutable_checkpoint() = *checkpoint;
  auto later = auditor().VerifyAuditLog(against);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->ok()) << later->problem();
  EXPECT_GT(later->head().sequence(), checkpoint->sequence());
}

TEST_F(AuditLogTest, AReadFailsWhenItsAuditEventCannotBeStored) {
  if (TestBackendIsPostgres()) GTEST_SKIP() << "holds the SQLite file's lock";
  // Another process holds the write lock longer than the server's busy
  // timeout: the read itself works, its audit event cannot be written.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server_.db_path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  v1::GetPatientRequest get;
  get.set_name(patient_.name());
  ClientOptions options;
  options.target = server_.target();
  options.max_attempts = 1;  // the busy timeout is the wait we want to see
  options.bearer_token = server_.token("ehr");
  auto once = RecordsClient::Create(options);
  ASSERT_TRUE(once.ok());
  auto read = once->GetPatient(get);
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(read.status().code(), StatusCode::kUnavailable) << read.status();
  EXPECT_NE(read.status().message().find("audit"), std::string::npos)
      << read.status();
}

}  // namespace
}  // namespace mnrecords::testing

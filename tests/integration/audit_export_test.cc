// ExportAuditEvents through the real server: the log of a clinic (paged),
// of one patient and of one principal as FHIR R4 AuditEvent Bundles, each
// page checked by the official FHIR R4 JSON schema
// (tests/fhir/validate_bundle.js), and the mapped values compared with the
// events the server lists; the same events as CSV; bad requests refused
// naming the field.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fhir_validator.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using Json = nlohmann::json;
constexpr char kCanonical[] = "https://mnrecords.example/fhir";
constexpr char kDicom[] = "http://dicom.nema.org/resources/ontology/DCM";

std::string ExtensionValue(const Json& resource, const std::string& name) {
  const std::string url =
      absl::StrCat(kCanonical, "/StructureDefinition/", name);
  for (const Json& e : resource.value("extension", Json::array())) {
    if (e.value("url", "") == url) return e.value("valueString", "");
  }
  return "";
}

// PatientEntities: the identifiers of the entities in the Patient role.
std::vector<std::string> PatientEntities(const Json& resource) {
  std::vector<std::string> out;
  for (const Json& e : resource.value("entity", Json::array())) {
    if (e["role"]["code"] == "1") {
      out.push_back(e["what"]["identifier"]["value"].get<std::string>());
    }
  }
  return out;
}

class AuditExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* mrn : {"MRN-1", "MRN-2"}) {
      auto patient = server_.client().CreatePatient(PatientRequest("c1", mrn));
      ASSERT_TRUE(patient.ok()) << patient.status();
      auto course =
          server_.client().CreateCourse(CourseRequest(patient->name()));
      ASSERT_TRUE(course.ok()) << course.status();
      auto session = server_.client().LogSession(
          SessionRequest(course->name(), TestNow() - absl::Hours(2)));
      ASSERT_TRUE(session.ok()) << session.status();
      patients_.push_back(patient->name());
      sessions_.push_back(session->name());
    }
    // A bulk read of both patients, a read refused to the auditor and a
    // call with no credentials at all.
    v1::ListSessionsRequest all;
    all.set_parent("clinics/c1/patients/-/courses/-");
    ASSERT_TRUE(server_.client().ListSessions(all).ok());
    v1::GetSessionRequest get;
    get.set_name(sessions_[0]);
    ASSERT_EQ(auditor().GetSession(get).status().code(),
              absl::StatusCode::kPermissionDenied);
    RecordsClient anonymous = server_.NewClient("");
    ASSERT_EQ(anonymous.GetSession(get).status().code(),
              absl::StatusCode::kUnauthenticated);
  }

  RecordsClient& auditor() { return server_.auditor_client(); }

  // Export pages through every page of `query` as `format`, checking each
  // FHIR page with the schema; returns the page contents.
  std::vector<std::string> Export(const v1::ListAuditEventsRequest& query,
                                  const std::string& format) {
    v1::ExportAuditEventsRequest request;
    *request.mutable_query() = query;
    request.set_format(format);
    std::vector<std::string> pages;
    for (int i = 0; i < 100; ++i) {
      auto page = auditor().ExportAuditEvents(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_EQ(page->media_type(),
                format == "csv" ? "text/csv" : "application/fhir+json");
      if (format == "fhir-r4") {
        EXPECT_EQ(ValidateFhirBundle(page->content()), "") << "page " << i;
      }
      pages.push_back(page->content());
      if (page->next_page_token().empty()) break;
      request.mutable_query()->set_page_token(page->next_page_token());
    }
    return pages;
  }

  // The AuditEvent resources of FHIR pages, by sequence.
  static std::map<int64_t, Json> Resources(
      const std::vector<std::string>& pages) {
    std::map<int64_t, Json> out;
    for (const std::string& page : pages) {
      const Json bundle = Json::parse(page);
      EXPECT_EQ(bundle["resourceType"], "Bundle");
      EXPECT_EQ(bundle["type"], "collection");
      for (const Json& entry : bundle["entry"]) {
        const Json& r = entry["resource"];
        out[std::stoll(ExtensionValue(r, "audit-sequence"))] = r;
      }
    }
    return out;
  }

  std::vector<v1::AuditEvent> Listed(const v1::ListAuditEventsRequest& query) {
    auto events = auditor().ListAllAuditEvents(query);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::AuditEvent>{};
  }

  TestServer server_;
  std::vector<std::string> patients_;
  std::vector<std::string> sessions_;
};

TEST_F(AuditExportTest, AClinicsLogIsValidFhirPageByPageAndMapsEachEvent) {
  v1::ListAuditEventsRequest query;
  query.set_parent("clinics/c1");
  query.set_page_size(4);
  const std::vector<v1::AuditEvent> events = Listed(query);
  const std::vector<std::string> pages = Export(query, "fhir-r4");
  EXPECT_GE(pages.size(), 3u);
  // The export's own calls join the log as it pages: every listed event
  // is exported, and so are those.
  const std::map<int64_t, Json> resources = Resources(pages);
  ASSERT_GT(resources.size(), events.size());
  for (const v1::AuditEvent& e : events) {
    SCOPED_TRACE(e.name());
    ASSERT_EQ(resources.count(e.sequence()), 1u);
    const Json& r = resources.at(e.sequence());
    EXPECT_EQ(ExtensionValue(r, "audit-hash"), e.hash());
    EXPECT_EQ(ExtensionValue(r, "audit-prev-hash"), e.prev_hash());
    EXPECT_EQ(r["outcomeDesc"], e.outcome_name());
    EXPECT_EQ(r["subtype"][0]["code"], e.action());
    EXPECT_EQ(r["agent"][0]["who"]["identifier"]["value"], e.principal());
    EXPECT_EQ(r["agent"][0]["requestor"], true);
    EXPECT_EQ(r["agent"][0]["network"]["address"], "127.0.0.1");
    EXPECT_EQ(r["source"]["site"], "c1");
  }

  // The refused read: a minor failure of the auditor, about patient 1.
  const v1::AuditEvent* refused = nullptr;
  const v1::AuditEvent* bulk = nullptr;
  for (const v1::AuditEvent& e : events) {
    if (e.outcome_name() == "PERMISSION_DENIED") refused = &e;
    if (absl::EndsWith(e.action(), "/ListSessions")) bulk = &e;
  }
  ASSERT_NE(refused, nullptr);
  const Json& denied = resources.at(refused->sequence());
  EXPECT_EQ(denied["outcome"], "4");
  EXPECT_EQ(denied["action"], "R");
  EXPECT_EQ(denied["type"]["system"], kDicom);
  EXPECT_EQ(denied["type"]["code"], "110110");  // Patient Record
  EXPECT_EQ(denied["agent"][0]["role"][0]["coding"][0]["code"], "auditor");
  EXPECT_EQ(PatientEntities(denied), std::vector<std::string>{patients_[0]});

  // The bulk list: a query that disclosed both patients' records.
  ASSERT_NE(bulk, nullptr);
  const Json& query_event = resources.at(bulk->sequence());
  EXPECT_EQ(query_event["outcome"], "0");
  EXPECT_EQ(query_event["type"]["code"], "110112");  // Query
  std::vector<std::string> both = patients_;
  std::sort(both.begin(), both.end());
  EXPECT_EQ(PatientEntities(query_event), both);
  EXPECT_EQ(ExtensionValue(query_event, "records-disclosed-sha256"),
            bulk->records_accessed().sha256());

  // The writes create (C) records.
  int creates = 0;
  for (const auto& [seq, r] : resources) creates += r["action"] == "C";
  EXPECT_EQ(creates, 6);
}

TEST_F(AuditExportTest, APatientsAndAPrincipalsExportsHoldOnlyTheirEvents) {
  v1::ListAuditEventsRequest by_patient;
  by_patient.set_parent("clinics/c1");
  by_patient.set_patient(patients_[1]);
  const std::map<int64_t, Json> second =
      Resources(Export(by_patient, "fhir-r4"));
  EXPECT_EQ(second.size(), Listed(by_patient).size());
  EXPECT_GE(second.size(), 4u);  // 3 writes and the bulk list
  for (const auto& [seq, r] : second) {
    const std::vector<std::string> entities = PatientEntities(r);
    EXPECT_NE(std::find(entities.begin(), entities.end(), patients_[1]),
              entities.end())
        << r.dump();
  }

  v1::ListAuditEventsRequest by_principal;
  by_principal.set_parent("clinics/c1");
  by_principal.set_principal("auditor");
  for (const auto& [seq, r] : Resources(Export(by_principal, "fhir-r4"))) {
    EXPECT_EQ(r["agent"][0]["who"]["identifier"]["value"], "auditor");
  }
}

TEST_F(AuditExportTest, UnauthenticatedCallsAreUserAuthenticationEvents) {
  v1::ListAuditEventsRequest query;
  query.set_parent("clinics/c1");
  query.set_outcome("UNAUTHENTICATED");
  const std::map<int64_t, Json> resources = Resources(Export(query, "fhir-r4"));
  ASSERT_EQ(resources.size(), 1u);
  const Json& r = resources.begin()->second;
  EXPECT_EQ(r["type"]["code"], "110114");
  EXPECT_EQ(r["outcome"], "4");
}

TEST_F(AuditExportTest, CsvHasOneHeaderAndOneRowPerEvent) {
  v1::ListAuditEventsRequest query;
  query.set_parent("clinics/c1");
  query.set_patient(patients_[0]);
  query.set_page_size(2);
  const std::vector<v1::AuditEvent> events = Listed(query);
  const std::vector<std::string> pages = Export(query, "csv");
  ASSERT_GE(pages.size(), 2u);
  int rows = 0;
  for (const std::string& page : pages) {
    std::vector<std::string> lines = absl::StrSplit(page, "\r\n");
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0],
              "sequence,event_time,principal,role,action,clinic,resource,"
              "outcome,outcome_name,peer,request_id,patients,"
              "records_disclosed,hash,prev_hash");
    EXPECT_EQ(lines.back(), "");
    for (size_t i = 1; i + 1 < lines.size(); ++i) {
      const std::vector<std::string> cells = absl::StrSplit(lines[i], ',');
      ASSERT_EQ(cells.size(), 15u) << lines[i];
      ASSERT_LT(rows, static_cast<int>(events.size()));
      EXPECT_EQ(cells[0], absl::StrCat(events[rows].sequence()));
      EXPECT_EQ(cells[13], events[rows].hash());
      EXPECT_TRUE(absl::StrContains(cells[11], patients_[0])) << lines[i];
      ++rows;
    }
  }
  EXPECT_EQ(rows, static_cast<int>(events.size()));
}

TEST_F(AuditExportTest, BadRequestsAreRefusedNamingTheField) {
  v1::ExportAuditEventsRequest request;
  request.mutable_query()->set_parent("clinics/c1");
  auto no_format = auditor().ExportAuditEvents(request);
  EXPECT_EQ(no_format.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(no_format.status().message(), "format:"))
      << no_format.status();
  request.set_format("pdf");
  auto unknown = auditor().ExportAuditEvents(request);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(unknown.status().message(), "csv, fhir-r4"))
      << unknown.status();
  request.set_format("csv");
  request.mutable_query()->set_outcome("MAYBE");
  auto bad_query = auditor().ExportAuditEvents(request);
  EXPECT_EQ(bad_query.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad_query.status().message(), "query.outcome:"))
      << bad_query.status();
  // Only auditors export the log.
  request.mutable_query()->clear_outcome();
  EXPECT_EQ(server_.client().ExportAuditEvents(request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace mnrecords::testing

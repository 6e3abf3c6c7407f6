// The operator's view of the real server: the Prometheus endpoint scraped
// over HTTP as Prometheus would, and the access log read back as JSON.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// HttpGet fetches http://127.0.0.1:port/path with HTTP/1.0 and returns the
// body, or "" on any failure (with a test failure).
std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    ADD_FAILURE() << "cannot connect to the metrics port " << port;
    return "";
  }
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(::write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[8192];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof(buffer))) > 0;) {
    response.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  const size_t body = response.find("\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response.substr(0, 200);
  return body == std::string::npos ? "" : response.substr(body + 4);
}

// Samples maps "name{labels as scraped}" to its value.
using Samples = std::map<std::string, double>;

Samples Parse(const std::string& text) {
  Samples samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      ADD_FAILURE() << "unparsable sample: " << line;
      continue;
    }
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

// Series names a sample of one of our unary methods, labels in the
// exposition's (sorted) order.
std::string Series(absl::string_view metric, absl::string_view service,
                   absl::string_view method, absl::string_view code = "") {
  return absl::StrCat(
      metric, "{",
      code.empty() ? "" : absl::StrCat("grpc_code=\"", code, "\","),
      "grpc_method=\"", method, "\",grpc_service=\"clinic.microneedling.v1.",
      service, "\",grpc_type=\"unary\"}");
}

double Get(const Samples& samples, const std::string& key) {
  auto it = samples.find(key);
  EXPECT_NE(it, samples.end()) << "no sample " << key;
  return it == samples.end() ? -1 : it->second;
}

TestServerOptions WithObservers(const std::string& access_log) {
  TestServerOptions options;
  options.configure = [access_log](ServerConfig& config, TestingOptions&) {
    config.metrics_listen = "127.0.0.1:0";
    config.access_log = access_log;
  };
  return options;
}

TEST(ObservabilityTest, MetricsCountCallsCommitsAndAuditEvents) {
  TestServer server(WithObservers(""));
  const int port = server.app().metrics_port();
  ASSERT_GT(port, 0);
  const Samples before = Parse(HttpGet(port, "/metrics"));
  // Every method has its series from the start.
  EXPECT_EQ(Get(before, Series("grpc_server_started_total", "TreatmentRecords",
                               "CreatePatient")),
            0);
  EXPECT_EQ(Get(before, Series("grpc_server_handled_total", "Audit",
                               "VerifyRecords", "OK")),
            0);
  EXPECT_EQ(Get(before, "mnrecords_writes_healthy"), 1);
  EXPECT_EQ(Get(before, absl::StrCat("mnrecords_build_info{version=\"",
                                     MNRECORDS_VERSION, "\"}")),
            1);

  ASSERT_TRUE(
      server.client().CreatePatient(PatientRequest("c1", "MRN-7731")).ok());
  v1::CreatePatientRequest invalid = PatientRequest("c1", "MRN-7732");
  invalid.mutable_patient()->clear_identifiers();
  EXPECT_EQ(server.client().CreatePatient(invalid).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  ASSERT_TRUE(server.client().ListPatients(list).ok());

  const std::string text = HttpGet(port, "/metrics");
  const Samples after = Parse(text);
  EXPECT_EQ(Get(after, Series("grpc_server_started_total", "TreatmentRecords",
                              "CreatePatient")),
            2);
  EXPECT_EQ(Get(after, Series("grpc_server_handled_total", "TreatmentRecords",
                              "CreatePatient", "OK")),
            1);
  EXPECT_EQ(Get(after, Series("grpc_server_handled_total", "TreatmentRecords",
                              "CreatePatient", "InvalidArgument")),
            1);
  EXPECT_EQ(Get(after, Series("grpc_server_handling_seconds_count",
                              "TreatmentRecords", "CreatePatient")),
            2);
  EXPECT_EQ(Get(after, Series("grpc_server_handled_total", "TreatmentRecords",
                              "ListPatients", "OK")),
            1);
  // Three calls, three audit events (the refused one too).
  EXPECT_EQ(Get(after, "mnrecords_audit_events_appended_total") -
                Get(before, "mnrecords_audit_events_appended_total"),
            3);
  // The created patient's write and the two audit-only events committed.
  EXPECT_GE(Get(after, "mnrecords_store_write_batch_size_count"), 1);
  EXPECT_GE(Get(after, "mnrecords_store_commit_seconds_count"), 1);
  EXPECT_GE(Get(after, "mnrecords_store_writes_total{outcome=\"committed\"}"),
            3);
  EXPECT_EQ(Get(after, "mnrecords_change_watches"), 0);
  if (!TestBackendIsPostgres()) {
    EXPECT_GT(Get(after, "mnrecords_store_database_bytes"), 0);
  }
  // Labels hold methods and codes only: no patient, identifier or token.
  EXPECT_EQ(text.find("MRN-7731"), std::string::npos);
  EXPECT_EQ(text.find("patients/"), std::string::npos);
  EXPECT_EQ(text.find(server.token("ehr")), std::string::npos);
  EXPECT_EQ(text.find("\"ehr\""), std::string::npos);
}

std::vector<nlohmann::json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

TEST(ObservabilityTest, AccessLogHasOneJsonLinePerCallAndReopens) {
  const std::string path = UniqueTempPath("access") + ".log";
  TestServer server(WithObservers(path));
  v1::CreatePatientRequest create = PatientRequest("c1", "MRN-5511");
  auto patient = server.client().CreatePatient(create);
  ASSERT_TRUE(patient.ok()) << patient.status();
  v1::GetPatientRequest get;
  get.set_name(patient->name());
  ASSERT_TRUE(server.client().GetPatient(get).ok());
  get.set_name("clinics/c1/patients/nobody");
  EXPECT_EQ(server.client().GetPatient(get).status().code(),
            absl::StatusCode::kNotFound);
  RecordsClient stranger = server.NewClient("not-a-token");
  EXPECT_EQ(stranger.GetPatient(get).status().code(),
            absl::StatusCode::kUnauthenticated);

  const std::vector<nlohmann::json> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 4u);
  const nlohmann::json& created = lines[0];
  EXPECT_EQ(created["method"],
            "/clinic.microneedling.v1.TreatmentRecords/CreatePatient");
  EXPECT_EQ(created["principal"], "ehr");
  EXPECT_EQ(created["role"], "ehr_system");
  EXPECT_EQ(created["clinic"], "c1");
  EXPECT_EQ(created["code"], "OK");
  EXPECT_EQ(created["request_id"], create.request_id());
  EXPECT_GT(created["request_bytes"].get<int>(), 0);
  EXPECT_GT(created["response_bytes"].get<int>(), 0);
  EXPECT_GE(created["latency_seconds"].get<double>(), 0);
  EXPECT_TRUE(created["audit_stored"].get<bool>());
  EXPECT_NE(created["peer"].get<std::string>().find("127.0.0.1"),
            std::string::npos);
  EXPECT_FALSE(created["time"].get<std::string>().empty());
  EXPECT_EQ(lines[1]["method"],
            "/clinic.microneedling.v1.TreatmentRecords/GetPatient");
  EXPECT_EQ(lines[1]["request_id"], "");
  EXPECT_EQ(lines[2]["code"], "NOT_FOUND");
  EXPECT_EQ(lines[2]["response_bytes"], 0);
  EXPECT_EQ(lines[3]["code"], "UNAUTHENTICATED");
  EXPECT_EQ(lines[3]["principal"], "(unauthenticated)");
  // Never record content: the identifier and the patient's name are not in
  // the log, only the clinic.
  std::stringstream all;
  all << std::ifstream(path).rdbuf();
  EXPECT_EQ(all.str().find("MRN-5511"), std::string::npos);
  EXPECT_EQ(all.str().find(patient->name()), std::string::npos);

  // Rotation: move the file, reopen, and the next line goes to a new file.
  const std::string rotated = path + ".1";
  ASSERT_EQ(std::rename(path.c_str(), rotated.c_str()), 0);
  ASSERT_TRUE(server.app().ReopenAccessLog().ok());
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  ASSERT_TRUE(server.client().ListPatients(list).ok());
  EXPECT_EQ(ReadLines(rotated).size(), 4u);
  const std::vector<nlohmann::json> fresh = ReadLines(path);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0]["method"],
            "/clinic.microneedling.v1.TreatmentRecords/ListPatients");
}

}  // namespace
}  // namespace mnrecords::testing

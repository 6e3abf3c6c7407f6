// What auditing every read costs: GetSession (and a 50-session page of 10
// patients from ListSessions) over loopback gRPC against the
// real server (SQLite file, services, gRPC), once with read auditing (what
// ships: each read appends its hash-chained audit event in its own durable
// write transaction before responding) and once without (a ServerConfig
// switch that exists only for this benchmark). Both servers run in the same
// process and the same run; the summary prints both rates and their ratio.
// Figures, not assertions: ctest runs a short smoke run that checks nothing
// about speed.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "client/client.h"
#include "common/sha256.h"
#include "server/app/server_app.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// BenchServer is one server with a course and a session to read.
struct BenchServer {
  std::unique_ptr<ServerApp> app;
  std::unique_ptr<RecordsClient> client;
  std::string session;
  std::string db_path;
};

std::unique_ptr<BenchServer> StartServer(bool audit_reads) {
  auto s = std::make_unique<BenchServer>();
  s->db_path = UniqueTempPath(audit_reads ? "bench-audited.db" : "bench.db");
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.db_path = s->db_path;
  // One EHR principal, and the core service without the protocol plugin
  // (the bench logs a session without consents).
  const std::string token =
      absl::StrCat("bench-token-", absl::ToUnixNanos(absl::Now()));
  auto* principal = config.file.add_principals();
  principal->set_id("bench");
  principal->set_role(mnrecords::config::v1::ROLE_EHR_SYSTEM);
  principal->add_clinics("c1");
  principal->add_token_sha256(Sha256Hex(token));
  auto* plugin = config.file.add_plugins();
  plugin->set_name("microneedling-protocol");
  plugin->set_enabled(false);
  TestingOptions test_only;
  test_only.audit_successful_reads = audit_reads;
  auto app = ServerApp::Start(config, test_only);
  if (!app.ok()) {
    std::fprintf(stderr, "server: %s\n", app.status().ToString().c_str());
    std::abort();
  }
  s->app = *std::move(app);
  ClientOptions options;
  options.target = absl::StrCat("127.0.0.1:", s->app->port());
  options.bearer_token = token;
  s->client = std::make_unique<RecordsClient>(*RecordsClient::Create(options));
  auto patient = s->client->CreatePatient(PatientRequest("c1", "MRN-B"));
  auto course = s->client->CreateCourse(CourseRequest(patient->name()));
  auto session = s->client->LogSession(
      SessionRequest(course->name(), absl::Now() - absl::Hours(1)));
  if (!session.ok()) {
    std::fprintf(stderr, "setup: %s\n", session.status().ToString().c_str());
    std::abort();
  }
  s->session = session->name();
  // A clinic page of 50 sessions over 10 patients, for the bulk read.
  for (int p = 0; p < 10; ++p) {
    auto other = s->client->CreatePatient(
        PatientRequest("c1", absl::StrCat("MRN-L", p)));
    auto other_course = s->client->CreateCourse(CourseRequest(other->name()));
    for (int i = 0; i < 5; ++i) {
      auto logged = s->client->LogSession(SessionRequest(
          other_course->name(), absl::Now() - absl::Hours(2 + i)));
      if (!logged.ok()) {
        std::fprintf(stderr, "setup: %s\n", logged.status().ToString().c_str());
        std::abort();
      }
    }
  }
  return s;
}

BenchServer& Server(bool audited) {
  static BenchServer* plain = StartServer(false).release();
  static BenchServer* with_audit = StartServer(true).release();
  return audited ? *with_audit : *plain;
}

std::map<std::string, double>& Rates() {
  static auto* rates = new std::map<std::string, double>();
  return *rates;
}

void BM_GetSession(benchmark::State& state, bool audited) {
  BenchServer& server = Server(audited);
  v1::GetSessionRequest request;
  request.set_name(server.session);
  const absl::Time start = absl::Now();
  for (auto _ : state) {
    auto session = server.client->GetSession(request);
    if (!session.ok()) {
      state.SkipWithError(session.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(session);
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  state.SetItemsProcessed(state.iterations());
  if (seconds > 0) {
    Rates()[audited ? "audited" : "unaudited"] = state.iterations() / seconds;
  }
}

BENCHMARK_CAPTURE(BM_GetSession, without_read_audit, false)->UseRealTime();
BENCHMARK_CAPTURE(BM_GetSession, with_read_audit, true)->UseRealTime();

// A bulk read: one page of 50 sessions of 10 patients.
void BM_ListSessions50(benchmark::State& state, bool audited) {
  BenchServer& server = Server(audited);
  v1::ListSessionsRequest request;
  request.set_parent("clinics/c1/patients/-/courses/-");
  request.set_page_size(50);
  for (auto _ : state) {
    auto page = server.client->ListSessions(request);
    if (!page.ok() || page->sessions_size() != 50) {
      state.SkipWithError(page.ok() ? "short page"
                                    : page.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_ListSessions50, without_read_audit, false)->UseRealTime();
BENCHMARK_CAPTURE(BM_ListSessions50, with_read_audit, true)->UseRealTime();

}  // namespace
}  // namespace mnrecords::testing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  auto& rates = mnrecords::testing::Rates();
  if (rates.count("audited") && rates.count("unaudited")) {
    std::printf(
        "GetSession over loopback: %.0f reads/s without the audit write, "
        "%.0f reads/s with it; audited/unaudited = %.2f\n",
        rates["unaudited"], rates["audited"],
        rates["audited"] / rates["unaudited"]);
  }
  return 0;
}
